"""Property: any native JSONL we accept comes back out byte for byte, and exactly as
given, through import → export → import → export; offsets are Python string
indices whatever the text holds (emoji and their modifiers, combining marks, CJK,
JSON's own escapes)."""

import hashlib
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.store import Store
from annotator.export.importer import import_native
from annotator.export.native import native_lines

# Pieces that break naive offset code: astral emoji with skin tones and ZWJ joins,
# combining accents, CJK, quotes, backslashes, JSON-escaped characters, a BOM.
# Control characters and line breaks other than \n are left out: ingest never stores
# them and import refuses them (tested in tests/functional/test_export_import.py).
PIECES = [
    "👍🏽",
    "👩‍👩‍👧",
    "🇺🇸",
    "e\u0301",
    "\u0915\u094d\u0937",
    "東京",
    "杭州海康威视",
    "“",
    "”",
    '"',
    "\\",
    "/",
    "\t",
    "\n",
    "\ufeff",
    " ",
]
TEXT = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(
            alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
            min_size=1,
            max_size=8,
        ),
    ),
    min_size=1,
    max_size=12,
).map("".join)
LABELS = ["QUANTITY", "QUOTE", "SOURCE", "CUE", "HEDGE", "ENTITY"]
REVIEWERS = ["ann", "bob", "Zoë"]
MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.isoformat(timespec="microseconds"))


@st.composite
def spans(draw, text: str, first_id: int) -> list[dict]:
    found = []
    for offset in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        label = draw(st.sampled_from(LABELS))
        status = draw(st.sampled_from(["proposed", "accepted", "rejected"]))
        origin = "human" if status == "accepted" and draw(st.booleans()) else "rules-test"
        found.append(
            {
                "id": first_id + offset,
                "start": start,
                "end": end,
                "label": label,
                "text": text[start:end],
                "status": status,
                "origin": origin,
                "attrs": draw(
                    st.dictionaries(
                        st.sampled_from(["value", "unit", "type"]),
                        st.one_of(st.integers(-(10**6), 10**6), TEXT),
                        max_size=2,
                    )
                ),
                "entity": draw(st.sampled_from([None, "hikvision", "東京"]))
                if label == "ENTITY"
                else None,
                "reviewer": draw(st.sampled_from(REVIEWERS)) if status != "proposed" else None,
                "updated_at": draw(MOMENTS),
            }
        )
    return found  # in id order, as the export lists them


@st.composite
def attributions(draw, record: dict, first_id: int) -> list[dict]:
    text = record["text"]
    sources = [s for s in record["spans"] if s["label"] == "SOURCE"]
    found = []
    for offset in range(draw(st.integers(0, 2))):
        source = draw(st.sampled_from([None, *sources]))
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        status = draw(st.sampled_from(["proposed", "accepted"]))
        kind = draw(st.sampled_from(["named_person", "anonymous", "other_outlet"]))
        found.append(
            {
                "id": first_id + offset,
                "kind": kind,
                "reason": draw(st.one_of(st.none(), TEXT)) if kind == "anonymous" else None,
                "source": None
                if source is None
                else {k: source[k] for k in ("start", "end", "text")} | {"span_id": source["id"]},
                "cue": None,
                "content": {
                    "span_id": None,
                    "start": start,
                    "end": end,
                    "text": text[start:end],
                    "sentence_id": record["id"],
                },
                "resolved_to": None,
                "status": status,
                "origin": "rules-test",
                "reviewer": "ann" if status == "accepted" else None,
                "updated_at": draw(MOMENTS),
            }
        )
    return found


def _key(record_source: dict):
    return record_source["reviewer"]


@st.composite
def corpora(draw) -> list[dict]:
    records = []
    next_sentence, next_span, next_attribution = 1, 1, 1
    rated: dict[str | None, list[dict]] = {}
    for document_id in range(1, draw(st.integers(1, 2)) + 1):
        outlet = draw(st.sampled_from([None, "Reuters", "Financial Times 金融时报"]))
        published = draw(st.sampled_from([None, "2021-12-16"]))
        # A source is rated once, so every document of an outlet carries the same ratings.
        if outlet not in rated:
            rated[outlet] = (
                sorted(
                    (
                        {
                            "axis": "reliability",
                            "value": draw(st.sampled_from("ABCDEF")),
                            "reviewer": reviewer,
                            "source": {"kind": "outlet", "name": outlet},
                            "updated_at": draw(MOMENTS),
                        }
                        for reviewer in draw(st.sets(st.sampled_from(REVIEWERS), max_size=2))
                    ),
                    key=_key,
                )
                if outlet
                else []
            )
        outlet_ratings = rated[outlet]
        offset = 0
        for index in range(draw(st.integers(1, 3))):
            text = draw(TEXT)
            record = {
                "id": next_sentence,
                "document_id": document_id,
                "document_sha256": hashlib.sha256(f"doc {document_id}".encode()).hexdigest(),
                "source": {
                    "outlet": outlet,
                    "url": None,
                    "published": published,
                    "author": None,
                    "title": None,
                },
                "paragraph": {"index": index, "kind": "body", "boilerplate": draw(st.booleans())},
                "index": index,
                "document_offset": offset,
                "lang": "en",
                "text": text,
            }
            record["spans"] = draw(spans(text, next_span))
            next_span += len(record["spans"])
            record["attributions"] = draw(attributions(record, next_attribution))
            next_attribution += len(record["attributions"])
            record["labels"] = [
                {"label": draw(st.sampled_from(["CFS", "UFS", "NFS"])), "reviewer": who,
                 "updated_at": draw(MOMENTS)}
                for who in sorted(draw(st.sets(st.sampled_from(REVIEWERS), max_size=2)))
            ]  # fmt: skip
            credibility = [
                {"axis": "credibility", "value": draw(st.integers(1, 6)), "reviewer": who,
                 "updated_at": draw(MOMENTS)}
                for who in sorted(draw(st.sets(st.sampled_from(REVIEWERS), max_size=2)))
            ]  # fmt: skip
            record["ratings"] = credibility + outlet_ratings
            records.append(record)
            next_sentence += 1
            offset += len(text) + 1
    return records


# Derived from the decisions, not stored: compared through the byte round trip only.
DERIVED = ("reviewer", "answer", "_timestamp")


def _export(db_path: Path) -> str:
    with Store(db_path) as store:
        return "".join(line + "\n" for line in native_lines(store))


def _import(db_path: Path, path: Path) -> None:
    refused = []
    with Store(db_path) as store:
        import_native(store, path, on_refusal=refused.append)
    assert refused == []


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(corpora())
def test_import_export_round_trip_is_exact(records):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        given_file = folder / "given.jsonl"
        given_file.write_text(
            "".join(
                json.dumps({**r, "reviewer": None, "answer": None, "_timestamp": None}) + "\n"
                for r in records
            ),
            encoding="utf-8",
        )
        _import(folder / "one.db", given_file)
        first = _export(folder / "one.db")
        exported = [json.loads(line) for line in first.splitlines()]
        assert [{k: v for k, v in r.items() if k not in DERIVED} for r in exported] == records
        first_file = folder / "first.jsonl"
        first_file.write_text(first, encoding="utf-8")
        _import(folder / "two.db", first_file)
        assert _export(folder / "two.db") == first

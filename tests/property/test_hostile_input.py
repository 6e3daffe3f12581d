"""Hostile input at every entry point: each is stored and shown literally, or refused
with one line; never an exception, never part of a record in the database.

Entry points, each tried with EXAMPLES generated cases: ingest of .txt/.md files,
ingest of .jsonl files, import of native JSONL, the review screen's rendering of
stored text, full-text search, and the `--since` and `--entity` arguments.
Generated text mixes random Unicode with the pieces that break tools: terminal
escape sequences, Textual and Rich markup, bidi overrides, zero-width characters,
lone surrogates, NULs, every kind of line break, JSON nested thousands deep,
wrong JSON types, offsets out of range, lines of tens of thousands of bytes.
"""

import itertools
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotator.contradictions.query import resolve_entity
from annotator.core.errors import RefusedInput
from annotator.core.ingest import ingest
from annotator.core.review import SentenceView, SpanView, load_sentence, search
from annotator.core.store import Store
from annotator.core.text import is_canonical, one_line
from annotator.core.vocabulary import SPAN_LABELS
from annotator.export.importer import import_native
from annotator.export.native import native_lines
from annotator.export.selection import Selection, parse_since
from annotator.nlp.pipeline import Pipeline
from annotator.tui.render import info_content, sentence_content, span_list_content

EXAMPLES = 1000
hostile = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

HOSTILE_PIECES = [
    "\x1b[2J\x1b[H",
    "\x1b]0;pwned\x07",
    "\x1b[31m",
    "\x9b31m",
    "\x1bP+q\x1b\\",
    "[@click=app.quit]x[/]",
    "[/",
    "[red]x[/]",
    "[b]",
    "\\[",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u200b",
    "\u200d",
    "\u200e",
    "\ufeff",
    "\x00",
    "\x07",
    "\x08",
    "\x7f",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x0c",
    "\x85",
    "e\u0301",
    "👍🏽",
    "👩‍👩‍👧",
    "東京",
    "\ud800",
    "\udfff",
    '"',
    "\\",
    "{",
    "}",
    "%s",
    "\t",
    "\n",
    "\n\n",
    " ",
    ". ",
    "said",
    "40%",
    "“",
    "”",
    "more than 1 million",
    "Hikvision",
]
hostile_text = st.lists(
    st.one_of(st.text(max_size=20), st.sampled_from(HOSTILE_PIECES)), max_size=25
).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)


def _bytes(text: str) -> bytes:
    # Lone surrogates become bytes that are not UTF-8.
    return text.encode("utf-8", "surrogatepass")


file_bytes = st.one_of(
    st.binary(max_size=2000),
    hostile_text.map(_bytes),
    st.tuples(hostile_text, st.sampled_from(["utf-16", "latin-1", "utf-8-sig", "cp1252"])).map(
        lambda pair: pair[0].encode(pair[1], "replace")
    ),
    st.integers(1, 60_000).map(lambda n: b"x" * n),
    st.integers(1, 20_000).map(lambda n: b"word " * n),
)
ingest_records = st.tuples(
    st.fixed_dictionaries(
        {"text": st.one_of(hostile_text, json_values)},
        optional={
            "outlet": json_values,
            "url": json_values,
            "published": json_values,
            "title": json_values,
            "meta": json_values,
        },
    ),
    # Fields of any name are kept as metadata.
    st.dictionaries(hostile_text, json_values, max_size=2),
).map(lambda pair: {**pair[1], **pair[0]})
jsonl_lines = st.one_of(
    ingest_records.map(lambda r: json.dumps(r).encode()),
    ingest_records.map(lambda r: _bytes(json.dumps(r, ensure_ascii=False))),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.integers(1, 30_000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 30_000).map(lambda n: b'{"text":' * n + b'"x"' + b"}" * n),
    st.binary(max_size=300),
    hostile_text.map(_bytes),
)
jsonl_files = st.lists(jsonl_lines, max_size=6).map(lambda lines: b"\n".join(lines) + b"\n")

# What a one-line message must not hold: a line break or anything a terminal obeys.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
TABLES = (
    "documents",
    "paragraphs",
    "sentences",
    "spans",
    "attributions",
    "sources",
    "entities",
    "entity_mentions",
    "sentence_labels",
    "claim_ratings",
    "source_ratings",
    "events",
)


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline("rules")


@pytest.fixture(scope="module")
def shared(tmp_path_factory, _seeded_template):
    """One database for all the examples of a test, seeded so that imports can
    also update sentences that exist."""
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.db"
    shutil.copy(_seeded_template, path)
    with Store(path, durable=False) as store:
        yield store, folder


_names = itertools.count()


def _counts(store: Store) -> dict[str, int]:
    return {
        table: store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES
    }


def _assert_one_line(line: str, origin: str) -> None:
    assert line.startswith(origin), line
    assert not UNPRINTABLE.search(line), repr(line)
    assert len(line) > len(origin) + 2, line


def _assert_whole(store: Store, first_document: int) -> None:
    """Every document stored since `first_document` is canonical text, cut into
    paragraphs and sentences that are exactly its text at their offsets, with spans
    inside their sentences."""
    db = store.db
    for document_id, text in db.execute(
        "SELECT id, text FROM documents WHERE id > ?", [first_document]
    ).fetchall():
        assert is_canonical(text) and text.strip()
        sentences = db.execute(
            'SELECT id, start, "end", text FROM sentences WHERE document_id = ?', [document_id]
        ).fetchall()
        assert sentences, document_id
        for sentence_id, start, end, sentence in sentences:
            assert text[start:end] == sentence
            for span_start, span_end in db.execute(
                'SELECT start, "end" FROM spans WHERE sentence_id = ?', [sentence_id]
            ):
                assert 0 <= span_start < span_end <= len(sentence)
            _assert_shown_literally(load_sentence(store, sentence_id, "hostile"))


def _assert_shown_literally(view: SentenceView) -> None:
    bare = sentence_content(view.text, ())
    assert len(bare.plain) == len(view.text)
    assert not UNPRINTABLE.search(bare.plain.replace("\n", ""))
    for piece in ("[@click=app.quit]x[/]", "[red]x[/]", "[/"):
        if piece in view.text:
            assert piece in bare.plain
    marked = sentence_content(view.text, view.spans, cursor=0, focused_id=None)
    assert not UNPRINTABLE.search(marked.plain.replace("\n", ""))
    listed = span_list_content(view, None, width=40, height=10)
    assert not UNPRINTABLE.search(listed.plain.replace("\n", ""))


def _ingest_and_check(store: Store, rules: Pipeline, path: Path, records: int) -> None:
    before = _counts(store)
    last_document = store.db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
    refusals = []
    summary = ingest(store, [path], pipeline=rules, on_refusal=refusals.append)
    for refusal in refusals:
        _assert_one_line(refusal.line(), str(path))
    assert summary.added + summary.duplicates + summary.refused == records
    after = _counts(store)
    assert after["documents"] - before["documents"] == summary.added
    assert after["sentences"] - before["sentences"] == summary.sentences
    if summary.added == 0:
        assert after == before, "a refused or duplicate document left rows behind"
    _assert_whole(store, last_document)


@hostile
@given(content=file_bytes, suffix=st.sampled_from([".txt", ".md", ".TXT", ".csv", ""]))
def test_ingest_of_any_text_file_stores_it_whole_or_refuses_it_in_one_line(
    shared, rules, content, suffix
):
    store, folder = shared
    path = folder / f"doc{next(_names)}{suffix}"
    path.write_bytes(content)
    _ingest_and_check(store, rules, path, records=1)


@hostile
@given(content=jsonl_files)
def test_ingest_of_any_jsonl_file_stores_each_record_whole_or_refuses_it(shared, rules, content):
    store, folder = shared
    path = folder / f"batch{next(_names)}.jsonl"
    path.write_bytes(content)
    records = sum(1 for line in content.split(b"\n") if line.strip()) or 1
    _ingest_and_check(store, rules, path, records=records)


@pytest.fixture(scope="module")
def seed_records(_seeded_template) -> list[dict]:
    with Store(_seeded_template) as store:
        return [json.loads(line) for line in native_lines(store, Selection())][:12]


FIELDS = ["id", "document_sha256", "text", "spans", "attributions", "labels", "ratings"]


@st.composite
def import_lines(draw, records: list[dict]) -> bytes:
    """A real record, changed the way a hand edit or another tool might change it."""
    record = json.loads(json.dumps(draw(st.sampled_from(records))))
    change = draw(
        st.sampled_from(
            ["none", "field", "drop", "text", "offsets", "span_text", "junk", "deep", "bytes"]
        )
    )
    if change == "field":
        record[draw(st.sampled_from(FIELDS))] = draw(json_values)
    elif change == "drop":
        record.pop(draw(st.sampled_from(FIELDS)), None)
    elif change == "text":
        record["text"] = draw(hostile_text)
    elif change in ("offsets", "span_text") and record.get("spans"):
        span = draw(st.sampled_from(record["spans"]))
        if change == "offsets":
            span["start"] = draw(st.integers(-5, 10_000))
            span["end"] = draw(st.integers(-5, 10_000))
        else:
            span["text"] = draw(hostile_text)
    elif change == "junk":
        return draw(st.one_of(hostile_text.map(_bytes), st.binary(max_size=200)))
    elif change == "deep":
        depth = draw(st.integers(1, 30_000))
        return b'{"spans":' + b"[" * depth + b"]" * depth + b"}"
    line = json.dumps(record, ensure_ascii=draw(st.booleans()))
    return _bytes(line) if change != "bytes" else _bytes(line).replace(b"e", b"\xff", 1)


@hostile
@given(data=st.data())
def test_import_of_any_jsonl_refuses_bad_records_in_one_line_and_keeps_no_part(
    shared, seed_records, data
):
    store, folder = shared
    lines = data.draw(st.lists(import_lines(seed_records), min_size=1, max_size=4))
    path = folder / f"import{next(_names)}.jsonl"
    content = b"\n".join(lines) + b"\n"
    path.write_bytes(content)
    before = _counts(store)
    last_document = store.db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
    refusals = []
    summary = import_native(store, path, reviewer="hostile", on_refusal=refusals.append)
    for refusal in refusals:
        _assert_one_line(refusal.line(), f"{path}:")
    records = sum(1 for line in content.split(b"\n") if line.strip())
    assert summary.records == records
    assert summary.added + summary.updated + summary.unchanged + summary.refused == records
    after = _counts(store)
    if summary.added == summary.updated == 0:
        assert after == before, "a refused record left rows behind"
    assert after["sentences"] - before["sentences"] == summary.added
    _assert_whole(store, last_document)


@st.composite
def sentence_views(draw) -> SentenceView:
    # A database edited by hand may hold any text, control characters included.
    text = draw(st.text(min_size=1, max_size=80) | hostile_text.filter(bool))
    assume("\ud800" not in text)
    spans = []
    for number in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(
            SpanView(
                id=number,
                start=start,
                end=end,
                label=draw(st.sampled_from(SPAN_LABELS)),
                status=draw(st.sampled_from(["proposed", "accepted", "rejected"])),
                origin=draw(hostile_text),
                attrs=draw(st.dictionaries(hostile_text, hostile_text, max_size=3)),
                reviewer=draw(st.none() | hostile_text),
            )
        )
    return SentenceView(
        id=1,
        document_id=1,
        idx=0,
        text=text,
        lang=draw(hostile_text),
        boilerplate=False,
        document_title=draw(st.none() | hostile_text),
        document_origin=draw(hostile_text),
        document_sentences=1,
        outlet=draw(st.none() | hostile_text),
        outlet_reliability=None,
        published=draw(st.none() | hostile_text),
        before=draw(st.none() | hostile_text),
        after=draw(st.none() | hostile_text),
        spans=tuple(spans),
    )


@hostile
@given(view=sentence_views(), cursor=st.integers(0, 80))
def test_the_review_screen_draws_any_stored_text_literally(view, cursor):
    shown = sentence_content(
        view.text,
        view.spans,
        cursor=min(cursor, len(view.text) - 1),
        focused_id=view.spans[0].id if view.spans else None,
    )
    assert not UNPRINTABLE.search(shown.plain.replace("\n", ""))
    bare = sentence_content(view.text, ())
    assert len(bare.plain) == len(view.text)
    for part in (
        span_list_content(
            view, ("span", view.spans[-1].id) if view.spans else None, width=30, height=5
        ),
        info_content(view, view.document_origin),
    ):
        assert not UNPRINTABLE.search(part.plain.replace("\n", ""))


@hostile
@given(words=hostile_text)
def test_search_takes_any_words(shared, words):
    store, _ = shared
    assume("\ud800" not in words and "\udfff" not in words)
    hits = search(store, words, limit=5)
    assert len(hits) <= 5


@hostile
@given(value=hostile_text)
def test_since_is_a_date_or_one_line(value):
    assume(not re.search("[\ud800-\udfff]", value))
    try:
        parsed = parse_since(value)
    except RefusedInput as error:
        assert "\n" not in one_line(str(error))
    else:
        assert parsed.endswith("+00:00")


@hostile
@given(name=hostile_text)
def test_entity_lookup_takes_any_name(shared, name):
    store, _ = shared
    assume(not re.search("[\ud800-\udfff]", name))
    for key, entity in resolve_entity(store, name):
        assert isinstance(key, str) and isinstance(entity, str)

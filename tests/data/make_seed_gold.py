# ruff: noqa: E501 - hand-written annotations read best one quotation per line
"""Writes seed_gold.jsonl from the annotations below, which were made by hand.

The annotations name each span by its text (and which occurrence, when a text
occurs twice); this script only turns them into character offsets and checks
that every sentence of the seeds is present, in order. Rerun it after editing:
    python tests/data/make_seed_gold.py
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from annotator.core.segment import split_paragraphs, split_sentences  # noqa: E402

D0 = "000_a418e7b890b74662.txt"
D4 = "004_b011cb77cabc7fea.txt"


def q(text, value, unit, qualifier="=", nth=0):
    return ("QUANTITY", text, nth, {"value": value, "unit": unit, "qualifier": qualifier})


def h(text, nth=0):
    return ("HEDGE", text, nth, {})


def e(text, kind, nth=0):
    return ("ENTITY", text, nth, {"type": kind})


def quote(text, nth=0):
    return ("QUOTE", text, nth, {})


def src(text, kind, nth=0):
    return ("SOURCE", text, nth, {"kind": kind})


def cue(text, nth=0):
    return ("CUE", text, nth, {})


def att(kind, source, cue_text, content, *, reason=None, resolved_to=None, direct=True,
        source_sentence=None):  # fmt: skip
    """source/cue/content by text; source_sentence when the source is in another sentence."""
    return {
        "kind": kind, "reason": reason, "source": source, "cue": cue_text, "content": content,
        "resolved_to": resolved_to, "direct": direct, "source_sentence": source_sentence,
    }  # fmt: skip


EXEC = "an executive from Hikvision who declined to be named"
LEONG = "Wai Ho Leong"

GOLD = {
    D0: [
        # 0
        ([e("Hikvision", "ORG"), q("more than 1 million", 1000000, "Uighurs", ">")], []),
        # 1
        (
            [
                h("could"),
                e("China", "GPE"),
                e("U.S.", "GPE"),
                h("is considering"),
                e("Hikvision", "ORG"),
                e("U.S.", "GPE", 1),
            ],
            [],
        ),
        # 2
        ([e("Hikvision", "ORG"), e("U.S.", "GPE"), e("U.S.", "GPE", 1)], []),
        # 3
        ([], []),
        # 4
        (
            [
                e("U.S. Commerce Department", "ORG"),
                e("Huawei Technologies", "ORG"),
                e("U.S.", "GPE", 1),
                e("Huawei", "ORG", 1),
                e("Iran", "GPE"),
                e("U.S.", "GPE", 2),
            ],
            [],
        ),
        # 5
        ([e("White House", "ORG")], []),
        # 6
        ([e("Hikvision", "ORG"), q("10%", 10, "%")], []),
        # 7
        (
            [
                quote(
                    "“The chips Hikvision uses are very commercial and most of the suppliers are "
                    "actually in China although there are some in the United States,”"
                ),
                e("Hikvision", "ORG"),
                e("China", "GPE"),
                e("United States", "GPE"),
                cue("said"),
                src(EXEC, "anonymous"),
                e("Hikvision", "ORG", 1),
            ],
            [
                att(
                    "anonymous",
                    EXEC,
                    "said",
                    "“The chips",
                    reason="declined to be named given the sensitivity of the matter",
                )
            ],
        ),
        # 8
        (
            [
                src("She", "anonymous"),
                cue("went on to add"),
                quote(
                    "“Even if the U.S. stops selling them to us we can remedy this through other "
                    "suppliers”"
                ),
                e("U.S.", "GPE"),
            ],
            [
                att(
                    "anonymous",
                    "She",
                    "went on to add",
                    "“Even if",
                    resolved_to=EXEC,
                    reason="declined to be named given the sensitivity of the matter",
                )
            ],
        ),
        # 9
        (
            [
                e("Hikvision", "ORG"),
                e("Dahua Technology", "ORG"),
                e("Trump", "PERSON"),
                q("more than 40 lawmakers", 40, "lawmakers", ">"),
            ],
            [],
        ),
        # 10
        (
            [
                src("the lawmakers", "named_org"),
                cue("said"),
                e("China", "GPE"),
                e("Xinjiang", "GPE"),
                quote("“may constitute crimes against humanity”"),
                h("may"),
                e("U.S.", "GPE"),
                e("U.S.", "GPE", 1),
            ],
            [
                att("named_org", "the lawmakers", "said", "“may constitute", direct=True),
                att(
                    "named_org",
                    "the lawmakers",
                    "said",
                    "China’s actions in its western region of Xinjiang “may constitute crimes against "
                    "humanity”",
                    direct=False,
                ),
            ],
        ),
        # 11
        ([e("China", "GPE"), q("more than 1 million", 1000000, "Uighurs", ">")], []),
    ],
    D4: [
        # 0 headline
        ([e("U.S.", "GPE"), h("Could"), e("Hikvision", "ORG")], []),
        # 1
        (
            [
                e("Hangzhou Hikvision Digital Technology Company", "ORG"),
                q("about 10%", 10, "%", "~"),
                e("U.S.", "GPE"),
                h("considered"),
                h("potentially"),
            ],
            [],
        ),
        # 2
        (
            [
                e("Hikvision", "ORG"),
                src("Hikvision", "named_org"),
                cue("said"),
                quote("“treated fairly”"),
                e("U.S.", "GPE"),
                e("Financial Times", "ORG"),
                src("the Financial Times", "other_outlet"),
                cue("reported"),
                e("Washington", "GPE"),
                h("rumored"),
                e("China", "GPE"),
                e("Xinjiang", "GPE"),
            ],
            [
                att(
                    "named_org",
                    "Hikvision",
                    "said",
                    "it hopes to be “treated fairly” by the U.S.",
                    direct=False,
                ),
                att("named_org", "Hikvision", "said", "“treated fairly”"),
                att(
                    "other_outlet",
                    "the Financial Times",
                    "reported",
                    "Washington imposed fresh sanctions on the conglomerate for its rumored involvement "
                    "in human rights violations in China’s Muslim-majority Xinjiang region",
                    direct=False,
                ),
            ],
        ),
        # 3
        (
            [
                cue("In accordance with"),
                src("individuals in the proverbial room", "anonymous"),
                e("Biden", "PERSON"),
                h("is waiting on whether"),
                e("Tech Hikvision", "ORG"),
            ],
            [
                att(
                    "anonymous",
                    "individuals in the proverbial room",
                    "In accordance with",
                    "the Biden administration is waiting on whether to add Tech Hikvision to its Specially "
                    "Designated Nationals and Blocked Persons List",
                    direct=False,
                )
            ],
        ),
        # 4
        ([h("would"), h("alleged"), e("China", "GPE"), e("Xinjiang", "GPE")], []),
        # 5
        (
            [
                h("unlikely"),
                cue("said"),
                src("one of the people who declined to be identified", "anonymous"),
            ],
            [
                att(
                    "anonymous",
                    "one of the people who declined to be identified",
                    "said",
                    "A final decision is unlikely this month",
                    reason="declined to be identified",
                    direct=False,
                )
            ],
        ),
        # 6
        ([e("Hikvision", "ORG"), q("¥38.24", 38.24, "CNY"), e("Shenzhen", "GPE")], []),
        # 7
        (
            [
                e("Hikvision digital technology company", "ORG"),
                e("U.S.", "GPE"),
                q("2019", 2019, "year"),
                q("seven", 7, "giants"),
            ],
            [],
        ),
        # 8
        ([h("under consideration"), e("U.S.", "GPE")], []),
        # 9
        (
            [
                quote(
                    "“This seems to be limited to Hikvision for now, but it creates uncertainty that "
                    "successful Chinese companies could be the target in the future,”"
                ),
                h("seems"),
                e("Hikvision", "ORG"),
                h("could"),
                cue("said"),
                src(LEONG, "named_person"),
                e(LEONG, "PERSON"),
                e("Modular Asset Management S.P. Pte", "ORG"),
            ],
            [att("named_person", LEONG, "said", "“This seems")],
        ),
        # 10
        (
            [
                src("He", "named_person"),
                cue("added"),
                quote(
                    "“The potential action by the U.S. government, as reported, remains to be "
                    "verified.”"
                ),
                h("potential"),
                e("U.S.", "GPE"),
                h("remains to be verified"),
            ],
            [att("named_person", "He", "added", "“The potential", resolved_to=LEONG)],
        ),
        # 11 the paragraph goes on quoting the speaker last named
        (
            [
                quote(
                    "“We think any such sanction should be based on credible evidence and due "
                    "process, and look forward to being treated fairly and unbiasedly.”"
                )
            ],
            [
                att(
                    "named_person",
                    "He",
                    "added",
                    "“We think",
                    resolved_to=LEONG,
                    source_sentence=10,
                )
            ],
        ),
        # 12
        (
            [
                quote(
                    "“At this point, Chinese tech companies should be on notice that any sales to "
                    "Xinjiang security forces, or any sourcing and manufacture of products in "
                    "Xinjiang, places them at high risk of U.S. restrictive actions.”"
                ),
                e("Xinjiang", "GPE"),
                e("Xinjiang", "GPE", 1),
                e("U.S.", "GPE"),
            ],
            [
                att(
                    "named_person",
                    "He",
                    "added",
                    "“At this point",
                    resolved_to=LEONG,
                    source_sentence=10,
                )
            ],
        ),
        # 13
        ([e("US", "GPE"), e("Joe Biden", "PERSON"), e("U.S.", "GPE"), e("Hikvision", "ORG")], []),
        # 14
        (
            [
                quote(
                    "“These sanctions, if released, have a 0% chance of forcing a capitulation from "
                    "Beijing on human rights,”"
                ),
                h("if released"),
                q("0%", 0, "%"),
                e("Beijing", "GPE"),
                cue("said"),
                src("Kendra Schaefer", "named_person"),
                e("Kendra Schaefer", "PERSON"),
                e("Beijing", "GPE", 1),
                e("Trivium China", "ORG"),
            ],
            [att("named_person", "Kendra Schaefer", "said", "“These sanctions")],
        ),
        # 15
        (
            [
                src("A U.S. National Security Council representative", "named_org"),
                e("U.S. National Security Council", "ORG"),
                cue("said"),
            ],
            [
                att(
                    "named_org",
                    "A U.S. National Security Council representative",
                    "said",
                    "it does not foresee future sanctions",
                    direct=False,
                )
            ],
        ),
        # 16
        (
            [
                e("Hikvision", "ORG"),
                e("Trump", "PERSON"),
                q("2019", 2019, "year"),
                e("Huawei Technologies Company Ltd.", "ORG"),
            ],
            [],
        ),
        # 17
        ([h("would"), e("Biden", "PERSON"), e("China", "GPE")], []),
        # 18
        ([e("Hikvision", "ORG"), h("might"), e("Hikvision", "ORG", 1)], []),
        # 19
        ([e("Europe", "LOC"), e("Asia", "LOC"), e("Hikvision", "ORG"), e("Beijing", "GPE")], []),
        # 20
        ([e("Beijing", "GPE")], []),
        # 21 "smart cities" is a scare quote
        ([e("Paris", "GPE"), e("Bangkok", "GPE")], []),
        # 22
        ([], []),
        # 23
        ([], []),
        # 24
        ([e("Canon", "ORG"), e("Hanwha Techwin", "ORG"), e("Bosch", "ORG")], []),
        # 25
        (
            [
                e("China", "GPE"),
                e("Foreign Ministry", "ORG"),
                e("Zhao Lijian", "PERSON"),
                src("China’s Foreign Ministry spokesman Zhao Lijian", "named_person"),
                cue("said"),
                quote(
                    "“China firmly opposes the U.S’ moves to using human rights as an excuse and "
                    "abuse state power and its domestic law to hobble Chinese companies,”"
                ),
                e("China", "GPE", 1),
                e("U.S", "GPE"),
                e("Beijing", "GPE"),
            ],
            [
                att(
                    "named_person",
                    "China’s Foreign Ministry spokesman Zhao Lijian",
                    "said",
                    "“China firmly",
                )
            ],
        ),
        # 26-28: the author's bio, boilerplate: nothing to propose
        ([], []),
        ([], []),
        ([], []),
    ],
}


def _find(text: str, needle: str, nth: int) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.find(needle, at + 1)
        if at < 0:
            raise ValueError(f"{needle!r} (occurrence {nth}) not in {text!r}")
    return at


def build() -> list[dict]:
    records = []
    for document, annotated in GOLD.items():
        text = (ROOT / "corpus" / document).read_text("utf-8")
        sentences = split_sentences(text, split_paragraphs(text))
        if len(sentences) != len(annotated):
            raise ValueError(f"{document}: {len(sentences)} sentences, {len(annotated)} annotated")
        by_index = []
        for idx, (sentence, (spans, attributions)) in enumerate(
            zip(sentences, annotated, strict=True)
        ):
            s_text = text[sentence.start : sentence.end]
            record = {
                "id": f"{document}#{idx}",
                "document_id": document,
                "paragraph": sentence.paragraph_index,
                "lang": "en",
                "text": s_text,
                "spans": [],
                "attributions": [],
            }
            for n, (label, needle, nth, attrs) in enumerate(spans):
                start = _find(s_text, needle, nth)
                record["spans"].append(
                    {
                        "id": f"{document}#{idx}/{n}",
                        "start": start,
                        "end": start + len(needle),
                        "label": label,
                        "text": needle,
                        "status": "accepted",
                        "origin": "human",
                        "attrs": attrs,
                    }
                )
            by_index.append((record, attributions))
            records.append(record)

        def ref(idx: int, label: str, needle: str, by_index=by_index) -> dict:
            record = by_index[idx][0]
            span = next(s for s in record["spans"] if s["label"] == label and s["text"] == needle)
            return {"span_id": span["id"], "sentence_id": record["id"], "start": span["start"],
                    "end": span["end"], "text": span["text"]}  # fmt: skip

        for idx, (record, attributions) in enumerate(by_index):
            for a in attributions:
                where = a["source_sentence"] if a["source_sentence"] is not None else idx
                if a["direct"]:
                    content = next(
                        s for s in record["spans"]
                        if s["label"] == "QUOTE" and s["text"].startswith(a["content"])
                    )  # fmt: skip
                    content_ref = {"span_id": content["id"], "sentence_id": record["id"],
                                   "start": content["start"], "end": content["end"],
                                   "text": content["text"]}  # fmt: skip
                else:
                    start = _find(record["text"], a["content"], 0)
                    content_ref = {"span_id": None, "sentence_id": record["id"], "start": start,
                                   "end": start + len(a["content"]), "text": a["content"]}  # fmt: skip
                record["attributions"].append(
                    {
                        "kind": a["kind"],
                        "reason": a["reason"],
                        "source": ref(where, "SOURCE", a["source"]),
                        "cue": ref(where, "CUE", a["cue"]),
                        "content": content_ref,
                        "resolved_to": a["resolved_to"],
                    }
                )
    return records


if __name__ == "__main__":
    out = Path(__file__).with_name("seed_gold.jsonl")
    with out.open("w", encoding="utf-8") as f:
        for record in build():
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {out}")

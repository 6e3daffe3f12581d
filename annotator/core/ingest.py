"""Files → documents → paragraphs → sentences in the store.

One document is analysed and written at a time, each in its own transaction,
so memory stays flat however many files there are and a failure loses at most
the document it happened in.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.core import boilerplate, language, maintenance, recurring
from annotator.core.errors import DatabaseUnwritable, RefusedInput
from annotator.core.proposals import is_english, store_document_proposals
from annotator.core.readers import (
    META_FIELDS,
    RawDocument,
    Refusal,
    iter_input_files,
    read_documents,
)
from annotator.core.segment import HEADLINE, Paragraph, split_paragraphs, split_sentences
from annotator.core.store import Store, now
from annotator.core.text import MAX_DOCUMENT_CHARS, canonical_text, clean_values, counted


@dataclass
class IngestSummary:
    added: int = 0
    duplicates: int = 0
    refused: int = 0
    sentences: int = 0

    def line(self) -> str:
        return (
            f"{counted(self.added, 'document')} added, {self.duplicates} skipped as duplicates, "
            f"{self.refused} refused; {counted(self.sentences, 'sentence')} added"
        )


@dataclass(frozen=True)
class AnalysedParagraph:
    paragraph: Paragraph
    lang: language.Language
    verdict: boilerplate.Verdict


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def analyse_paragraphs(text: str, paragraphs: list[Paragraph]) -> list[AnalysedParagraph]:
    last = len(paragraphs) - 1
    return [
        AnalysedParagraph(
            paragraph=p,
            lang=language.detect(text[p.start : p.end]),
            verdict=boilerplate.judge(text[p.start : p.end], is_last=i == last),
        )
        for i, p in enumerate(paragraphs)
    ]


def _document_language(text: str, analysed: list[AnalysedParagraph]) -> language.Language:
    report = "\n\n".join(
        text[a.paragraph.start : a.paragraph.end] for a in analysed if not a.verdict.boilerplate
    )
    return language.detect(report or text)


def store_document(
    store: Store, raw: RawDocument, *, max_chars: int = MAX_DOCUMENT_CHARS, pipeline=None
) -> int | None:
    """Analyse one document and store it, with `pipeline`'s proposals for every
    sentence outside boilerplate; returns sentences added, None for a duplicate.

    Raises RefusedInput for text that cannot be stored.
    """
    cleaned = canonical_text(raw.text, max_chars=max_chars)
    text = cleaned.text
    sha256 = content_hash(text)
    if store.db.execute("SELECT 1 FROM documents WHERE sha256 = ?", [sha256]).fetchone():
        return None
    paragraphs = split_paragraphs(text, markdown=raw.markdown)
    sentences = split_sentences(text, paragraphs)
    analysed = analyse_paragraphs(text, paragraphs)
    doc_lang = _document_language(text, analysed)
    # Metadata is shown beside the text (listings, the review screen's header), so
    # it is cleaned as the text is: no escape sequence from a file is ever stored.
    given = clean_values(raw.meta)
    meta = {k: v for k, v in given.items() if k not in META_FIELDS}
    if cleaned.removed_chars:
        meta["removed_control_chars"] = cleaned.removed_chars
    proposed = None
    if pipeline is not None:
        from annotator.core.sentence_input import SentenceInput

        candidates = [
            idx
            for idx, s in enumerate(sentences)
            if not analysed[s.paragraph_index].verdict.boilerplate
        ]
        proposed = pipeline.propose_document(
            [
                SentenceInput(
                    text[s.start : s.end],
                    is_english(analysed[s.paragraph_index].lang.code, doc_lang.code),
                    s.paragraph_index,
                )
                for s in (sentences[idx] for idx in candidates)
            ]
        )
    title = given.get("title") or next(
        (text[p.start : p.end] for p in paragraphs[:1] if p.kind == HEADLINE), None
    )
    with store.write() as db:
        # Another process may have stored the same text since the check above.
        if db.execute("SELECT 1 FROM documents WHERE sha256 = ?", [sha256]).fetchone():
            return None
        outlet = given.get("outlet")
        document_id = db.execute(
            """INSERT INTO documents (sha256, text, title, lang, lang_prob, outlet_id, url,
                   published, author, origin, meta, ingested_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                sha256,
                text,
                title,
                doc_lang.code,
                doc_lang.prob,
                store.ensure_source("outlet", outlet) if outlet and outlet.strip() else None,
                given.get("url"),
                given.get("published"),
                given.get("author"),
                raw.origin,
                json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str),
                now(),
            ],
        ).lastrowid
        # Entity links and contradictions now owe this document; cleared when rebuilt.
        maintenance.mark(db, *maintenance.TASKS)
        paragraph_ids = []
        for idx, a in enumerate(analysed):
            paragraph_ids.append(
                db.execute(
                    """INSERT INTO paragraphs (document_id, idx, start, "end", kind, boilerplate,
                           boilerplate_reason, lang, lang_prob)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [
                        document_id,
                        idx,
                        a.paragraph.start,
                        a.paragraph.end,
                        a.paragraph.kind,
                        int(a.verdict.boilerplate),
                        a.verdict.reason,
                        a.lang.code,
                        a.lang.prob,
                    ],
                ).lastrowid
            )
        db["sentences"].insert_all(
            (
                {
                    "document_id": document_id,
                    "paragraph_id": paragraph_ids[s.paragraph_index],
                    "idx": idx,
                    "start": s.start,
                    "end": s.end,
                    "text": text[s.start : s.end],
                    "lang": analysed[s.paragraph_index].lang.code,
                    "lang_prob": analysed[s.paragraph_index].lang.prob,
                }
                for idx, s in enumerate(sentences)
            ),
            batch_size=500,
        )
        if proposed is not None:
            sentence_ids = dict(
                db.execute("SELECT idx, id FROM sentences WHERE document_id = ?", [document_id])
            )
            store_document_proposals(
                store,
                document_id,
                [sentence_ids[idx] for idx in candidates],
                proposed,
                pipeline.origin,
            )
    return len(sentences)


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    *,
    max_chars: int = MAX_DOCUMENT_CHARS,
    pipeline=None,
    on_refusal: Callable[[Refusal], None] = lambda refusal: None,
    on_file: Callable[[Path], None] = lambda path: None,
) -> IngestSummary:
    """Ingest every readable document under `paths`; report the rest through `on_refusal`."""
    summary = IngestSummary()

    def refuse(refusal: Refusal) -> None:
        summary.refused += 1
        on_refusal(refusal)

    for item in iter_input_files(paths):
        if isinstance(item, Refusal):
            refuse(item)
            continue
        on_file(item)
        for raw in read_documents(item, max_chars=max_chars):
            if isinstance(raw, Refusal):
                refuse(raw)
                continue
            try:
                added = store_document(store, raw, max_chars=max_chars, pipeline=pipeline)
            except DatabaseUnwritable:
                # Read-only or full: every document after this one would be refused
                # the same way, so the run stops with the one line.
                raise
            except RefusedInput as error:
                refuse(Refusal(raw.origin, str(error)))
                continue
            except Exception as error:  # noqa: BLE001 - one bad document must not stop the run
                refuse(
                    Refusal(raw.origin, f"could not be stored ({type(error).__name__}: {error})")
                )
                continue
            if added is None:
                summary.duplicates += 1
            else:
                summary.added += 1
                summary.sentences += added
    # Also when this run added nothing: a run killed before linking left it owed.
    if maintenance.ENTITY_LINKS in maintenance.pending(store.db.conn):
        from annotator.core import entities

        # A paragraph an outlet repeats under its articles is known only across them.
        recurring.flag_recurring(store)
        entities.link_entities(store)
    return summary

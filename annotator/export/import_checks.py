"""One line of native JSONL → a `SentenceRecord` that can be stored, or `RefusedInput`.

Everything about a record that does not need the database is checked here, before
the importer allocates or writes anything: the JSON itself, numbers SQLite can hold
(ids), offsets no larger than a document, counts no larger than the offsets that
carry them, offsets against the record's own text. Strings other than the texts
that offsets point into are cleaned as ingest cleans metadata, so no escape
sequence from a file reaches the database.
"""

import json
import math

import pydantic

from annotator.core.errors import RefusedInput
from annotator.core.records import SentenceRecord, SpanRef
from annotator.core.text import MAX_DOCUMENT_CHARS, clean_field, is_canonical, refuse_surrogates


class _Constant:
    """What JSON's NaN or Infinity parses to, so that it can be named."""


_CONSTANT = _Constant()


def _refuse_non_numbers(value: object, where: str) -> None:
    """NaN, Infinity and numbers beyond a double: SQLite's JSON has none of them."""
    if value is _CONSTANT:
        raise RefusedInput(f"{where or 'record'}: NaN/Infinity is not JSON")
    if isinstance(value, float) and not math.isfinite(value):
        raise RefusedInput(f"{where or 'record'}: a number too large to store")
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_non_numbers(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_non_numbers(item, f"{where}[{index}]")


def _cleaned(value: object, *, keep_text: bool = True) -> object:
    """Every string cleaned but the texts offsets point into (a `text` field outside
    `attrs`): those must match the sentence exactly, and `check_record` refuses
    them when they hold what ingest never stores."""
    if isinstance(value, str):
        return clean_field(value)
    if isinstance(value, list):
        return [_cleaned(item, keep_text=keep_text) for item in value]
    if isinstance(value, dict):
        return {
            (clean_field(key) if isinstance(key, str) else key): item
            if keep_text and key == "text" and isinstance(item, str)
            else _cleaned(item, keep_text=keep_text and key != "attrs")
            for key, item in value.items()
        }
    return value


def _validation_message(error: pydantic.ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "record"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def parse_record(line: bytes) -> SentenceRecord:
    """The record on `line`, checked; RefusedInput says in one line what is wrong."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RefusedInput(f"not UTF-8 (byte 0x{line[error.start]:02x} at {error.start})") from None
    try:
        value = json.loads(text, parse_constant=lambda name: _CONSTANT)
    except json.JSONDecodeError as error:
        raise RefusedInput(f"not valid JSON ({error.msg} at column {error.colno})") from None
    except RecursionError:
        raise RefusedInput("not valid JSON (nested too deeply)") from None
    except ValueError:
        # Python refuses to read an integer of more than 4,300 digits.
        raise RefusedInput("a number has too many digits") from None
    if not isinstance(value, dict):
        raise RefusedInput(f"a record must be a JSON object, not {type(value).__name__}")
    refuse_surrogates(value, "record")
    _refuse_non_numbers(value, "")
    try:
        record = SentenceRecord.model_validate(_cleaned(value))
    except pydantic.ValidationError as error:
        raise RefusedInput(_validation_message(error)) from None
    except RecursionError:
        raise RefusedInput("nested too deeply") from None
    check_record(record)
    return record


def check_ref(ref: SpanRef, text: str, what: str) -> None:
    if not (ref.start < ref.end <= len(text)) or text[ref.start : ref.end] != ref.text:
        raise RefusedInput(f"{what} {ref.start}-{ref.end} does not match the text")


def ref_is_here(ref: SpanRef, record: SentenceRecord) -> bool:
    return ref.span_id is None or any(span.id == ref.span_id for span in record.spans)


def check_record(record: SentenceRecord) -> None:
    """Offsets and texts agree, and the text is as ingest would have stored it."""
    text = record.text
    if not is_canonical(text):
        raise RefusedInput("text has control characters or line breaks ingest never stores")
    end = record.document_offset + len(text)
    if end > MAX_DOCUMENT_CHARS:
        raise RefusedInput(
            f"document_offset: the sentence would end at character {end:,}, past the "
            f"longest document ({MAX_DOCUMENT_CHARS:,} characters)"
        )
    # Sentences and paragraphs are not empty and do not overlap, so the nth of
    # either starts at character n or later.
    for name, count in (("index", record.index), ("paragraph.index", record.paragraph.index)):
        if count > record.document_offset:
            raise RefusedInput(
                f"{name}: {count:,} sentences or paragraphs cannot come before "
                f"character {record.document_offset:,}"
            )
    for span in record.spans:
        if not (span.start < span.end <= len(text)):
            raise RefusedInput(
                f"span {span.id}: offsets {span.start}-{span.end} do not fit a text of "
                f"{len(text)} characters"
            )
        if text[span.start : span.end] != span.text:
            raise RefusedInput(
                f"span {span.id}: text {span.text!r} is not the text at {span.start}-{span.end} "
                f"({text[span.start : span.end]!r})"
            )
    if len({span.id for span in record.spans}) != len(record.spans):
        raise RefusedInput("two spans have the same id")
    if len({a.id for a in record.attributions}) != len(record.attributions):
        raise RefusedInput("two attributions have the same id")
    for attribution in record.attributions:
        for part, ref in (("source", attribution.source), ("cue", attribution.cue)):
            if ref is not None and ref_is_here(ref, record):
                check_ref(ref, text, f"attribution {attribution.id}: {part}")
        if attribution.content.sentence_id == record.id:
            check_ref(attribution.content, text, f"attribution {attribution.id}: content")
    reviewers = [label.reviewer for label in record.labels]
    if len(set(reviewers)) != len(reviewers):
        raise RefusedInput("a reviewer has two sentence labels")
    credibility = [r.reviewer for r in record.ratings if r.axis == "credibility"]
    if len(set(credibility)) != len(credibility):
        raise RefusedInput("a reviewer has two credibility ratings")

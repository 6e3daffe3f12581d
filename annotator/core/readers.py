"""Input files → raw documents, one at a time, never more than one file in memory.

Each bad file or JSONL line becomes a `Refusal` with a one-line reason; the
caller reports it and carries on with the rest.
"""

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import RefusedInput
from annotator.core.text import (
    MAX_BYTES_PER_CHAR,
    MAX_DOCUMENT_CHARS,
    decode,
    one_line,
    refuse_surrogates,
)

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIX = ".jsonl"
SIDECAR_SUFFIX = ".meta.json"
# Metadata with columns of their own; anything else is kept in documents.meta.
META_FIELDS = ("outlet", "url", "published", "author", "title")


@dataclass(frozen=True)
class RawDocument:
    origin: str
    text: str
    meta: dict = field(default_factory=dict)
    markdown: bool = False


@dataclass(frozen=True)
class Refusal:
    origin: str
    reason: str

    def line(self) -> str:
        return one_line(f"{self.origin}: {self.reason}")


def _is_input(path: Path) -> bool:
    return path.suffix.lower() in (*TEXT_SUFFIXES, JSONL_SUFFIX)


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | Refusal]:
    """Files named, and files under folders named (recursively, in name order).

    Inside folders, hidden files and metadata sidecars are skipped and other
    files are refused by name, so nothing is passed over in silence.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or name.lower().endswith(SIDECAR_SUFFIX):
                        continue
                    yield Path(root, name)
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield Refusal(str(path), "no such file or directory")


def _meta_from(value: object, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RefusedInput(f"{where} must be a JSON object, not {type(value).__name__}")
    for name in META_FIELDS:
        if value.get(name) is not None and not isinstance(value[name], str):
            raise RefusedInput(f"{where}.{name} must be a string")
    return value


def _sidecar_meta(path: Path) -> dict:
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        value = json.loads(decode(sidecar.read_bytes()))
    except (OSError, ValueError) as error:
        raise RefusedInput(f"sidecar {sidecar.name}: {error}") from None
    refuse_surrogates(value, f"sidecar {sidecar.name}")
    return _meta_from(value, f"sidecar {sidecar.name}")


def _read_text_file(path: Path, max_chars: int) -> RawDocument:
    size = path.stat().st_size
    if size == 0:
        raise RefusedInput("empty file")
    if size > max_chars * MAX_BYTES_PER_CHAR:
        raise RefusedInput(f"file too large: {size:,} bytes (limit {max_chars:,} characters)")
    text = decode(path.read_bytes())
    return RawDocument(
        origin=str(path),
        text=text,
        meta=_sidecar_meta(path),
        markdown=path.suffix.lower() == ".md",
    )


def _read_jsonl_line(line: bytes, origin: str) -> RawDocument:
    try:
        record = json.loads(decode(line))
    except json.JSONDecodeError as error:
        raise RefusedInput(f"not valid JSON ({error.msg} at column {error.colno})") from None
    except RecursionError:
        raise RefusedInput("not valid JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise RefusedInput(f"a record must be a JSON object, not {type(record).__name__}")
    refuse_surrogates(record, "record")
    text = record.get("text")
    if not isinstance(text, str):
        reason = "no `text` field" if text is None else "`text` must be a string"
        raise RefusedInput(reason)
    meta = dict(_meta_from(record.get("meta"), "`meta`"))
    # Fields beside text and meta are kept as metadata rather than dropped.
    for key, value in record.items():
        if key not in ("text", "meta"):
            meta.setdefault(key, value)
    _meta_from({k: meta.get(k) for k in META_FIELDS}, "record")
    return RawDocument(origin=origin, text=text, meta=meta)


def _read_jsonl_file(path: Path, max_chars: int) -> Iterator[RawDocument | Refusal]:
    records = 0
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            records += 1
            origin = f"{path}:{number}"
            if len(line) > max_chars * MAX_BYTES_PER_CHAR:
                yield Refusal(
                    origin, f"line too long: {len(line):,} bytes (limit {max_chars:,} characters)"
                )
                continue
            try:
                yield _read_jsonl_line(line, origin)
            except RefusedInput as error:
                yield Refusal(origin, str(error))
    if records == 0:
        yield Refusal(str(path), "empty file: no JSONL records")


def read_documents(
    path: Path, *, max_chars: int = MAX_DOCUMENT_CHARS
) -> Iterator[RawDocument | Refusal]:
    """The documents in one input file, or the reasons it cannot be read."""
    origin = str(path)
    if not _is_input(path):
        suffix = path.suffix or "no extension"
        yield Refusal(origin, f"unsupported file type ({suffix}; expected .txt, .md or .jsonl)")
        return
    try:
        if path.suffix.lower() == JSONL_SUFFIX:
            yield from _read_jsonl_file(path, max_chars)
        else:
            yield _read_text_file(path, max_chars)
    except RefusedInput as error:
        yield Refusal(origin, str(error))
    except OSError as error:
        yield Refusal(origin, f"cannot read: {error.strerror or error}")

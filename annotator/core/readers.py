"""Input files → raw documents, one at a time, never more than one file in memory.

Each bad file or JSONL line becomes a `Refusal` with a one-line reason; the
caller reports it and carries on with the rest.
"""

import json
import os
import stat
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
# Metadata is a few fields; a sidecar bigger than this is not one.
MAX_SIDECAR_BYTES = 1 << 20
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


def shown_path(path: str | Path) -> str:
    """A path as text that can be stored and printed: bytes of a file name that are
    not UTF-8 (kept by Python as lone surrogates) are shown as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _walk(top: Path) -> Iterator[Path | Refusal]:
    """The files under `top`, like os.walk (top-down, name order) but with a list for
    a stack instead of recursion, so any depth of folders is walked."""
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            yield Refusal(shown_path(folder), f"cannot read folder: {error.strerror or error}")
            continue
        below = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                below.append(Path(entry.path))
            elif entry.is_symlink() and entry.is_dir():
                continue  # not followed, as os.walk does not follow them
            elif not entry.name.lower().endswith(SIDECAR_SUFFIX):
                yield Path(entry.path)
        folders.extend(reversed(below))


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | Refusal]:
    """Files named, and files under folders named (recursively, in name order).

    Inside folders, hidden files and metadata sidecars are skipped and other
    files are refused by name, so nothing is passed over in silence.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield Refusal(shown_path(path), "no such file or directory")


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a plain file"


def _refuse_unless_regular(path: Path) -> os.stat_result:
    """Before opening: a FIFO would wait for a writer forever, a device never ends."""
    found = path.stat()
    if not stat.S_ISREG(found.st_mode):
        raise RefusedInput(f"not a regular file ({_kind(found.st_mode)})")
    return found


def _meta_from(value: object, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RefusedInput(f"{where} must be a JSON object, not {type(value).__name__}")
    for name in META_FIELDS:
        if value.get(name) is not None and not isinstance(value[name], str):
            raise RefusedInput(f"{where}.{name} must be a string")
    return value


# Metadata is a flat object of strings; what a record or a sidecar holds beside them
# is stored as JSON, which neither SQLite's JSON functions nor json.dumps take at any
# depth (nor refuse_surrogates, which walks it).
MAX_JSON_DEPTH = 32


def _deeper_than(value: object, limit: int) -> bool:
    level = [value]
    for _ in range(limit + 1):
        level = [
            item
            for container in level
            if isinstance(container, dict | list)
            for item in (container.values() if isinstance(container, dict) else container)
        ]
        if not level:
            return False
    return True


def _refuse_deep(value: object, where: str) -> None:
    if _deeper_than(value, MAX_JSON_DEPTH):
        raise RefusedInput(f"{where}: nested too deeply")


def _sidecar_meta(path: Path) -> dict:
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not (sidecar.exists() or sidecar.is_symlink()):
        return {}
    try:
        size = _refuse_unless_regular(sidecar).st_size
        if size > MAX_SIDECAR_BYTES:
            raise RefusedInput(f"too large ({size:,} bytes)")
        value = json.loads(decode(sidecar.read_bytes()))
    except (OSError, ValueError) as error:
        raise RefusedInput(f"sidecar {sidecar.name}: {error}") from None
    except RecursionError:
        # "[[[[...]]]]" a thousand deep is still well under the size limit.
        raise RefusedInput(f"sidecar {sidecar.name}: nested too deeply") from None
    _refuse_deep(value, f"sidecar {sidecar.name}")
    refuse_surrogates(value, f"sidecar {sidecar.name}")
    return _meta_from(value, f"sidecar {sidecar.name}")


def _read_text_file(path: Path, max_chars: int) -> RawDocument:
    size = _refuse_unless_regular(path).st_size
    if size == 0:
        raise RefusedInput("empty file")
    if size > max_chars * MAX_BYTES_PER_CHAR:
        raise RefusedInput(f"file too large: {size:,} bytes (limit {max_chars:,} characters)")
    text = decode(path.read_bytes())
    return RawDocument(
        origin=shown_path(path),
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
    _refuse_deep(record, "record")
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


def _lines(stream, limit: int) -> Iterator[bytes | None]:
    """Each line of `stream`, or None for a line longer than `limit` bytes: never
    more than `limit` bytes are held, however long the line runs."""
    while line := stream.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n") and len(line) == limit + 1:
            yield line
            continue
        # Too long: the rest of the line is read and dropped in bounded pieces.
        while not line.endswith(b"\n") and (line := stream.readline(1 << 16)):
            pass
        yield None


def _read_jsonl_file(path: Path, max_chars: int) -> Iterator[RawDocument | Refusal]:
    _refuse_unless_regular(path)
    records = 0
    limit = max_chars * MAX_BYTES_PER_CHAR
    with path.open("rb") as stream:
        for number, line in enumerate(_lines(stream, limit), start=1):
            origin = f"{shown_path(path)}:{number}"
            if line is None:
                records += 1
                yield Refusal(
                    origin, f"line too long: over {limit:,} bytes (limit {max_chars:,} characters)"
                )
                continue
            if not line.strip():
                continue
            records += 1
            try:
                yield _read_jsonl_line(line, origin)
            except RefusedInput as error:
                yield Refusal(origin, str(error))
    if records == 0:
        yield Refusal(shown_path(path), "empty file: no JSONL records")


def read_documents(
    path: Path, *, max_chars: int = MAX_DOCUMENT_CHARS
) -> Iterator[RawDocument | Refusal]:
    """The documents in one input file, or the reasons it cannot be read."""
    origin = shown_path(path)
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

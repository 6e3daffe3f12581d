"""Bytes → the canonical stored text that every offset points into.

Policy, applied the same way to every input:
- UTF-8 only (a BOM is dropped); text that does not decode is refused.
- Line breaks of every kind become ``\\n``.
- Terminal escape sequences are removed whole, then every remaining C0/C1
  control character except ``\\n`` and ``\\t`` is removed. Nothing that a
  terminal could interpret is ever stored.
- Text that is mostly control characters is refused as binary, not cleaned.
"""

import json
import re
from dataclasses import dataclass

from annotator.core.errors import RefusedInput

# A Unicode character is at most 4 UTF-8 bytes, so a file larger than this many
# bytes per allowed character is too long without reading it.
MAX_BYTES_PER_CHAR = 4
MAX_DOCUMENT_CHARS = 2_000_000

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ESCAPE_SEQUENCES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]              # CSI: colours, cursor moves
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])       # OSC, DCS, SOS, PM, APC ...
    [^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)  # ... up to their terminator
  | \x1b[ -/]*[0-~]                               # two-character escapes
    """,
    re.VERBOSE,
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BINARY_CONTROL_SHARE = 0.10


@dataclass(frozen=True)
class CleanText:
    text: str
    # characters removed: control characters plus whole escape sequences
    removed_chars: int
    # control characters that were not part of an escape sequence
    control_chars: int


def decode(data: bytes) -> str:
    """Decode UTF-8 strictly; the message names the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        raise RefusedInput(f"not UTF-8 text (byte 0x{bad} at offset {error.start})") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def refuse_surrogates(value: object, where: str) -> None:
    """JSON can spell a lone surrogate (``"\\ud800"``), which is not Unicode text and
    which SQLite cannot store: refuse it, naming the field, before anything is written."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        if found:
            raise RefusedInput(
                f"{where} has a lone surrogate (U+{ord(found.group()):04X} at character "
                f"{found.start()}): not Unicode text"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_surrogates(key, f"{where} key")
            refuse_surrogates(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refuse_surrogates(item, f"{where}[{index}]")


# What could break a one-line message or drive the terminal it is printed on.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(message: str) -> str:
    """`message` with line breaks, escapes and bidi controls spelt out as ``\\x1b``,
    so that a file name or a field from the input cannot split the line or colour
    the terminal."""
    return UNPRINTABLE.sub(
        lambda found: (
            f"\\x{ord(found.group()):02x}"
            if ord(found.group()) < 0x100
            else f"\\u{ord(found.group()):04x}"
        ),
        message,
    )


_C0 = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟, e.g. ESC → ␛


def _placeholder(found: re.Match) -> str:
    code = ord(found.group())
    if code in _C0:
        return _C0[code]
    if code == 0x7F:
        return "\u2421"  # ␡
    if code in (0x2028, 0x2029):
        return "\u2424"  # ␤: a line or paragraph separator must not break the line
    return "\ufffd"


def visible(text: str) -> str:
    """`text` with every character a terminal could obey (C0, C1, bidi controls,
    line separators) replaced by one visible character, so offsets still hold."""
    return UNPRINTABLE.sub(_placeholder, text)


def printable(listing: str) -> str:
    """What a command prints: the lines of `listing`, each through `visible`. Stored
    strings may hold anything (a database edited by hand, an older annotator), and
    click strips colours from a pipe but not OSC titles, so nothing else is trusted."""
    return "\n".join(visible(line) for line in listing.split("\n"))


def json_listing(value: object) -> str:
    """`value` as indented JSON in which every character `visible` would replace is
    a ``\\u`` escape: the same data for a JSON reader, nothing for a terminal. JSON
    already escapes C0 inside strings; C1, bidi controls and U+2028 it leaves raw."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return UNPRINTABLE.sub(
        lambda found: found.group() if found.group() == "\n" else f"\\u{ord(found.group()):04x}",
        text,
    )


def clean_field(value: str) -> str:
    """A metadata string (a title, an outlet, an attribute) cleaned as corpus text
    is: escape sequences removed whole, then control characters, tab and newline
    kept. Nothing else changes, so a clean value is kept as it is, byte for byte."""
    if not _CONTROL.search(value):
        return value
    return _CONTROL.sub("", _ESCAPE_SEQUENCES.sub("", value))


def clean_values(value: object) -> object:
    """`value` with every string in it, keys included, through `clean_field`."""
    if isinstance(value, str):
        return clean_field(value)
    if isinstance(value, list):
        return [clean_values(item) for item in value]
    if isinstance(value, dict):
        return {clean_values(key): clean_values(item) for key, item in value.items()}
    return value


def normalise_line_breaks(raw: str) -> str:
    return _LINE_BREAKS.sub("\n", raw.lstrip("\ufeff"))


def clean(raw: str) -> CleanText:
    """Normalise line breaks and strip escape sequences and control characters."""
    normalised = normalise_line_breaks(raw)
    if not _CONTROL.search(normalised):
        return CleanText(text=normalised, removed_chars=0, control_chars=0)
    without_escapes = _ESCAPE_SEQUENCES.sub("", normalised)
    # Controls outside escape sequences are what tells binary data from coloured text.
    control_chars = sum(1 for _ in _CONTROL.finditer(without_escapes))
    text = _CONTROL.sub("", without_escapes)
    return CleanText(
        text=text, removed_chars=len(normalised) - len(text), control_chars=control_chars
    )


def canonical_text(raw: str, *, max_chars: int = MAX_DOCUMENT_CHARS) -> CleanText:
    """Clean `raw` and refuse text that is empty, binary or too long."""
    cleaned = clean(raw)
    total = len(cleaned.text) + cleaned.removed_chars
    if total and cleaned.control_chars / total > _BINARY_CONTROL_SHARE:
        raise RefusedInput(
            f"binary data ({cleaned.control_chars:,} control characters in {total:,})"
        )
    if not cleaned.text.strip():
        raise RefusedInput("empty: no text")
    if len(cleaned.text) > max_chars:
        raise RefusedInput(
            f"document too long: {len(cleaned.text):,} characters (limit {max_chars:,})"
        )
    return cleaned


def contains_controls(text: str) -> bool:
    return _CONTROL.search(text) is not None


def is_canonical(text: str) -> bool:
    """Text as `clean` leaves it: no control character, no line break but ``\n``."""
    return not _CONTROL.search(text) and not _LINE_BREAKS.search(text)


def clean_name(value: str) -> str:
    """A name a person typed (a reviewer's, an entity's new one) as stored: cleaned as
    corpus text is, so no reader of the file gets a raw escape, and on one line."""
    return " ".join(clean_field(value).split())


def counted(n: int, noun: str) -> str:
    """ "1 document", "2 documents": a count and its noun, in the number it needs."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"

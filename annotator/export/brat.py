"""Reading brat standoff: a folder of `.txt` documents with `.ann` annotations.

The attribution scheme is PolNeAR's (and PARC's): text-bound `Source`, `Cue` and
`Content` entities, tied together by an event (`E1	Attribution:T4 Content:T3
Cue:T2 Source:T1`, or `Attribution-no-source:...` without a source) or, as
INCEpTION and hand-made files often do, by relations between the parts
(`R1	Source Arg1:T2 Arg2:T1`, grouped on the cue they touch). A text-bound span
may be discontinuous (`T3	Content 315 448;463 553`). Offsets are Python string
indices into the `.txt` read as UTF-8, which is what brat writes.

A folder may hold `NAME.txt` beside `NAME.ann`, or PolNeAR's layout: `text/NAME.txt`
and `attributions/NAME_ANNOTATOR.ann`; when several annotators marked one
document, the first file by name is its gold.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import RefusedInput

PARTS = ("Source", "Cue", "Content")
_ANNOTATION = re.compile(r"[TERAMN*]\d*\t")


@dataclass(frozen=True)
class BratSpan:
    """A text-bound annotation: its type and its (start, end) fragments."""

    id: str
    type: str
    fragments: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        return min(s for s, _ in self.fragments)

    @property
    def end(self) -> int:
        return max(e for _, e in self.fragments)


@dataclass
class BratAttribution:
    source: BratSpan | None = None
    cue: BratSpan | None = None
    contents: list[BratSpan] = field(default_factory=list)


@dataclass
class BratDocument:
    name: str
    text: str
    spans: list[BratSpan]
    attributions: list[BratAttribution]


def _parse_span(path: Path, number: int, line: str, text: str) -> BratSpan:
    try:
        ident, middle, *rest = line.split("\t")
        kind, _, offsets = middle.partition(" ")
        fragments = []
        for part in offsets.split(";"):
            start, end = (int(x) for x in part.split())
            if not 0 <= start <= end <= len(text):
                raise ValueError(f"{start} {end} is outside the text")
            fragments.append((start, end))
    except ValueError as error:
        raise RefusedInput(f"{path}:{number}: not a brat text-bound line ({error})") from None
    return BratSpan(ident, kind, tuple(sorted(fragments)), rest[0] if rest else "")


def parse_ann(path: Path, ann: str, text: str) -> BratDocument:
    spans: dict[str, BratSpan] = {}
    events: list[list[tuple[str, str]]] = []
    relations: list[tuple[str, str, str]] = []
    for number, raw in enumerate(ann.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#") or not _ANNOTATION.match(line):
            # A span's text may hold a line break: brat writes it as it is, so a line
            # that does not start with an id is the rest of the line before.
            continue
        if line.startswith("T"):
            span = _parse_span(path, number, line, text)
            spans[span.id] = span
        elif line.startswith("E"):
            fields = line.split("\t")
            if len(fields) < 2:
                raise RefusedInput(f"{path}:{number}: not a brat event line")
            events.append([tuple(arg.split(":", 1)) for arg in fields[1].split() if ":" in arg])
        elif line.startswith("R"):
            fields = line.split("\t")
            args = fields[1].split() if len(fields) > 1 else []
            ends = [a.split(":", 1)[1] for a in args[1:] if ":" in a]
            if len(ends) != 2:
                raise RefusedInput(f"{path}:{number}: not a brat relation line")
            relations.append((args[0], ends[0], ends[1]))
        # A, M, N and * lines (attributes, normalisations, equivalences) are not used.

    def role(name: str) -> str | None:
        base = name.rstrip("0123456789")
        return base if base in PARTS else None

    attributions = []
    for args in events:
        found = BratAttribution()
        for name, ref in args:
            span = spans.get(ref)
            part = role(name)
            if span is None or part is None:
                continue
            if part == "Source":
                found.source = span
            elif part == "Cue":
                found.cue = span
            else:
                found.contents.append(span)
        if found.cue is not None or found.contents:
            attributions.append(found)
    by_cue: dict[str, BratAttribution] = {}
    for _kind, a, b in relations:
        pair = [spans.get(a), spans.get(b)]
        cue = next((s for s in pair if s is not None and s.type == "Cue"), None)
        other = next((s for s in pair if s is not None and s is not cue), None)
        if cue is None or other is None:
            continue
        found = by_cue.setdefault(cue.id, BratAttribution(cue=cue))
        if other.type == "Source":
            found.source = other
        elif other.type == "Content":
            found.contents.append(other)
    attributions.extend(by_cue.values())
    return BratDocument(path.stem, text, list(spans.values()), attributions)


def _pairs(folder: Path) -> list[tuple[Path, Path]]:
    pairs = []
    anns = sorted(folder.rglob("*.ann"))
    texts = {p.stem: p for p in sorted(folder.rglob("*.txt"))}
    taken: set[str] = set()
    for ann in anns:
        beside = ann.with_suffix(".txt")
        if beside.is_file():
            pairs.append((beside, ann))
            continue
        # PolNeAR: text/NAME.txt with attributions/NAME_ANNOTATOR.ann.
        stem = ann.stem.rsplit("_", 1)[0]
        if stem in texts and stem not in taken:
            taken.add(stem)
            pairs.append((texts[stem], ann))
    return pairs


def read_folder(folder: str | Path) -> list[BratDocument]:
    folder = Path(folder)
    if not folder.is_dir():
        raise RefusedInput(f"{folder}: not a folder of brat .txt and .ann files")
    documents = []
    for txt, ann in _pairs(folder):
        text, annotations = _read(txt), _read(ann)
        documents.append(parse_ann(ann, annotations, text))
    if not documents:
        raise RefusedInput(f"{folder}: no .ann file with its .txt beside it")
    return documents


def _read(path: Path) -> str:
    # newline="" keeps "\r\n" as two characters, as brat counts them.
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except UnicodeDecodeError as error:
        raise RefusedInput(f"{path}: not UTF-8 ({error.reason})") from None

"""Documents → paragraphs → sentences, as offsets into the stored text.

Segmentation is the same whichever spaCy model proposes spans later, so that a
sentence keeps its id and its reviewer decisions when the model changes.
"""

import functools
import re
from dataclasses import dataclass

from annotator.core.text import MAX_DOCUMENT_CHARS

HEADLINE = "headline"
BODY = "body"

# A line that ends a sentence: final punctuation, then any closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"""[.!?…]['"”’»)\]]*\s*$|[.!?…]\s*['"”’»)\]]+\s*$""")
# A quotation signed after a dash, as an epigraph or a reader's comment is: the
# line ends there even without a full stop ("“...” ― Ann Roe").
_ENDS_WITH_SIGNATURE = re.compile(r"""[”"]\s*[―—–]{1,2}\s*[^\s"“”―—–][^"“”―—–.!?]{0,60}$""")
# Headlines end without punctuation, or with a question or exclamation at most.
_ENDS_CLAUSE = re.compile(r"""[.,;:]['"”’»)\]]*\s*$""")
_STARTS_PARAGRAPH = re.compile(r"""^\s*(?:[A-Z0-9"“‘'«(\[]|[^\W\d_](?<![a-z]))""")
# A full stop after a lower-case word, mid-line: two sentences, so not a headline
# ("U.S." and "S.P." do not count).
_INNER_SENTENCE_END = re.compile(r"""(?:[a-z]{2}\.|[!?])['"”’)]*\s""")
_MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+")
_WORD = re.compile(r"\S+")
# Words a title leaves in lower case.
TITLE_SMALL_WORDS = frozenset(
    {
        "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into",
        "of", "on", "or", "over", "the", "to", "up", "vs", "via", "with",
    }
)  # fmt: skip
MAX_HEADLINE_WORDS = 25


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Sentence:
    paragraph_index: int
    start: int
    end: int


def _title_cased(line: str) -> bool:
    words = [w for w in _WORD.findall(line) if any(c.isalpha() for c in w)]
    content = [w for w in words if w.casefold() not in TITLE_SMALL_WORDS]
    if not content:
        return False
    capitalised = sum(1 for w in content if next(c for c in w if c.isalpha()).isupper())
    return capitalised / len(content) >= 0.6


def looks_like_headline(line: str, *, opens_document: bool) -> bool:
    """A short line without closing punctuation: a headline or a subheading."""
    words = _WORD.findall(line)
    if not words or len(words) > MAX_HEADLINE_WORDS or _ENDS_CLAUSE.search(line):
        return False
    if not any(c.isalpha() for c in line) or _INNER_SENTENCE_END.search(line):
        return False
    return opens_document or _title_cased(line) or not _ENDS_SENTENCE.search(line)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _blocks(text: str):
    """Runs of non-blank lines, as lists of (start, end) line offsets."""
    block = []
    for start, end in _lines(text):
        if text[start:end].strip():
            block.append((start, end))
        elif block:
            yield block
            block = []
    if block:
        yield block


def split_paragraphs(text: str, *, markdown: bool = False) -> list[Paragraph]:
    """Paragraphs split on blank lines, and inside a block of lines where a line
    closes a sentence or stands alone as a headline; a line that runs on into
    the next one ("on the blacklist / thus effectively") stays in its paragraph."""
    paragraphs: list[Paragraph] = []

    def close(start: int, end: int, kind: str | None = None) -> None:
        start, end = _strip(text, start, end)
        if start == end:
            return
        if kind is None:
            single_line = "\n" not in text[start:end]
            opens_document = not paragraphs
            kind = (
                HEADLINE
                if single_line
                and looks_like_headline(text[start:end], opens_document=opens_document)
                else BODY
            )
        paragraphs.append(Paragraph(start, end, kind))

    for block in _blocks(text):
        para_start = None
        for i, (start, end) in enumerate(block):
            line = text[start:end]
            heading = _MARKDOWN_HEADING.match(line) if markdown else None
            if heading:
                if para_start is not None:
                    close(para_start, block[i - 1][1])
                    para_start = None
                close(start + heading.end(), end, HEADLINE)
                continue
            if para_start is None:
                para_start = start
            following = text[block[i + 1][0] : block[i + 1][1]] if i + 1 < len(block) else None
            if (
                following is None
                or _ENDS_SENTENCE.search(line)
                or _ENDS_WITH_SIGNATURE.search(line)
                or (
                    para_start == start
                    and _STARTS_PARAGRAPH.match(following)
                    and looks_like_headline(line, opens_document=not paragraphs)
                    and (not paragraphs or _title_cased(line))
                )
            ):
                close(para_start, end)
                para_start = None
    return paragraphs


@functools.cache
def _sentencizer():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = MAX_DOCUMENT_CHARS + 1
    return nlp


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


# The sentencizer leaves the opening quote of the next sentence on this one
# (“... verified.” “We think ...”).
_DANGLING_OPENER = re.compile(r"""\s+(?:[“‘«„(\[]+|")$""")


def _dangling_opener_start(sentence: str) -> int | None:
    match = _DANGLING_OPENER.search(sentence)
    if not match:
        return None
    if match.group().strip() == '"' and sentence.count('"') % 2 == 0:
        return None
    return match.start()


_ELLIPSIS = (". . .", "...", "…")


def _goes_on_in_lower_case(before: str, piece: str) -> bool:
    """The sentencizer cut where the sentence goes on in lower case: after a
    quotation ("“I love cats!” insists Burton."), a bracket ("Sen. Ann Roe (I-Vt.)
    said"), a dash, a bang or question mark inside it, or an ellipsis. Only a plain
    full stop before lower case is left as it is (an abbreviation is too
    uncertain a sign to join on)."""
    if not piece[:1].islower():
        return False
    return not before.endswith(".") or before.endswith(_ELLIPSIS)


# A title before a name ends no sentence, in any case: the tokenizer knows "Mr."
# but not the "MR." of an upper-case transcript ("MR. O'NEILL: ...").
_TITLE_END = re.compile(
    r"(?:^|[\s(“\"'])(?:mr|mrs|ms|dr|sen|rep|gov|gen|prof|rev|hon|sgt|capt|lt|col|st|pres)\.$",
    re.IGNORECASE,
)


def _ends_with_title(sentence: str) -> bool:
    return _TITLE_END.search(sentence) is not None


# A quotation that ends in a bang or question mark, then its short attribution in
# a sentence of its own: "“Are they small hands?” Trump said."
_EXCLAIMED_QUOTATION_END = re.compile(r"""[!?](?:[”"»’]|'')$""")
_SHORT_ATTRIBUTION = re.compile(r"""^[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){1,4}\.$""")


def _attributes_quotation(before: str, piece: str) -> bool:
    return bool(_EXCLAIMED_QUOTATION_END.search(before) and _SHORT_ATTRIBUTION.match(piece))


def _ends_mid_clause(sentence: str) -> bool:
    """A comma or semicolon ends no sentence: the sentencizer cuts after the full
    stop of "Vt.," or "Sr.," and the bang of "Yahoo!,", and the sentence goes on."""
    return sentence[-1:] in (",", ";")


def split_sentences(text: str, paragraphs: list[Paragraph]) -> list[Sentence]:
    """Sentences inside each paragraph; a headline is one sentence."""
    sentences: list[Sentence] = []
    body = [(i, p) for i, p in enumerate(paragraphs) if p.kind == BODY]
    docs = _sentencizer().pipe(text[p.start : p.end] for _, p in body)
    parsed = dict(zip((i for i, _ in body), docs, strict=True))
    for index, paragraph in enumerate(paragraphs):
        if paragraph.kind != BODY:
            sentences.append(Sentence(index, paragraph.start, paragraph.end))
            continue
        pieces: list[tuple[int, int]] = []
        carried = None
        for sent in parsed[index].sents:
            start, end = _strip(
                text, carried or paragraph.start + sent.start_char, paragraph.start + sent.end_char
            )
            carried = None
            cut = _dangling_opener_start(text[start:end])
            if cut is not None and _has_word(text[start : start + cut]):
                carried = start + cut
                start, end = _strip(text, start, start + cut)
            if start == end:
                continue
            # A piece with no word in it (a stray closing quote) belongs to the sentence
            # before, and so does one that goes on in lower case, or after a title or
            # a comma. Pieces are stripped: their last character is their last mark.
            piece = text[start:end]
            before = text[pieces[-1][0] : pieces[-1][1]] if pieces else ""
            if pieces and (
                not _has_word(piece)
                or _goes_on_in_lower_case(before, piece)
                or _ends_with_title(before)
                or _ends_mid_clause(before)
                or _attributes_quotation(before, piece)
            ):
                pieces[-1] = (pieces[-1][0], end)
            else:
                pieces.append((start, end))
        sentences.extend(Sentence(index, start, end) for start, end in pieces)
    return sentences

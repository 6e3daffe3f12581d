"""Corpus text → Textual `Content`, never through markup.

Every function here builds `Content` from plain strings and styles it by offset,
so `[@click=app.quit]` or `[red]` in an article is drawn as those characters.
Control characters (ESC, C0, C1, bidi overrides) become visible placeholders,
one character for one, so that offsets into the stored text stay valid on screen.
"""

import re

from textual.content import Content, Span

from annotator.core.review import AttributionView, SentenceView, SpanView
from annotator.core.text import UNPRINTABLE

_C0 = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟, e.g. ESC → ␛


def _placeholder(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if code in _C0:
        return _C0[code]
    if code == 0x7F:
        return "\u2421"  # ␡
    if code in (0x2028, 0x2029):
        return "\u2424"  # ␤: a line or paragraph separator must not break the line
    return "\ufffd"


def visible(text: str) -> str:
    """`text` with every control character replaced by one visible character."""
    return UNPRINTABLE.sub(_placeholder, text)


def literal(text: str) -> Content:
    return Content(visible(text))


LABEL_MARKERS = {
    "QUANTITY": "N",
    "QUOTE": "Q",
    "SOURCE": "S",
    "CUE": "C",
    "HEDGE": "H",
    "ENTITY": "E",
}
LABEL_COLOURS = {
    "QUANTITY": "#5fafff",
    "QUOTE": "#87d75f",
    "SOURCE": "#ffd75f",
    "CUE": "#d787ff",
    "HEDGE": "#ff875f",
    "ENTITY": "#5fd7d7",
}
STATUS_MARKS = {"proposed": "?", "accepted": "✓", "rejected": "✗"}


def _span_style(span: SpanView) -> str:
    colour = LABEL_COLOURS[span.label]
    if span.status == "rejected":
        return f"strike dim {colour}"
    if span.status == "accepted":
        return f"bold underline {colour}"
    return f"underline {colour}"


def sentence_content(
    text: str,
    spans: tuple[SpanView, ...],
    *,
    cursor: int | None = None,
    selection: tuple[int, int] | None = None,
    focused_id: int | None = None,
) -> Content:
    """The sentence with `⟦N…⟧` markers around spans (N = the label's letter), so labels
    read without colour; the cursor, the selection and the focused span are styled."""
    shown = visible(text)
    opens: dict[int, list[SpanView]] = {}
    closes: dict[int, list[SpanView]] = {}
    for span in spans:
        if span.status == "rejected":
            continue
        opens.setdefault(span.start, []).append(span)
        closes.setdefault(span.end, []).append(span)
    pieces: list[str] = []
    styles: list[Span] = []
    where = [0] * (len(text) + 1)  # text index → display index
    length = 0

    def emit(piece: str, style: str | None = None) -> None:
        nonlocal length
        if style:
            styles.append(Span(length, length + len(piece), style))
        pieces.append(piece)
        length += len(piece)

    for index in range(len(text) + 1):
        for span in closes.get(index, ()):
            emit("⟧", f"bold {LABEL_COLOURS[span.label]}")
        for span in opens.get(index, ()):
            emit(f"⟦{LABEL_MARKERS[span.label]}", f"bold {LABEL_COLOURS[span.label]}")
        where[index] = length
        if index < len(text):
            emit(shown[index])

    def shift(start: int, end: int, style: str) -> None:
        if end > start:
            # Markers inside the range take the style too, so the range reads whole.
            styles.append(Span(where[start], where[end - 1] + 1, style))

    for span in spans:
        shift(span.start, span.end, _span_style(span))
    focused = next((s for s in spans if s.id == focused_id), None)
    if focused:
        shift(focused.start, focused.end, "reverse")
    if selection:
        shift(*selection, "on #005f87")
    if cursor is not None and text:
        shift(cursor, cursor + 1, "reverse bold")
    return Content("".join(pieces), styles, strip_control_codes=False)


def _attrs_text(attrs: dict) -> str:
    return " ".join(
        f"{key}={value}" for key, value in sorted(attrs.items()) if value not in ("", None)
    )


def span_list_content(view: SentenceView, focused_id: int | None, room: int = 0) -> Content:
    """One line per span: focus mark, label, status, the text and its attributes; then the
    attributions with their source kind and the source's reliability. With `room` (the
    pane's height), spans before the focused one give way so that it stays in view."""
    lines: list[Content] = []
    if not view.spans:
        lines.append(Content.styled("no spans: select text and press 1-6 to add one", "dim"))
    shown = list(view.spans)
    ids = [s.id for s in shown]
    if room and focused_id in ids and len(shown) > room - 2:
        # One line per span: keep two before the focused one.
        skip = max(0, ids.index(focused_id) - 2)
        if skip:
            lines.append(Content.styled(f"↑ {skip} more", "dim"))
            shown = shown[skip:]
    for span in shown:
        mark = "▶" if span.id == focused_id else " "
        head = Content.styled(
            f"{mark}{LABEL_MARKERS[span.label]} {span.label:<8} {STATUS_MARKS[span.status]}"
            f"{span.status:<8} ",
            _span_style(span) if span.id != focused_id else "reverse",
        )
        body = literal(view.text[span.start : span.end])
        line = head + body
        extra = _attrs_text(span.attrs)
        if span.origin == "human":
            extra = f"human {extra}".strip()
        if extra:
            line = line + Content.styled(f"  {visible(extra)}", "dim")
        lines.append(line)
    for attribution in view.attributions:
        lines.append(Content(""))
        lines.append(attribution_content(attribution))
    return Content("\n").join(lines)


def attribution_content(attribution: AttributionView) -> Content:
    """Kind and the source's rating first, so that a narrow pane cuts only the details."""
    rating = attribution.reliability or "unrated"
    lines = [
        Content.styled(f"◆ {attribution.kind}", "bold")
        + Content.styled(f" · reliability {rating}", "bold" if attribution.reliability else "dim"),
        Content("  source: ") + literal(attribution.source_name or "—"),
    ]
    if attribution.reason:
        lines.append(Content("  reason: ") + literal(attribution.reason))
    if attribution.cue:
        lines.append(Content("  cue: ") + literal(attribution.cue))
    return Content("\n").join(lines)


def info_content(view: SentenceView, document_name: str) -> Content:
    """Document, source and language of the sentence, and what it is labelled."""
    parts = [
        Content.styled(f"doc {view.document_id} ", "bold"),
        literal(document_name),
        Content(f"  ·  sentence {view.idx + 1}/{view.document_sentences}  ·  "),
        literal(view.lang),
    ]
    if view.outlet:
        parts += [Content("  ·  "), literal(view.outlet)]
        parts.append(Content(f" [{view.outlet_reliability or 'unrated'}]"))
    if view.published:
        parts += [Content("  ·  "), literal(view.published)]
    if view.boilerplate:
        parts.append(Content.styled("  ·  boilerplate paragraph", "bold"))
    parts.append(Content(f"  ·  label {view.label or '—'}"))
    parts.append(Content(f"  ·  credibility {view.credibility or '—'}"))
    parts.append(Content.styled("  ·  reviewed ✓" if view.reviewed else "  ·  to review", "bold"))
    return Content("").join(parts)

"""Corpus text → Textual `Content`, never through markup.

Every function here builds `Content` from plain strings and styles it by offset,
so `[@click=app.quit]` or `[red]` in an article is drawn as those characters.
Control characters (ESC, C0, C1, bidi overrides) become visible placeholders,
one character for one, so that offsets into the stored text stay valid on screen.
"""

from textual.content import Content, Span

from annotator.core.review import AttributionView, SentenceView, SpanView
from annotator.core.text import visible


def literal(text: str) -> Content:
    return Content(visible(text))


# Text that opens with one of these carries its own quotation marks.
_OPENING_MARKS = ("“", '"', "«", "„", "‘", "''")


def quoted(text: str) -> Content:
    """`text` between quotation marks, unless it is a quotation with marks of its own
    (a QUOTE span's text), which would show them twice."""
    if text.lstrip().startswith(_OPENING_MARKS):
        return literal(text)
    return Content("“") + literal(text) + Content("”")


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
    focused_range: tuple[int, int] | None = None,
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
    # Reversed without underline: underline marks the cursor and the selection alone.
    if focused:
        shift(focused.start, focused.end, "reverse not underline")
    if focused_range:
        # the focused attribution's content, which need not be a span
        shift(*focused_range, "reverse not underline")
    if selection:
        shift(*selection, "underline on #005f87")
    if cursor is not None and text:
        # underlined as well as reversed, so it shows inside a focused (reversed) span
        shift(cursor, cursor + 1, "reverse bold underline")
    return Content("".join(pieces), styles, strip_control_codes=False)


def _attrs_text(attrs: dict) -> str:
    return " ".join(
        f"{key}={value}" for key, value in sorted(attrs.items()) if value not in ("", None)
    )


# Continuation lines of an entry are indented this much, under its label.
_INDENT = "   "


def _wrapped(entry: Content, width: int) -> list[Content]:
    """An entry's lines: wrapped at the pane's width, every line but the first indented."""
    room = width - len(_INDENT)
    if room < 8:
        return entry.split("\n")
    lines: list[Content] = []
    for line in entry.split("\n"):
        for piece in line.wrap(room):
            lines.append(Content(_INDENT) + piece if lines else piece)
    return lines


def span_entry(view: SentenceView, span: SpanView, focused: bool) -> Content:
    mark = "▶" if focused else " "
    head = Content.styled(
        f"{mark}{LABEL_MARKERS[span.label]} {span.label:<8} {STATUS_MARKS[span.status]}"
        f"{span.status:<8}",
        _span_style(span) if not focused else "reverse",
    )
    line = head + Content(" ") + literal(view.text[span.start : span.end])
    extra = _attrs_text(span.attrs)
    if span.origin == "human":
        extra = f"human {extra}".strip()
    elif "confidence" in span.attrs or "pipeline_span" in span.attrs:
        # A trained model scored it or moved its edges: say which run (name and version).
        extra = f"{extra} by {span.origin.split('+')[0]}"
    if extra:
        line = line + Content.styled(f"  {visible(extra)}", "dim")
    return line


def attribution_entry(
    view: SentenceView, attribution: AttributionView, focused: bool, in_hand: bool
) -> Content:
    """Kind, status and the source's rating on the first line; then every part whole."""
    rating = attribution.reliability or "unrated"
    mark = "▶" if focused else " "
    status = f"{STATUS_MARKS[attribution.status]}{attribution.status}"
    head = Content.styled(
        f"{mark}◆ {attribution.kind} {status}", "reverse" if focused else "bold"
    ) + Content.styled(f" · reliability {rating}", "bold" if attribution.reliability else "dim")
    if in_hand:
        head = head + Content.styled("  ✎ in hand", "bold")
    lines = [head]
    if attribution.resolved_to:
        said = attribution.source_text or "—"
        lines.append(
            Content("source: ")
            + literal(attribution.resolved_to)
            + Content.styled(" (“", "dim")
            + literal(said).stylize("dim")
            + Content.styled("”)", "dim")
        )
    else:
        lines.append(Content("source: ") + literal(attribution.source_name or "—"))
    if attribution.reason:
        lines.append(Content("reason: ") + literal(attribution.reason))
    lines.append(Content("cue: ") + literal(attribution.cue or "—"))
    where = "" if attribution.content_sentence_id == view.id else " (another sentence)"
    lines.append(Content(f"content{where}: ") + quoted(attribution.content))
    return Content("\n").join(lines)


def span_list_content(
    view: SentenceView,
    focused: tuple[str, int] | None,
    *,
    width: int = 0,
    height: int = 0,
    in_hand: int | None = None,
    scroll: int = 0,
) -> Content:
    """Every span and attribution of the sentence, wrapped to `width`; when they need
    more than `height` lines the list scrolls to keep the focused entry in view and says
    how much lies above and below; `scroll` moves the window by that many lines (J, K)."""
    entries: list[tuple[tuple[str, int] | None, list[Content]]] = []
    if not view.spans:
        hint = Content.styled("no spans: select text (v) and press 1-6 to add one", "dim")
        entries.append((None, _wrapped(hint, width)))
    for span in view.spans:
        entry = span_entry(view, span, focused == ("span", span.id))
        entries.append((("span", span.id), _wrapped(entry, width)))
    for attribution in view.attributions:
        key = ("attribution", attribution.id)
        entry = attribution_entry(view, attribution, focused == key, in_hand == attribution.id)
        entries.append((key, [Content(""), *_wrapped(entry, width)]))
    if in_hand is not None and all(a.id != in_hand for a in view.attributions):
        note = Content.styled(f"✎ attribution {in_hand} in hand: P points it here", "bold")
        entries.insert(0, (None, _wrapped(note, width)))
    lines = [line for _, entry in entries for line in entry]
    if not height or len(lines) <= height:
        return Content("\n").join(lines)
    first = last = 0
    at = 0
    for key, entry in entries:
        if key == focused:
            first, last = at, at + len(entry) - 1
        at += len(entry)
    room = max(height - 2, 1)
    top = max(0, min(first - 1, len(lines) - room))
    if last >= top + room:
        top = max(first, last - room + 1) if last - first < room else first
    top = min(max(top + scroll, 0), len(lines) - room)
    shown = lines[top : top + room]
    below = len(lines) - top - len(shown)
    # short enough for the narrowest pane: the key is all a reviewer needs
    head = Content.styled(f"↑ {top} more lines (K)" if top else "", "dim")
    tail = Content.styled(f"↓ {below} more lines (J)" if below else "", "dim")
    return Content("\n").join([head, *shown, tail])


def info_content(view: SentenceView, document_name: str, order: str = "document") -> Content:
    """Document, source and language of the sentence, and what it is labelled; the
    trained model's scores when it has them, and the order when it is not the corpus's."""
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
    if view.checkworthy is not None:
        parts.append(Content(f"  ·  check-worthy {view.checkworthy:.3f}"))
    if view.uncertainty is not None and order == "uncertain":
        parts.append(Content(f"  ·  unsure {view.uncertainty:.3f}"))
    if order != "document":
        parts.append(Content.styled(f"  ·  by {order}", "bold"))
    return Content("").join(parts)

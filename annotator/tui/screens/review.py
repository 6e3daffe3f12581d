"""The review screen: one sentence in focus, its spans, and every action on a key.

Each action calls `annotator.core.actions` synchronously inside its key handler,
so it is committed to SQLite before Textual handles the next key; the screen is
redrawn from the database afterwards, so what is shown is what is stored.
"""

import time
from pathlib import PurePath

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, ProgressBar

from annotator.contradictions import decisions
from annotator.core import actions, review
from annotator.core.errors import RefusedInput
from annotator.core.review import SentenceView
from annotator.core.store import Store
from annotator.tui import editing
from annotator.tui.bindings import binder
from annotator.tui.footer import SteadyFooter
from annotator.tui.pane import Pane
from annotator.tui.render import (
    info_content,
    literal,
    sentence_content,
    span_list_content,
    visible,
)
from annotator.tui.screens.finder import FinderScreen, hit_line
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.picker import Choice, PickerScreen

LABEL_KEYS = dict(zip("123456", actions.SPAN_LABELS, strict=True))
SENTENCE_LABEL_CHOICES = [
    Choice("1", "CFS", "check-worthy factual sentence"),
    Choice("2", "UFS", "unimportant factual sentence"),
    Choice("3", "NFS", "non-factual sentence"),
    Choice("b", "boilerplate", "not part of the report"),
]
RELIABILITY_CHOICES = [
    Choice("a", "A", "completely reliable"),
    Choice("b", "B", "usually reliable"),
    Choice("c", "C", "fairly reliable"),
    Choice("d", "D", "not usually reliable"),
    Choice("e", "E", "unreliable"),
    Choice("f", "F", "reliability cannot be judged"),
]
CREDIBILITY_CHOICES = [
    Choice("1", 1, "confirmed by other sources"),
    Choice("2", 2, "probably true"),
    Choice("3", 3, "possibly true"),
    Choice("4", 4, "doubtful"),
    Choice("5", 5, "improbable"),
    Choice("6", 6, "truth cannot be judged"),
]


_b = binder("review")


class ReviewScreen(Screen):
    # every key is also a command in the palette (see ReviewApp)
    KEYS_IN_PALETTE = True
    BINDINGS = [
        # The core keys, shown in the footer.
        _b("a", "accept", "Accept", show=True),
        _b("x", "reject", "Reject", show=True),
        _b("j", "next_sentence", "Next", show=True),
        _b("k", "previous_sentence", "Previous", show=True),
        _b("u", "undo", "Undo", show=True),
        _b("question_mark", "help", "Help", show=True, display="?"),
        _b("q", "quit", "Quit", show=True),
        # Spans.
        _b("A", "accept_all", "Accept every pending proposal in the sentence"),
        _b("tab,down", "next_span", "Focus the next span", display="tab ↓"),
        _b("shift+tab,up", "previous_span", "Focus the previous span", display="shift+tab ↑"),
        _b("d,delete", "delete_span", "Delete the focused span", display="d del"),
        _b("1", "label('1')", "Label QUANTITY: the selection as a new span, or the focused span"),
        _b("2", "label('2')", "Label QUOTE"),
        _b("3", "label('3')", "Label SOURCE"),
        _b("4", "label('4')", "Label CUE"),
        _b("5", "label('5')", "Label HEDGE"),
        _b("6", "label('6')", "Label ENTITY"),
        _b(
            "less_than_sign",
            "boundary('start', 'grow', 1)",
            "Grow the focused span's start by a word",
            display="<",
        ),
        _b(
            "comma",
            "boundary('start', 'shrink', 1)",
            "Shrink the focused span's start by a word",
            display=",",
        ),
        _b(
            "greater_than_sign",
            "boundary('end', 'grow', 1)",
            "Grow the focused span's end by a word",
            display=">",
        ),
        _b(
            "full_stop",
            "boundary('end', 'shrink', 1)",
            "Shrink the focused span's end by a word",
            display=".",
        ),
        _b(
            "left_curly_bracket",
            "boundary('start', 'grow', 0)",
            "Grow the focused span's start by a character",
            display="{",
        ),
        _b(
            "left_square_bracket",
            "boundary('start', 'shrink', 0)",
            "Shrink the focused span's start by a character",
            display="[",
        ),
        _b(
            "right_curly_bracket",
            "boundary('end', 'grow', 0)",
            "Grow the focused span's end by a character",
            display="}",
        ),
        _b(
            "right_square_bracket",
            "boundary('end', 'shrink', 0)",
            "Shrink the focused span's end by a character",
            display="]",
        ),
        # Cursor and selection.
        _b("l,right", "move('char', 1)", "Cursor one character right", display="l →"),
        _b("h,left", "move('char', -1)", "Cursor one character left", display="h ←"),
        _b("w", "move('word', 1)", "Cursor to the next word"),
        _b("b", "move('word', -1)", "Cursor to the previous word"),
        _b("e", "move('end', 1)", "Cursor to the end of the word"),
        _b("0,home", "move('line', -1)", "Cursor to the sentence start", display="0 home"),
        _b("dollar_sign,end", "move('line', 1)", "Cursor to the sentence end", display="$ end"),
        _b(
            "L,shift+right",
            "select('char', 1)",
            "Extend the selection a character right",
            display="L shift+→",
        ),
        _b(
            "H,shift+left",
            "select('char', -1)",
            "Extend the selection a character left",
            display="H shift+←",
        ),
        _b(
            "W,ctrl+shift+right",
            "select('end', 1)",
            "Extend the selection to the end of the next word",
            display="W ctrl+shift+→",
        ),
        _b(
            "B,ctrl+shift+left",
            "select('word', -1)",
            "Extend the selection to the previous word",
            display="B ctrl+shift+←",
        ),
        _b(
            "v", "toggle_selection", "Start or drop a selection at the cursor (then move to extend)"
        ),
        _b("escape", "clear_selection", "Drop the selection"),
        # Sentence labels and ratings.
        _b("s", "sentence_label", "Sentence label: CFS / UFS / NFS / boilerplate"),
        _b(
            "r",
            "rate_source",
            "Rate the source's reliability, A-F (the focused span's attribution)",
        ),
        _b("c", "rate_claim", "Rate the claim's credibility, 1-6"),
        # Navigation.
        _b("n", "next_unreviewed", "Next sentence to review"),
        _b("p", "next_with_proposals", "Next sentence with pending proposals"),
        _b("g", "jump_document", "Jump to a document"),
        _b("slash", "search", "Full-text search over sentences", display="/"),
        _b("U,ctrl+r", "redo", "Redo", display="U ctrl+r"),
        # Contradictions.
        _b("C", "contradictions", "Contradictions about this sentence's entities (and the corpus)"),
        _b("m", "mark_claim", "Mark this sentence as a claim to link by hand"),
        _b(
            "M", "link_claim", "Link this sentence to the marked one as contradicting (kind picker)"
        ),
    ]

    def __init__(self, store: Store, reviewer: str):
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.view: SentenceView | None = None
        self.focused_span_id: int | None = None
        self.cursor = 0
        self.anchor: int | None = None
        self.selecting = False
        self.sentence_shown_at = time.monotonic()
        self.reviewed: int | None = None
        self.total: int | None = None
        # the sentence `m` marked, to link by hand to another with `M`
        self.marked_claim: int | None = None

    # ---- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="✎")
        # Fixed-size panes updated without a layout pass: a key repaints only the
        # lines of them that changed.
        yield Pane(id="info")
        with Horizontal(id="body"):
            yield Pane(id="reading")
            yield Pane(id="spans")
        yield Pane(id="status")
        with Horizontal(id="progress-row"):
            yield ProgressBar(id="progress", show_eta=False, show_percentage=True)
            yield Pane(Content("counting…"), id="progress-label")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.app.sub_title = f"reviewer: {self.reviewer}"
        start = review.resume_point(self.store, self.reviewer)
        if start is None:
            self.pane("reading").update(
                Content("The database has no sentences yet: run `annotator ingest PATH` first.")
            )
        else:
            self.show(start)
        self.count_progress()

    # ---- reading ------------------------------------------------------------------

    @work(thread=True, group="progress")
    def count_progress(self) -> None:
        # A connection of its own: this runs beside the writes of the event loop.
        with Store(self.store.path) as reader:
            reviewed, total = review.progress(reader)
        self.app.call_from_thread(self.set_progress, reviewed, total)

    def set_progress(self, reviewed: int, total: int) -> None:
        self.reviewed, self.total = reviewed, total
        self.refresh_progress()

    def refresh_progress(self) -> None:
        if self.reviewed is None or self.total is None:
            return
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(self.total, 1), progress=self.reviewed)
        self.put(
            "progress-label", Content(f"{self.reviewed:,} / {self.total:,} sentences reviewed")
        )

    def show(self, sentence_id: int) -> None:
        self._load(sentence_id, keep_focus=False)
        self.redraw()

    def _load(self, sentence_id: int, *, keep_focus: bool) -> None:
        """Read the sentence from the database; the focus moves to its first pending
        proposal unless `keep_focus` and the focused span is still there."""
        view = review.load_sentence(self.store, sentence_id, self.reviewer)
        if view is None:
            return
        moved = self.view is None or self.view.id != view.id
        self.view = view
        if moved:
            self.sentence_shown_at = time.monotonic()
            self.cursor = 0
            self.anchor = None
            self.selecting = False
        ids = {s.id for s in view.spans}
        if moved or not keep_focus or self.focused_span_id not in ids:
            pending = [s for s in view.spans if s.status == "proposed"]
            first = (pending or list(view.spans) or [None])[0]
            self.focused_span_id = first.id if first else None

    def redraw(self) -> None:
        view = self.view
        if view is None:
            return
        title = view.document_title or PurePath(view.document_origin).name
        self.put("info", info_content(view, title))
        sentence = sentence_content(
            view.text,
            view.spans,
            cursor=self.cursor,
            selection=self.selection,
            focused_id=self.focused_span_id,
        )
        before = literal(view.before) if view.before else Content("(start of document)")
        after = literal(view.after) if view.after else Content("(end of document)")
        reading = Content("\n\n").join(
            [before.stylize("dim"), Content("▌ ").stylize("bold") + sentence, after.stylize("dim")]
        )
        self.put("reading", reading)
        room = self.pane("spans").size.height
        self.put("spans", span_list_content(view, self.focused_span_id, room=room))

    def pane(self, name: str) -> Pane:
        return self.query_one(f"#{name}", Pane)

    def put(self, name: str, content: Content) -> None:
        self.pane(name).update(content)

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.anchor is None:
            return None
        chosen = editing.Selection(self.anchor, self.cursor)
        return chosen.start, chosen.end

    @property
    def focused_span(self):
        if self.view is None:
            return None
        return next((s for s in self.view.spans if s.id == self.focused_span_id), None)

    def say(self, message: str | Content) -> None:
        line = message if isinstance(message, Content) else Content(message)
        self.put("status", line)

    def saved(self, what: str, text: str | None = None) -> None:
        line = Content.styled("✓ saved ", "bold") + Content(what)
        if text:
            line = line + Content(" “") + literal(text) + Content("”")
        self.say(line)

    # ---- writing ------------------------------------------------------------------

    def _seconds(self) -> float:
        return time.monotonic() - self.sentence_shown_at

    def _act(self, action, *args, **options) -> actions.Outcome | None:
        """Run one store action for this reviewer on the sentence in view and reload it,
        keeping the reviewed count in step. The caller redraws."""
        was = self.view
        try:
            outcome = action(self.store, self.reviewer, *args, seconds=self._seconds(), **options)
        except RefusedInput as error:
            self._refused(error)
            return None
        if outcome is not None:
            self._load(was.id, keep_focus=True)
            self._count_change(was.reviewed, self.view.reviewed)
        return outcome

    def _refused(self, error: RefusedInput) -> None:
        self.say(Content.styled(f"not saved: {error}", "bold"))
        self.app.bell()

    def _count_change(self, was: bool, now: bool) -> None:
        if self.reviewed is not None:
            self.reviewed += int(now) - int(was)
        self.refresh_progress()

    def _done(self, what: str, text: str | None = None) -> None:
        self.redraw()
        self.saved(what, text)

    def _require_span(self):
        span = self.focused_span
        if span is None:
            self.say("no span in focus: tab to one, or select text and press 1-6")
            self.app.bell()
        return span

    def action_accept(self) -> None:
        self._decide("accepted")

    def action_reject(self) -> None:
        self._decide("rejected")

    def _decide(self, status: str) -> None:
        span = self._require_span()
        if span is None or self.view is None:
            return
        if self._act(actions.set_span_status, span.id, status):
            self._focus_next_pending(after=span)
            self._done(f"{status} {span.label}", self.view.text[span.start : span.end])

    def _focus_next_pending(self, after) -> None:
        """Prodigy's rhythm: after a decision, the next pending proposal is in focus."""
        spans = list(self.view.spans) if self.view else []
        order = [s.id for s in spans]
        index = order.index(after.id) if after.id in order else -1
        for span in spans[index + 1 :] + spans[: index + 1]:
            if span.status == "proposed":
                self.focused_span_id = span.id
                break

    def action_accept_all(self) -> None:
        if self.view is None:
            return
        if self._act(actions.accept_remaining, self.view.id):
            self._done(f"accepted every pending proposal ({len(self.view.spans)} spans)")
        else:
            self.say("no pending proposals in this sentence")

    def action_delete_span(self) -> None:
        span = self._require_span()
        if span is None or self.view is None:
            return
        text = self.view.text[span.start : span.end]
        if self._act(actions.delete_span, span.id):
            self._done(f"deleted {span.label}", text)

    def action_label(self, key: str) -> None:
        if self.view is None:
            return
        label = LABEL_KEYS[key]
        selection = self.selection
        if selection:
            start, end = selection
            outcome = self._act(actions.add_span, self.view.id, start, end, label)
            if outcome:
                self.anchor = None
                self.selecting = False
                new = next(
                    (
                        s
                        for s in self.view.spans
                        if (s.start, s.end, s.label) == (start, end, label)
                    ),
                    None,
                )
                self.focused_span_id = new.id if new else None
                if outcome.action == "add_span":
                    self._done(f"new {label} span", self.view.text[start:end])
                else:
                    self._done(f"{label} span was proposed: accepted", self.view.text[start:end])
            return
        span = self._require_span()
        if span is not None and self._act(actions.edit_span, span.id, label=label):
            self._done(f"{span.label} → {label}", self.view.text[span.start : span.end])

    def action_boundary(self, side: str, how: str, by_word: int) -> None:
        span = self._require_span()
        if span is None or self.view is None:
            return
        text = self.view.text
        move = {
            ("start", "grow"): editing.grow_start,
            ("start", "shrink"): editing.shrink_start,
            ("end", "grow"): editing.grow_end,
            ("end", "shrink"): editing.shrink_end,
        }[(side, how)]
        value = move(text, span.start, span.end, bool(by_word))
        start, end = (value, span.end) if side == "start" else (span.start, value)
        if (start, end) == (span.start, span.end):
            self.app.bell()
            return
        if self._act(actions.edit_span, span.id, start=start, end=end):
            self._done(f"{span.label} now", text[start:end])

    def action_undo(self) -> None:
        self._walk(actions.undo, "undid", "nothing left to undo")

    def action_redo(self) -> None:
        self._walk(actions.redo, "redid", "nothing to redo")

    def _walk(self, step, verb: str, empty: str) -> None:
        was = self.view
        try:
            outcome = step(self.store, self.reviewer)
        except RefusedInput as error:
            self._refused(error)
            return
        if outcome is None:
            self.say(empty)
            return
        target = outcome.sentence_ids[0] if outcome.sentence_ids else None
        if target is None and was is not None:
            target = was.id
        if target is not None:
            self._load(target, keep_focus=True)
        if was is not None and self.view.id == was.id:
            self._count_change(was.reviewed, self.view.reviewed)
        else:
            # The walked action was on another sentence, whose state before is unknown here.
            self.count_progress()
        self._done(f"{verb} {outcome.walked}")

    # ---- pickers ------------------------------------------------------------------

    def action_sentence_label(self) -> None:
        view = self.view
        if view is None:
            return

        def chosen(label) -> None:
            if label is not None and self._act(actions.label_sentence, view.id, label):
                self._done(f"sentence label {label}")

        self.app.push_screen(
            PickerScreen("Sentence label", SENTENCE_LABEL_CHOICES, view.label), chosen
        )

    def action_rate_claim(self) -> None:
        view = self.view
        if view is None:
            return

        def chosen(value) -> None:
            if value is not None and self._act(actions.rate_claim, view.id, value):
                self._done(f"claim credibility {value}")

        self.app.push_screen(
            PickerScreen(
                "Information credibility (this claim)", CREDIBILITY_CHOICES, view.credibility
            ),
            chosen,
        )

    def action_rate_source(self) -> None:
        view = self.view
        if view is None:
            return
        attribution = view.attribution_for(self.focused_span_id)
        if attribution is not None and attribution.rated_source:
            kind, name = attribution.rated_source
            current = attribution.reliability
        elif view.outlet:
            kind, name, current = "outlet", view.outlet, view.outlet_reliability
        else:
            self.say("no source to rate: this sentence has no attribution and no outlet")
            self.app.bell()
            return

        def chosen(grade) -> None:
            if grade is not None and self._act(
                actions.rate_source, kind, name, grade, sentence_id=view.id
            ):
                self._done(f"source reliability {grade} for", name)

        title = f"Source reliability: {visible(name)}"
        self.app.push_screen(PickerScreen(title, RELIABILITY_CHOICES, current), chosen)

    # ---- cursor and selection -----------------------------------------------------

    def _moved(self, position: int) -> None:
        if self.view is None:
            return
        self.cursor = editing.clamp(self.view.text, position)
        self.redraw()

    def _target(self, unit: str, direction: int) -> int:
        text = self.view.text if self.view else ""
        if unit == "char":
            return self.cursor + direction
        if unit == "word":
            if direction > 0:
                return editing.next_word_start(text, self.cursor)
            return editing.previous_word_start(text, self.cursor)
        if unit == "end":
            return editing.word_end(text, self.cursor)
        return 0 if direction < 0 else len(text) - 1

    def action_move(self, unit: str, direction: int) -> None:
        if not self.selecting:
            self.anchor = None
        self._moved(self._target(unit, direction))

    def action_select(self, unit: str, direction: int) -> None:
        if self.anchor is None:
            self.anchor = self.cursor
        self._moved(self._target(unit, direction))

    def action_toggle_selection(self) -> None:
        if self.selecting or self.anchor is not None:
            self.action_clear_selection()
            return
        self.selecting = True
        self.anchor = self.cursor
        self.redraw()

    def action_clear_selection(self) -> None:
        self.selecting = False
        self.anchor = None
        self.redraw()

    def _focus_step(self, direction: int) -> None:
        if self.view is None or not self.view.spans:
            return
        ids = [s.id for s in self.view.spans]
        if self.focused_span_id in ids:
            index = (ids.index(self.focused_span_id) + direction) % len(ids)
        else:
            index = 0 if direction > 0 else len(ids) - 1
        self.focused_span_id = ids[index]
        self.cursor = self.view.spans[index].start
        self.anchor = None
        self.selecting = False
        self.redraw()

    def action_next_span(self) -> None:
        self._focus_step(1)

    def action_previous_span(self) -> None:
        self._focus_step(-1)

    # ---- navigation ---------------------------------------------------------------

    def _go(self, sentence_id: int | None, empty: str) -> None:
        if sentence_id is None:
            self.say(empty)
            return
        self.show(sentence_id)
        self.say("")

    def action_next_sentence(self) -> None:
        if self.view:
            self._go(review.step(self.store, self.view.id, 1), "last sentence of the corpus")

    def action_previous_sentence(self) -> None:
        if self.view:
            self._go(review.step(self.store, self.view.id, -1), "first sentence of the corpus")

    def action_next_unreviewed(self) -> None:
        if self.view:
            self._go(review.next_unreviewed(self.store, self.view.id), "every sentence is reviewed")

    def action_next_with_proposals(self) -> None:
        if self.view:
            self._go(
                review.next_with_proposals(self.store, self.view.id), "no pending proposals left"
            )

    def action_search(self) -> None:
        path = self.store.path

        def find(words: str):
            with Store(path) as reader:
                return [
                    (
                        hit.sentence_id,
                        hit_line(hit.document_title or f"doc {hit.document_id}", hit.text),
                    )
                    for hit in review.search(reader, words)
                ]

        self.app.push_screen(
            FinderScreen("Search sentences", "words to find…", find, search_empty=False),
            lambda sid: sid is not None and self._go(sid, ""),
        )

    def action_jump_document(self) -> None:
        path = self.store.path

        def find(words: str):
            with Store(path) as reader:
                return [
                    (
                        entry.first_sentence_id,
                        hit_line(f"doc {entry.id}", entry.title or "(untitled)")
                        + Content.styled(f"  {entry.sentences} sentences", "dim"),
                    )
                    for entry in review.documents(reader, words)
                ]

        self.app.push_screen(
            FinderScreen("Jump to document", "title or id…", find, search_empty=True),
            lambda sid: sid is not None and self._go(sid, ""),
        )

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS))

    # ---- contradictions -----------------------------------------------------------

    def action_contradictions(self) -> None:
        # Imported on first use: the contradiction screen and what it reads are not
        # needed to start reviewing, and the first screen comes sooner without them.
        from annotator.tui.screens.links import LinksScreen

        was = self.view.id if self.view else None

        def back(sentence_id) -> None:
            # Undo and redo there may have changed spans here: read the sentence again.
            target = sentence_id if sentence_id is not None else was
            if target is not None:
                self._load(target, keep_focus=sentence_id is None)
                self.redraw()
            self.count_progress()

        self.app.push_screen(LinksScreen(self.store, self.reviewer, was), back)

    def action_mark_claim(self) -> None:
        if self.view is None:
            return
        self.marked_claim = self.view.id
        self.say(
            f"sentence {self.view.id} marked: go to the claim it contradicts and press M to link"
        )

    def action_link_claim(self) -> None:
        view = self.view
        if view is None:
            return
        marked = self.marked_claim
        if marked is None:
            self.say("no claim marked: press m on a sentence first, then M on the other")
            self.app.bell()
            return
        if marked == view.id:
            self.say("this is the marked sentence: go to the claim it contradicts first")
            self.app.bell()
            return

        from annotator.tui.screens.links import KIND_CHOICES

        def chosen(kind) -> None:
            if kind is None:
                return
            outcome = self._act(decisions.link_claims, marked, view.id, kind)
            if outcome:
                self.marked_claim = None
                self.redraw()
                self.saved(f"{kind} link between sentences {marked} and {view.id}")

        self.app.push_screen(
            PickerScreen(f"Link sentence {marked} and {view.id} as", KIND_CHOICES), chosen
        )

    def action_quit(self) -> None:
        self.app.exit()

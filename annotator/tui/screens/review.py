"""The review screen: one sentence in focus, its spans, and every action on a key.

Each action calls `annotator.core.actions` synchronously inside its key handler,
so it is committed to SQLite before Textual handles the next key; the screen is
redrawn from the database afterwards, so what is shown is what is stored.
"""

import time

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, ProgressBar

from annotator.contradictions import decisions
from annotator.core import actions, documents, review
from annotator.core.errors import RefusedInput
from annotator.core.review import SentenceView
from annotator.core.store import Store
from annotator.tui import editing, history, relink
from annotator.tui.footer import SteadyFooter
from annotator.tui.pane import Pane
from annotator.tui.render import (
    info_content,
    literal,
    quoted,
    sentence_content,
    span_list_content,
    visible,
)
from annotator.tui.review_keys import (
    CREDIBILITY_CHOICES,
    LABEL_KEYS,
    RELIABILITY_CHOICES,
    REVIEW_BINDINGS,
    REVIEW_LEGEND,
    SENTENCE_LABEL_CHOICES,
)
from annotator.tui.screens.finder import FinderScreen, hit_line
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.review_attributions import AttributionKeys

# How often the screen looks whether other programs changed the file.
FOLLOW_SECONDS = 2.0


class ReviewScreen(AttributionKeys, Screen):
    # every key is also a command in the palette (see ReviewApp)
    KEYS_IN_PALETTE = True
    BINDINGS = REVIEW_BINDINGS

    def __init__(self, store: Store, reviewer: str, order: str = "document"):
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        # how j / k / n walk the sentences: review.ORDERS
        self.order = order
        self.view: SentenceView | None = None
        # ("span", id) or ("attribution", id): what a, x and the pickers act on
        self.focused_item: tuple[str, int] | None = None
        self.place = editing.Cursor()
        # the attribution being edited, kept while the reviewer moves to other sentences
        self.in_hand: int | None = None
        # after a decision, go to the next sentence once nothing is left pending here
        self.advance = True
        # lines the span list is scrolled by hand (J, K) from where the focus puts it
        self.list_scroll = 0
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
        start = review.resume_point(self.store, self.reviewer, self.order)
        if start is None:
            self.pane("reading").update(
                Content("The database has no sentences yet: run `annotator ingest PATH` first.")
            )
        else:
            self.show(start)
        self.count_progress()
        self._data_version = self._file_version()
        self.set_interval(FOLLOW_SECONDS, self.follow_file)

    def _file_version(self) -> int:
        return self.store.db.execute("PRAGMA data_version").fetchone()[0]

    def follow_file(self) -> None:
        """Another program (ingest, propose, a second reviewer) wrote to the file: count
        again and show the sentence as it is now. `data_version` changes only on
        other connections' commits, and costs nothing to read."""
        version = self._file_version()
        if version == self._data_version:
            return
        self._data_version = version
        self.count_progress()
        if self.view is not None:
            self._load(self.view.id, keep_focus=True)
            self.redraw()

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
        item unless `keep_focus` and the focused item is still there."""
        view = review.load_sentence(self.store, sentence_id, self.reviewer)
        if view is None:
            return
        moved = self.view is None or self.view.id != view.id
        self.view = view
        if moved:
            self.sentence_shown_at = time.monotonic()
            self.place.reset()
            self.list_scroll = 0
        if moved or not keep_focus or self.focused_item not in self.items():
            pending = self.pending_items()
            self.focused_item = (pending or self.items() or [None])[0]

    def items(self) -> list[tuple[str, int]]:
        """What tab walks through, in the order the list shows them."""
        if self.view is None:
            return []
        return [("span", s.id) for s in self.view.spans] + [
            ("attribution", a.id) for a in self.view.attributions
        ]

    def pending_items(self) -> list[tuple[str, int]]:
        if self.view is None:
            return []
        return [("span", s.id) for s in self.view.spans if s.status == "proposed"] + [
            ("attribution", a.id) for a in self.view.attributions if a.status == "proposed"
        ]

    @property
    def focused_span_id(self) -> int | None:
        return (
            self.focused_item[1] if self.focused_item and self.focused_item[0] == "span" else None
        )

    @focused_span_id.setter
    def focused_span_id(self, span_id: int | None) -> None:
        self.focused_item = ("span", span_id) if span_id is not None else None

    @property
    def cursor(self) -> int:
        return self.place.position

    def redraw(self) -> None:
        view = self.view
        if view is None:
            return
        self.put("info", info_content(view, document_name(view), self.order))
        sentence = sentence_content(
            view.text,
            view.spans,
            cursor=self.place.position,
            selection=self.selection,
            focused_id=self.focused_span_id,
            focused_range=self._focused_attribution_range(),
        )
        before = literal(view.before) if view.before else Content("(start of document)")
        after = literal(view.after) if view.after else Content("(end of document)")
        current = Content("▌ ").stylize("bold") + sentence
        if self.selection:
            # Said in words too: a selection reads without colour, and its ends exactly.
            start, end = self.selection
            current += (
                Content.styled("\n  selected: “", "dim")
                + literal(view.text[start:end])
                + Content.styled("”  1-6 label it · P points an attribution at it", "dim")
            )
        reading = Content("\n\n").join([before.stylize("dim"), current, after.stylize("dim")])
        self.put("reading", reading)
        room = self.pane("spans").content_size
        listed = span_list_content(
            view,
            self.focused_item,
            width=room.width,
            height=room.height,
            in_hand=self.in_hand,
            scroll=self.list_scroll,
        )
        self.put("spans", listed)

    def _focused_attribution_range(self) -> tuple[int, int] | None:
        """The content of the focused attribution, when it lies in this sentence."""
        attribution = self.focused_attribution
        if attribution is None or attribution.content_sentence_id != self.view.id:
            return None
        return attribution.content_start, attribution.content_end

    def on_resize(self) -> None:
        # The span list is wrapped to the pane's width: wrap it again at the new size.
        self.call_after_refresh(self.redraw)

    def pane(self, name: str) -> Pane:
        return self.query_one(f"#{name}", Pane)

    def put(self, name: str, content: Content) -> None:
        self.pane(name).update(content)

    @property
    def selection(self) -> tuple[int, int] | None:
        return self.place.selection

    @property
    def focused_span(self):
        if self.view is None:
            return None
        return next((s for s in self.view.spans if s.id == self.focused_span_id), None)

    def say(self, message: str | Content) -> None:
        line = message if isinstance(message, Content) else Content(visible(message))
        self.put("status", line)

    def saved(self, what: str, text: str | None = None, then: str = "") -> None:
        line = Content.styled("✓ saved ", "bold") + literal(what)
        if text:
            line = line + Content(" ") + quoted(text)
        if then:
            line = line + Content.styled(f"  · {then}", "dim")
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
        message = str(error)
        if "does not exist" in message and self.view is not None:
            # A batch command re-proposed this sentence under the reviewer: show what is
            # there now rather than a stale list.
            self._load(self.view.id, keep_focus=False)
            self.redraw()
            message += "; the sentence was reloaded, look again"
        self.say(Content.styled(f"not saved: {visible(message)}", "bold"))
        self.app.bell()

    def _count_change(self, was: bool, now: bool) -> None:
        if self.reviewed is not None:
            self.reviewed += int(now) - int(was)
        self.refresh_progress()

    def _done(self, what: str, text: str | None = None) -> None:
        self.redraw()
        self.saved(what, text)

    def _decided(self, what: str, text: str | None = None) -> None:
        """After an accept or reject: the next pending item, or, once the sentence has
        none left, the next sentence to review (when auto-advance is on)."""
        if self.advance and not self.pending_items() and self.view is not None:
            following = review.next_unreviewed(self.store, self.view.id, self.order)
            if following is not None and following != self.view.id:
                self.show(following)
                self.saved(what, text, then="next sentence (T turns this off)")
                return
        self._done(what, text)

    def _require_span(self):
        span = self.focused_span
        if span is None:
            self.say("no span in focus: tab to one, or select text (v) and press 1-6")
            self.app.bell()
        return span

    def action_accept(self) -> None:
        self._decide("accepted")

    def action_reject(self) -> None:
        self._decide("rejected")

    def _decide(self, status: str) -> None:
        if self.focused_item and self.focused_item[0] == "attribution":
            self.decide_attribution(status)
            return
        span = self._require_span()
        if span is None or self.view is None:
            return
        if self._act(actions.set_span_status, span.id, status):
            self._focus_next_pending(after=("span", span.id))
            self._decided(f"{status} {span.label}", self.view.text[span.start : span.end])

    def _focus_next_pending(self, after: tuple[str, int]) -> None:
        """Prodigy's rhythm: after a decision, the next pending item is in focus."""
        order = self.items()
        index = order.index(after) if after in order else -1
        pending = set(self.pending_items())
        for item in order[index + 1 :] + order[: index + 1]:
            if item in pending:
                self.focused_item = item
                break

    def action_accept_all(self) -> None:
        if self.view is None:
            return
        outcome = self._act(actions.accept_remaining, self.view.id)
        if outcome:
            self._decided(self.store_words(outcome))
        else:
            self.say("nothing pending in this sentence")

    def store_words(self, outcome: actions.Outcome) -> str:
        """What an action did, in the words its event keeps."""
        return actions.event_words(self.store, outcome.event_id)

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
                self.place.clear()
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
        history.walk(self, "undo", self._walked)

    def action_redo(self) -> None:
        history.walk(self, "redo", self._walked)

    def _walked(self, outcome: actions.Outcome) -> None:
        """Show the sentence the walked action changed, as it is now."""
        if relink.owed(self.store):
            # An entity merge, split or rename walked back: the links follow it.
            relink.relink_beside(self, self.store, lambda: self.say("entity links rebuilt"))
        was = self.view
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
        self.redraw()

    # ---- pickers ------------------------------------------------------------------

    def action_sentence_label(self) -> None:
        view = self.view
        if view is None:
            return

        def chosen(label) -> None:
            if self._act(actions.label_sentence, view.id, label):
                self._done(f"sentence label {label}")

        history.pick(self, "Sentence label", SENTENCE_LABEL_CHOICES, view.label, chosen)

    def action_rate_claim(self) -> None:
        view = self.view
        if view is None:
            return

        def chosen(value) -> None:
            if self._act(actions.rate_claim, view.id, value):
                self._done(f"claim credibility {value}")

        title = "Information credibility (this claim)"
        history.pick(self, title, CREDIBILITY_CHOICES, view.credibility, chosen)

    def action_rate_source(self) -> None:
        view = self.view
        if view is None:
            return
        attribution = self.focused_attribution or view.attribution_for(self.focused_span_id)
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
            if self._act(actions.rate_source, kind, name, grade, sentence_id=view.id):
                self._done(f"source reliability {grade} for", name)

        title = f"Source reliability: {visible(name)}"
        history.pick(self, title, RELIABILITY_CHOICES, current, chosen)

    # ---- cursor and selection -----------------------------------------------------

    def action_move(self, unit: str, direction: int) -> None:
        if self.view is not None:
            self.place.move(self.view.text, unit, direction)
            self.redraw()

    def action_select(self, unit: str, direction: int) -> None:
        if self.view is not None:
            self.place.extend(self.view.text, unit, direction)
            self.redraw()

    def action_toggle_selection(self) -> None:
        self.place.toggle()
        self.redraw()

    def action_clear_selection(self) -> None:
        if self.selection is None and self.in_hand is not None:
            self.in_hand = None
            self.say("attribution put down")
        self.place.clear()
        self.redraw()

    def _focus_step(self, direction: int) -> None:
        order = self.items()
        if self.view is None or not order:
            return
        if self.focused_item in order:
            index = (order.index(self.focused_item) + direction) % len(order)
        else:
            index = 0 if direction > 0 else len(order) - 1
        self.focused_item = order[index]
        self.list_scroll = 0
        kind, item_id = self.focused_item
        if kind == "span":
            span = next(s for s in self.view.spans if s.id == item_id)
            self.place.reset(span.start)
        else:
            # An attribution tabbed to is the one P, t, R and o change, here and in
            # the sentences the reviewer moves to next.
            self.in_hand = item_id
            self.place.clear()
        self.redraw()

    def action_scroll_list(self, direction: int) -> None:
        half = max(self.pane("spans").content_size.height // 2, 1)
        self.list_scroll += direction * half
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
            self._go(
                review.step(self.store, self.view.id, 1, self.order),
                f"last sentence ({self.order} order)",
            )

    def action_previous_sentence(self) -> None:
        if self.view:
            self._go(
                review.step(self.store, self.view.id, -1, self.order),
                f"first sentence ({self.order} order)",
            )

    def action_next_unreviewed(self) -> None:
        if self.view:
            self._go(
                review.next_unreviewed(self.store, self.view.id, self.order),
                "every sentence is reviewed",
            )

    def action_cycle_order(self) -> None:
        """document → checkworthy → uncertain: how j / k / n walk; a scored order
        starts at its top sentence still to review."""
        if review.scored_sentences(self.store) == 0:
            self.order = "document"
            self.say("no sentence has a score: run `annotator propose --model DIR` first")
            self.app.bell()
            return
        self.order = review.ORDERS[(review.ORDERS.index(self.order) + 1) % len(review.ORDERS)]
        if self.order == "document" and self.view is not None:
            self.redraw()
        else:
            start = review.resume_point(self.store, self.reviewer, self.order)
            if start is not None:
                self.show(start)
        self.say(f"order: {self.order} (O switches)")

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
                        hit_line(
                            documents.document_name(hit.document_title, hit.document_origin),
                            hit.text,
                        ),
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
                        hit_line(
                            f"doc {entry.id}", documents.document_name(entry.title, entry.origin)
                        )
                        + Content.styled(f"  {entry.sentences} sentences", "dim"),
                    )
                    for entry in review.documents(reader, words)
                ]

        self.app.push_screen(
            FinderScreen("Jump to document", "title or id…", find, search_empty=True),
            lambda sid: sid is not None and self._go(sid, ""),
        )

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS, explained=REVIEW_LEGEND))

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

    def action_entities(self) -> None:
        from annotator.tui.screens.entities import EntitiesScreen

        def back(_) -> None:
            # Undo there may have walked back a span here: read the sentence again.
            if self.view is not None:
                self._load(self.view.id, keep_focus=True)
                self.redraw()
            self.count_progress()

        self.app.push_screen(EntitiesScreen(self.store, self.reviewer), back)

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
            outcome = self._act(decisions.link_claims, marked, view.id, kind)
            if outcome:
                self.marked_claim = None
                self.redraw()
                self.saved(f"{kind} link between sentences {marked} and {view.id}")

        history.pick(self, f"Link sentence {marked} and {view.id} as", KIND_CHOICES, None, chosen)

    def action_toggle_advance(self) -> None:
        self.advance = not self.advance
        state = "on" if self.advance else "off"
        self.say(f"auto-advance {state}: after the last pending item of a sentence, go to the next")

    def action_quit(self) -> None:
        self.app.exit()


def document_name(view: SentenceView) -> str:
    return documents.document_name(view.document_title, view.document_origin)

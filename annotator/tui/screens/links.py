"""`C`: contradiction links, for the entities of the sentence in review or for the
whole corpus; the focused link's two claims side by side with the words that
differ marked, and a key for every decision.

Decisions go through `annotator.contradictions.decisions` inside the key
handler, so each is committed before the next key, and the list is read back
from the database afterwards.
"""

import time

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from annotator.contradictions import decisions, query
from annotator.core.errors import RefusedInput
from annotator.core.store import Store
from annotator.core.vocabulary import CONTRADICTION_KINDS
from annotator.tui import history
from annotator.tui.bindings import binder
from annotator.tui.footer import SteadyFooter
from annotator.tui.link_render import (
    claim_content,
    claim_header,
    legend,
    link_details,
    link_line,
)
from annotator.tui.listed import ListedRows
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.note import NoteScreen
from annotator.tui.screens.picker import Choice

KIND_CHOICES = [
    Choice(str(number), kind, description)
    for number, (kind, description) in enumerate(
        zip(
            CONTRADICTION_KINDS,
            [
                "done in one, considered or possible in the other",
                "the same action by different actors",
                "different numbers for the same thing",
                "one denies what the other says",
                "different dates for the same event",
                "opposite words (rose / fell)",
                "anything else",
            ],
            strict=True,
        ),
        start=1,
    )
]
STATUS_FILTERS = ("all", "proposed", "confirmed", "rejected")
LIST_LIMIT = 500


_b = binder("links")


class LinksScreen(ListedRows, Screen[int | None]):
    """Dismisses with a sentence id to review, or None to go back where it was."""

    # every key is also a command in the palette (see ReviewApp)
    KEYS_IN_PALETTE = True

    BINDINGS = [
        _b("c", "confirm", "Confirm", show=True, tooltip="Confirm: the claims contradict"),
        _b("x", "reject('neutral')", "Reject", show=True, tooltip="Reject as neutral"),
        _b("e", "reject('entailment')", "Reject as entailment (one says what the other says)"),
        _b("t", "kind", "Kind", show=True, tooltip="Change the kind (picker, 1-7)"),
        _b("i", "note", "Note", show=True, tooltip="Add, edit or clear a note"),
        _b("j,down", "step(1)", "Next link", display="j ↓"),
        _b("k,up", "step(-1)", "Previous link", display="k ↑"),
        _b(
            "w",
            "scope",
            "Scope",
            show=True,
            tooltip="Whole corpus, or the entities of the sentence in review",
        ),
        _b("f", "status_filter", "Show all / proposed / confirmed / rejected links"),
        _b("1", "open_claim(1)", "Review claim 1's sentence"),
        _b("2", "open_claim(2)", "Review claim 2's sentence"),
        _b("u", "undo", "Undo"),
        _b("U,ctrl+r", "redo", "Redo", display="U ctrl+r"),
        _b("question_mark", "help", "Help", show=True, display="?"),
        _b("escape,q", "back", "Back", show=True, display="esc q", tooltip="Back to the sentence"),
    ]

    def __init__(self, store: Store, reviewer: str, sentence_id: int | None):
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.sentence_id = sentence_id
        self.whole_corpus = sentence_id is None
        self.status_filter = "all"
        self.links: list[dict] = []
        self.shown_at = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="✎")
        yield Static(id="links-title", markup=False)
        options = OptionList(id="links-list")
        # The screen's keys move through the list, so it never needs the focus.
        options.can_focus = False
        yield options
        yield Static(id="link-info", markup=False)
        with Horizontal(id="pair"):
            yield Static(id="claim1", markup=False)
            yield Static(id="claim2", markup=False)
        yield Static(legend(), id="links-legend", markup=False)
        yield Static(id="links-status", markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.reload()

    # ---- reading ------------------------------------------------------------------

    def _entity_keys(self) -> list[str]:
        if self.sentence_id is None:
            return []
        return query.sentence_entities(self.store, self.sentence_id)

    def reload(self, keep: int | None = None) -> None:
        """Read the list again; the link `keep` stays highlighted when still listed."""
        if self.whole_corpus:
            self.links = query.whole_corpus(self.store, status=self.status_filter, limit=LIST_LIMIT)
            scope = "whole corpus"
        else:
            keys = self._entity_keys()
            self.links = query.for_entities(
                self.store, keys, status=self.status_filter, limit=LIST_LIMIT
            )
            scope = f"entities of sentence {self.sentence_id}"
        title = Content.styled("Contradictions", "bold") + Content(
            f" · {scope} · {self.status_filter} · {len(self.links)} link"
            f"{'s' if len(self.links) != 1 else ''}"
        )
        self.query_one("#links-title", Static).update(title)
        options = self.query_one(OptionList)
        options.clear_options()
        # the list's width less its scrollbar and padding
        width = self.app.size.width - 4
        options.add_options(
            [Option(link_line(link, width), id=str(link["id"])) for link in self.links]
        )
        ids = [link["id"] for link in self.links]
        if ids:
            options.highlighted = ids.index(keep) if keep in ids else 0
        self.show_link()

    def rows(self) -> list[dict]:
        return self.links

    @on(OptionList.OptionHighlighted)
    def highlighted(self) -> None:
        self.show_link()

    def show_link(self) -> None:
        link = self.current
        info = self.query_one("#link-info", Static)
        one = self.query_one("#claim1", Static)
        two = self.query_one("#claim2", Static)
        if link is None:
            empty = "No contradiction links here."
            if not self.whole_corpus:
                empty += " w: the whole corpus."
            info.update(Content(empty))
            one.update(Content(""))
            two.update(Content(""))
            return
        info.update(link_details(link))
        evidence = link["evidence"]
        for number, pane in ((1, one), (2, two)):
            claim = link[f"claim{number}"]
            other = link[f"claim{3 - number}"]
            body = claim_content(claim["text"], evidence.get(f"marks{number}", []), other["text"])
            pane.update(claim_header(number, claim) + Content("\n\n") + body)

    def say(self, message: str | Content) -> None:
        line = message if isinstance(message, Content) else Content(message)
        self.query_one("#links-status", Static).update(line)

    # ---- decisions ----------------------------------------------------------------

    def _decide(self, what: str, decide, *args) -> None:
        link = self.require_current()
        if link is None:
            return
        try:
            decide(
                self.store,
                self.reviewer,
                link["id"],
                *args,
                seconds=time.monotonic() - self.shown_at,
                sentence_id=self.sentence_id,
            )
        except RefusedInput as error:
            self.say(Content.styled(f"not saved: {error}", "bold"))
            self.app.bell()
            return
        self.shown_at = time.monotonic()
        following = self._following(link["id"])
        self.reload(keep=following if what in ("confirmed", "rejected") else link["id"])
        self.say(Content.styled("✓ saved ", "bold") + Content(f"#{link['id']} {what}"))

    def _following(self, link_id: int) -> int | None:
        """After a verdict the next link still proposed is in focus, Prodigy's rhythm."""
        ids = [link["id"] for link in self.links]
        index = ids.index(link_id)
        for link in self.links[index + 1 :] + self.links[:index]:
            if link["status"] == "proposed":
                return link["id"]
        return link_id

    def action_confirm(self) -> None:
        self._decide("confirmed", decisions.confirm)

    def action_reject(self, gold_label: str) -> None:
        self._decide("rejected", decisions.reject, gold_label)

    def action_kind(self) -> None:
        link = self.require_current()
        if link is None:
            return

        def chosen(kind) -> None:
            self._decide(f"kind {kind}", decisions.set_kind, kind)

        history.pick(self, "Kind of contradiction", KIND_CHOICES, link["kind"], chosen)

    def action_note(self) -> None:
        link = self.require_current()
        if link is None:
            return

        def written(note) -> None:
            if note is not None:
                self._decide(
                    "note saved" if note.strip() else "note cleared", decisions.set_note, note
                )

        self.app.push_screen(NoteScreen(f"Note on link #{link['id']}", link["note"]), written)

    def _walked(self, outcome) -> None:
        link = self.current
        self.reload(keep=link["id"] if link else None)

    def action_undo(self) -> None:
        history.walk(self, "undo", self._walked)

    def action_redo(self) -> None:
        history.walk(self, "redo", self._walked)

    # ---- moving -------------------------------------------------------------------

    def action_scope(self) -> None:
        if self.sentence_id is None:
            self.say("no sentence in review: the whole corpus is shown")
            return
        self.whole_corpus = not self.whole_corpus
        link = self.current
        self.reload(keep=link["id"] if link else None)

    def action_status_filter(self) -> None:
        index = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(index + 1) % len(STATUS_FILTERS)]
        link = self.current
        self.reload(keep=link["id"] if link else None)

    def action_open_claim(self, number: int) -> None:
        link = self.require_current()
        if link is None:
            return
        self.dismiss(link[f"claim{number}"]["sentence_id"])

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS, "Contradiction keys"))

    def action_back(self) -> None:
        self.dismiss(None)

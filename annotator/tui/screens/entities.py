"""`E`: the corpus's entities, most mentioned first, and the reviewer's corrections of
the linking: merge the focused entity into another, split one of its names off,
rename it, undo and redo.

Each decision is committed by `annotator.core.entity_decisions` inside the key
handler, as `annotator entities merge|split|rename` does. The relink that applies
it (entity links, then contradiction candidates, which read them) runs in a thread
with its own connection, so the screen never waits for it on a large corpus; the
list is read again when it has finished.
"""

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from annotator.core import actions, entity_decisions
from annotator.core.entities import list_entities
from annotator.core.errors import RefusedInput
from annotator.core.store import Store
from annotator.tui import history
from annotator.tui.bindings import binder
from annotator.tui.footer import SteadyFooter
from annotator.tui.listed import ListedRows
from annotator.tui.relink import relink_beside
from annotator.tui.render import literal
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.name_picker import NamePickerScreen
from annotator.tui.screens.note import NoteScreen

# The screen lists the most mentioned; the rest are one `annotator entities` away.
LIST_LIMIT = 1000

_b = binder("entities")


class EntitiesScreen(ListedRows, Screen[None]):
    KEYS_IN_PALETTE = True

    BINDINGS = [
        _b("m", "merge", "Merge", show=True, tooltip="Merge the focused entity into another"),
        _b("s", "split", "Split", show=True, tooltip="Split one of its names off as an entity"),
        _b("r", "rename", "Rename", show=True, tooltip="Give the entity another canonical name"),
        _b("j,down", "step(1)", "Next entity", display="j ↓"),
        _b("k,up", "step(-1)", "Previous entity", display="k ↑"),
        _b("u", "undo", "Undo", show=True),
        _b("U,ctrl+r", "redo", "Redo", display="U ctrl+r"),
        _b("question_mark", "help", "Help", show=True, display="?"),
        _b("escape,q", "back", "Back", show=True, display="esc q", tooltip="Back to the sentence"),
    ]

    def __init__(self, store: Store, reviewer: str):
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.entities: list[dict] = []
        self.relinking = False
        self._placed: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="✎")
        yield Static(id="entities-title", markup=False)
        options = OptionList(id="entities-list")
        # The screen's keys move through the list, so it never needs the focus.
        options.can_focus = False
        yield options
        yield Static(id="entity-info", markup=False)
        yield Static(id="entities-status", markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.reload()

    # ---- reading ------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """Read the entities again; the one named `keep` is highlighted if listed,
        else the one highlighted before."""
        before = self.current["name"] if self.current is not None else None
        everything = list_entities(self.store)
        self.entities = everything[:LIST_LIMIT]
        shown = len(self.entities)
        count = f"{shown} of {len(everything)}" if shown < len(everything) else f"{shown}"
        title = Content.styled("Entities", "bold") + Content(
            f" · {count} · most mentioned first" + (" · relinking…" if self.relinking else "")
        )
        self.query_one("#entities-title", Static).update(title)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(_line(e), id=str(e["id"])) for e in self.entities])
        names = [e["name"] for e in self.entities]
        if names:
            wanted = keep if keep in names else before
            options.highlighted = names.index(wanted) if wanted in names else 0
        self.show_entity()

    def rows(self) -> list[dict]:
        return self.entities

    @on(OptionList.OptionHighlighted)
    def highlighted(self) -> None:
        self.show_entity()

    def show_entity(self) -> None:
        entity = self.current
        info = self.query_one("#entity-info", Static)
        if entity is None:
            info.update(Content("No entities yet: ingest documents first."))
            return
        others = [a for a in entity["aliases"] if a != entity["name"]]
        lines = [
            Content.styled("name  ", "dim") + literal(entity["name"]),
            Content.styled("type  ", "dim")
            + Content(
                f"{entity['type']} · {entity['mentions']} "
                f"mention{'s' if entity['mentions'] != 1 else ''} in "
                f"{entity['documents']} document{'s' if entity['documents'] != 1 else ''}"
            ),
            Content.styled("also  ", "dim")
            + (Content("; ").join(literal(a) for a in others) if others else Content("–")),
        ]
        info.update(Content("\n").join(lines))

    def say(self, message: str | Content) -> None:
        line = message if isinstance(message, Content) else Content(message)
        self.query_one("#entities-status", Static).update(line)

    # ---- decisions ----------------------------------------------------------------

    def _decide(self, decide, keep: str | None) -> None:
        try:
            outcome = decide(self.store, self.reviewer)
        except RefusedInput as error:
            self.say(Content.styled("not saved: ", "bold") + literal(str(error)))
            self.app.bell()
            return
        what = actions.event_words(self.store, outcome.event_id)
        self.say(Content.styled("✓ saved ", "bold") + literal(what))
        self._relink(keep)

    def action_merge(self) -> None:
        entity = self.require_current()
        if entity is None:
            return
        names = [e["name"] for e in self.entities if e["id"] != entity["id"]]

        def chosen(into: str | None) -> None:
            if into:
                self._decide(
                    lambda s, r: entity_decisions.merge(s, r, entity["name"], into), keep=into
                )

        # Titles are plain text (Content.styled), never markup: a name is shown as written.
        self.app.push_screen(NamePickerScreen(f"Merge “{entity['name']}” into", names), chosen)

    def action_split(self) -> None:
        entity = self.require_current()
        if entity is None:
            return
        others = [a for a in entity["aliases"] if a != entity["name"]]
        if not others:
            self.say("it goes by one name only: nothing to split off")
            self.app.bell()
            return

        def chosen(alias: str | None) -> None:
            if alias:
                self._decide(
                    lambda s, r: entity_decisions.split(s, r, entity["name"], alias),
                    keep=entity["name"],
                )

        self.app.push_screen(
            NamePickerScreen(f"Split a name off “{entity['name']}”", others), chosen
        )

    def action_rename(self) -> None:
        entity = self.require_current()
        if entity is None:
            return

        def written(name: str | None) -> None:
            name = " ".join((name or "").split())
            if name and name != entity["name"]:
                self._decide(
                    lambda s, r: entity_decisions.rename(s, r, entity["name"], name), keep=name
                )

        self.app.push_screen(
            NoteScreen(
                f"Rename “{entity['name']}”",
                entity["name"],
                placeholder="the canonical name…",
                hint="enter: rename · escape: cancel",
            ),
            written,
        )

    def action_undo(self) -> None:
        history.walk(self, "undo", self._walked)

    def action_redo(self) -> None:
        history.walk(self, "redo", self._walked)

    def _walked(self, outcome) -> None:
        self._relink(self.current["name"] if self.current else None)

    # ---- relinking ----------------------------------------------------------------

    def _relink(self, keep: str | None) -> None:
        self.relinking = True
        self.reload(keep)
        # Where the reviewer is when the decision is saved: if they move on while the
        # relink runs, the list keeps their place rather than jumping back.
        self._placed = self.current["name"] if self.current is not None else None
        relink_beside(self, self.store, lambda: self._relinked(keep))

    def _relinked(self, keep: str | None) -> None:
        self.relinking = False
        if self.is_attached and self in self.app.screen_stack:
            here = self.current["name"] if self.current is not None else None
            self.reload(keep if here == self._placed else None)

    # ---- the rest -----------------------------------------------------------------

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS, "Entity keys"))

    def action_back(self) -> None:
        self.dismiss(None)


def _line(entity: dict) -> Content:
    documents = f"{entity['documents']} doc{'s' if entity['documents'] != 1 else ''}"
    others = len(entity["aliases"]) - (entity["name"] in entity["aliases"])
    also = f" · {others} other name{'s' if others != 1 else ''}" if others else ""
    return (
        Content(f"{entity['mentions']:>5}  ")
        + literal(entity["name"])
        + Content.styled(f"  {entity['type']} · {documents}{also}", "dim")
    )

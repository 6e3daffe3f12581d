"""Choose a name from a list as you type, or keep what you typed."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotator.tui.render import literal

# A name is short; the list is filtered in memory on each key.
MAX_NAME_CHARS = 300


class NamePickerScreen(ModalScreen[str | None]):
    """Dismisses with the highlighted name, the typed text when nothing matches or the
    typed text is chosen, "" to clear, or None on escape."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="names.cancel"),
        Binding("down", "focus_names", "Names", show=False, id="names.list"),
    ]

    def __init__(self, title: str, names: list[str], current: str | None = None):
        super().__init__(classes="finder")
        self.names_title = title
        self.names = names
        self.current = current or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="finder-box"):
            yield Static(Content.styled(self.names_title, "bold"), markup=False)
            yield Input(
                value=self.current,
                placeholder="a name…",
                max_length=MAX_NAME_CHARS,
                id="names-input",
            )
            yield OptionList(id="names-list")
            yield Static(
                Content.styled(
                    "enter: the highlighted name (or what you typed) · ↓: to the list · "
                    "empty clears · escape: cancel",
                    "dim",
                ),
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        # Every name at first, the current one highlighted: typing then narrows them.
        self.show_names("")
        if self.current in self.shown:
            listed = self.query_one(OptionList)
            listed.highlighted = self.shown.index(self.current)
            # Highlighting before the list has its size scrolls nowhere: a short
            # terminal would hide the current name below the fold.
            self.call_after_refresh(listed.scroll_to_highlight)

    def matching(self, typed: str) -> list[str]:
        """The names with every typed word in them; the name typed in full first, then
        those it begins ("tech hikvision" is not "Hangzhou Hikvision Digital Technology
        Company" first, though "tech" is in "technology")."""
        words = typed.lower().split()
        found = [name for name in self.names if all(w in name.lower() for w in words)]
        wanted = " ".join(words)
        return sorted(
            found,
            key=lambda name: (name.lower() != wanted, not name.lower().startswith(wanted)),
        )

    def show_names(self, typed: str) -> None:
        listed = self.query_one(OptionList)
        listed.clear_options()
        found = self.matching(typed)
        options = [Option(literal(name), id=str(i)) for i, name in enumerate(found)]
        typed = " ".join(typed.split())
        if typed and typed not in found:
            options.insert(0, Option(Content("use “") + literal(typed) + Content("”"), id="typed"))
        self.shown = ([typed] if options and options[0].id == "typed" else []) + found
        listed.add_options(options)
        if options:
            listed.highlighted = 0

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        if event.value == self.current and self.query_one(OptionList).option_count:
            # The value it opened with: keep every name listed.
            return
        self.show_names(event.value)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.dismiss("")
            return
        listed = self.query_one(OptionList)
        index = listed.highlighted or 0
        self.dismiss(self.shown[index] if self.shown else event.value)

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index])

    def action_focus_names(self) -> None:
        self.query_one(OptionList).focus()

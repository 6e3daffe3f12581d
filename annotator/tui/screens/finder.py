"""Type to find, enter to go: full-text search over sentences and the document list."""

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotator.tui.render import literal

# (query) -> [(sentence id to open, line to show)]
Finder = Callable[[str], list[tuple[int, Content]]]


class FinderScreen(ModalScreen[int | None]):
    """Dismisses with the sentence id to open, or None on escape."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="finder.cancel"),
        Binding("down", "focus_results", "Results", show=False, id="finder.results"),
    ]

    def __init__(self, title: str, placeholder: str, find: Finder, *, search_empty: bool):
        super().__init__(classes="finder")
        self.finder_title = title
        self.placeholder = placeholder
        self.find = find
        self.search_empty = search_empty

    def compose(self) -> ComposeResult:
        with Vertical(id="finder-box"):
            yield Static(Content.styled(self.finder_title, "bold"), id="finder-title")
            yield Input(placeholder=self.placeholder, id="finder-input")
            yield OptionList(id="finder-results")
            yield Static(
                Content.styled("enter: open · ↓: to the results · escape: cancel", "dim"),
                id="finder-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.search_empty:
            self.run_find("")

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        if event.value.strip() or self.search_empty:
            self.run_find(event.value)
        else:
            self.query_one(OptionList).clear_options()

    # Reads only: a newer query may cancel an older one.
    @work(thread=True, exclusive=True, group="find")
    def run_find(self, words: str) -> None:
        found = self.find(words)
        self.app.call_from_thread(self.show_results, found)

    def show_results(self, found: list[tuple[int, Content]]) -> None:
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options([Option(line, id=str(sentence_id)) for sentence_id, line in found])
        if found:
            results.highlighted = 0

    @on(Input.Submitted)
    def submitted(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            index = results.highlighted or 0
            self.dismiss(int(results.get_option_at_index(index).id))

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_focus_results(self) -> None:
        self.query_one(OptionList).focus()


def hit_line(title: str, text: str) -> Content:
    return Content.styled(f"{title}: ", "dim") + literal(text)

"""Type to find, enter to go: full-text search over sentences and the document list."""

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from annotator.tui.render import literal

# (query) -> [(sentence id to open, line to show)]
Finder = Callable[[str], list[tuple[int, Content]]]

# A search starts once typing has paused this long: a search per key would queue
# one full-text query per character, each slower than the typing.
DEBOUNCE_SECONDS = 0.15
# Longer queries find nothing more, and cost more per word.
MAX_QUERY_CHARS = 200


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
        self._pending: Timer | None = None
        self._pending_words = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="finder-box"):
            yield Static(Content.styled(self.finder_title, "bold"), id="finder-title")
            yield Input(placeholder=self.placeholder, id="finder-input", max_length=MAX_QUERY_CHARS)
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
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        words = event.value[:MAX_QUERY_CHARS]
        if words.strip() or self.search_empty:
            self._pending = self.set_timer(DEBOUNCE_SECONDS, lambda: self._search(words))
            self._pending_words = words
        else:
            self.workers.cancel_group(self, "find")
            self.query_one(OptionList).clear_options()

    def _search(self, words: str) -> None:
        self._pending = None
        self.run_find(words)

    # Reads only: a newer query may cancel an older one.
    @work(thread=True, exclusive=True, group="find")
    def run_find(self, words: str, *, open_first: bool = False) -> None:
        found = self.find(words)
        # A thread cannot be stopped mid-query; a cancelled one only drops its answer.
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_results, found, open_first)

    def show_results(self, found: list[tuple[int, Content]], open_first: bool = False) -> None:
        if open_first and found:
            self.dismiss(found[0][0])
            return
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options([Option(line, id=str(sentence_id)) for sentence_id, line in found])
        if found:
            results.highlighted = 0

    @on(Input.Submitted)
    def submitted(self) -> None:
        if self._pending is not None:
            # Enter before the pause that starts a search: search now, open the first.
            self._pending.stop()
            self._pending = None
            self.run_find(self._pending_words, open_first=True)
            return
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

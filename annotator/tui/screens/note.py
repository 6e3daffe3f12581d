"""A one-line text prompt: enter keeps what was typed, escape leaves it unchanged."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class NoteScreen(ModalScreen[str | None]):
    """Dismisses with the text (possibly empty, to clear a note), or None on escape."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="note.cancel")]

    def __init__(
        self,
        title: str,
        current: str | None = None,
        *,
        placeholder: str = "a note…",
        hint: str = "enter: save · empty clears the note · escape: cancel",
    ):
        super().__init__(classes="picker")
        self.note_title = title
        self.current = current or ""
        self.placeholder = placeholder
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Content.styled(self.note_title, "bold"), markup=False)
            yield Input(value=self.current, placeholder=self.placeholder, id="note-input")
            yield Static(Content.styled(self.hint, "dim"), markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

"""A small modal: one key per choice, escape to leave without choosing."""

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


@dataclass(frozen=True)
class Choice:
    key: str
    value: str | int
    description: str


class PickerScreen(ModalScreen[str | int | None]):
    """Dismisses with the chosen value, or None on escape."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel")]

    def __init__(self, title: str, choices: list[Choice], current: str | int | None = None):
        super().__init__(classes="picker")
        self.picker_title = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        lines = [Content.styled(self.picker_title, "bold"), Content("")]
        for choice in self.choices:
            mark = "●" if choice.value == self.current else " "
            lines.append(
                Content.styled(f" {choice.key} ", "reverse bold")
                + Content(f" {mark} {choice.value}  {choice.description}")
            )
        lines += [Content(""), Content.styled("escape: cancel", "dim")]
        with Vertical(id="picker-box"):
            yield Static(Content("\n").join(lines), id="picker-choices")

    def on_key(self, event) -> None:
        for choice in self.choices:
            if event.character and event.character.lower() == choice.key.lower():
                event.stop()
                self.dismiss(choice.value)
                return

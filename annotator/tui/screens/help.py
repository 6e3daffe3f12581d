"""`?`: every key of a screen, generated from its bindings."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close help", id="help.close"),
    ]

    def __init__(
        self,
        bindings: list[Binding],
        title: str = "Review keys",
        explained: list[Content] | None = None,
    ):
        super().__init__()
        self.screen_bindings = bindings
        self.help_title = title
        self.explained = explained or []

    def compose(self) -> ComposeResult:
        lines = [
            Content.styled(self.help_title, "bold")
            + Content.styled("  (scrolls: ↑ ↓ pgup pgdn · escape closes)", "dim"),
            Content(""),
        ]
        if self.explained:
            lines += [*self.explained, Content("")]
        for binding in self.screen_bindings:
            keys = binding.key_display or binding.key
            lines.append(
                Content.styled(f"{keys:>16}", "bold")
                + Content(f"  {binding.tooltip or binding.description}")
            )
        lines += [
            Content(""),
            Content.styled(f"{'ctrl+p':>16}", "bold")
            + Content("  command palette: every action by name"),
            Content.styled("escape, ? or q closes this help", "dim"),
        ]
        with VerticalScroll(id="help-box"):
            yield Static(Content("\n").join(lines), id="help-keys")

"""`annotator review`: the Textual app around the review screen."""

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from annotator.core.store import Store
from annotator.tui.screens.review import ReviewScreen


class ReviewApp(App):
    CSS_PATH = "review.tcss"
    TITLE = "annotator review"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, store: Store, reviewer: str, order: str = "document"):
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.order = order

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.store, self.reviewer, self.order))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key of the review and contradiction screens is also a command in the
        palette (ctrl+p)."""
        yield from super().get_system_commands(screen)
        if getattr(screen, "KEYS_IN_PALETTE", False):
            for binding in screen.BINDINGS:
                keys = binding.key_display or binding.key
                yield SystemCommand(
                    binding.description,
                    f"key: {keys}",
                    lambda action=binding.action, target=screen: target.run_action(action),
                )

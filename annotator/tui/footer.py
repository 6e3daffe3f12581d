"""The footer of key hints, rebuilt only when the keys it shows change."""

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """Textual's Footer rebuilds all its key widgets whenever the screen's bindings
    are refreshed, which happens each time a picker or the help closes although the
    same keys come back; that rebuild was most of the time a picker took."""

    _shown: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (key, active.binding.action, active.binding.description, active.enabled)
            for key, active in screen.active_bindings.items()
            if active.binding.show
        )
        if shown == self._shown and self.children:
            return
        self._shown = shown
        super().bindings_changed(screen)

"""The footer of key hints, rebuilt only when the keys it shows change."""

from textual import events
from textual.screen import Screen
from textual.widgets import Footer

# Below this width the keys lose their padding and the palette hint goes (ctrl+p still
# opens it, and the help lists it), so that an 80-column terminal shows every key the
# screen marks as shown.
COMPACT_BELOW = 100


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

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < COMPACT_BELOW
        self.compact = narrow
        if self.show_command_palette == narrow:
            self.show_command_palette = not narrow
            self.refresh(recompose=True)  # the palette hint is made only in compose

"""Key bindings as the screens declare them: one call per key, with a stable id
(`screen.action`) so that the help, the palette and the tests can name each."""

import functools
import re

from textual.binding import Binding


def _binding(
    screen: str,
    key: str,
    action: str,
    description: str,
    *,
    show: bool = False,
    display: str | None = None,
    tooltip: str = "",
) -> Binding:
    return Binding(
        key,
        action,
        description,
        show=show,
        key_display=display,
        tooltip=tooltip,
        id=f"{screen}." + re.sub(r"\W+", ".", action).strip("."),
    )


def binder(screen: str):
    """The binding maker of one screen: `_b = binder("review")`."""
    return functools.partial(_binding, screen)

"""Undo, redo and pickers as the review and contradiction screens both use them."""

from collections.abc import Callable

from textual.content import Content

from annotator.core import actions
from annotator.core.errors import RefusedInput
from annotator.tui.render import literal
from annotator.tui.screens.picker import Choice, PickerScreen

_WALKS = {
    "undo": (actions.undo, "undid", "nothing left to undo"),
    "redo": (actions.redo, "redid", "nothing to redo"),
}


def walk(screen, direction: str, after: Callable[[actions.Outcome], None]) -> None:
    """Undo or redo the reviewer's last action; `after` shows its effect, then the
    status line says in words what was walked."""
    step, verb, empty = _WALKS[direction]
    try:
        outcome = step(screen.store, screen.reviewer)
    except RefusedInput as error:
        screen.say(Content.styled("not saved: ", "bold") + literal(str(error)))
        screen.app.bell()
        return
    if outcome is None:
        screen.say(empty)
        return
    after(outcome)
    screen.say(Content.styled("✓ ", "bold") + literal(f"{verb}: {outcome.walked}"))


def pick(screen, title: str, choices: list[Choice], current, then: Callable) -> None:
    """Open a picker; `then(value)` runs only when something was chosen."""

    def chosen(value) -> None:
        if value is not None:
            then(value)

    screen.app.push_screen(PickerScreen(title, choices, current), chosen)

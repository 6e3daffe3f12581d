"""Snapshots of the review and contradictions screens, their help and every modal,
small and large.

Update after an intended change with `pytest --snapshot-update` and review the SVGs.
"""

import pytest

from annotator.contradictions.generate import generate_candidates
from annotator.tui.app import ReviewApp

SIZES = [(80, 24), (120, 40)]


async def _settled(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _typing(*keys):
    async def run_before(pilot) -> None:
        await _settled(pilot)
        await pilot.press(*keys)
        await _settled(pilot)

    return run_before


SCREENS = {
    "main": (),
    "main_with_selection": ("j", "w", "v", "e", "e"),
    # the cursor inside the focused span, then on an attribution with its content shown
    "main_cursor_in_span": ("j", "l", "l"),
    "attribution_focused": ("slash", *"declined to be named", "enter", "shift+tab"),
    "attribution_kind": ("slash", *"declined to be named", "enter", "shift+tab", "t"),
    "attribution_role": ("slash", *"declined to be named", "enter", "P"),
    "attribution_reason": ("slash", *"declined to be named", "enter", "shift+tab", "R"),
    "attribution_name": ("slash", *"She went on", "enter", "shift+tab", "o"),
    "help": ("question_mark",),
    "sentence_label": ("s",),
    "source_reliability": ("j", "j", "j", "j", "j", "j", "j", "r"),
    "claim_credibility": ("c",),
    "search": ("slash", *"lawmakers"),
    "jump_document": ("g",),
    "contradictions": ("C",),
    "contradictions_kind": ("C", "j", "t"),
    "contradictions_note": ("C", "i", *"same event"),
    "contradictions_help": ("C", "question_mark"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_snapshot(snap_compare, seeded, name, size):
    if name.startswith("contradictions"):
        generate_candidates(seeded)
    app = ReviewApp(seeded, "tester")
    assert snap_compare(app, terminal_size=size, run_before=_typing(*SCREENS[name]))

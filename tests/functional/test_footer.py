"""The review screen's footer keeps its key widgets while the keys stay the same, and
rebuilds them when a key it shows changes."""

import asyncio

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from annotator.tui.footer import SteadyFooter
from annotator.tui.screens.picker import PickerScreen
from tests.functional.test_review_app import drive


def footer_keys(screen) -> list[FooterKey]:
    return list(screen.query_one(SteadyFooter).query(FooterKey))


def test_closing_a_picker_or_the_help_keeps_the_same_footer(seeded_path):
    from annotator.core.store import Store

    async def scenario(pilot, screen):
        before = footer_keys(screen)
        for key, close in (("s", "escape"), ("question_mark", "escape"), ("c", "2")):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press(close)
            await pilot.pause()
        return before, footer_keys(screen), screen.app.screen is screen

    with Store(seeded_path) as store:
        before, after, back = drive(store, scenario)
    assert back
    assert [key.description for key in before][:3] == ["Accept", "Reject", "Next"]
    assert len(after) == len(before)
    assert all(a is b for a, b in zip(after, before, strict=True))


class Lockable(Screen):
    BINDINGS = [Binding("x", "delete", "Delete"), Binding("y", "other", "Other")]
    locked = False

    def compose(self):
        yield Static("lockable")
        yield SteadyFooter()

    def check_action(self, action, parameters):
        # None: shown but disabled (drawn dim), as Textual's own apps do
        return None if action == "delete" and self.locked else True


class LockApp(App):
    def on_mount(self):
        self.push_screen(Lockable())


def test_the_footer_is_rebuilt_only_when_a_key_it_shows_changes():
    async def main():
        app = LockApp()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            first = footer_keys(screen)
            screen.refresh_bindings()
            await pilot.pause()
            unchanged = footer_keys(screen)
            screen.locked = True
            screen.refresh_bindings()
            await pilot.pause()
            return first, unchanged, footer_keys(screen)

    first, unchanged, locked = asyncio.run(main())
    assert [k.key for k in first] == ["x", "y", "ctrl+p"]
    assert all(a is b for a, b in zip(unchanged, first, strict=True))
    assert [k.key for k in locked] == ["x", "y", "ctrl+p"]
    assert not any(a is b for a, b in zip(locked, first, strict=True))


def test_the_picker_still_opens_over_the_steady_footer(seeded_path):
    from annotator.core.store import Store

    async def scenario(pilot, screen):
        await pilot.press("s")
        await pilot.pause()
        return isinstance(screen.app.screen, PickerScreen)

    with Store(seeded_path) as store:
        assert drive(store, scenario)


def test_every_key_the_review_footer_shows_fits_in_80_columns(seeded_path):
    from annotator.core.store import Store

    async def scenario(pilot, screen):
        keys = footer_keys(screen)
        return [(key.description, key.region.right) for key in keys]

    with Store(seeded_path) as store:
        shown = drive(store, scenario, size=(80, 24))
    from annotator.tui.screens.review import ReviewScreen

    wanted = [b.description for b in ReviewScreen.BINDINGS if b.show]
    assert [d for d, _ in shown][: len(wanted)] == wanted
    assert all(right <= 80 for _, right in shown), shown

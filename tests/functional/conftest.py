"""What the functional tests of the review screen share."""

import asyncio

from annotator.core.store import Store
from annotator.tui.app import ReviewApp
from annotator.tui.screens.review import ReviewScreen


def drive(store: Store, scenario, size=(120, 40)):
    """Run `scenario(pilot, screen)` in the real app on `store`."""

    async def main():
        app = ReviewApp(store, "tester")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            result = await scenario(pilot, screen)
            await pilot.pause()
            return result

    return asyncio.run(main())


def goto(store: Store, screen: ReviewScreen, words: str) -> int:
    sid = store.db.execute(
        "SELECT id FROM sentences WHERE text LIKE ? ORDER BY id", [f"%{words}%"]
    ).fetchone()[0]
    screen.show(sid)
    return sid

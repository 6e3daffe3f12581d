"""The search box: typing fast starts one search when typing pauses, not one per
key, and escape answers at once however much was typed."""

import asyncio
import threading
import time

from textual.app import App
from textual.widgets import Input

from annotator.tui.screens.finder import MAX_QUERY_CHARS, FinderScreen


async def _type(pilot, app, text: str) -> None:
    """Type faster than Pilot presses keys (each press waits for the screen): a
    key at a time, as the keyboard sends them, with the event loop running between."""
    box = app.screen.query_one(Input)
    await pilot.press(*text[:5])
    for character in text[5:]:
        box.insert_text_at_cursor(character)
        await asyncio.sleep(0.001)


class _Host(App):
    def __init__(self, find):
        super().__init__()
        self.find = find
        self.closed_with = "open"

    def on_mount(self) -> None:
        def closed(result) -> None:
            self.closed_with = result

        self.push_screen(FinderScreen("Find", "words", self.find, search_empty=False), closed)


def test_fast_typing_runs_few_searches_and_escape_answers_at_once():
    queries: list[str] = []
    lock = threading.Lock()

    def find(words: str):
        with lock:
            queries.append(words)
        time.sleep(0.05)  # a full-text search over a big corpus is not free
        return []

    async def main():
        app = _Host(find)
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, FinderScreen)
            typed = "hikvision sanctions " * 100  # 2,000 characters
            await _type(pilot, app, typed)
            started = time.monotonic()
            await pilot.press("escape")
            await pilot.pause()
            answered = time.monotonic() - started
            assert app.closed_with is None and not isinstance(app.screen, FinderScreen)
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            return answered, app

    answered, app = asyncio.run(main())
    assert answered < 1.0, answered
    assert len(queries) < 20, len(queries)
    assert all(len(q) <= MAX_QUERY_CHARS for q in queries)


def test_the_search_runs_once_typing_pauses_on_the_capped_query():
    queries: list[str] = []

    async def main():
        app = _Host(lambda words: queries.append(words) or [])
        async with app.run_test() as pilot:
            await pilot.pause()
            await _type(pilot, app, "x" * (MAX_QUERY_CHARS + 50))
            await pilot.pause(0.5)
            await app.workers.wait_for_complete()
            assert len(app.screen.query_one(Input).value) == MAX_QUERY_CHARS

    asyncio.run(main())
    assert queries and queries[-1] == "x" * MAX_QUERY_CHARS

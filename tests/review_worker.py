"""A reviewer at the keyboard, in a process of its own: the real review app driven
by Pilot, for the concurrency test.

    python -m tests.review_worker DB REVIEWER ACTIONS SENTENCE_ID... > result.json

Cycles over its sentences pressing keys that each change something (accept or
reject the focused span, a sentence label, a credibility rating), checks that the
screen says "✓ saved" after every one, and prints what it left behind as JSON.
"""

import asyncio
import json
import sys
import time

from annotator.core.store import Store
from annotator.tui.app import ReviewApp
from annotator.tui.screens.review import ReviewScreen


def _status(screen: ReviewScreen) -> str:
    return str(screen.query_one("#status").render())


async def _decide(pilot, screen: ReviewScreen) -> None:
    # Focus is on a span, or, once its spans are decided, on an attribution.
    item = screen.focused_span or screen.focused_attribution
    await pilot.press("x" if item.status == "accepted" else "a")


async def _label(pilot, screen: ReviewScreen) -> None:
    await pilot.press("s", "2" if screen.view.label == "CFS" else "1")


async def _rate(pilot, screen: ReviewScreen) -> None:
    await pilot.press("c", "4" if screen.view.credibility == 3 else "3")


# Mostly decisions, as in a real session; pickers are a screen of their own and
# cost Textual a few hundred milliseconds each, so they come less often.
STEPS = (_decide, _decide, _decide, _label, _decide, _decide, _decide, _rate)


async def review(db: str, reviewer: str, count: int, sentences: list[int]) -> dict:
    with Store(db) as store:
        app = ReviewApp(store, reviewer)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            started = time.time()
            for number in range(count):
                sentence = sentences[(number // len(STEPS)) % len(sentences)]
                if screen.view.id != sentence:
                    screen.show(sentence)
                    await pilot.pause()
                # Pilot returns once the key has been handled and the screen updated.
                await STEPS[number % len(STEPS)](pilot, screen)
                shown = _status(screen)
                if not shown.startswith("✓ saved"):
                    raise SystemExit(f"{reviewer}, action {number}: the screen says {shown!r}")
            finished = time.time()
            left = {}
            for sentence in sentences:
                screen.show(sentence)
                await pilot.pause()
                view = screen.view
                left[sentence] = {
                    "label": view.label,
                    "credibility": view.credibility,
                    "spans": {span.id: span.status for span in view.spans},
                }
    return {"actions": count, "started": started, "finished": finished, "sentences": left}


if __name__ == "__main__":
    db, reviewer, count, *sentences = sys.argv[1:]
    result = asyncio.run(review(db, reviewer, int(count), [int(s) for s in sentences]))
    print(json.dumps(result))

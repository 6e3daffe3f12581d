"""The review screen walks sentences by a trained model's scores (real app, Pilot)."""

import asyncio

from annotator.core.scores import SentenceScore, store_scores
from annotator.tui.app import ReviewApp


def _run(store, order: str, scenario):
    async def main():
        app = ReviewApp(store, "tester", order)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return await scenario(pilot, app.screen)

    return asyncio.run(main())


def test_checkworthy_order_starts_at_the_top_score_and_j_walks_down(seeded):
    ids = [r[0] for r in seeded.db.execute("SELECT id FROM sentences ORDER BY id")]
    ranked = [ids[9], ids[3], ids[20]]
    with seeded.write() as db:
        store_scores(
            db,
            [(ranked[0], SentenceScore(0.95, 0.1)), (ranked[1], SentenceScore(0.5, 0.99)),
             (ranked[2], SentenceScore(0.2, 0.4))],
            "m-1",
        )  # fmt: skip

    async def scenario(pilot, screen):
        seen = [screen.view.id]
        for _ in range(2):
            await pilot.press("j")
            seen.append(screen.view.id)
        await pilot.press("k")
        back = screen.view.id
        await pilot.press("O")  # → uncertain: its top sentence still to review
        uncertain = (screen.order, screen.view.id)
        await pilot.press("O", "O")  # → document → checkworthy
        return seen, back, uncertain, screen.order

    seen, back, uncertain, order = _run(seeded, "checkworthy", scenario)
    assert seen == ranked
    assert back == ranked[1]
    assert uncertain == ("uncertain", ranked[1])
    assert order == "checkworthy"


def test_the_score_is_on_the_top_line(seeded):
    first = seeded.db.execute("SELECT min(id) FROM sentences").fetchone()[0]
    with seeded.write() as db:
        store_scores(db, [(first, SentenceScore(0.8125, 0.375))], "m-1")

    async def scenario(pilot, screen):
        screen.show(first)
        await pilot.pause()
        return screen.pane("info").render().plain

    text = _run(seeded, "document", scenario)
    assert "check-worthy 0.812" in text or "check-worthy 0.813" in text
    assert "by " not in text.split("check-worthy")[1]


def test_o_without_scores_keeps_the_corpus_order_and_says_why(seeded):
    async def scenario(pilot, screen):
        first = screen.view.id
        await pilot.press("O")
        said = screen.pane("status").render().plain
        await pilot.press("j")
        return screen.order, said, first, screen.view.id

    order, said, first, following = _run(seeded, "document", scenario)
    assert order == "document" and "no sentence has a score" in said
    assert following == first + 1

"""Corpus text is data: markup and control characters in a sentence are drawn as
characters, and clicking them does nothing."""

import asyncio

from annotator.core.ingest import ingest
from annotator.core.store import Store
from annotator.nlp.pipeline import Pipeline
from annotator.tui.app import ReviewApp
from annotator.tui.render import visible

HOSTILE = "Click [@click=app.quit]x[/] or [/ or [red]x[/] and ~ESC~ here, said 40 people."


def test_markup_and_escape_in_a_sentence_are_shown_literally_and_clicks_do_nothing(tmp_path):
    source = tmp_path / "hostile.txt"
    source.write_text(HOSTILE + "\n", encoding="utf-8")
    with Store(tmp_path / "a.db") as store:
        ingest(store, [source], pipeline=Pipeline("rules"))
        # Ingest strips control characters; a hand-edited or imported database may still
        # hold one, so put an ESC in place of the "~" markers, keeping every offset.
        store.db.execute("UPDATE sentences SET text = replace(text, '~', char(27))")
        store.db.conn.commit()
        stored = store.db.execute("SELECT text FROM sentences").fetchone()[0]
        assert "\x1b" in stored

        async def main():
            app = ReviewApp(store, "tester")
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                shown = str(app.screen.query_one("#reading").render())
                for x in range(0, 70, 2):
                    for y in range(0, 8):
                        await pilot.click("#reading", offset=(x, y))
                await pilot.pause()
                return shown, app.is_running

        shown, running = asyncio.run(main())
    assert running, "a click on corpus text must not run an action"
    flat = shown.replace("⟦N", "").replace("⟧", "").replace("\n", " ")
    for piece in ("[@click=app.quit]x[/]", "[/ or", "[red]x[/]", "␛ESC␛"):
        assert piece in flat, piece


def test_visible_replaces_each_control_character_with_one_character():
    text = "a\x1b[31mb\x00c\x9bd\u202ee\tf\x7f"
    shown = visible(text)
    assert len(shown) == len(text)
    assert shown == "a␛[31mb␀c\ufffdd\ufffde␉f␡"

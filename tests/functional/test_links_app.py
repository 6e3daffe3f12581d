"""The contradictions screen driven through Textual's Pilot: every binding, checked
against the database first and the screen second."""

import asyncio

import pytest

from annotator.contradictions import query
from annotator.contradictions.generate import generate_candidates
from annotator.core.store import Store
from annotator.tui.app import ReviewApp
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.links import LinksScreen
from annotator.tui.screens.note import NoteScreen
from annotator.tui.screens.picker import PickerScreen
from annotator.tui.screens.review import ReviewScreen
from tests.conftest import sentence_with

# Every key below is pressed by a test in this module; the last test checks that
# no binding of the contradictions screen is missing from this list.
KEYS_TESTED = {
    "c", "x", "e", "t", "i", "j", "down", "k", "up", "w", "f", "1", "2", "u", "U", "ctrl+r",
    "question_mark", "escape", "q",
}  # fmt: skip

WAITING = "waiting on whether to add"


@pytest.fixture
def linked(seeded):
    generate_candidates(seeded)
    return seeded


def drive(store: Store, scenario, size=(120, 40), words: str = WAITING):
    """Open the review screen on the sentence with `words`, press C, run
    `scenario(pilot, links_screen)`."""

    async def main():
        app = ReviewApp(store, "tester")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            review_screen = app.screen
            assert isinstance(review_screen, ReviewScreen)
            review_screen.show(sentence_with(store, words)[0])
            await pilot.press("C")
            await pilot.pause()
            links = app.screen
            assert isinstance(links, LinksScreen)
            result = await scenario(pilot, links)
            await pilot.pause()
            return result

    return asyncio.run(main())


def link_row(store: Store, link_id: int) -> tuple:
    return store.db.execute(
        "SELECT status, gold_label, kind, note, reviewer FROM contradictions WHERE id = ?",
        [link_id],
    ).fetchone()


def text_of(links: LinksScreen, widget: str) -> str:
    return str(links.query_one(f"#{widget}").render())


def test_confirm_reject_and_entailment_are_saved_before_the_next_key(linked):
    async def scenario(pilot, links):
        first = links.current["id"]
        await pilot.press("c")
        assert link_row(linked, first)[:2] == ("confirmed", "contradiction")
        # The next link still proposed comes into focus.
        second = links.current["id"]
        assert second != first and links.current["status"] == "proposed"
        await pilot.press("x")
        assert link_row(linked, second)[:2] == ("rejected", "neutral")
        third = links.current["id"]
        await pilot.press("e")
        assert link_row(linked, third)[:2] == ("rejected", "entailment")
        assert "✓ saved" in text_of(links, "links-status")
        return first, second, third

    first, second, third = drive(linked, scenario)
    assert link_row(linked, first)[4] == "tester"
    logged = [row[0] for row in linked.db.execute("SELECT action FROM events ORDER BY id")]
    assert logged == ["confirm_link", "reject_link", "reject_link"]


def test_kind_picker_and_note(linked):
    async def scenario(pilot, links):
        link = links.current["id"]
        await pilot.press("t")
        assert isinstance(links.app.screen, PickerScreen)
        await pilot.press("5")  # temporal
        assert link_row(linked, link)[2] == "temporal"
        await pilot.press("i")
        assert isinstance(links.app.screen, NoteScreen)
        await pilot.press(*"same event? [red]x[/]", "enter")
        assert link_row(linked, link)[3] == "same event? [red]x[/]"
        # The note is shown literally.
        assert "same event? [red]x[/]" in text_of(links, "link-info")
        await pilot.press("i", "escape")
        assert link_row(linked, link)[3] == "same event? [red]x[/]"
        return link

    drive(linked, scenario)


def test_undo_and_redo_walk_link_decisions(linked):
    async def scenario(pilot, links):
        link = links.current["id"]
        await pilot.press("c")
        await pilot.press("u")
        assert link_row(linked, link)[0] == "proposed"
        await pilot.press("U")
        assert link_row(linked, link)[0] == "confirmed"
        await pilot.press("u", "ctrl+r")
        assert link_row(linked, link)[0] == "confirmed"

    drive(linked, scenario)


def test_moving_scope_filter_and_opening_a_claim(linked):
    async def scenario(pilot, links):
        ids = [link["id"] for link in links.links]
        assert len(ids) > 2
        await pilot.press("j")
        assert links.current["id"] == ids[1]
        await pilot.press("down", "down", "k")
        assert links.current["id"] == ids[2]
        await pilot.press("up")
        assert links.current["id"] == ids[1]
        # The two claims side by side, each with the words that differ marked.
        assert links.current["claim1"]["text"][:20] in text_of(links, "claim1")
        assert links.current["claim2"]["text"][:20] in text_of(links, "claim2")

        await pilot.press("w")
        assert "whole corpus" in text_of(links, "links-title")
        everywhere = len(links.links)
        assert everywhere == len(query.whole_corpus(linked, limit=1000))
        await pilot.press("w")
        assert "entities of sentence" in text_of(links, "links-title")

        await pilot.press("c", "f")
        assert " proposed " in text_of(links, "links-title")
        assert all(link["status"] == "proposed" for link in links.links)
        await pilot.press("f")
        assert [link["status"] for link in links.links] == ["confirmed"]
        await pilot.press("f", "f")
        assert " all " in text_of(links, "links-title")

        wanted = links.current["claim2"]["sentence_id"]
        await pilot.press("2")
        review_screen = links.app.screen
        assert isinstance(review_screen, ReviewScreen) and review_screen.view.id == wanted
        await pilot.press("C")
        wanted = links.app.screen.current["claim1"]["sentence_id"]
        await pilot.press("1")
        assert links.app.screen.view.id == wanted

    drive(linked, scenario)


def test_help_lists_every_binding_and_q_goes_back(linked):
    async def scenario(pilot, links):
        await pilot.press("question_mark")
        help_screen = links.app.screen
        assert isinstance(help_screen, HelpScreen)
        shown = str(help_screen.query_one("#help-keys").render())
        for binding in LinksScreen.BINDINGS:
            assert (binding.tooltip or binding.description) in shown
        await pilot.press("escape")
        assert links.app.screen is links
        commands = {c.title for c in links.app.get_system_commands(links)}
        assert {b.description for b in LinksScreen.BINDINGS} <= commands
        await pilot.press("q")
        return isinstance(links.app.screen, ReviewScreen)

    assert drive(linked, scenario)


def test_a_sentence_without_links_says_so_and_the_corpus_is_one_key_away(seeded):
    async def scenario(pilot, links):
        assert links.links == []
        assert "No contradiction links here" in text_of(links, "link-info")
        await pilot.press("c")  # nothing to confirm: a bell, no event
        return links.current

    assert drive(seeded, scenario) is None
    assert seeded.db.execute("SELECT count(*) FROM events").fetchone() == (0,)


def test_every_links_binding_is_exercised_here():
    bound = {key.strip() for b in LinksScreen.BINDINGS for key in b.key.split(",")}
    assert bound - KEYS_TESTED == set()

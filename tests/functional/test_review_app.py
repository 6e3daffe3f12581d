"""The review screen driven through Textual's Pilot: every binding, checked against
the database first and the screen second."""

from annotator.contradictions.generate import generate_candidates
from annotator.core import review
from annotator.core.store import Store
from annotator.tui.screens.finder import FinderScreen
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.links import LinksScreen
from annotator.tui.screens.picker import PickerScreen
from annotator.tui.screens.review import ReviewScreen
from tests.conftest import sentence_with
from tests.functional.conftest import drive, goto

# Every key below is pressed by a test in this module; the last test checks that
# no binding of the review screen is missing from this list.
KEYS_TESTED = {
    "a", "x", "j", "k", "u", "question_mark", "q", "A", "tab", "down", "shift+tab", "up",
    "d", "delete", "1", "2", "3", "4", "5", "6", "less_than_sign", "comma",
    "greater_than_sign", "full_stop", "left_curly_bracket", "left_square_bracket",
    "right_curly_bracket", "right_square_bracket", "l", "right", "h", "left", "w", "b", "e",
    "0", "home", "dollar_sign", "end", "L", "shift+right", "H", "shift+left", "W",
    "ctrl+shift+right", "B", "ctrl+shift+left", "v", "escape", "s", "r", "c", "n", "p", "g",
    "slash", "U", "ctrl+r", "C", "m", "M",
    # pressed in test_review_attributions.py
    "t", "R", "o", "P", "N", "T", "J", "K",
    # pressed in test_review_order.py
    "O",
    # pressed in test_entities_app.py
    "E",
}  # fmt: skip


def status(store: Store, span_id: int) -> str:
    return store.db.execute("SELECT status FROM spans WHERE id = ?", [span_id]).fetchone()[0]


def screen_text(screen: ReviewScreen, widget: str) -> str:
    return str(screen.query_one(f"#{widget}").render())


def test_a_busy_database_is_reported_on_the_status_line_and_the_key_can_be_pressed_again(
    seeded_path,
):
    import sqlite3

    with Store(seeded_path, busy_timeout=0.2) as store:

        async def scenario(pilot, screen):
            goto(store, screen, "more than 1 million")
            span = screen.focused_span_id
            holder = sqlite3.connect(seeded_path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                await pilot.press("a")
                assert status(store, span) == "proposed"
                assert "not saved:" in screen_text(screen, "status")
                assert "another program has been writing" in screen_text(screen, "status")
                assert screen.app.is_running
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            await pilot.press("a")
            assert status(store, span) == "accepted"
            assert "✓ saved accepted" in screen_text(screen, "status")

        drive(store, scenario)


def test_accept_reject_and_undo_write_through_before_the_next_key(seeded):
    async def scenario(pilot, screen):
        sid = goto(seeded, screen, "more than 1 million")
        first = screen.focused_span_id
        await pilot.press("a")
        assert status(seeded, first) == "accepted"
        second = screen.focused_span_id
        assert second != first
        await pilot.press("x")
        assert status(seeded, second) == "rejected"
        assert "✓ saved rejected" in screen_text(screen, "status")
        await pilot.press("u")
        assert status(seeded, second) == "proposed"
        await pilot.press("U")
        assert status(seeded, second) == "rejected"
        await pilot.press("u", "u")
        assert (status(seeded, first), status(seeded, second)) == ("proposed", "proposed")
        await pilot.press("ctrl+r")
        assert status(seeded, first) == "accepted"
        return sid

    sid = drive(seeded, scenario)
    actions_logged = [
        row[0]
        for row in seeded.db.execute("SELECT action FROM events WHERE sentence_id = ?", [sid])
    ]
    assert actions_logged == ["accept", "reject", "undo", "redo", "undo", "undo", "redo"]


def test_next_and_previous_sentence(seeded):
    async def scenario(pilot, screen):
        start = screen.view.id
        await pilot.press("j")
        assert screen.view.id == review.step(seeded, start, 1)
        await pilot.press("j", "k")
        assert screen.view.id == review.step(seeded, start, 1)
        await pilot.press("k")
        assert screen.view.id == start

    drive(seeded, scenario)


def test_accept_all_marks_the_sentence_reviewed_and_moves_the_progress_bar(seeded):
    async def scenario(pilot, screen):
        sid = goto(seeded, screen, "more than 1 million")
        assert screen.reviewed == 0
        await pilot.press("A")
        assert screen.reviewed == 1
        assert "1 / 38 sentences reviewed" in screen_text(screen, "progress-label")
        return sid

    sid = drive(seeded, scenario)
    assert review.is_reviewed(seeded, sid)


def test_undo_on_another_sentence_brings_the_progress_count_back(seeded):
    async def scenario(pilot, screen):
        sid = goto(seeded, screen, "more than 1 million")
        await pilot.press("A", "j")
        assert screen.reviewed == 1
        await pilot.press("u")
        await screen.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.view.id == sid
        return screen.reviewed

    assert drive(seeded, scenario) == 0


def test_span_focus_cycles_with_tab_and_arrows(seeded):
    async def scenario(pilot, screen):
        goto(seeded, screen, "The chips Hikvision uses")
        ids = [s.id for s in screen.view.spans]
        screen.focused_span_id = ids[0]
        await pilot.press("tab")
        assert screen.focused_span_id == ids[1]
        await pilot.press("down")
        assert screen.focused_span_id == ids[2]
        await pilot.press("shift+tab", "up")
        assert screen.focused_span_id == ids[0]
        # Attributions follow the spans in the list: up from the first reaches the last.
        await pilot.press("up")
        assert screen.focused_item == ("attribution", screen.view.attributions[-1].id)
        assert screen.in_hand == screen.view.attributions[-1].id
        for _ in screen.view.attributions:
            await pilot.press("up")
        assert screen.focused_span_id == ids[-1]
        assert screen.cursor == screen.view.spans[-1].start

    drive(seeded, scenario)


def test_delete_removes_the_focused_span_and_undo_brings_it_back(seeded):
    async def scenario(pilot, screen):
        sid = goto(seeded, screen, "more than 1 million")
        count = len(screen.view.spans)
        await pilot.press("d")
        assert len(screen.view.spans) == count - 1
        await pilot.press("delete")
        assert len(screen.view.spans) == count - 2
        await pilot.press("u", "u")
        assert len(screen.view.spans) == count
        return sid

    drive(seeded, scenario)


def test_cursor_motions(seeded):
    async def scenario(pilot, screen):
        goto(seeded, screen, "signed by more than 40 lawmakers")
        text = screen.view.text
        await pilot.press("0")
        assert screen.cursor == 0
        await pilot.press("l", "right")
        assert screen.cursor == 2
        await pilot.press("h", "left")
        assert screen.cursor == 0
        await pilot.press("w")
        assert screen.cursor == text.index(" ") + 1
        await pilot.press("b")
        assert screen.cursor == 0
        await pilot.press("e")
        assert screen.cursor == text.index(" ") - 1
        await pilot.press("dollar_sign")
        assert screen.cursor == len(text) - 1
        await pilot.press("home")
        assert screen.cursor == 0
        await pilot.press("end")
        assert screen.cursor == len(text) - 1
        assert screen.selection is None

    drive(seeded, scenario)


def _cursor_to(screen: ReviewScreen, words: str) -> int:
    screen.place.reset(screen.view.text.index(words))
    return screen.cursor


def test_selecting_with_shift_and_labelling_with_a_number_makes_a_span(seeded):
    async def scenario(pilot, screen):
        sid = goto(seeded, screen, "signed by more than 40 lawmakers")
        text = screen.view.text
        start = _cursor_to(screen, "top advisers")
        await pilot.press("L", "shift+right")
        assert screen.selection == (start, start + 3)
        await pilot.press("H", "shift+left")
        assert screen.selection == (start, start + 1)
        await pilot.press("W")
        assert screen.selection == (start, start + len("top"))
        await pilot.press("ctrl+shift+right")
        assert text[slice(*screen.selection)] == "top advisers"
        await pilot.press("2")
        made = [s for s in screen.view.spans if s.origin == "human"]
        assert [(text[s.start : s.end], s.label, s.status) for s in made] == [
            ("top advisers", "QUOTE", "accepted")
        ]
        assert screen.selection is None
        assert screen.focused_span_id == made[0].id
        # Backwards with B / ctrl+shift+left.
        end = _cursor_to(screen, "advisers")
        await pilot.press("B")
        assert screen.selection == (text.index("top advisers"), end + 1)
        await pilot.press("ctrl+shift+left")
        assert screen.selection == (text.index("’s top") + 1, end + 1)
        await pilot.press("escape")
        assert screen.selection is None
        return sid

    drive(seeded, scenario)


def test_visual_mode_selection_by_word_then_each_label_key(seeded):
    async def scenario(pilot, screen):
        goto(seeded, screen, "signed by more than 40 lawmakers")
        text = screen.view.text
        made = {}
        for key, words in zip(
            "13456", ["signed", "by", "letter", "month", "advisers"], strict=True
        ):
            _cursor_to(screen, words)
            await pilot.press("v", "e", key)
            span = next(s for s in screen.view.spans if s.id == screen.focused_span_id)
            made[key] = (text[span.start : span.end], span.label)
        assert made == {
            "1": ("signed", "QUANTITY"),
            "3": ("by", "SOURCE"),
            "4": ("letter", "CUE"),
            "5": ("month", "HEDGE"),
            "6": ("advisers", "ENTITY"),
        }
        # v twice drops the selection instead of making a span.
        await pilot.press("v", "v")
        assert screen.selection is None

    drive(seeded, scenario)


def test_a_number_key_without_selection_relabels_the_focused_span(seeded):
    async def scenario(pilot, screen):
        goto(seeded, screen, "more than 1 million")
        span = screen.focused_span
        await pilot.press("5")
        changed = next(s for s in screen.view.spans if s.id == span.id)
        assert (changed.label, changed.status) == ("HEDGE", "accepted")

    drive(seeded, scenario)


def test_grow_and_shrink_the_focused_span_at_either_end(seeded):
    async def scenario(pilot, screen):
        goto(seeded, screen, "signed by more than 40 lawmakers")
        text = screen.view.text
        quantity = next(s for s in screen.view.spans if s.label == "QUANTITY")
        screen.focused_span_id = quantity.id

        def current():
            span = screen.focused_span
            return text[span.start : span.end]

        assert current() == "more than 40 lawmakers"
        await pilot.press("less_than_sign")
        assert current() == "by more than 40 lawmakers"
        await pilot.press("comma")
        assert current() == "more than 40 lawmakers"
        await pilot.press("full_stop")
        assert current() == "more than 40"
        await pilot.press("greater_than_sign")
        assert current() == "more than 40 lawmakers"
        await pilot.press("left_curly_bracket")
        assert current() == " more than 40 lawmakers"
        await pilot.press("left_square_bracket")
        assert current() == "more than 40 lawmakers"
        await pilot.press("right_square_bracket")
        assert current() == "more than 40 lawmaker"
        await pilot.press("right_curly_bracket")
        assert current() == "more than 40 lawmakers"
        return quantity.id

    span_id = drive(seeded, scenario)
    assert seeded.db.execute(
        "SELECT count(*) FROM events WHERE action = 'resize' AND payload LIKE ?",
        [f'%"id": {span_id}%'],
    ).fetchone() == (8,)


def test_sentence_label_picker(seeded):
    async def scenario(pilot, screen):
        sid = goto(seeded, screen, "more than 1 million")
        await pilot.press("s")
        assert isinstance(screen.app.screen, PickerScreen)
        await pilot.press("escape")
        assert screen.app.screen is screen
        assert screen.view.label is None
        await pilot.press("s", "2")
        assert screen.view.label == "UFS"
        await pilot.press("s", "b")
        assert screen.view.label == "boilerplate"
        return sid

    sid = drive(seeded, scenario)
    assert seeded.db.execute(
        "SELECT label FROM sentence_labels WHERE sentence_id = ?", [sid]
    ).fetchone() == ("boilerplate",)


def test_rate_source_of_the_focused_quote_and_the_claim(seeded):
    async def scenario(pilot, screen):
        sid = goto(seeded, screen, "She went on to add")
        screen.focused_span_id = next(s.id for s in screen.view.spans if s.label == "QUOTE")
        await pilot.press("r")
        assert isinstance(screen.app.screen, PickerScreen)
        await pilot.press("d")
        await pilot.press("c", "3")
        assert screen.view.credibility == 3
        assert [a.reliability for a in screen.view.attributions] == ["D"]
        assert "reliability D" in screen_text(screen, "spans")
        return sid

    sid = drive(seeded, scenario)
    rated = seeded.db.execute(
        "SELECT s.kind, s.name, r.reliability, r.reviewer FROM source_ratings r "
        "JOIN sources s ON s.id = r.source_id"
    ).fetchall()
    assert rated == [("unknown", "an executive from Hikvision who declined to be named", "D",
                      "tester")]  # fmt: skip
    assert seeded.db.execute(
        "SELECT credibility FROM claim_ratings WHERE sentence_id = ?", [sid]
    ).fetchone() == (3,)


def test_next_unreviewed_and_next_with_proposals(seeded):
    async def scenario(pilot, screen):
        first = screen.view.id
        await pilot.press("T")
        assert not screen.advance
        await pilot.press("A")
        assert screen.view.id == first
        await pilot.press("n")
        assert screen.view.id == review.next_unreviewed(seeded, first)
        assert screen.view.id != first
        here = screen.view.id
        await pilot.press("p")
        assert screen.view.id == review.next_with_proposals(seeded, here)

    drive(seeded, scenario)


def test_search_and_jump_to_document(seeded):
    async def scenario(pilot, screen):
        await pilot.press("slash")
        assert isinstance(screen.app.screen, FinderScreen)
        await pilot.press(*"lawmakers")
        await screen.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        assert screen.app.screen is screen
        assert "lawmakers" in screen.view.text
        await pilot.press("g")
        await screen.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        assert screen.app.screen is screen
        second = review.documents(seeded)[1]
        assert screen.view.id == second.first_sentence_id

    drive(seeded, scenario)


def test_help_lists_every_binding_and_closes(seeded):
    async def scenario(pilot, screen):
        await pilot.press("question_mark")
        help_screen = screen.app.screen
        assert isinstance(help_screen, HelpScreen)
        shown = str(help_screen.query_one("#help-keys").render())
        for binding in ReviewScreen.BINDINGS:
            assert binding.description in shown
        await pilot.press("escape")
        assert screen.app.screen is screen

    drive(seeded, scenario)


def test_command_palette_offers_every_review_action(seeded):
    async def scenario(pilot, screen):
        commands = {c.title for c in screen.app.get_system_commands(screen)}
        assert {b.description for b in ReviewScreen.BINDINGS} <= commands
        first = screen.view.id
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"accept every")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        return first

    sid = drive(seeded, scenario)
    assert review.is_reviewed(seeded, sid)


def test_q_quits(seeded):
    async def scenario(pilot, screen):
        await pilot.press("q")
        return screen.app.is_running

    assert drive(seeded, scenario) is False


def test_every_review_binding_is_exercised_here():
    bound = {key.strip() for b in ReviewScreen.BINDINGS for key in b.key.split(",")}
    assert bound - KEYS_TESTED == set()


def test_a_refused_action_is_shown_and_logs_nothing(seeded):
    async def scenario(pilot, screen):
        goto(seeded, screen, "more than 1 million")
        screen.focused_span_id = None
        await pilot.press("a")
        return screen_text(screen, "status")

    assert "no span in focus" in drive(seeded, scenario)
    assert seeded.db.execute("SELECT count(*) FROM events").fetchone() == (0,)


def test_the_screen_resizes_cleanly_between_small_and_large_terminals(seeded):
    async def scenario(pilot, screen):
        seen = []
        for size in [(80, 24), (200, 60), (60, 20), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            sentence = screen.query_one("#reading")
            seen.append((screen.app.size.width, sentence.region.width > 0))
        await pilot.press("j", "a")
        return seen

    assert drive(seeded, scenario, size=(120, 40)) == [
        (80, True),
        (200, True),
        (60, True),
        (120, True),
    ]


def test_mark_one_claim_go_to_the_other_and_link_them_by_hand(seeded):
    imposed, _ = sentence_with(seeded, "imposed fresh sanctions")
    stock, _ = sentence_with(seeded, "stock fell by")

    async def scenario(pilot, screen):
        await pilot.press("M")
        assert "no claim marked" in screen_text(screen, "status")
        screen.show(imposed)
        await pilot.press("m")
        await pilot.press("M")
        assert "this is the marked sentence" in screen_text(screen, "status")
        screen.show(stock)
        await pilot.press("M")
        assert isinstance(screen.app.screen, PickerScreen)
        await pilot.press("3")  # numeric
        assert "✓ saved numeric link" in screen_text(screen, "status")
        await pilot.press("u")
        assert seeded.db.execute("SELECT count(*) FROM contradictions").fetchone() == (0,)
        await pilot.press("U")

    drive(seeded, scenario)
    row = seeded.db.execute(
        "SELECT sentence1_id, sentence2_id, kind, status, origin, reviewer, entity_key "
        "FROM contradictions"
    ).fetchall()
    assert row == [(imposed, stock, "numeric", "confirmed", "human", "tester", "hikvision")]


def test_C_opens_the_contradictions_of_the_sentence_and_comes_back(seeded):
    generate_candidates(seeded)
    waiting, _ = sentence_with(seeded, "waiting on whether to add")

    async def scenario(pilot, screen):
        screen.show(waiting)
        await pilot.press("C")
        links = screen.app.screen
        assert isinstance(links, LinksScreen)
        assert links.links and links.sentence_id == waiting
        await pilot.press("escape")
        assert screen.app.screen is screen and screen.view.id == waiting

    drive(seeded, scenario)

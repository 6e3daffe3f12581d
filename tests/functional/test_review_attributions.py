"""Reviewing attributions in the real review screen, by keyboard alone: the database
first, then what the screen shows, then the same after a restart."""

from annotator.core import review
from annotator.core.store import Store
from tests.functional.conftest import drive, goto


def _attribution(store: Store, attribution_id: int) -> dict:
    cursor = store.db.execute("SELECT * FROM attributions WHERE id = ?", [attribution_id])
    return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))


def _source_text(store: Store, attribution_id: int) -> str | None:
    row = store.db.execute(
        """SELECT substr(s.text, sp.start + 1, sp."end" - sp.start) FROM attributions a
           JOIN spans sp ON sp.id = a.source_span_id JOIN sentences s ON s.id = sp.sentence_id
           WHERE a.id = ?""",
        [attribution_id],
    ).fetchone()
    return row[0] if row else None


def _state(store: Store) -> list:
    return [
        store.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
        for table in ("spans", "attributions")
    ]


def _words(screen, pane: str) -> str:
    """A pane's text with its wrapping undone."""
    return " ".join(str(screen.query_one(f"#{pane}").render()).split())


async def _tab_to_attribution(pilot, screen, index: int = 0) -> int:
    while screen.focused_item != ("attribution", screen.view.attributions[index].id):
        await pilot.press("tab")
    return screen.focused_item[1]


async def _select(pilot, screen, words: str) -> None:
    screen.place.reset(screen.view.text.index(words))
    await pilot.press("v")
    while screen.selection[1] < screen.view.text.index(words) + len(words):
        await pilot.press("L")
    assert screen.view.text[slice(*screen.selection)] == words


def test_kind_source_reason_name_reject_and_a_hand_made_one_with_undo_and_redo(seeded_path):
    with Store(seeded_path) as store:
        initial = _state(store)

        async def scenario(pilot, screen):
            await pilot.press("T")  # stay on each sentence: this test walks them itself
            goto(store, screen, "declined to be identified")
            people = await _tab_to_attribution(pilot, screen)
            await pilot.press("t", "p")
            assert _attribution(store, people)["kind"] == "named_person"
            await _select(pilot, screen, "one of the people")
            await pilot.press("P", "s")
            assert _source_text(store, people) == "one of the people"
            await pilot.press("t", "a", "R", *"spoke anonymously", "enter")
            assert _attribution(store, people)["reason"] == "spoke anonymously"
            await pilot.press("o", *"Jane Doe", "enter")
            assert _attribution(store, people)["resolved_to"] == "Jane Doe"
            shown = _words(screen, "spans")
            assert "anonymous ✓accepted" in shown and "spoke anonymously" in shown
            assert "Jane Doe" in shown and "one of the people" in shown

            goto(store, screen, "The chips Hikvision uses")
            executive = await _tab_to_attribution(pilot, screen)
            await pilot.press("x")
            assert _attribution(store, executive)["status"] == "rejected"

            # By hand: the content here, the source in the next sentence.
            quote_sentence = goto(store, screen, "She went on to add")
            await _select(pilot, screen, "Even if the U.S. stops selling them to us")
            await pilot.press("N")
            made = screen.in_hand
            assert _attribution(store, made)["content_sentence_id"] == quote_sentence
            await pilot.press("k")
            await _select(pilot, screen, "an executive from Hikvision")
            await pilot.press("P", "s")
            assert _source_text(store, made) == "an executive from Hikvision"
            row = _attribution(store, made)
            assert (row["origin"], row["status"], row["reviewer"]) == (
                "human",
                "accepted",
                "tester",
            )
            assert "Even if the U.S. stops" in _words(screen, "spans")

            after = _state(store)
            steps = 8
            for _ in range(steps):
                await pilot.press("u")
            assert _state(store) == initial
            assert "undid: attribution kind anonymous → named_person" in str(
                screen.query_one("#status").render()
            )
            for _ in range(steps):
                await pilot.press("U")
            assert _state(store) == after
            return people, made

        people, made = drive(store, scenario)

    # Reopened: what the screen shows is what the file holds.
    with Store(seeded_path) as store:

        async def reopened(pilot, screen):
            goto(store, screen, "declined to be identified")
            await _tab_to_attribution(pilot, screen)
            return _words(screen, "spans")

        shown = drive(store, reopened)
        row = _attribution(store, people)
        assert (row["kind"], row["reason"], row["resolved_to"]) == (
            "anonymous",
            "spoke anonymously",
            "Jane Doe",
        )
        assert "▶◆ anonymous ✓accepted" in shown and "reason: spoke anonymously" in shown
        assert _source_text(store, made) == "an executive from Hikvision"


def test_accept_all_covers_attributions_and_the_screen_moves_on_when_all_is_decided(seeded):
    async def scenario(pilot, screen):
        sid = goto(seeded, screen, "declined to be identified")
        await pilot.press("A")
        return sid, screen.view.id, str(screen.query_one("#status").render())

    sid, now_shown, status = drive(seeded, scenario)
    statuses = {
        row[0]
        for row in seeded.db.execute(
            "SELECT status FROM attributions WHERE content_sentence_id = ?", [sid]
        )
    }
    assert statuses == {"accepted"}
    assert now_shown == review.next_unreviewed(seeded, sid) != sid
    assert "next sentence" in status


def test_the_cursor_and_the_selection_are_drawn_in_the_sentence(seeded):
    """Every move restyles the sentence without changing its words: the pane must draw it."""

    def cells(screen, style_test) -> str:
        pane = screen.query_one("#reading")
        found = []
        for y in range(pane.size.height):
            for segment in pane.render_line(y):
                if segment.style and style_test(segment.style):
                    found.append(segment.text)
        return "".join(found)

    async def scenario(pilot, screen):
        goto(seeded, screen, "signed by more than 40 lawmakers")
        text = screen.view.text
        cursor = lambda style: style.reverse and style.underline  # noqa: E731
        await pilot.press("0")
        first = cells(screen, cursor)
        await pilot.press("w")
        second = cells(screen, cursor)
        await pilot.press("v", "e")
        selected = cells(
            screen,
            lambda style: style.bgcolor and tuple(style.bgcolor.get_truecolor()) == (0, 0x5F, 0x87),
        )
        return text, first, second, selected

    text, first, second, selected = drive(seeded, scenario)
    words = text.split()
    assert first == text[0]
    assert second == words[1][0]
    assert selected == words[1]


def test_exports_carry_attribution_decisions_and_prodigy_relations(seeded_path, run_cli):
    import json

    import jsonschema

    from annotator.core import actions
    from annotator.core import attribution_actions as attributions
    from tests.conftest import ROOT

    with Store(seeded_path) as store:
        sid, _ = store.db.execute(
            "SELECT id, text FROM sentences WHERE text LIKE '%declined to be named%'"
        ).fetchone()
        view = review.load_sentence(store, sid, "dana")
        executive = next(a for a in view.attributions if a.content_sentence_id == sid)
        actions.accept_remaining(store, "dana", sid)
        attributions.set_attribution_kind(store, "dana", executive.id, "named_org")
        other_id = store.db.execute(
            "SELECT min(id) FROM attributions WHERE id != ?", [executive.id]
        ).fetchone()[0]
        attributions.set_attribution_status(store, "dana", other_id, "rejected")

    native = run_cli("export", "--db", seeded_path)
    assert native.returncode == 0, native.stderr
    exported = {
        a["id"]: a for line in native.stdout.splitlines() for a in json.loads(line)["attributions"]
    }
    assert (exported[executive.id]["status"], exported[executive.id]["reviewer"]) == (
        "accepted",
        "dana",
    )
    assert exported[executive.id]["kind"] == "named_org"
    assert (exported[other_id]["status"], exported[other_id]["reviewer"]) == ("rejected", "dana")

    prodigy = run_cli("export", "--db", seeded_path, "--format", "prodigy")
    assert prodigy.returncode == 0, prodigy.stderr
    tasks = [json.loads(line) for line in prodigy.stdout.splitlines()]
    schema = json.loads((ROOT / "schemas" / "prodigy-task.schema.json").read_text())
    for task in tasks:
        jsonschema.validate(task, schema)
    related = [t for t in tasks if t.get("relations")]
    assert [t["meta"]["sentence_id"] for t in related] == [sid]
    (relation,) = related[0]["relations"]
    text = related[0]["text"]
    head, child = relation["head_span"], relation["child_span"]
    assert relation["label"] == "named_org"
    assert text[head["start"] : head["end"]].startswith("an executive from Hikvision")
    assert text[child["start"] : child["end"]].startswith("“The chips Hikvision uses")
    assert (relation["head"], relation["child"]) == (head["token_end"], child["token_end"])


def test_a_long_list_scrolls_with_j_and_k_so_every_line_can_be_read(seeded):
    async def scenario(pilot, screen):
        goto(seeded, screen, "The chips Hikvision uses")
        await pilot.press("shift+tab")
        before = str(screen.query_one("#spans").render()).split("\n")
        await pilot.press("J", "J")
        after = str(screen.query_one("#spans").render()).split("\n")
        await pilot.press(*"K" * 8)
        back = str(screen.query_one("#spans").render()).split("\n")
        return before, after, back

    before, after, back = drive(seeded, scenario, size=(80, 24))
    assert "more lines (J)" in before[-1]
    assert not after[-1].strip()  # the end of the attribution is reached
    assert "suppliers”" in " ".join(after) or "States,”" in " ".join(after)
    assert not back[0].strip()  # the top of the list

"""The entities screen (`E` in the review screen) driven through Textual's Pilot:
merge, split, rename, undo and redo, each checked in the database (the decision and
the relinked entities) and then on the screen."""

from annotator.core.entities import list_entities
from annotator.core.store import Store
from annotator.tui.screens.entities import EntitiesScreen
from annotator.tui.screens.help import HelpScreen
from annotator.tui.screens.name_picker import NamePickerScreen
from annotator.tui.screens.note import NoteScreen
from annotator.tui.screens.review import ReviewScreen
from tests.functional.conftest import drive as drive_review

# Every key below is pressed by a test in this module; the last test checks that
# no binding of the entities screen is missing from this list.
KEYS_TESTED = {"m", "s", "r", "j", "down", "k", "up", "u", "U", "ctrl+r", "question_mark",
               "escape", "q"}  # fmt: skip


def drive(store: Store, scenario, size=(120, 40)):
    """Open the review screen, press E, run `scenario(pilot, entities_screen)`."""

    async def on_entities(pilot, review):
        await pilot.press("E")
        await pilot.pause()
        screen = review.app.screen
        assert isinstance(screen, EntitiesScreen)
        return await scenario(pilot, screen)

    return drive_review(store, on_entities, size)


async def settle(pilot, screen) -> None:
    """Until the relink the decision started has finished and the list is read again."""
    await pilot.pause()
    await screen.app.workers.wait_for_complete()
    await pilot.pause()


def typed(text: str) -> list[str]:
    """The keys that type `text`."""
    return ["space" if c == " " else c for c in text]


def entity_of(store: Store, alias: str) -> str:
    [name] = [e["name"] for e in list_entities(store) if alias in e["aliases"]]
    return name


def decisions(store: Store) -> list[tuple]:
    return store.db.execute(
        "SELECT key, merge_into, name, reviewer FROM entity_decisions ORDER BY key"
    ).fetchall()


def screen_text(screen) -> str:
    return "\n".join(
        str(widget.render()) for widget in screen.query("#entities-title, #entity-info")
    )


async def focus(pilot, screen, name: str) -> None:
    """Move with j / k until `name` is the focused entity."""
    names = [e["name"] for e in screen.entities]
    here = names.index(screen.current["name"])
    key = "j" if names.index(name) > here else "k"
    for _ in range(abs(names.index(name) - here)):
        await pilot.press(key)
    assert screen.current["name"] == name


def test_merge_then_undo_and_redo(seeded):
    async def scenario(pilot, screen):
        await focus(pilot, screen, "Washington")
        await pilot.press("m")
        assert isinstance(screen.app.screen, NamePickerScreen)
        await pilot.press(*typed("United States"), "enter")
        await settle(pilot, screen)
        merged = entity_of(seeded, "Washington")
        on_screen = screen_text(screen)
        await pilot.press("u")
        await settle(pilot, screen)
        undone = entity_of(seeded, "Washington"), list(decisions(seeded))
        await pilot.press("U")
        await settle(pilot, screen)
        return merged, on_screen, undone, entity_of(seeded, "Washington")

    merged, on_screen, undone, redone = drive(seeded, scenario)
    assert merged == "United States" and redone == "United States"
    assert "United States" in on_screen and "Washington" in on_screen
    assert undone[0] == "Washington"


def test_split_and_rename_are_decisions_every_relink_keeps(seeded):
    async def scenario(pilot, screen):
        await focus(pilot, screen, "Hikvision")
        await pilot.press("s")
        picker = screen.app.screen
        assert isinstance(picker, NamePickerScreen)
        await pilot.press(*typed("Tech Hikvision"), "enter")
        await settle(pilot, screen)
        await focus(pilot, screen, "Hikvision")
        await pilot.press("r")
        assert isinstance(screen.app.screen, NoteScreen)
        await pilot.press("ctrl+u", *typed("Hikvision Group"), "enter")
        await settle(pilot, screen)
        return screen.current["name"], screen_text(screen)

    focused, on_screen = drive(seeded, scenario)
    assert entity_of(seeded, "Tech Hikvision") == "Tech Hikvision"
    assert entity_of(seeded, "Hangzhou Hikvision Digital Technology Company") == "Hikvision Group"
    assert focused == "Hikvision Group" and "Hikvision Group" in on_screen
    # one decision each: the split name's own key, the renamed entity's name
    rows = decisions(seeded)
    assert len(rows) == 2 and {r for *_, r in rows} == {"tester"}
    assert any(name == "Hikvision Group" for _, _, name, _ in rows)


def test_a_merge_into_no_entity_is_refused_and_changes_nothing(seeded):
    before = list_entities(seeded)

    async def scenario(pilot, screen):
        await pilot.press("m", *typed("Atlantis Corp"), "enter")
        await settle(pilot, screen)
        return str(screen.query_one("#entities-status").render())

    status = drive(seeded, scenario)
    assert status.startswith("not saved") and "Atlantis Corp" in status
    assert list_entities(seeded) == before and decisions(seeded) == []


def test_moving_help_and_leaving(seeded):
    async def scenario(pilot, screen):
        first = screen.current["name"]
        await pilot.press("down", "down", "up")
        second = screen.current["name"]
        await pilot.press("question_mark")
        helped = isinstance(screen.app.screen, HelpScreen)
        await pilot.press("escape", "ctrl+r")  # nothing to redo: the screen stays
        await pilot.press("escape")
        left_with_escape = isinstance(screen.app.screen, ReviewScreen)
        await pilot.press("E")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        return first, second, helped, left_with_escape, isinstance(screen.app.screen, ReviewScreen)

    first, second, helped, left_with_escape, left_with_q = drive(seeded, scenario)
    assert first != second
    assert helped and left_with_escape and left_with_q


def test_undo_of_an_entity_decision_in_the_review_screen_relinks(seeded):
    from annotator.core import entity_decisions, maintenance
    from annotator.core.entities import link_entities

    entity_decisions.merge(seeded, "tester", "Washington", "United States")
    link_entities(seeded)
    merged = entity_of(seeded, "Washington")

    async def scenario(pilot, screen):
        await pilot.press("u")
        await settle(pilot, screen)

    drive_review(seeded, scenario)
    assert merged == "United States"
    assert entity_of(seeded, "Washington") == "Washington"
    assert maintenance.pending(seeded.db.conn) == {}


def test_every_entities_binding_is_exercised_here():
    bound = {key.strip() for b in EntitiesScreen.BINDINGS for key in b.key.split(",")}
    assert bound - KEYS_TESTED == set()

"""A reviewer's merges, splits and renames of entities.

Each is one transaction and one `events` row (a reviewer action, so undo and redo
walk it) that writes a row of `entity_decisions`, and marks entity links and
contradiction candidates owed: the next relink (`link_entities`, run at once by
the CLI) applies the decision after its own rules, and so does every later one.

- merge ONE INTO OTHER: every mention of ONE joins OTHER;
- split NAME off ENTITY: the mentions going by NAME ("Clinton") become an entity
  of their own, whatever the linker would join them to;
- rename ENTITY NAME: the entity's canonical name, whatever its mentions say.
"""

from annotator.core import maintenance
from annotator.core.actions import Outcome, commit, plan_change
from annotator.core.entities import entity_key
from annotator.core.entity_names import name_key, read_name
from annotator.core.errors import RefusedInput
from annotator.core.store import Store, now
from annotator.core.text import clean_name


def find_entity(db, name: str) -> tuple[int, str, str]:
    """(id, key, name) of the one entity NAME names: its name, key or an alias, in
    any case. Refuses a name no entity has, or one several entities go by."""
    wanted = " ".join(name.split())
    rows = db.execute(
        """SELECT DISTINCT e.id, e.key, e.name FROM entities e
           LEFT JOIN entity_aliases a ON a.entity_id = e.id
           WHERE e.name = ? COLLATE NOCASE OR e.key = ? OR a.alias = ? COLLATE NOCASE
           ORDER BY e.id""",
        [wanted, entity_key(wanted), wanted],
    ).fetchall()
    exact = [row for row in rows if row[2].casefold() == wanted.casefold()]
    if len(exact) == 1:
        return exact[0]
    if not rows:
        raise RefusedInput(f"no entity is named {name!r} (see `annotator entities`)")
    if len(rows) > 1:
        names = ", ".join(repr(row[2]) for row in rows[:5])
        raise RefusedInput(f"{name!r} names several entities ({names}): give the full name")
    return rows[0]


def _decide(store: Store, reviewer: str, action: str, key: str, values: dict, what: str):
    with store.write() as db:
        change = plan_change(
            db,
            "entity_decisions",
            {"key": key},
            {**values, "reviewer": reviewer, "updated_at": now()},
        )
        maintenance.mark(db, *maintenance.TASKS)
        return commit(store, reviewer, action, None, [change], None, {"what": what})


def merge(store: Store, reviewer: str, one: str, other: str) -> Outcome:
    _, one_key, one_name = find_entity(store.db, one)
    _, other_key, other_name = find_entity(store.db, other)
    if one_key == other_key:
        raise RefusedInput(f"{one!r} and {other!r} are already one entity ({one_name!r})")
    return _decide(
        store,
        reviewer,
        "merge_entities",
        one_key,
        {"merge_into": other_key},
        f"merge “{one_name}” into “{other_name}”",
    )


def split(store: Store, reviewer: str, entity: str, alias: str) -> Outcome:
    entity_id, entity_key_of, entity_name = find_entity(store.db, entity)
    known = [
        a
        for (a,) in store.db.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = ?", [entity_id]
        )
    ]
    if alias.casefold() not in {a.casefold() for a in known}:
        raise RefusedInput(f"{entity_name!r} has no alias {alias!r} (its aliases: {known[:8]})")
    key = name_key(read_name(alias, "", "").words)
    if key == entity_key_of:
        raise RefusedInput(
            f"{alias!r} is the name {entity_name!r} goes by: split off another of its names"
        )
    return _decide(
        store,
        reviewer,
        "split_entity",
        key,
        {"merge_into": key},
        f"split “{alias}” off “{entity_name}”",
    )


def rename(store: Store, reviewer: str, entity: str, name: str) -> Outcome:
    _, key, old = find_entity(store.db, entity)
    name = clean_name(name)
    if not name:
        raise RefusedInput("the new name must not be empty")
    # casefold, not SQLite's NOCASE, which folds ASCII letters only ("Émile" / "éMILE")
    folded = name.casefold()
    others = store.db.execute("SELECT name FROM entities WHERE key != ?", [key])
    taken = next((other for (other,) in others if other.casefold() == folded), None)
    if taken:
        # Two entities of one name could no longer be told apart by name.
        raise RefusedInput(f"{taken!r} is already another entity's name: merge the two instead")
    return _decide(
        store, reviewer, "rename_entity", key, {"name": name}, f"rename “{old}” to “{name}”"
    )

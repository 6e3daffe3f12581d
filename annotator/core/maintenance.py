"""Work a command still owes the file, recorded so that a killed run is finished later.

Entity links and contradiction candidates are rebuilt from the whole corpus after
documents or proposals change. A change marks them in its own transaction; the
rebuild removes the mark when it has finished, and only if nobody marked again
meanwhile (the generation it read before starting). So a run killed after storing
its documents leaves the mark, the next `ingest` or `propose` (or `doctor --fix`)
redoes the work, and `doctor` reports it.
"""

import sqlite3

from annotator.core.store import Store, now

ENTITY_LINKS = "entity_links"
CONTRADICTIONS = "contradictions"
# In the order they must be redone: contradictions read the entity links.
TASKS = (ENTITY_LINKS, CONTRADICTIONS)
NAMES = {ENTITY_LINKS: "entity links", CONTRADICTIONS: "contradictions"}


def mark(db, *tasks: str) -> None:
    """Call inside the transaction that makes the change the tasks must follow."""
    stamp = now()
    db.conn.executemany(
        """INSERT INTO maintenance (task, generation, marked_at) VALUES (?, 1, ?)
           ON CONFLICT (task) DO UPDATE SET generation = generation + 1,
               marked_at = excluded.marked_at""",
        [(task, stamp) for task in tasks],
    )


def pending(conn: sqlite3.Connection) -> dict[str, int]:
    """Each owed task and its generation, in the order to redo them."""
    found = dict(conn.execute("SELECT task, generation FROM maintenance"))
    return {task: found[task] for task in TASKS if task in found}


def begin(store: Store, task: str) -> int | None:
    """Read before rebuilding: the generation to clear when done (None: not owed)."""
    return pending(store.db.conn).get(task)


def done(store: Store, task: str, generation: int | None) -> None:
    if generation is None:
        return
    with store.write() as db:
        db.execute("DELETE FROM maintenance WHERE task = ? AND generation = ?", [task, generation])


def stale_line(tasks) -> str:
    """What `doctor` says about owed tasks."""
    names = " / ".join(NAMES[task] for task in tasks)
    return (
        f"{names} are stale: an ingest or propose stopped before rebuilding them "
        "(the next one will, or run `annotator doctor --fix`)"
    )

"""Rebuilding entity links and contradiction candidates beside a screen.

A reviewer's entity decision (or its undo) marks both owed (core/maintenance.py);
rebuilding takes seconds on a large corpus, so it runs in a thread with its own
connection, a sqlite3 connection being no thing to share between threads, and the
screen is told when it has finished.
"""

from collections.abc import Callable

from annotator.core import maintenance
from annotator.core.store import Store


def owed(store: Store) -> bool:
    return maintenance.ENTITY_LINKS in maintenance.pending(store.db.conn)


def relink_beside(screen, store: Store, done: Callable[[], None]) -> None:
    """Relink in a thread; `done` runs on the screen's thread afterwards."""

    def rebuild() -> None:
        from annotator.contradictions.generate import generate_candidates
        from annotator.core.entities import link_entities

        with Store(store.path) as own:
            link_entities(own)
            generate_candidates(own)
        screen.app.call_from_thread(done)

    screen.run_worker(rebuild, thread=True, exclusive=True, group="relink")

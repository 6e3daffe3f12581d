"""Batch commands write in short transactions, so a reviewer's key never waits long.

A reviewer's key is a BEGIN IMMEDIATE that must get the write lock well within a
quarter of a second. Bulk writers (propose, import, contradiction candidates,
entity links) therefore group their writes into transactions that end once they
have held the lock for WRITE_BUDGET_SECONDS, and after each commit leave the lock
free a moment (YIELD_SECONDS, longer than a waiting writer's poll; see
`Store._begin_immediate`) so that whoever waits gets in before the next batch.
"""

import contextlib
import time
from collections.abc import Iterator

import sqlite_utils

from annotator.core.store import Store

WRITE_BUDGET_SECONDS = 0.05
YIELD_SECONDS = 0.003


class WriteBatches:
    """Consecutive writes grouped into transactions of about `budget` seconds.

    Use as a context manager; each `write()` block is a savepoint of the current
    batch (so a failing one is undone alone), and the batch commits as soon as it
    has run for `budget`. Between two `write()` blocks the batch stays open and the
    lock held: do slow work (NLP, big reads) before the first, or `commit()` first.
    """

    def __init__(self, store: Store, budget: float | None = None):
        self.store = store
        self.budget = WRITE_BUDGET_SECONDS if budget is None else budget
        self._open: contextlib.AbstractContextManager | None = None
        self._started = 0.0

    def __enter__(self) -> "WriteBatches":
        return self

    def __exit__(self, kind, error, trace) -> None:
        if self._open is not None:
            opened, self._open = self._open, None
            opened.__exit__(kind, error, trace)

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        if self._open is None:
            opening = self.store.write()
            opening.__enter__()  # may raise DatabaseBusy: then there is nothing to end
            self._open = opening
            self._started = time.perf_counter()
        with self.store.write() as db:
            yield db
        if time.perf_counter() - self._started >= self.budget:
            self.commit()

    def commit(self) -> None:
        """End the current batch (if any) and let a waiting writer in."""
        if self._open is not None:
            opened, self._open = self._open, None
            opened.__exit__(None, None, None)
            time.sleep(YIELD_SECONDS)

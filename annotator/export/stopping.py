"""An export stopped by SIGTERM, SIGINT or SIGHUP unwinds like an error: its
partial file is removed and its workers are ended by the same cleanup."""

import contextlib
import signal
from collections.abc import Iterator

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
)


class Stopped(BaseException):
    """Raised where the export is when a stop signal arrives. A BaseException, so
    that no `except Exception` on the way mistakes it for a failure to recover from."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


# Signals that arrived while stopping had to wait (see `deferred`), else None.
_held: list[int] | None = None


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Stop signals wait until the block is done, then stop the export there.

    Python runs a handler in the main thread whichever thread the signal reached
    (the progress bar has one), so masking signals in the main thread does not hold
    them back; the handler itself has to.
    """
    global _held
    _held = []
    try:
        yield
    finally:
        held, _held = _held, None
    if held:
        _stop(held[0])


def _stop(signum: int) -> None:
    # Once is enough: a second signal must not break off the cleanup the first
    # one started (SIGKILL still ends everything).
    for each in STOP_SIGNALS:
        signal.signal(each, signal.SIG_IGN)
    raise Stopped(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    def stop(signum: int, frame) -> None:
        if _held is not None:
            _held.append(signum)
            return
        _stop(signum)

    previous = {each: signal.signal(each, stop) for each in STOP_SIGNALS}
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)

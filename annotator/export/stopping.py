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


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    def stop(signum: int, frame) -> None:
        # Once is enough: a second signal must not break off the cleanup the
        # first one started (SIGKILL still ends everything).
        for each in STOP_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        raise Stopped(signum)

    previous = {each: signal.signal(each, stop) for each in STOP_SIGNALS}
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)

"""Run the real `annotator` command in a pseudo-terminal and read its screen with pyte,
as a person at a terminal would see it."""

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parent.parent
# Synchronized output (DEC mode 2026): Textual asks whether the terminal has it and,
# when told yes, brackets every frame, so a reader can tell a whole frame from part
# of one that the pseudo-terminal's buffer split.
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_SUPPORTED = b"\x1b[?2026;2$y"
SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"


class Terminal:
    def __init__(self, *args: str, size: tuple[int, int] = (120, 40), cwd: Path | None = None):
        columns, rows = size
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {
            **{k: v for k, v in os.environ.items() if k != "ANNOTATOR_DB"},
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "COLUMNS": str(columns),
            "LINES": str(rows),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "annotator", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        self.fd = master
        self.in_frame = False
        # The last bytes seen, for a marker split between two reads.
        self._tail = b""

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self, seconds: float) -> None:
        """Feed whatever the program writes within `seconds` to the emulated screen."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            self._track_frames(data)
            self.stream.feed(data)

    def _track_frames(self, data: bytes) -> None:
        seen = self._tail + data
        if SYNC_QUERY in seen and SYNC_QUERY not in self._tail:
            os.write(self.fd, SYNC_SUPPORTED)
        start, end = seen.rfind(SYNC_START), seen.rfind(SYNC_END)
        if start >= 0 or end >= 0:
            self.in_frame = start > end
        self._tail = seen[-16:]

    @property
    def settled(self) -> bool:
        """No frame is half drawn: the screen is one the program meant to show."""
        return not self.in_frame

    def wait_for(self, predicate, timeout: float = 30.0) -> str:
        """Read the screen until `predicate(text)` holds; the screen text then."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.05)
            if predicate(self.text):
                return self.text
            if self.process.poll() is not None:
                self.pump(0.2)
                break
        raise AssertionError(f"screen never matched within {timeout}s:\n{self.text}")

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def kill(self) -> None:
        """SIGKILL: no handler, no flush, no goodbye."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.fd)

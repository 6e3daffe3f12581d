"""Where an export goes: a file written whole or not at all, or stdout."""

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from annotator.core.errors import RefusedInput


def refuse_existing(path: str | Path, *, replace: bool = False) -> None:
    """Raise when `path` is taken and may not be replaced."""
    if not replace and Path(path).exists():
        raise RefusedInput(f"{path}: already exists (--force replaces it)")


def _move_into_place(temporary: str, target: Path, replace: bool) -> None:
    if replace:
        os.replace(temporary, target)
        return
    # A hard link fails when the name is taken, even by a file that appeared while
    # the export ran; a rename would silently replace it.
    try:
        os.link(temporary, target)
    except OSError:
        # A name taken now refuses; on file systems without hard links the check
        # and the rename below are not atomic.
        refuse_existing(target)
        os.replace(temporary, target)
        return
    os.unlink(temporary)


@contextlib.contextmanager
def atomic_path(path: str | Path, *, replace: bool = False) -> Iterator[Path]:
    """A temporary path beside `path`, moved onto it when the block succeeds, so
    a failed or interrupted export never leaves a half-written file behind. An
    existing file is only replaced when `replace` is true."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".partial", dir=target.parent or "."
    )
    os.close(handle)
    # mkstemp makes the file private; the export should get the usual permissions.
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(temporary, 0o666 & ~mask)
    try:
        yield Path(temporary)
        _move_into_place(temporary, target, replace)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def binary_output(path: str | Path | None, *, replace: bool = False) -> Iterator[BinaryIO]:
    """Bytes to `path` (atomically) or to stdout."""
    if path is None or str(path) == "-":
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with (
        atomic_path(path, replace=replace) as temporary,
        open(temporary, "wb", buffering=1 << 20) as stream,
    ):
        yield stream


@contextlib.contextmanager
def text_output(path: str | Path | None, *, replace: bool = False) -> Iterator[IO[str]]:
    """UTF-8 text with \\n line ends to `path` (atomically) or to stdout."""
    with binary_output(path, replace=replace) as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        try:
            yield stream
        finally:
            # Flushes, and leaves the binary stream (stdout's, perhaps) open for its
            # owner instead of closing it when the wrapper goes.
            stream.detach()

"""Where an export goes: a file written whole or not at all, or stdout."""

import contextlib
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

from annotator.core.errors import RefusedInput

# Files SQLite keeps beside a database while it is open.
_DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def refuse_existing(
    path: str | Path, *, replace: bool = False, keep: Iterable[str | Path] = ()
) -> None:
    """Raise when `path` is taken and may not be replaced: anything at all without
    `replace`; with it, anything but a regular file, and the files of the databases
    in `keep` (by inode, so a hard link or another spelling of the name is caught)."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        found = None
    # A dangling symlink is taken too: replacing it is writing where it points.
    if found is not None and not replace:
        raise RefusedInput(f"{path}: already exists (--force replaces it)")
    for database in keep:
        _refuse_database_file(path, found, str(database))
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise RefusedInput(
            f"{path}: not a regular file ({_kind(found.st_mode)}); --force replaces "
            "regular files only"
        )


def _refuse_database_file(path: str | Path, found: os.stat_result | None, database: str) -> None:
    if database == ":memory:":
        return
    target = _absolute(path)
    for suffix in _DATABASE_SUFFIXES:
        companion = database + suffix
        same_name = target == _absolute(companion)
        try:
            same_file = found is not None and os.path.samestat(found, os.stat(companion))
        except OSError:
            same_file = False
        if same_name or same_file:
            raise RefusedInput(f"{path}: is the database being exported ({database}); not replaced")


def _absolute(path: str | Path) -> str:
    # The folder resolved, the name kept: a symlink named like the database is
    # still a different file.
    path = Path(path)
    return str(path.parent.resolve() / path.name)


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a plain file"


def _move_into_place(temporary: str, target: Path, replace: bool, keep: Iterable[str]) -> None:
    if replace:
        # Checked again: the name may have become a link or a device meanwhile. Only
        # a regular file (or nothing) is ever renamed over.
        refuse_existing(target, replace=True, keep=keep)
        os.replace(temporary, target)
        return
    # A hard link fails when the name is taken, even by a file that appeared while
    # the export ran; a rename would silently replace it.
    try:
        os.link(temporary, target)
    except OSError:
        # A name taken now refuses; on file systems without hard links the check
        # and the rename below are not atomic.
        refuse_existing(target, keep=keep)
        os.replace(temporary, target)
        return
    os.unlink(temporary)


@contextlib.contextmanager
def atomic_path(
    path: str | Path, *, replace: bool = False, keep: Iterable[str | Path] = ()
) -> Iterator[Path]:
    """A temporary path beside `path`, moved onto it when the block succeeds, so
    a failed or interrupted export never leaves a half-written file behind. An
    existing regular file is only replaced when `replace` is true; the databases
    in `keep`, and anything else, never."""
    keep = [str(k) for k in keep]
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
        _move_into_place(temporary, target, replace, keep)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def binary_output(
    path: str | Path | None, *, replace: bool = False, keep: Iterable[str | Path] = ()
) -> Iterator[BinaryIO]:
    """Bytes to `path` (atomically) or to stdout."""
    if path is None or str(path) == "-":
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with (
        atomic_path(path, replace=replace, keep=keep) as temporary,
        open(temporary, "wb", buffering=1 << 20) as stream,
    ):
        yield stream


@contextlib.contextmanager
def text_output(
    path: str | Path | None, *, replace: bool = False, keep: Iterable[str | Path] = ()
) -> Iterator[IO[str]]:
    """UTF-8 text with \\n line ends to `path` (atomically) or to stdout."""
    with binary_output(path, replace=replace, keep=keep) as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        try:
            yield stream
        finally:
            # Flushes, and leaves the binary stream (stdout's, perhaps) open for its
            # owner instead of closing it when the wrapper goes.
            stream.detach()

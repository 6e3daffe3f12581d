"""Where an export goes: a file written whole or not at all, or stdout."""

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

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


# Partial files are named so that only ours are ever cleaned up: a dot, the target's
# name, this marker, mkstemp's random letters, and the suffix.
_PARTIAL_MARK = ".annotator-export-"
_PARTIAL_SUFFIX = ".partial"


def _lock(fd: int) -> bool:
    """An exclusive lock on an open file, held until it is closed or its process
    dies (even by SIGKILL); False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: no cleanup of abandoned files
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_abandoned(target: Path) -> None:
    """Remove the partial files of earlier exports to `target` whose process is
    gone (killed, so no handler ran): a running export holds a lock on its own."""
    folder = target.parent
    prefix = f".{target.name}{_PARTIAL_MARK}"
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix)]
    except OSError:
        return
    for name in names:
        if not name.endswith(_PARTIAL_SUFFIX):
            continue
        path = folder / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            opened = os.fstat(fd)
            # Still the file that was locked, and a plain file, not something
            # put there under the same name.
            if (
                stat.S_ISREG(opened.st_mode)
                and _lock(fd)
                and os.path.samestat(opened, os.lstat(path))
            ):
                os.unlink(path)
        except OSError:
            pass
        finally:
            os.close(fd)


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
    remove_abandoned(target)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}{_PARTIAL_MARK}", suffix=_PARTIAL_SUFFIX, dir=target.parent
    )
    try:
        # Held until the export ends: the next export removes this file only if
        # the process was killed before it could.
        _lock(handle)
        # mkstemp makes the file private; the export should get the usual permissions.
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        yield Path(temporary)
        _move_into_place(temporary, target, replace, keep)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    finally:
        os.close(handle)


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


class _Utf8Writer:
    """Text written straight through as UTF-8, with no buffer of its own: after a
    failed write there is nothing left to flush into a full disk or a closed pipe."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(text.encode("utf-8"))
        return len(text)


@contextlib.contextmanager
def text_output(
    path: str | Path | None, *, replace: bool = False, keep: Iterable[str | Path] = ()
) -> Iterator[_Utf8Writer]:
    """UTF-8 text to `path` (atomically) or to stdout; \n is written as it is."""
    with binary_output(path, replace=replace, keep=keep) as raw:
        yield _Utf8Writer(raw)

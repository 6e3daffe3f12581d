"""An export that cannot finish: a full disk, a closed pipe, a kill. One line (or
none, for a closed pipe), no half-written file, no process left behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

ANNOTATOR = [sys.executable, "-m", "annotator"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def big_path(tmp_path_factory) -> Path:
    """Enough sentences (four chunks) that native export uses its worker processes."""
    from tests.benchmarks.synthetic import copy_seeds

    path = tmp_path_factory.mktemp("big") / "big.db"
    copy_seeds(path, sentences=8000)
    return path


def _run(args, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*ANNOTATOR, *map(str, args)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
        **options,
    )


def _one_line(result, *words) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    for word in words:
        assert word in result.stderr


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


@pytest.mark.parametrize("fmt", ["native", "prodigy"])
def test_stdout_on_a_full_disk_is_one_line(seeded_path, big_path, fmt):
    for db in (seeded_path, big_path) if fmt == "native" else (seeded_path,):
        with open("/dev/full", "wb") as full:
            result = subprocess.run(
                [*ANNOTATOR, "export", "--db", str(db), "--format", fmt],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env=ENV,
                timeout=300,
            )
        _one_line(result, "stdout", "No space left on device")


def test_a_closed_pipe_is_a_quiet_exit(seeded_path, big_path):
    for db, fmt in ((seeded_path, "prodigy"), (big_path, "native")):
        reader = subprocess.Popen(
            [*ANNOTATOR, "export", "--db", str(db), "--format", fmt],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=ENV,
        )
        assert reader.stdout.readline().startswith(b"{")
        reader.stdout.close()
        assert reader.wait(timeout=120) != 0
        assert reader.stderr.read() == b""


def _in_small_tmpfs(folder: Path, command: list[str]) -> subprocess.CompletedProcess:
    """`command` with a 1 MB tmpfs mounted on `folder`, in a mount namespace of its own."""
    if not os.path.exists("/usr/bin/unshare") or os.geteuid() != 0:
        pytest.skip("needs root and unshare to mount a small file system")
    script = 'mount -t tmpfs -o size=1m tmpfs "$0" && "$@"; echo "left: $(ls -A "$0")" >&2'
    result = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, str(folder), *command],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    if "mount:" in result.stderr or "unshare:" in result.stderr:
        pytest.skip(f"cannot mount here: {result.stderr.strip()}")
    return result


@pytest.mark.parametrize("fmt", ["native", "prodigy", "spacy"])
def test_a_file_on_a_full_disk_is_one_line_and_no_partial_file(big_path, tmp_path, fmt):
    folder = tmp_path / "small"
    folder.mkdir()
    out = folder / "out.jsonl"
    command = [*ANNOTATOR, "export", "--db", str(big_path), "--format", fmt, "-o", str(out)]
    result = _in_small_tmpfs(folder, command)
    *lines, left = result.stderr.splitlines()
    assert left == "left: "
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "No space left on device" in lines[0]


def _descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [p for child in children for p in (int(child), *_descendants(int(child)))]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait_for(condition, seconds: float, step: float = 0.01) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _kill_export(args, kill_signal, *, when) -> tuple[subprocess.Popen, list[int]]:
    """Start an export whose stdout nobody reads, signal it once `when(children)`
    holds, and return it with the processes it had started."""
    export = subprocess.Popen(
        [*ANNOTATOR, "export", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    seen: set[int] = set()

    def ready() -> bool:
        seen.update(_descendants(export.pid))
        return export.poll() is not None or when(seen)

    assert _wait_for(ready, 120)
    assert export.poll() is None, export.stderr.read()
    export.send_signal(kill_signal)
    export.wait(timeout=120)
    return export, sorted(seen)


def _cleanup(pids) -> None:
    # Only processes this test started, by their id.
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("kill_signal", [signal.SIGKILL, signal.SIGTERM])
def test_workers_never_outlive_a_killed_export(big_path, kill_signal):
    # Into a pipe nobody reads, the export blocks with its workers running.
    export, started = _kill_export(
        ["--db", big_path], kill_signal, when=lambda seen: len(seen) >= 3
    )
    try:
        assert len(started) >= 2
        assert _wait_for(lambda: not any(map(_alive, started)), 20), [
            Path(f"/proc/{p}/cmdline").read_bytes() for p in started if _alive(p)
        ]
    finally:
        _cleanup(started)


@pytest.mark.parametrize("fmt", ["prodigy", "native"])
def test_an_export_stopped_by_a_signal_leaves_no_partial_file(big_path, tmp_path, fmt):
    out = tmp_path / "out.jsonl"
    for stop in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        export, started = _kill_export(
            ["--db", big_path, "--format", fmt, "-o", out],
            stop,
            when=lambda seen: _partials(tmp_path) and (fmt != "native" or len(seen) >= 3),
        )
        try:
            assert export.returncode != 0
            assert _partials(tmp_path) == [] and not out.exists()
            assert export.stderr.read().decode().count("\n") <= 1
            assert _wait_for(lambda gone=started: not any(map(_alive, gone)), 20)
        finally:
            _cleanup(started)


def test_a_partial_file_left_by_a_kill_is_removed_by_the_next_export(big_path, tmp_path):
    out = tmp_path / "out.jsonl"
    export, started = _kill_export(
        ["--db", big_path, "--format", "prodigy", "-o", out],
        signal.SIGKILL,
        when=lambda seen: _partials(tmp_path),
    )
    _cleanup(started)
    assert len(_partials(tmp_path)) == 1
    other = tmp_path / ".out.jsonl.someone-elses.partial"
    other.write_text("not ours\n")
    result = _run(["export", "--db", big_path, "--format", "nli", "-o", out])
    assert result.returncode == 0, result.stderr
    assert _partials(tmp_path) == [other.name]

"""`export -o`: what it may replace (a regular file, with --force) and what never
(the database being read, its -wal and -shm, links, devices, FIFOs)."""

import os
import stat
from pathlib import Path

import pytest

from annotator.core.store import Store


def _stats(run_cli, db: Path) -> str:
    result = run_cli("stats", "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _one_line_refusal(result, *words: str) -> None:
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    for word in words:
        assert word in result.stderr


def test_force_never_replaces_the_database_being_exported(run_cli, seeded_path, tmp_path):
    before = _stats(run_cli, seeded_path)
    link = tmp_path / "hard-link.jsonl"
    os.link(seeded_path, link)
    for target in (seeded_path, link, Path(f"{seeded_path}-wal"), Path(f"{seeded_path}-shm")):
        result = run_cli("export", "--db", seeded_path, "-o", target, "--force")
        _one_line_refusal(result, "the database")
    assert _stats(run_cli, seeded_path) == before
    with Store(seeded_path) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_force_replaces_a_symlink_a_fifo_or_a_device_never(run_cli, seeded_path, tmp_path):
    to_stdout = tmp_path / "stdout.jsonl"
    to_stdout.symlink_to("/proc/self/fd/1")
    to_file = tmp_path / "to-file.jsonl"
    (tmp_path / "real.jsonl").write_text("kept\n")
    to_file.symlink_to(tmp_path / "real.jsonl")
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    targets = [to_stdout, to_file, fifo]
    if os.geteuid() == 0:
        device = tmp_path / "null.jsonl"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets.append(device)
    for target in targets:
        kind = stat.S_IFMT(os.lstat(target).st_mode)
        for fmt in ("native", "spacy"):
            args = ("--format", fmt, "-o", target, "--force")
            result = run_cli("export", "--db", seeded_path, *args)
            _one_line_refusal(result, "not a regular file")
            assert stat.S_IFMT(os.lstat(target).st_mode) == kind
    assert (tmp_path / "real.jsonl").read_text() == "kept\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_a_dangling_symlink_counts_as_taken(run_cli, seeded_path, tmp_path):
    dangling = tmp_path / "out.jsonl"
    dangling.symlink_to(tmp_path / "nowhere" / "x.jsonl")
    result = run_cli("export", "--db", seeded_path, "-o", dangling)
    _one_line_refusal(result, "already exists")
    assert dangling.is_symlink() and not (tmp_path / "nowhere").exists()


def test_force_replaces_a_regular_file(run_cli, seeded_path, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    result = run_cli("export", "--db", seeded_path, "-o", out, "--force")
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith('{"id":')


def test_dash_is_stdout_and_help_says_so(run_cli, seeded_path, tmp_path):
    dashed = run_cli("export", "--db", seeded_path, "-o", "-")
    plain = run_cli("export", "--db", seeded_path)
    assert dashed.returncode == 0 and dashed.stdout == plain.stdout != ""
    assert not (tmp_path / "-").exists()
    assert "-o -" in " ".join(run_cli("export", "--help").stdout.split())
    spacy = run_cli("export", "--db", seeded_path, "--format", "spacy", "-o", "-")
    _one_line_refusal(spacy, "-o FILE")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("replace", [False, True])
def test_a_target_that_turns_into_a_symlink_while_exporting_is_kept(tmp_path, replace):
    from annotator.core.errors import RefusedInput
    from annotator.export.output import text_output

    out = tmp_path / "out.jsonl"
    with pytest.raises(RefusedInput), text_output(out, replace=replace) as stream:
        stream.write("export\n")
        out.symlink_to("/proc/self/fd/1")
    assert out.is_symlink()
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]

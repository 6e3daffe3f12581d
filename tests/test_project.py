"""The promises the README makes about the project itself."""

import re
import subprocess
import sys

import click

from annotator.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_quick_start_has_exactly_two_single_line_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "annotator ingest corpus/" in commands[0] and "pytest" in commands[1]
    assert commands[0].endswith("annotator review corpus/")


def test_ci_runs_the_readme_test_command_exactly():
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert quick_start_commands()[1] in ci


def test_every_command_has_help_and_is_in_the_readme():
    assert app.commands
    for name, command in app.commands.items():
        assert command.help, name
        assert f"### `annotator {name}" in README, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts}"


def test_every_command_takes_db():
    for name, command in app.commands.items():
        assert any("--db" in p.opts for p in command.params), name


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_the_core_never_imports_textual():
    result = run_python(
        "import annotator.core.store, annotator.core.ingest, annotator.core.stats, sys;"
        "import annotator.core.actions, annotator.core.review;"
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    assert result.returncode == 0, result.stderr


def test_the_cli_starts_without_spacy_or_textual():
    result = run_python(
        "import sys; from click.testing import CliRunner; from annotator.cli import app;"
        "r = CliRunner().invoke(app, ['stats', '--db', ':memory:']); assert r.exit_code == 0;"
        "assert 'spacy' not in sys.modules and 'textual' not in sys.modules"
    )
    assert result.returncode == 0, result.stderr


def test_python_m_annotator_and_version():
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0 and "annotator" in result.stdout


def test_corpus_holds_the_seed_articles_unchanged():
    seeds = ROOT.parent / "shared" / "seeds"
    names = sorted(p.name for p in (ROOT / "corpus").iterdir())
    assert names == ["000_a418e7b890b74662.txt", "004_b011cb77cabc7fea.txt"]
    if seeds.is_dir():
        for name in names:
            assert (ROOT / "corpus" / name).read_bytes() == (seeds / name).read_bytes()

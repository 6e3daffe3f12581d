import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED_WITH_HEADLINE = CORPUS / "004_b011cb77cabc7fea.txt"


def sentence_with(store: Store, words: str) -> tuple[int, str]:
    """The id and text of the first sentence containing `words`."""
    row = store.db.execute(
        "SELECT id, text FROM sentences WHERE text LIKE ? ORDER BY id", [f"%{words}%"]
    ).fetchone()
    assert row, words
    return row[0], row[1]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.db"


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as opened:
        yield opened


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run the real `annotator` command in a subprocess, as a user would."""

    def run(*args: str, env: dict | None = None, cwd: Path | None = None):
        inherited = {k: v for k, v in os.environ.items() if k != "ANNOTATOR_DB"}
        full_env = {**inherited, "PYTHONPATH": str(ROOT), **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "annotator", *map(str, args)],
            capture_output=True,
            text=True,
            env=full_env,
            cwd=cwd or tmp_path,
            timeout=600,
        )

    return run


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory) -> Path:
    """The seed corpus ingested once with the rule pipeline (deterministic proposals)."""
    from annotator.core.ingest import ingest
    from annotator.nlp.pipeline import Pipeline

    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    with Store(path) as opened:
        summary = ingest(opened, [CORPUS], pipeline=Pipeline("rules"))
    assert summary.added == 2
    return path


@pytest.fixture
def seeded_path(_seeded_template: Path, tmp_path: Path) -> Path:
    """A private copy of the ingested seeds, for a test to change."""
    import shutil

    path = tmp_path / "seeded.db"
    shutil.copy(_seeded_template, path)
    return path


@pytest.fixture
def seeded(seeded_path: Path):
    with Store(seeded_path) as opened:
        yield opened

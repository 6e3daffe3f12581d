"""`annotator import` of records holding extreme numbers where ids, offsets and
counts go: SQLite's integer limits and one past them, offsets far past any document,
NaN, Infinity, floats where integers go, integers of thousands of digits.

Each record is stored whole or refused in one line naming its line; a refused record
leaves nothing, and the good record beside it is still stored; memory stays small
(the document an offset points into is never padded past the longest document).
"""

import hashlib
import itertools
import json
import shutil
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.store import Store
from annotator.core.text import MAX_DOCUMENT_CHARS
from annotator.export.importer import import_native
from annotator.export.native import native_lines
from tests.conftest import ROOT
from tests.property.test_hostile_input import _assert_one_line, _assert_whole, _counts

EXAMPLES = 1000
# SQLite's largest integer
MAX_ROW_ID = 2**63 - 1
MEMORY_LIMIT = 500 * 2**20

# JSON numbers Python's json.dumps never writes; spliced into the line as they are.
RAW_NUMBERS = [
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "1e12",
    "1.5e9",
    "3e8",
    "9" * 5000,
]
EDGES = [
    0,
    -1,
    1,
    MAX_ROW_ID,
    MAX_ROW_ID + 1,
    -MAX_ROW_ID - 1,
    -MAX_ROW_ID - 2,
    2**64,
    10**30,
    MAX_DOCUMENT_CHARS - 1,
    MAX_DOCUMENT_CHARS,
    MAX_DOCUMENT_CHARS + 1,
    300_000_000,
    1_500_000_000,
    10**12,
]
numbers = st.one_of(
    st.sampled_from(EDGES),
    st.integers(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.sampled_from(RAW_NUMBERS).map(lambda raw: ("raw", raw)),
)

# where a number goes: (path in the record, what it is)
RECORD_FIELDS = [
    ("id",),
    ("document_id",),
    ("index",),
    ("document_offset",),
    ("paragraph", "index"),
]
SPAN_FIELDS = ["id", "start", "end"]
REF_FIELDS = ["span_id", "start", "end"]


@pytest.fixture(scope="module")
def seed_records(_seeded_template) -> list[dict]:
    with Store(_seeded_template) as store:
        return [json.loads(line) for line in native_lines(store)]


@pytest.fixture(scope="module")
def shared(tmp_path_factory, _seeded_template):
    folder = tmp_path_factory.mktemp("extremes")
    path = folder / "extremes.db"
    shutil.copy(_seeded_template, path)
    with Store(path, durable=False) as store:
        yield store, folder


def _targets(record: dict) -> list[tuple[dict, str]]:
    """Every (container, key) in the record where an id, offset or count goes."""
    found = []
    for path in RECORD_FIELDS:
        container = record
        for part in path[:-1]:
            container = container[part]
        found.append((container, path[-1]))
    for span in record["spans"]:
        found += [(span, key) for key in SPAN_FIELDS]
        found.append((span["attrs"], "value"))
    for attribution in record["attributions"]:
        found.append((attribution, "id"))
        for part in ("source", "cue", "content"):
            if attribution[part] is not None:
                found += [(attribution[part], key) for key in REF_FIELDS]
        found.append((attribution["content"], "sentence_id"))
    for rating in record["ratings"]:
        found.append((rating, "value"))
    return found


_names = itertools.count()


@st.composite
def extreme_lines(draw, records: list[dict]) -> bytes:
    record = json.loads(json.dumps(draw(st.sampled_from(records))))
    targets = _targets(record)
    raws = []
    for _ in range(draw(st.integers(1, 3))):
        container, key = draw(st.sampled_from(targets))
        value = draw(numbers)
        if isinstance(value, tuple):
            raws.append(value[1])
            value = f"@@raw{len(raws) - 1}@@"
        container[key] = value
    line = json.dumps(record, ensure_ascii=False)
    for index, raw in enumerate(raws):
        line = line.replace(f'"@@raw{index}@@"', raw)
    return line.encode("utf-8")


def _good_line(records: list[dict]) -> tuple[bytes, dict]:
    """A real record of a document not yet stored: it must be added whatever else
    the file holds."""
    record = json.loads(json.dumps(next(r for r in records if not r["attributions"])))
    record["document_sha256"] = hashlib.sha256(f"good {next(_names)}".encode()).hexdigest()
    return json.dumps(record, ensure_ascii=False).encode("utf-8"), record


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_extreme_numbers_are_refused_in_one_line_and_leave_nothing(shared, seed_records, data):
    store, folder = shared
    bad = data.draw(st.lists(extreme_lines(seed_records), min_size=1, max_size=3))
    good, good_record = _good_line(seed_records)
    lines = list(bad)
    lines.insert(data.draw(st.integers(0, len(lines))), good)
    path = folder / f"extreme{next(_names)}.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    before = _counts(store)
    last_document = store.db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
    refusals = []
    summary = import_native(store, path, on_refusal=refusals.append)
    assert len(refusals) == summary.refused
    numbers_refused = {int(r.origin.rsplit(":", 1)[1]) for r in refusals}
    assert len(numbers_refused) == len(refusals), "a record refused twice"
    for refusal in refusals:
        _assert_one_line(refusal.line(), f"{path}:")
    assert summary.added + summary.updated + summary.unchanged + summary.refused == len(lines)
    after = _counts(store)
    # nothing partial: a sentence per record added, an event per record that changed
    # something, and no row at all from a refused record
    assert after["sentences"] - before["sentences"] == summary.added
    assert after["events"] - before["events"] <= summary.added + summary.updated
    if summary.added == summary.updated == 0:
        assert after == before
    # the good record is stored whatever its neighbours are
    assert (
        store.db.execute(
            "SELECT count(*) FROM documents WHERE sha256 = ?", [good_record["document_sha256"]]
        ).fetchone()[0]
        == 1
    )
    longest = store.db.execute("SELECT max(length(text)) FROM documents").fetchone()[0]
    assert longest <= MAX_DOCUMENT_CHARS
    _assert_whole(store, last_document)


WORST_CASE = textwrap.dedent(
    """
    import hashlib, json, sys
    from annotator.core.store import Store
    from annotator.core.text import MAX_DOCUMENT_CHARS
    from annotator.export.importer import import_native

    folder = sys.argv[1]
    record = json.loads(open(f"{folder}/seed.jsonl", encoding="utf-8").readline())
    with open(f"{folder}/worst.jsonl", "w", encoding="utf-8") as out:
        for n in range(40):
            # a document of its own, its sentence at the far end of the longest one
            changed = dict(record, document_sha256=hashlib.sha256(str(n).encode()).hexdigest())
            changed["document_offset"] = MAX_DOCUMENT_CHARS - len(record["text"]) - n
            changed["id"] = 2**63 - 1 - n
            out.write(json.dumps(changed) + "\\n")
        for value in ("1e12", "1.5e9", "300000000", "9223372036854775808"):
            out.write(json.dumps(record).replace(
                f'"document_offset": {record["document_offset"]}', f'"document_offset": {value}'
            ) + "\\n")
    with Store(f"{folder}/worst.db", durable=False) as store:
        summary = import_native(store, f"{folder}/worst.jsonl")
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forked parent, so
    # under a long test session it reported the size of pytest, not of this import.
    status = open("/proc/self/status", encoding="ascii").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
    print(json.dumps({"added": summary.added, "refused": summary.refused, "peak": peak}))
    """
)


def test_peak_memory_of_the_worst_records_is_bounded(seed_records, tmp_path):
    """40 records each placing a sentence at the far end of a new document of the
    longest size, and the offsets that grew the database to 300 MB or ran out of
    memory: measured in a process of its own."""
    record = next(r for r in seed_records if not r["attributions"])
    (tmp_path / "seed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", WORST_CASE, str(tmp_path)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    print(f"peak RSS {figures['peak'] / 2**20:.0f} MB")
    assert figures["added"] == 40 and figures["refused"] == 4, figures
    assert figures["peak"] < MEMORY_LIMIT, figures

"""schemas/ is generated from the record models; a change to one is a change to both."""

import json

import jsonschema
import pytest

from annotator import schemas
from tests.conftest import ROOT

FOLDER = ROOT / "schemas"


@pytest.mark.parametrize("stem", sorted(schemas.SCHEMAS))
def test_committed_schema_is_what_the_code_generates(stem):
    committed = (FOLDER / f"{stem}.schema.json").read_text("utf-8")
    assert committed == schemas.render(stem), (
        f"schemas/{stem}.schema.json is stale: run `python -m annotator.schemas`"
    )


@pytest.mark.parametrize("stem", sorted(schemas.SCHEMAS))
def test_schema_is_valid_draft_2020_12(stem):
    schema = json.loads((FOLDER / f"{stem}.schema.json").read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_file_in_schemas_is_generated():
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(
        f"{stem}.schema.json" for stem in schemas.SCHEMAS
    )


def test_the_generator_writes_the_same_files(tmp_path):
    written = schemas.write_all(tmp_path)
    for path in written:
        assert path.read_bytes() == (FOLDER / path.name).read_bytes()

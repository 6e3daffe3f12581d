import json

import jsonschema
import pytest

from annotator.core.readers import RawDocument, read_documents
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "schemas" / "ingest-record.schema.json").read_text("utf-8"))

RECORDS = [
    {"text": "Shares fell."},
    {"text": "Shares fell.", "meta": {"outlet": "AP", "published": "2021-12-16", "extra": [1]}},
    {"text": "Shares fell.", "title": "Fall", "id": 7},
    {"text": "Shares fell.", "meta": {"title": None}},
    {"meta": {"outlet": "AP"}},
    {"text": 3},
    {"text": "Shares fell.", "meta": "AP"},
    {"text": "Shares fell.", "meta": {"outlet": 5}},
    {"text": "Shares fell.", "url": ["a"]},
]


def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: json.dumps(r)[:40])
def test_the_reader_accepts_exactly_what_the_schema_accepts(record, tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n")
    [result] = read_documents(path)
    valid = jsonschema.Draft202012Validator(SCHEMA).is_valid(record)
    assert isinstance(result, RawDocument) == valid

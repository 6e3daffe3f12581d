"""Generate `schemas/` from the record models: `python -m annotator.schemas [FOLDER]`.

A test regenerates them and fails when the committed files differ, so a change to
a record is a change to its schema in the same commit.
"""

import json
import sys
from pathlib import Path

from pydantic import TypeAdapter

from annotator.core import records

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://annotator.invalid/schemas/"

# file stem → the type whose records it describes
SCHEMAS = {
    "ingest-record": records.IngestRecord,
    "sentence": records.SentenceRecord,
    "span": records.Span,
    "attribution": records.Attribution,
    "rating": records.Rating,
    "contradictions": list[records.EntityContradictions],
    "prodigy-task": records.ProdigyTask,
    "nli-pair": records.NliPair,
}


def generate(stem: str) -> dict:
    schema = TypeAdapter(SCHEMAS[stem]).json_schema(by_alias=True, mode="serialization")
    return {"$schema": DRAFT, "$id": f"{BASE_ID}{stem}.schema.json", **schema}


def render(stem: str) -> str:
    return json.dumps(generate(stem), indent=2, ensure_ascii=False) + "\n"


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for stem in SCHEMAS:
        path = folder / f"{stem}.schema.json"
        path.write_text(render(stem), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv else Path("schemas")
    for path in write_all(folder):
        print(path)


if __name__ == "__main__":
    main(sys.argv[1:])

"""The JSON word lists that ship inside the package (patterns as data, not code)."""

import functools
import json
from importlib import resources


@functools.cache
def read_data(package: str, name: str) -> dict:
    """`package`'s data/`name`, parsed; read once per process."""
    return json.loads(resources.files(package).joinpath(f"data/{name}").read_text("utf-8"))

"""Where the database is when no --db is given; light, for the CLI's start-up."""

import os

DEFAULT_DB = "annotations.db"


def default_db_path() -> str:
    return os.environ.get("ANNOTATOR_DB") or DEFAULT_DB

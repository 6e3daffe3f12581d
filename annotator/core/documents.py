"""What a document is called wherever it is shown."""

from pathlib import PurePath


def document_name(title: str | None, origin: str) -> str:
    """The title, else the name of the file (and line) the document came from."""
    return title or PurePath(origin).name

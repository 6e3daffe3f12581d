"""Errors the core raises for input it will not take."""


class RefusedInput(ValueError):
    """Input that is refused as a whole; the message is one line for the user."""


class DatabaseBusy(RefusedInput):
    """Another program held the write lock for longer than we wait; nothing was written."""


class DatabaseUnwritable(RefusedInput):
    """The database cannot be written (read-only, a full disk, an I/O error); the
    transaction was rolled back and nothing of it was written."""

"""Errors the core raises for input it will not take."""


class RefusedInput(ValueError):
    """Input that is refused as a whole; the message is one line for the user."""

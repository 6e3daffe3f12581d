"""annotator: review news claims span by span, in a terminal."""

__version__ = "0.1.0"

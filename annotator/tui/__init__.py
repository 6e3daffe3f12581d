"""The Textual review screen. Only `annotator review` imports this package."""

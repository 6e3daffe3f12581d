"""Exports (one module per format) and the native importer."""

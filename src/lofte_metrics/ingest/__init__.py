"""Imports: read, validate, write all-or-nothing as an import batch, and undo."""

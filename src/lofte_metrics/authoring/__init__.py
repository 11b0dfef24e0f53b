"""Authoring: what a kommun writes in the app rather than imports. Choosing and setting up the
kommun, the medborgarlöfte and its fokusområden, åtaganden and aktiviteter, the mapping of event
types to fokusområden, the lägesbild (drafted from the numbers, edited, approved, versioned) and
reports of what was done. Every save is an import batch (``ingest.changes``): who, when, undoable.
"""

from .genomforande import report_done
from .lagesbild import approve, draft_texts, save_picture, versions
from .mapping import ensure_types, save_mapping
from .promise import promise_tables, promise_workbook, save_promise
from .setup import SetupError, setup_kommun

__all__ = [
    "SetupError",
    "approve",
    "draft_texts",
    "ensure_types",
    "promise_tables",
    "promise_workbook",
    "report_done",
    "save_mapping",
    "save_picture",
    "save_promise",
    "setup_kommun",
    "versions",
]

"""The report to take away: ``assemble`` gathers what it says (the Rapport page draws the same
object), and ``make`` writes it as PDF (Typst), PowerPoint (python-pptx) or Excel (openpyxl)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .content import Report, assemble
from .pdf import write_pdf
from .slides import write_pptx
from .workbook import write_xlsx

__all__ = ["FORMATS", "MIME", "Report", "assemble", "file_name", "make"]

#: format -> (what it is called on the page, writer)
FORMATS: dict[str, tuple[str, Callable[[Report], bytes]]] = {
    "pdf": ("PDF", write_pdf),
    "pptx": ("PowerPoint", write_pptx),
    "xlsx": ("Excel", write_xlsx),
}
MIME = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def make(report: Report, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"Okänt format '{fmt}'; välj {', '.join(FORMATS)}.")
    return FORMATS[fmt][1](report)


def file_name(report: Report, fmt: str) -> str:
    """``uppfoljning-ekviken-2022-01-01-2022-10-16.pdf``: ASCII, so every mail client keeps it."""
    plain = report.kommun.name.lower().translate(str.maketrans("åäöé", "aaoe"))
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or report.kommun.code
    return f"uppfoljning-{slug}-{report.start.isoformat()}-{report.end.isoformat()}.{fmt}"

"""The import pipeline's entry: prepare (read, validate, compare with the database), commit (all or
nothing, as one import batch) and undo (delete what a batch inserted, restore what it changed).

``prepare`` never writes. ``commit`` refuses a preview with problems unless the user chose to
import only the valid rows; then the rejected rows come back as a file. Every import is for one
kommun (the only one, or the one named); activities and genomföranden are for one of its promises
(the current one, or the one named).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from .. import db
from ..access.roles import Actor
from ..db import session_scope
from ..formatting import plural
from ..models import ImportBatch
from . import bulk, changes
from .bulk import BulkResult
from .changes import Batch, Counts, Plan, Planned, Removal, UndoRefused, undo
from .plans import (
    Scope,
    dedupe,
    lookups,
    plan_areas,
    plan_bra,
    plan_polisen,
    plan_promise,
    plan_table,
    resolve_scope,
    sheet_of,
)
from .progress import Progress
from .reading import FileProblem, Table, read_table, read_workbook
from .rows import KINDS, PROMISE_SHEETS, Problem

__all__ = ["IMPORT_KINDS", "ImportRefused", "Preview", "Outcome", "UndoRefused", "commit", "import_file", "import_path",
           "prepare", "prepare_promise", "template", "undo"]  # fmt: skip

IMPORT_KINDS = {
    "activities": "Aktiviteter (CSV/XLSX)",
    "reports": "Genomföranden (CSV/XLSX)",
    "incidents": "Händelser, egen CSV/XLSX",
    "polisen": "Polisens händelser (JSON från polisen.se/api/events)",
    "presence": "Närvaro (CSV/XLSX)",
    "indicators": "Indikatorer (CSV/XLSX)",
    "types": "Händelsetyper och fokusområden (CSV/XLSX)",
    "bra": "Brå: anmälda brott i kommunerna (CSV)",
    "areas": "Områden (GeoJSON)",
    "promise": "Medborgarlöfte (Excel med bladen Löfte, Fokusområden, Åtaganden, Aktiviteter)",
}
#: what each kind of batch is called in lists (imports and the writes pages make)
BATCH_KINDS = {
    **{k: v.split(" (")[0].split(",")[0] for k, v in IMPORT_KINDS.items()},
    "kommun": "Kommun",
    "lagesbild": "Lägesbild",
    "genomforande": "Genomförande",
    "typ": "Händelsetyp",
    "roll": "Roll",
    "skarm": "Skärmlänk",
}
#: where a batch came from, in words (a file's own name is shown as it is)
BATCH_SOURCES = {"dashboard": "sidan", "inställning": "inställning", "syntetisk": "genererad", "cli": "kommandoraden"}
TARGET_NAMES = {
    "promise": "Löfte", "focus_area": "Fokusområden", "commitment": "Åtaganden", "activity": "Aktiviteter",
    "activity_report": "Genomföranden", "incident": "Händelser", "presence": "Närvaropass",
    "indicator_value": "Indikatorvärden", "area": "Områden", "incident_type": "Händelsetyper", "kommun": "Kommun",
    "situation_picture": "Lägesbilder",
}  # fmt: skip
NEEDS_PROMISE = ("activities", "reports")


class ImportRefused(ValueError):
    """The file has problems and the user did not choose to import only the valid rows. ``preview``
    holds them when the import read and checked the file in one pass (``import_path``)."""

    def __init__(self, message: str, preview: Preview | None = None) -> None:
        super().__init__(message)
        self.preview = preview


def refused(file_name: str, problems: int, whole_only: bool) -> str:
    return f"{file_name}: {problems} fel, inget är inläst. " + (
        "Rätta filen, eller välj att bara läsa in de giltiga raderna." if not whole_only else "Rätta felen."
    )


@dataclass
class Preview:
    kind: str
    file_name: str
    data: bytes
    total: int
    planned: list[Planned]
    problems: list[Problem]
    scope: Scope
    notes: list[str] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    by_target: dict[str, Counts] = field(default_factory=dict)
    table: Table | None = None
    #: read column-wise by ``bulk`` (incident CSVs): nothing is planned row by row, and a commit
    #: reads the file again with ``source`` as the default source
    bulk: bool = False
    source: str | None = None

    @property
    def valid_rows(self) -> int:
        """Rows the import would write or find unchanged (the rows without problems)."""
        return self.new + self.changed + self.unchanged if self.bulk else len(self.planned)

    @property
    def new(self) -> int:
        return sum(c.new for c in self.by_target.values())

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.by_target.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.by_target.values())

    @property
    def rejected_rows(self) -> set[tuple[str | None, int]]:
        return {(p.sheet, p.row) for p in self.problems if p.row is not None}

    def problem_lines(self) -> list[str]:
        return [p.line(self.file_name) for p in self.problems]

    def summary_lines(self, changes_only: bool = False) -> list[str]:
        """Per table, what the import would do: ``Åtaganden: 2 nya, 1 ändrad``."""
        lines = []
        for target, c in self.by_target.items():
            if changes_only and not c.new and not c.changed:
                continue
            bits = [
                plural(n, one, many)
                for n, one, many in ((c.new, "ny", "nya"), (c.changed, "ändrad", "ändrade"),
                                     (c.unchanged, "oförändrad", "oförändrade"))
                if n
            ]  # fmt: skip
            lines.append(f"{TARGET_NAMES.get(target, target)}: {', '.join(bits) or 'inget'}")
        for removal in self.removals:
            lines.append(f"Tas bort: {removal.label}")
        return lines


@dataclass(frozen=True)
class Outcome:
    batch_id: int | None  # None: nothing was new, so no batch was written
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    rejected_file: bytes | None
    removed: int = 0


def _scope(session: Session, kind: str, kommunkod: str | None, promise_id: int | None,
           today: dt.date | None) -> Scope:  # fmt: skip
    return resolve_scope(session, kommunkod, promise_id, need_promise=kind in NEEDS_PROMISE, today=today)


def prepare(engine: Engine, kind: str, data: bytes, file_name: str, *, kommunkod: str | None = None,
            promise_id: int | None = None, source: str | None = None, sheet: str | None = None,
            year: int | None = None, today: dt.date | None = None,
            progress: Progress | None = None) -> Preview:  # fmt: skip
    """Read and validate a file for one kommun and compare it with the database. Writes nothing.
    ``progress`` hears how far it has come (see ``progress``).

    Raises :class:`FileProblem` when the whole file is unusable (empty, binary, wrong sheet,
    missing column, no kommun chosen); row-level problems are in ``Preview.problems``.
    """
    if kind not in IMPORT_KINDS:
        raise FileProblem(f"Okänd importtyp '{kind}'; välj en av: {', '.join(IMPORT_KINDS)}.")
    notes: list[str] = []
    table: Table | None = None
    removals: list[Removal] = []
    if kind == "incidents" and sheet is None:
        bulk_preview = _prepare_bulk(engine, data, file_name, kommunkod, source, progress)
        if bulk_preview is not None:
            return bulk_preview
    with Session(engine) as session:
        session.info["read_only"] = True
        scope = _scope(session, kind, kommunkod, promise_id, today)
        look = lookups(session, scope)
        if kind == "promise":
            tables = {title: t for name, t in read_workbook(data, file_name).items() if (title := sheet_of(name))}
            plan = plan_promise(session, tables, file_name, scope, look, promise_id=promise_id)
            planned, problems, removals, notes, total = (
                plan.planned,
                plan.problems,
                plan.removals,
                plan.notes,
                plan.total,
            )
        elif kind in KINDS:
            if progress:
                progress("Läser filen", 0.0)
            table = read_table(data, file_name, sheet)
            planned, problems, notes = plan_table(session, kind, table, file_name, scope, look, source, progress)
            total = len(table.rows)
            planned = dedupe(planned, keep_last=False, problems=problems, what="id")
        elif kind == "polisen":
            feed = plan_polisen(session, data, file_name, scope, look)
            planned, removals, problems, notes, total = (
                feed.planned,
                feed.removals,
                feed.problems,
                feed.notes,
                feed.total,
            )
        elif kind == "bra":
            if year is None:
                digits = [int(p) for p in re.findall(r"(?<!\d)(20\d{2})(?!\d)", file_name)]
                year = digits[-1] if digits else None
            if year is None:
                raise FileProblem(f"{file_name}: ange vilket år filen gäller (årtalet finns inte i filnamnet).")
            planned, problems, notes, total = plan_bra(data, file_name, scope, look, year)
        else:  # areas
            planned, problems, total = plan_areas(data, file_name, scope)
        preview = Preview(kind, file_name, data, total, planned, problems, scope, notes, removals, table=table)
        plan = Plan(planned, removals)
        if progress:
            progress("Jämför med databasen", 0.0)
        changes.count(session, plan)
        preview.by_target = plan.by_target
    if progress:
        progress("Jämför med databasen", 1.0)
    return preview


def _bulk_preview(result: BulkResult, file_name: str, data: bytes, source: str | None) -> Preview:
    preview = Preview("incidents", file_name, data, result.total, [], result.problems, result.scope, result.notes,
                      table=result.rejected, bulk=True, source=source)  # fmt: skip
    preview.by_target = {"incident": result.counts}
    return preview


def _prepare_bulk(engine: Engine, data: bytes, file_name: str, kommunkod: str | None, source: str | None,
                  progress: Progress | None) -> Preview | None:  # fmt: skip
    """An incidents CSV checked column-wise (``bulk``); None when only the row-by-row path reads it."""
    try:
        result = bulk.bulk_bytes(engine, data, file_name, kommunkod=kommunkod, source=source, write=False,
                                 progress=progress)  # fmt: skip
    except bulk.NotBulk:
        return None
    return _bulk_preview(result, file_name, data, source)


def prepare_promise(engine: Engine, tables: dict[str, Table], label: str, *, kommunkod: str,
                    promise_id: int | None = None, replace: frozenset[str] = frozenset()) -> Preview:  # fmt: skip
    """The promise editor's save: its tables run through the same validation as the workbook."""
    with Session(engine) as session:
        session.info["read_only"] = True
        scope = resolve_scope(session, kommunkod, promise_id)
        look = lookups(session, scope)
        plan = plan_promise(session, tables, label, scope, look, replace, promise_id)
        data = changes.values_hash({k: [t.header, t.rows] for k, t in tables.items()})
        preview = Preview("promise", label, data, plan.total, plan.planned, plan.problems, scope, plan.notes,
                          plan.removals)  # fmt: skip
        counted = Plan(plan.planned, plan.removals)
        changes.count(session, counted)
        preview.by_target = counted.by_target
    return preview


def rejected_file(preview: Preview) -> bytes | None:
    """The rejected rows with a column ``fel`` (CSV, UTF-8 with BOM so Excel reads it)."""
    if not preview.problems:
        return None
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    by_row: dict[int | None, list[str]] = {}
    for p in preview.problems:
        by_row.setdefault(p.row, []).append(p.line(preview.file_name))
    if preview.table is not None:
        writer.writerow(["rad", *preview.table.header, "fel"])
        cells = dict(preview.table.rows)
        for row in sorted(r for r in by_row if r is not None):
            writer.writerow([row, *["" if c is None else c for c in cells.get(row, [])], " | ".join(by_row[row])])
    else:
        writer.writerow(["rad", "fel"])
        for row, lines in by_row.items():
            writer.writerow([row if row is not None else "", " | ".join(lines)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def commit(engine: Engine, preview: Preview, *, actor: Actor, valid_only: bool = False,
           kind: str | None = None, source: str | None = None,
           progress: Progress | None = None) -> Outcome:  # fmt: skip
    """Write the preview as one import batch, in one transaction. ``kind`` and ``source`` name the
    batch when it is not a file import (a page's save)."""
    whole_only = preview.kind == "promise" or any(p.row is None for p in preview.problems)
    if preview.problems and (not valid_only or whole_only):
        raise ImportRefused(refused(preview.file_name, len(preview.problems), whole_only), preview)
    if preview.bulk:
        return _commit_bulk(engine, preview, actor, valid_only, progress)
    rejected = preview.rejected_rows
    items = [p for p in preview.planned if (p.sheet, p.row) not in rejected]
    source = source or {"polisen": "polisens_handelser", "bra": "Brå"}.get(preview.kind, preview.file_name)
    record = Batch(kind or preview.kind, source, preview.file_name, preview.data, actor, preview.total,
                   preview.scope.kommunkod)  # fmt: skip
    ensure_types = preview.kind in ("incidents", "polisen")
    with session_scope(engine, write=True) as session:
        if ensure_types:
            from ..authoring.mapping import ensure_types as add_types

            add_types(session, preview.scope.kommunkod, {p.values["type"] for p in items if p.target == "incident"})
        written = changes.apply(session, Plan(items, preview.removals), record, progress)
        if written.batch_id is None and not ensure_types:
            session.rollback()
        elif written.batch_id is not None:
            batch = session.get(ImportBatch, written.batch_id)
            assert batch is not None
            batch.rows_rejected = len(rejected)
    if written.inserted + written.updated >= db.ANALYZE_AFTER_ROWS:
        db.refresh_statistics(engine, {changes.TARGETS[p.target].model.__tablename__ for p in items})
    return Outcome(written.batch_id, written.inserted, written.updated, written.unchanged, len(rejected),
                   rejected_file(preview) if valid_only else None, written.removed)  # fmt: skip


def _bulk_outcome(run: Callable[[], BulkResult], file_name: str, data: bytes, source: str | None,
                  valid_only: bool) -> tuple[Preview, Outcome]:  # fmt: skip
    """A column-wise import (``run``) as a preview and an outcome; its refusal as :class:`ImportRefused`
    with the problems."""
    try:
        result = run()
    except bulk.Refused as exc:
        raise ImportRefused(refused(file_name, len(exc.result.problems), False),
                            _bulk_preview(exc.result, file_name, data, source)) from None  # fmt: skip
    preview = _bulk_preview(result, file_name, data, source)
    outcome = Outcome(result.batch_id, result.inserted, result.updated, result.counts.unchanged,
                      len(preview.rejected_rows), rejected_file(preview) if valid_only else None)  # fmt: skip
    return preview, outcome


def _commit_bulk(engine: Engine, preview: Preview, actor: Actor, valid_only: bool,
                 progress: Progress | None) -> Outcome:  # fmt: skip
    """The previewed incidents CSV read again and written a chunk at a time, as one batch (refused
    when the database changed since the preview and rows now have problems)."""
    return _bulk_outcome(
        lambda: bulk.bulk_bytes(engine, preview.data, preview.file_name, actor=actor,
                                kommunkod=preview.scope.kommunkod, source=preview.source, valid_only=valid_only,
                                progress=progress),
        preview.file_name, preview.data, preview.source, valid_only)[1]  # fmt: skip


def import_path(engine: Engine, kind: str, path: Path, *, actor: Actor, valid_only: bool = False,
                progress: Progress | None = None, **options: Any) -> tuple[Preview, Outcome]:  # fmt: skip
    """A file on disk. An incidents CSV is read, checked and written in one streamed pass, so it may
    be of any size; other files are read whole (within ``reading.MAX_BYTES``)."""
    if kind == "incidents" and options.get("sheet") is None:
        try:
            return _bulk_outcome(
                lambda: bulk.bulk_file(engine, path, actor=actor, kommunkod=options.get("kommunkod"),
                                       source=options.get("source"), valid_only=valid_only, progress=progress),
                path.name, b"", options.get("source"), valid_only)  # fmt: skip
        except bulk.NotBulk:
            pass
    return import_file(engine, kind, path.read_bytes(), path.name, actor=actor, valid_only=valid_only,
                       progress=progress, **options)  # fmt: skip


def import_file(engine: Engine, kind: str, data: bytes, file_name: str, *, actor: Actor,
                valid_only: bool = False, progress: Progress | None = None,
                **options: Any) -> tuple[Preview, Outcome]:  # fmt: skip
    preview = prepare(engine, kind, data, file_name, progress=progress, **options)
    return preview, commit(engine, preview, actor=actor, valid_only=valid_only, progress=progress)


# --------------------------------------------------------------------------- templates


TEMPLATE_KINDS = ("promise", *KINDS)


def _sheet(book: Any, title: str, columns: Any, rows: list[list[Any]]) -> None:
    from openpyxl.styles import Font

    ws = book.create_sheet(title)
    ws.append([c.header for c in columns])
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, column in enumerate(columns, start=1):
        widest = max([len(column.header), *(len(str(r[i - 1] or "")) for r in rows[:50])])
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, max(12, widest + 2))


def workbook(sheets: dict[str, tuple[Any, list[list[Any]]]]) -> bytes:
    """An Excel workbook with one sheet per (columns, rows) and a help sheet explaining every column."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, (columns, rows) in sheets.items():
        _sheet(book, title, columns, rows)
    help_ws = book.create_sheet("Hjälp")
    help_ws.append(["blad", "kolumn", "krävs", "förklaring", "exempel"])
    for title, (columns, _) in sheets.items():
        for column in columns:
            help_ws.append([title, column.header, "ja" if column.required else "nej", column.help, column.example])
    book.properties.creator = "lofte-metrics"
    book.properties.created = book.properties.modified = dt.datetime(2022, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same workbook gives the same bytes: zip entries get a fixed time instead of now."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def template(kind: str, fmt: str = "xlsx") -> bytes:
    """An empty file with the right headers and one example row; for ``promise`` a workbook with
    the four sheets (Löfte, Fokusområden, Åtaganden, Aktiviteter)."""
    if kind == "promise":
        if fmt != "xlsx":
            raise FileProblem("Löftet är en Excel-arbetsbok med fyra blad; välj formatet xlsx.")
        return workbook({title: (spec.columns, [[c.example for c in spec.columns]])
                         for title, spec in PROMISE_SHEETS.items()})  # fmt: skip
    if kind not in KINDS:
        raise FileProblem(f"Det finns ingen mall för '{kind}'; mallar finns för: {', '.join(TEMPLATE_KINDS)}.")
    spec = KINDS[kind]
    header = [c.header for c in spec.columns]
    example = [c.example for c in spec.columns]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        writer.writerow(example)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    return workbook({spec.title: (spec.columns, [example])})

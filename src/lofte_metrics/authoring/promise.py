"""The medborgarlöfte as the four sheets people know (Löfte, Fokusområden, Åtaganden, Aktiviteter):
read out of the database for the editor and for download, and saved back through the same
validation as the workbook import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from .. import reference
from ..access.roles import Actor
from ..ingest.importer import Outcome, Preview, commit, prepare_promise, workbook
from ..ingest.reading import Table
from ..ingest.rows import PROMISE_SHEETS
from ..models import Activity, Area, Commitment, FocusArea, Promise


def _table(title: str, rows: list[list[Any]]) -> Table:
    header = [c.header for c in PROMISE_SHEETS[title].columns]
    return Table(header, [(i + 2, row) for i, row in enumerate(rows)])


def promise_tables(engine: Engine, promise_id: int) -> dict[str, Table]:
    """The promise as the workbook's sheets (Swedish headers, one row per item)."""
    with Session(engine) as session:
        p = session.get(Promise, promise_id)
        if p is None:
            raise ValueError(f"Medborgarlöfte {promise_id} finns inte.")
        focus = list(session.scalars(select(FocusArea).where(FocusArea.promise_id == p.id)
                                     .order_by(FocusArea.sort_order, FocusArea.id)))  # fmt: skip
        focus_key = {f.id: f.key for f in focus}
        commitments = list(session.scalars(select(Commitment).where(Commitment.promise_id == p.id)
                                           .order_by(Commitment.ref)))  # fmt: skip
        commitment_ref = {c.id: c.ref for c in commitments}
        area_code = {aid: code for aid, code in session.execute(select(Area.id, Area.code))}
        activities = list(session.scalars(select(Activity).where(Activity.promise_id == p.id).order_by(Activity.ref)))
        return {
            "Löfte": _table("Löfte", [[p.ref, p.title, p.kommunkod, p.police_area, p.period_start, p.period_end,
                                       p.signed_date, "; ".join(p.signatories or []), p.summary]]),
            "Fokusområden": _table("Fokusområden", [[f.key, f.name, f.description, f.sort_order] for f in focus]),
            "Åtaganden": _table("Åtaganden", [[c.ref, focus_key[c.focus_area_id], c.owner, c.text, c.target_count,
                                               c.target_unit, c.due_date] for c in commitments]),
            "Aktiviteter": _table("Aktiviteter", [[a.ref, commitment_ref[a.commitment_id], a.title, a.owner,
                                                   a.responsible_unit, a.planned_start, a.planned_end,
                                                   a.planned_count, a.status, area_code.get(a.area_id or -1)]
                                                  for a in activities]),
        }  # fmt: skip


def promise_workbook(engine: Engine, promise_id: int) -> bytes:
    """The promise as an Excel workbook that ``lofte import promise`` reads back unchanged."""
    tables = promise_tables(engine, promise_id)
    return workbook({title: (PROMISE_SHEETS[title].columns, [list(r) for _, r in t.rows])
                     for title, t in tables.items()})  # fmt: skip


def new_promise_tables(kommun_name: str, kommunkod: str, police_area: str | None, start: dt.date,
                       end: dt.date) -> dict[str, Table]:  # fmt: skip
    """A first draft of a promise: the period, a title, and the proposed fokusområden."""
    years = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    return {
        "Löfte": _table("Löfte", [[None, f"Medborgarlöfte {kommun_name} {years}", kommunkod, police_area, start, end,
                                   None, None, None]]),
        "Fokusområden": _table("Fokusområden", [[k, n, d, i] for i, (k, n, d) in
                                               enumerate(reference.DEFAULT_FOCUS_AREAS)]),
    }  # fmt: skip


def save_promise(engine: Engine, kommunkod: str, tables: dict[str, Table], actor: Actor, *,
                 promise_id: int | None = None, replace: frozenset[str] = frozenset(),
                 label: str = "Löftet") -> tuple[Preview, Outcome | None]:  # fmt: skip
    """Validate and, when there are no problems, write. Returns the preview (with its problems)
    and the outcome (None when nothing was written because of problems)."""
    preview = prepare_promise(engine, tables, label, kommunkod=kommunkod, promise_id=promise_id, replace=replace)
    if preview.problems:
        return preview, None
    return preview, commit(engine, preview, actor=actor, source="sidan Löftet")

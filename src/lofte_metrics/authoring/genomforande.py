"""Reporting what was done: one genomförande of an activity, and its new status, in one save."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..access.roles import Actor
from ..ingest.changes import Batch, Plan, Planned, Written, values_hash, write
from ..ingest.importer import ImportRefused
from ..ingest.reading import Table
from ..ingest.rows import REPORTS, validate_rows
from ..models import ACTIVITY_STATUSES, Activity, ActivityReport


def report_done(engine: Engine, promise_id: int, activity_ref: str, *, date: dt.date, count: int = 1,
                hours: float | None = None, place: str | None = None, note: str | None = None,
                status: str | None = None, actor: Actor, kommunkod: str) -> Written:  # fmt: skip
    """Write a genomförande (validated as the import validates one) and, when ``status`` differs,
    the activity's new status. Raises :class:`ImportRefused` with Swedish lines on bad input."""
    header = [c.header for c in REPORTS.columns]
    cells = ["", activity_ref, date, count, hours, place, None, None, note]
    valid, problems = validate_rows(REPORTS, Table(header, [(1, cells)]), "Genomförande")
    if status is not None and status not in ACTIVITY_STATUSES:
        raise ImportRefused(f"Status ska vara en av: {', '.join(ACTIVITY_STATUSES)}.")
    with Session(engine) as session:
        activity = session.scalar(select(Activity).where(Activity.promise_id == promise_id,
                                                         Activity.ref == activity_ref))  # fmt: skip
        if activity is None:
            raise ImportRefused(f"Aktiviteten {activity_ref} finns inte i löftet.")
        activity_id = activity.id
        same_day = session.scalar(select(ActivityReport.id).where(ActivityReport.activity_id == activity_id,
                                                                  ActivityReport.date == date).limit(1))  # fmt: skip
        taken = len(list(session.scalars(select(ActivityReport.ref).where(ActivityReport.activity_id == activity_id))))
    if problems:
        raise ImportRefused("\n".join(p.line("Genomförande").replace("Genomförande, rad 1, ", "") for p in problems))
    row = valid[0][1]
    suffix = f"-{taken + 1}" if same_day is not None else ""
    ref = f"{activity_ref}/{date.isoformat()}{suffix}"[:60]
    plan = Plan([Planned("activity_report", 1, (activity_ref, ref), {
        "activity_id": activity_id, "ref": ref, "date": row.date, "count": row.count, "hours": row.hours,
        "place": row.place, "lat": None, "lon": None, "note": row.note})])  # fmt: skip
    if status is not None:
        plan.planned.append(Planned("activity", None, (activity_ref,), {
            "promise_id": promise_id, "ref": activity_ref, "status": status}))  # fmt: skip
    record = Batch("genomforande", "dashboard", f"Genomförande {activity_ref} {date.isoformat()}",
                   values_hash([activity_ref, date, count, hours, place, note, status]), actor, 1,
                   kommunkod)  # fmt: skip
    return write(engine, plan, record)

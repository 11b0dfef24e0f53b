"""The synthetic workload ``lofte generate`` writes (benchmarks, demonstrations): incidents, presence
and activities of the sample kommun's shape, for the database's kommun, streamed a chunk at a time
so that any number takes the memory of one chunk. Each kind is one import batch (undoable).

Incidents go through the column-wise planner and writer of an incidents import (``ingest.bulk``);
presence, activities and their genomföranden through the same derived values as their imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from . import db
from .db import session_scope
from .ingest import bulk
from .ingest.changes import new_batch
from .ingest.plans import Look, Scope, lookups, presence_values, resolve_scope
from .models import Activity, ActivityReport, ImportBatch, Presence
from .samplegen import FIRST_DAY, LAST_DAY, generate_activities, generate_incidents, generate_presence

#: rows made and written at a time
CHUNK = 50_000
#: incidents in the sample's two years at scale 1 (the generator's rate is topped up to the number asked)
BASE_INCIDENTS = 5370
SOURCE = "syntetisk"


class GenerateRefused(ValueError):
    """The kommun lacks what the workload needs; the message is Swedish."""


@dataclass(frozen=True)
class Generated:
    incidents: int = 0
    presence: int = 0
    activities: int = 0
    reports: int = 0


def _batch(session: Session, kind: str, n: int, scope: Scope, stamp: str) -> ImportBatch:
    return new_batch(session, kind, SOURCE, f"generate-{kind}-{n}", stamp.encode(), "lofte generate", n,
                     scope.kommunkod)  # fmt: skip


def _incident_chunks(n: int, seed: int, stamp: str) -> Iterator[pd.DataFrame]:
    """Validated-incident frames (``ingest.columns.FIELDS``) of ``n`` generated incidents in all."""
    made = 0
    while made < n:
        wanted = min(CHUNK, n - made)
        rows = generate_incidents(FIRST_DAY, LAST_DAY, scale=wanted / BASE_INCIDENTS * 1.1, seed=seed)[:wanted]
        seed += 1000
        frame = pd.DataFrame(rows)
        yield pd.DataFrame({
            "row": range(made, made + len(frame)),
            "source": SOURCE,
            "source_id": [f"SYN{seed}-{stamp}-{made + i:08d}" for i in range(len(frame))],
            "occurred_at": pd.to_datetime(frame["occurred_at"], utc=True).astype("datetime64[us, UTC]"),
            "type": frame["type"],
            "lat": frame["lat"].astype(float),
            "lon": frame["lon"].astype(float),
            "area_code": frame["area_code"].replace("", None),
            "place_name": frame["place_name"],
            "summary": frame["summary"],
            "precision": frame["precision"],
        })  # fmt: skip
        made += len(frame)


def _incidents(session: Session, n: int, seed: int, stamp: str, scope: Scope, look: Look) -> int:
    batch = _batch(session, "incidents", n, scope, stamp)
    headers = {"area_code": "områdeskod"}
    types: dict[str, str] = {}
    written = 0
    from .authoring.mapping import ensure_types

    for typed in _incident_chunks(n, seed, stamp):
        planned, _, _ = bulk.plan_chunk(typed, scope, look, SOURCE, headers, types)
        ensure_types(session, scope.kommunkod, planned.values["type"].unique())
        bulk.insert(session, planned.values, batch.id)
        written += len(planned.values)
    batch.rows_inserted = written
    return written


def _presence(session: Session, n: int, seed: int, stamp: str, scope: Scope, look: Look) -> int:
    batch = _batch(session, "presence", n, scope, stamp)
    written, pending = 0, []
    while written + len(pending) < n:
        for row in generate_presence(seed):
            if written + len(pending) >= n:
                break
            data = {**row, "ref": f"SYN{seed}-{stamp}-{written + len(pending):08d}",
                    "started_at": dt.datetime.fromisoformat(row["started_at"]),
                    "ended_at": dt.datetime.fromisoformat(row["ended_at"])}  # fmt: skip
            pending.append(presence_values(data, scope, look) | {"batch_id": batch.id})
            if len(pending) == CHUNK:
                session.execute(Presence.__table__.insert(), pending)
                written, pending = written + len(pending), []
        seed += 1000
    if pending:
        session.execute(Presence.__table__.insert(), pending)
        written += len(pending)
    batch.rows_inserted = written
    return written


def _activities(session: Session, n: int, seed: int, stamp: str, scope: Scope, look: Look) -> tuple[int, int]:
    """``n`` activities in the current promise (the sample's plan over and over, each set with its
    genomföranden), under the promise's commitments of the same id."""
    batch = _batch(session, "activities", n, scope, stamp)
    plan, reports = generate_activities(seed)
    by_ref = look.commitments
    usable = [a for a in plan if a["commitment_ref"] in by_ref]
    if not usable:
        wanted = ", ".join(sorted({a["commitment_ref"] for a in plan}))
        raise GenerateRefused(f"Det gällande löftet för {scope.kommun_name} har inga åtaganden med id {wanted} (som "
                              "exempelkommunens); syntetiska aktiviteter läggs under dem.")  # fmt: skip
    reports_of: dict[str, list[dict[str, Any]]] = {}
    for r in reports:
        reports_of.setdefault(r["activity_ref"], []).append(r)
    made = reported = copy = 0
    while made < n:
        activities: list[dict[str, Any]] = []
        refs: dict[str, str] = {}
        while made + len(activities) < n and len(activities) < CHUNK // 10:
            for a in usable:
                if made + len(activities) >= n:
                    break
                ref = f"S{stamp[-6:]}-{copy:05d}-{a['ref']}"[:40]
                refs[ref] = a["ref"]
                activities.append({
                    "ref": ref, "title": a["title"], "owner": a["owner"], "responsible_unit": a["responsible_unit"],
                    "planned_start": dt.date.fromisoformat(a["planned_start"]),
                    "planned_end": dt.date.fromisoformat(a["planned_end"]), "planned_count": a["planned_count"],
                    "status": a["status"], "promise_id": scope.promise_id,
                    "commitment_id": by_ref[a["commitment_ref"]], "area_id": look.areas.get(a["area_code"] or ""),
                    "batch_id": batch.id})  # fmt: skip
            copy += 1
        session.execute(Activity.__table__.insert(), activities)
        ids = dict(session.execute(select(Activity.ref, Activity.id).where(Activity.batch_id == batch.id)).all())
        rows = [{"ref": f"{ref}-{r['ref'].rsplit('-', 1)[1]}", "activity_id": ids[ref],
                 "date": dt.date.fromisoformat(r["date"]), "count": r["count"], "hours": r["hours"],
                 "place": r["place"], "lat": None if r["lat"] == "" else float(r["lat"]),
                 "lon": None if r["lon"] == "" else float(r["lon"]), "note": r["note"] or None, "batch_id": batch.id}
                for ref, source_ref in refs.items() for r in reports_of.get(source_ref, [])]  # fmt: skip
        for start in range(0, len(rows), CHUNK):
            session.execute(ActivityReport.__table__.insert(), rows[start : start + CHUNK])
        made += len(activities)
        reported += len(rows)
    batch.rows_inserted = made + reported
    return made, reported


def generate(engine: Engine, kommunkod: str | None, *, incidents: int = 0, presence: int = 0, activities: int = 0,
             seed: int = 1) -> Generated:  # fmt: skip
    """Write the asked numbers of each kind for the kommun (activities in its current promise)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    with Session(engine) as session:
        scope = resolve_scope(session, kommunkod, need_promise=activities > 0)
        look = lookups(session, scope)
    result: dict[str, int] = {}
    with session_scope(engine, write=True) as session:
        if incidents:
            result["incidents"] = _incidents(session, incidents, seed, stamp, scope, look)
        if presence:
            result["presence"] = _presence(session, presence, seed, stamp, scope, look)
        if activities:
            result["activities"], result["reports"] = _activities(session, activities, seed, stamp, scope, look)
    tables = {"incidents": "incident", "presence": "presence", "activities": "activity", "reports": "activity_report"}
    db.refresh_statistics(engine, [tables[k] for k, v in result.items() if v])
    return Generated(**result)

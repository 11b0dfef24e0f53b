"""Writing normalised records into the database: the last step of every import.

Callers hand over rows that are already validated and typed (aware datetimes, dates,
floats); this module derives what the database keeps for aggregation (the Stockholm
calendar date, the H3 map cell, the area a point lies in) and writes them in bulk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .formatting import local_date
from .geo import AreaLocator, cell_of
from .models import (
    MAPPABLE_PRECISIONS,
    Activity,
    ActivityReport,
    Area,
    Commitment,
    FocusArea,
    ImportBatch,
    Incident,
    IncidentType,
    Indicator,
    IndicatorValue,
    Presence,
    Promise,
    SituationPicture,
)


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_batch(
    session: Session, kind: str, source: str, file_name: str, data: bytes, created_by: str, rows_total: int
) -> ImportBatch:
    batch = ImportBatch(
        kind=kind,
        source=source,
        file_name=file_name,
        file_hash=file_hash(data),
        rows_total=rows_total,
        created_by=created_by,
        created_at=dt.datetime.now(dt.UTC),
    )
    session.add(batch)
    session.flush()
    return batch


def area_ids_by_code(session: Session) -> dict[str, int]:
    return {code: area_id for area_id, code in session.execute(select(Area.id, Area.code))}


def area_locator(session: Session) -> AreaLocator:
    rows = session.execute(
        select(Area.id, Area.code, Area.geometry).where(Area.kind != "kommun", Area.geometry.is_not(None))
    )
    return AreaLocator((area_id, code, geometry) for area_id, code, geometry in rows)


def store_areas(session: Session, features: Sequence[Mapping[str, Any]], batch: ImportBatch | None) -> int:
    """GeoJSON features in WGS84 with properties code, name, kind, kommunkod, parent, population."""
    by_code: dict[str, Area] = {a.code: a for a in session.scalars(select(Area))}
    written = 0
    pending_parents: list[tuple[Area, str]] = []
    for feature in features:
        props = feature["properties"]
        area = by_code.get(props["code"]) or Area(code=props["code"])
        area.name = props["name"]
        area.kind = props.get("kind") or "kommundel"
        area.kommunkod = str(props["kommunkod"])
        area.population = props.get("population")
        area.centre_lat = props.get("centre_lat")
        area.centre_lon = props.get("centre_lon")
        area.geometry = feature.get("geometry")
        area.batch_id = batch.id if batch else None
        session.add(area)
        by_code[area.code] = area
        if props.get("parent"):
            pending_parents.append((area, props["parent"]))
        written += 1
    session.flush()
    for area, parent_code in pending_parents:
        parent = by_code.get(parent_code)
        area.parent_id = parent.id if parent else None
    session.flush()
    return written


def store_incident_types(session: Session, rows: Iterable[Mapping[str, Any]]) -> int:
    existing = {t.name: t for t in session.scalars(select(IncidentType))}
    n = 0
    for row in rows:
        item = existing.get(row["type"]) or IncidentType(name=row["type"])
        item.focus_key = row.get("focus_key") or None
        item.sensitive = bool(row.get("sensitive"))
        session.add(item)
        n += 1
    session.flush()
    return n


def store_promise(session: Session, data: Mapping[str, Any]) -> Promise:
    promise = Promise(
        title=data["title"],
        kommunkod=str(data["kommunkod"]),
        kommun_name=data["kommun_name"],
        police_area=data["police_area"],
        period_start=dt.date.fromisoformat(data["period_start"]),
        period_end=dt.date.fromisoformat(data["period_end"]),
        signed_date=dt.date.fromisoformat(data["signed_date"]) if data.get("signed_date") else None,
        signatories=list(data.get("signatories") or []),
        summary=data.get("summary"),
    )
    session.add(promise)
    focus_by_key: dict[str, FocusArea] = {}
    for fa in data.get("focus_areas", []):
        focus = FocusArea(
            key=fa["key"], name=fa["name"], description=fa.get("description"), sort_order=int(fa.get("sort_order", 0))
        )
        promise.focus_areas.append(focus)
        focus_by_key[focus.key] = focus
    for c in data.get("commitments", []):
        focus_by_key[c["focus"]].commitments.append(
            Commitment(
                ref=c["ref"],
                owner=c["owner"],
                text=c["text"],
                target_count=c.get("target_count"),
                target_unit=c.get("target_unit"),
                due_date=dt.date.fromisoformat(c["due_date"]) if c.get("due_date") else None,
            )
        )
    session.flush()
    return promise


def store_activities(session: Session, rows: Sequence[Mapping[str, Any]], batch: ImportBatch | None) -> int:
    """Rows with ref, commitment_ref, title, owner, responsible_unit, planned_start/end (dates), …"""
    commitments = {ref: cid for cid, ref in session.execute(select(Commitment.id, Commitment.ref))}
    areas = area_ids_by_code(session)
    existing = {a.ref: a for a in session.scalars(select(Activity))}
    for row in rows:
        activity = existing.get(row["ref"]) or Activity(ref=row["ref"])
        activity.commitment_id = commitments[row["commitment_ref"]]
        activity.title = row["title"]
        activity.owner = row["owner"]
        activity.responsible_unit = row.get("responsible_unit") or None
        activity.planned_start = row["planned_start"]
        activity.planned_end = row["planned_end"]
        activity.planned_count = int(row["planned_count"])
        activity.status = row["status"]
        activity.area_id = areas.get(row.get("area_code") or "")
        activity.batch_id = batch.id if batch else None
        session.add(activity)
    session.flush()
    return len(rows)


def store_reports(session: Session, rows: Sequence[Mapping[str, Any]], batch: ImportBatch | None) -> int:
    activities = {ref: aid for aid, ref in session.execute(select(Activity.id, Activity.ref))}
    values = [
        {
            "ref": row.get("ref") or None,
            "activity_id": activities[row["activity_ref"]],
            "date": row["date"],
            "count": int(row.get("count") or 1),
            "hours": row.get("hours"),
            "place": row.get("place") or None,
            "lat": row.get("lat"),
            "lon": row.get("lon"),
            "note": row.get("note") or None,
            "batch_id": batch.id if batch else None,
        }
        for row in rows
    ]
    if values:
        session.execute(insert(ActivityReport), values)
    return len(values)


def incident_values(
    session: Session, rows: Sequence[Mapping[str, Any]], batch: ImportBatch | None
) -> list[dict[str, Any]]:
    """Database values for incident rows: local date, map cell and area derived here."""
    areas = area_ids_by_code(session)
    locator = area_locator(session)
    values = []
    for row in rows:
        occurred: dt.datetime = row["occurred_at"]
        precision = row["precision"]
        lat, lon = row.get("lat"), row.get("lon")
        area_id = areas.get(row.get("area_code") or "")
        if area_id is None and precision == "punkt":
            area_id = locator.locate(lat, lon)
        values.append(
            {
                "source": row["source"],
                "source_id": str(row["source_id"]),
                "occurred_at": occurred,
                "local_date": local_date(occurred),
                "type": row["type"],
                "lat": lat,
                "lon": lon,
                "precision": precision,
                "cell": cell_of(lat, lon) if precision in MAPPABLE_PRECISIONS else None,
                "area_id": area_id,
                "place_name": row.get("place_name") or None,
                "summary": row.get("summary") or None,
                "url": row.get("url") or None,
                "batch_id": batch.id if batch else None,
            }
        )
    return values


def ensure_incident_types(session: Session, names: Iterable[str]) -> None:
    """New incident types enter the mapping table unmapped, for an analyst to assign."""
    known = set(session.scalars(select(IncidentType.name)))
    for name in sorted(set(names) - known):
        session.add(IncidentType(name=name, focus_key=None, sensitive=False))
    session.flush()


def store_incidents(session: Session, rows: Sequence[Mapping[str, Any]], batch: ImportBatch | None) -> int:
    values = incident_values(session, rows, batch)
    ensure_incident_types(session, (v["type"] for v in values))
    for start in range(0, len(values), 5000):
        session.execute(insert(Incident), values[start : start + 5000])
    return len(values)


def presence_values(
    session: Session, rows: Sequence[Mapping[str, Any]], batch: ImportBatch | None
) -> list[dict[str, Any]]:
    areas = area_ids_by_code(session)
    locator = area_locator(session)
    values = []
    for row in rows:
        started: dt.datetime = row["started_at"]
        ended: dt.datetime = row["ended_at"]
        lat, lon = row.get("lat"), row.get("lon")
        values.append(
            {
                "ref": row.get("ref") or None,
                "actor_kind": row["actor_kind"],
                "started_at": started,
                "ended_at": ended,
                "local_date": local_date(started),
                "hours": (ended - started).total_seconds() / 3600,
                "place": row.get("place") or None,
                "lat": lat,
                "lon": lon,
                "cell": cell_of(lat, lon),
                "area_id": areas.get(row.get("area_code") or "") or locator.locate(lat, lon),
                "focus_key": row.get("focus_key") or None,
                "batch_id": batch.id if batch else None,
            }
        )
    return values


def store_presence(session: Session, rows: Sequence[Mapping[str, Any]], batch: ImportBatch | None) -> int:
    values = presence_values(session, rows, batch)
    if values:
        session.execute(insert(Presence), values)
    return len(values)


def store_indicators(session: Session, rows: Iterable[Mapping[str, Any]]) -> int:
    existing = {i.key: i for i in session.scalars(select(Indicator))}
    n = 0
    for row in rows:
        item = existing.get(row["key"]) or Indicator(key=row["key"])
        item.name = row["name"]
        item.unit = row.get("unit") or None
        item.source = row.get("source") or None
        item.focus_key = row.get("focus_key") or None
        item.higher_is_better = bool(row.get("higher_is_better"))
        session.add(item)
        n += 1
    session.flush()
    return n


def store_indicator_values(session: Session, rows: Sequence[Mapping[str, Any]], batch: ImportBatch | None) -> int:
    """Rows with indicator (key), period_label, period_start, period_end, value, baseline, target."""
    indicators = {key: iid for iid, key in session.execute(select(Indicator.id, Indicator.key))}
    values = [
        {
            "indicator_id": indicators[row["indicator"]],
            "period_label": row["period_label"],
            "period_start": row["period_start"],
            "period_end": row["period_end"],
            "value": row["value"],
            "baseline": row.get("baseline"),
            "target": row.get("target"),
            "area_id": None,
            "batch_id": batch.id if batch else None,
        }
        for row in rows
    ]
    if values:
        session.execute(insert(IndicatorValue), values)
    return len(values)


def store_situation_pictures(session: Session, items: Sequence[Mapping[str, Any]], promise_id: int | None) -> int:
    for item in items:
        approved = item.get("approved_at")
        session.add(
            SituationPicture(
                promise_id=promise_id,
                period_label=item["period_label"],
                period_start=dt.date.fromisoformat(item["period_start"]),
                period_end=dt.date.fromisoformat(item["period_end"]),
                summary=item.get("summary"),
                texts=dict(item["texts"]),
                hotspots=list(item.get("hotspots") or []),
                approved_at=dt.datetime.fromisoformat(approved) if approved else None,
                approved_by=item.get("approved_by"),
            )
        )
    session.flush()
    return len(items)

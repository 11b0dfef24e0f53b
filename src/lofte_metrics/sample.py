"""Loading the sample kommun (``sample_data/``) into a database."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from . import store
from .db import session_scope
from .models import Promise

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
CREATED_BY = "lofte sample"


class SampleError(RuntimeError):
    pass


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _float(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def _year_period(label: str) -> tuple[dt.date, dt.date]:
    year = int(label)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def load_sample(engine: Engine, directory: Path = SAMPLE_DIR) -> dict[str, int]:
    """Load every sample file, each as its own import batch; refuses a database that has it."""
    if not (directory / "promise.json").is_file():
        raise SampleError(f"Hittar inga exempeldata i {directory}")
    promise_data = json.loads((directory / "promise.json").read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    with session_scope(engine) as session:
        if session.scalar(select(Promise.id).where(Promise.title == promise_data["title"])) is not None:
            raise SampleError(f"Exempeldata finns redan i databasen ({promise_data['title']}).")

        def batch(kind: str, name: str, rows: int) -> Any:
            data = (directory / name).read_bytes()
            return store.new_batch(session, kind, "exempeldata", name, data, CREATED_BY, rows)

        geo = json.loads((directory / "areas.geojson").read_text(encoding="utf-8"))
        b = batch("areas", "areas.geojson", len(geo["features"]))
        counts["areas"] = b.rows_inserted = store.store_areas(session, geo["features"], b)

        types = [{**row, "sensitive": row["sensitive"] == "1"} for row in _csv(directory / "incident_types.csv")]
        store.store_incident_types(session, types)
        promise = store.store_promise(session, promise_data)
        counts["commitments"] = len(promise_data["commitments"])

        rows: list[dict[str, Any]] = []
        for row in _csv(directory / "activities.csv"):
            rows.append(
                {
                    **row,
                    "planned_start": dt.date.fromisoformat(row["planned_start"]),
                    "planned_end": dt.date.fromisoformat(row["planned_end"]),
                }
            )
        b = batch("activities", "activities.csv", len(rows))
        counts["activities"] = b.rows_inserted = store.store_activities(session, rows, b)

        rows = [
            {
                **row,
                "date": dt.date.fromisoformat(row["date"]),
                "hours": _float(row["hours"]),
                "lat": _float(row["lat"]),
                "lon": _float(row["lon"]),
            }
            for row in _csv(directory / "activity_reports.csv")
        ]
        b = batch("reports", "activity_reports.csv", len(rows))
        counts["activity_reports"] = b.rows_inserted = store.store_reports(session, rows, b)

        rows = [
            {
                **row,
                "occurred_at": dt.datetime.fromisoformat(row["occurred_at"]),
                "lat": _float(row["lat"]),
                "lon": _float(row["lon"]),
            }
            for row in _csv(directory / "incidents.csv")
        ]
        b = batch("incidents", "incidents.csv", len(rows))
        counts["incidents"] = b.rows_inserted = store.store_incidents(session, rows, b)

        rows = [
            {
                **row,
                "started_at": dt.datetime.fromisoformat(row["started_at"]),
                "ended_at": dt.datetime.fromisoformat(row["ended_at"]),
                "lat": _float(row["lat"]),
                "lon": _float(row["lon"]),
            }
            for row in _csv(directory / "presence.csv")
        ]
        b = batch("presence", "presence.csv", len(rows))
        counts["presence"] = b.rows_inserted = store.store_presence(session, rows, b)

        indicators = [
            {**row, "higher_is_better": row["higher_is_better"] == "True"} for row in _csv(directory / "indicators.csv")
        ]
        store.store_indicators(session, indicators)
        rows = []
        for row in _csv(directory / "indicator_values.csv"):
            start, end = _year_period(row["period"])
            rows.append(
                {
                    "indicator": row["indicator"],
                    "period_label": row["period"],
                    "period_start": start,
                    "period_end": end,
                    "value": float(row["value"]),
                    "baseline": _float(row["baseline"]),
                    "target": _float(row["target"]),
                }
            )
        b = batch("indicators", "indicator_values.csv", len(rows))
        counts["indicator_values"] = b.rows_inserted = store.store_indicator_values(session, rows, b)

        pictures = json.loads((directory / "situation_pictures.json").read_text(encoding="utf-8"))
        counts["situation_pictures"] = store.store_situation_pictures(session, pictures, promise.id)
    return counts

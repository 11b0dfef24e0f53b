"""What the query layer's aggregates are measured against: the hand-written *floor* (the best
plain SQL we know for the same numbers on the same engine: on SQLite count per day and type
first, in the order of the covering index, then sum) and the *naive* peer (read the rows
into pandas and aggregate there). Each peer returns exactly what the project returns, as sorted
tuples, so ``tests/db/test_aggregate_peers.py`` proves all three equal on random data and the
benchmark only times them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, text

from lofte_metrics import queries as q

Rows = list[tuple[Any, ...]]


def _week_sql(engine: Engine, column: str) -> str:
    if engine.dialect.name == "postgresql":
        return f"CAST(date_trunc('week', {column}) AS DATE)"
    return f"date({column}, '-' || ((CAST(strftime('%w', {column}) AS INTEGER) + 6) % 7) || ' days')"


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _key(value: Any) -> Any:
    """A group key as the project returns it: None for "no fokusområde", never NaN."""
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _sorted(rows: Any) -> Rows:
    return sorted(((*(_key(v) for v in r[:-1]), int(r[-1])) for r in rows),
                  key=lambda r: tuple("" if v is None else v for v in r))  # fmt: skip


def _rows(engine: Engine, sql: str, params: dict[str, Any]) -> Rows:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _read_incidents(engine: Engine, f: q.Filters, columns: str) -> pd.DataFrame:
    """The period's incident rows of the kommun, as the naive peer reads them: every row."""
    sql = f"SELECT {columns} FROM incident WHERE kommunkod = :k AND local_date >= :a AND local_date <= :b"
    return pd.read_sql(text(sql), engine, params={"k": f.kommunkod, "a": f.start, "b": f.end})


def _with_focus(engine: Engine, f: q.Filters, incidents: pd.DataFrame) -> pd.DataFrame:
    """Incident rows with their kommun's fokusområde (missing for an unmapped type)."""
    types = pd.read_sql(text("SELECT name, focus_key FROM incident_type WHERE kommunkod = :k"), engine,
                        params={"k": f.kommunkod})  # fmt: skip
    return incidents.merge(types, how="left", left_on="type", right_on="name")


# --------------------------------------------------------------------------- weekly counts per fokusområde


def weekly_project(engine: Engine, f: q.Filters) -> Rows:
    frame = q.incident_counts(engine, f, "week", "focus")
    return _sorted((p.date(), k, n) for p, k, n in frame.itertuples(index=False))


def weekly_floor(engine: Engine, f: q.Filters) -> Rows:
    sql = f"""
        WITH daily AS (
            SELECT local_date, type, count(*) AS n FROM incident
            WHERE kommunkod = :k AND local_date >= :a AND local_date <= :b
            GROUP BY local_date, type)
        SELECT {_week_sql(engine, "daily.local_date")} AS week, t.focus_key, sum(daily.n)
        FROM daily LEFT JOIN incident_type t ON t.name = daily.type AND t.kommunkod = :k
        GROUP BY 1, 2"""
    rows = _rows(engine, sql, {"k": f.kommunkod, "a": f.start, "b": f.end})
    return _sorted((_day(w), k, n) for w, k, n in rows)


def weekly_naive(engine: Engine, f: q.Filters) -> Rows:
    incidents = _read_incidents(engine, f, "local_date, type")
    days = pd.to_datetime(incidents["local_date"])
    incidents["week"] = (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.date
    counts = _with_focus(engine, f, incidents).groupby(["week", "focus_key"], dropna=False).size()
    return _sorted((w, k, n) for (w, k), n in counts.items())


# --------------------------------------------------------------------------- counts per area


def area_project(engine: Engine, f: q.Filters) -> Rows:
    frame = q.incidents_per_area(engine, f)
    return _sorted(zip(frame["code"], frame["count"], strict=True))


def _per(column: str, engine: Engine) -> str:
    """``per_<column>``: the period's incidents counted per ``column``. SQLite is fastest counting per
    day and type first, in the covering index's order, then summing; PostgreSQL grouping directly."""
    name = f"per_{column.removesuffix('_id')}"
    where = "kommunkod = :k AND local_date >= :a AND local_date <= :b"
    if engine.dialect.name != "sqlite":
        return f"{name} AS (SELECT {column}, count(*) AS n FROM incident WHERE {where} GROUP BY {column})"
    daily = ", ".join(dict.fromkeys(["local_date", "type", column]))
    return (f"daily AS (SELECT {daily}, count(*) AS n FROM incident WHERE {where} GROUP BY {daily}), "
            f"{name} AS (SELECT {column}, sum(n) AS n FROM daily GROUP BY {column})")


def area_floor(engine: Engine, f: q.Filters) -> Rows:
    sql = f"""
        WITH {_per("area_id", engine)}
        SELECT area.code, per_area.n FROM per_area JOIN area ON area.id = per_area.area_id"""
    return _sorted(_rows(engine, sql, {"k": f.kommunkod, "a": f.start, "b": f.end}))


def area_naive(engine: Engine, f: q.Filters) -> Rows:
    incidents = _read_incidents(engine, f, "area_id")
    areas = pd.read_sql(text("SELECT id, code FROM area"), engine)
    counts = incidents.merge(areas, left_on="area_id", right_on="id").groupby("code").size()
    return _sorted(counts.items())


# --------------------------------------------------------------------------- totals per fokusområde


def totals_project(engine: Engine, f: q.Filters) -> Rows:
    frame = q.incident_totals(engine, f)
    return _sorted(frame.itertuples(index=False))


def totals_floor(engine: Engine, f: q.Filters) -> Rows:
    sql = f"""
        WITH {_per("type", engine)}
        SELECT t.focus_key, sum(per_type.n)
        FROM per_type LEFT JOIN incident_type t ON t.name = per_type.type AND t.kommunkod = :k
        GROUP BY t.focus_key"""
    return _sorted(_rows(engine, sql, {"k": f.kommunkod, "a": f.start, "b": f.end}))


def totals_naive(engine: Engine, f: q.Filters) -> Rows:
    merged = _with_focus(engine, f, _read_incidents(engine, f, "type"))
    return _sorted(merged.groupby("focus_key", dropna=False).size().items())


@dataclass(frozen=True)
class Aggregate:
    name: str
    project: Callable[[Engine, q.Filters], Rows]
    floor: Callable[[Engine, q.Filters], Rows]
    naive: Callable[[Engine, q.Filters], Rows]


AGGREGATES = [
    Aggregate("weekly counts per fokusområde", weekly_project, weekly_floor, weekly_naive),
    Aggregate("counts per area", area_project, area_floor, area_naive),
    Aggregate("totals per fokusområde", totals_project, totals_floor, totals_naive),
]

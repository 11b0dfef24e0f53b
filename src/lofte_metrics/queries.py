"""Every aggregate the pages need, computed in SQL on SQLite and PostgreSQL alike.

Each function takes an engine and a :class:`Filters` and returns a small DataFrame of
aggregates (per week, per cell, per focus area …), never the raw rows. Week and month
sums group on the stored Stockholm calendar date with a dialect-specific "start of week"
expression, so both backends give the same ISO weeks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import pandas as pd
from sqlalchemy import (
    Date,
    Engine,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from .models import (
    MAPPABLE_PRECISIONS,
    Activity,
    ActivityReport,
    AppSetting,
    Area,
    AuditEvent,
    Commitment,
    FocusArea,
    ImportBatch,
    Incident,
    IncidentType,
    Indicator,
    IndicatorValue,
    Kommun,
    Presence,
    Promise,
    SituationPicture,
)

Grain = Literal["day", "week", "month"]

# --------------------------------------------------------------------------- SQL helpers


class period_start(FunctionElement[dt.date]):  # noqa: N801 - reads like the SQL function it is
    """The first day of the day/ISO week/month that holds a date column."""

    type = Date()
    inherit_cache = True

    def __init__(self, column: Any, grain: Grain) -> None:
        self.grain = grain
        super().__init__(column)


@compiles(period_start, "sqlite")
def _period_start_sqlite(element: period_start, compiler: SQLCompiler, **kw: Any) -> str:
    col = compiler.process(list(element.clauses)[0], **kw)
    if element.grain == "day":
        return f"date({col})"
    if element.grain == "month":
        return f"date({col}, 'start of month')"
    return f"date({col}, '-' || ((CAST(strftime('%w', {col}) AS INTEGER) + 6) % 7) || ' days')"


@compiles(period_start, "postgresql")
def _period_start_pg(element: period_start, compiler: SQLCompiler, **kw: Any) -> str:
    col = compiler.process(list(element.clauses)[0], **kw)
    if element.grain == "day":
        return f"CAST({col} AS DATE)"
    unit = "month" if element.grain == "month" else "week"
    return f"CAST(date_trunc('{unit}', {col}) AS DATE)"


def _frame(engine: Engine, stmt: Select[Any], columns: Sequence[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(columns))


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects: a period (inclusive), focus areas, owners, areas, sources, and the
    kommun and promise every number belongs to (``None``: no restriction, for tests and tools)."""

    start: dt.date
    end: dt.date
    focus_keys: tuple[str, ...] | None = None
    owners: tuple[str, ...] | None = None
    area_codes: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    kommunkod: str | None = None
    promise_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The period of the same length just before this one."""
        length = dt.timedelta(days=self.days)
        return replace(self, start=self.start - length, end=self.end - length)

    def last_year(self) -> Filters:
        """The same dates one year earlier."""
        return replace(self, start=_minus_year(self.start), end=_minus_year(self.end))

    def with_period(self, start: dt.date, end: dt.date) -> Filters:
        return replace(self, start=start, end=end)


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _area_ids_clause(column: Any, codes: tuple[str, ...] | None) -> ColumnElement[bool] | None:
    """Rows in the named areas or in any area below them."""
    if not codes:
        return None
    parent = select(Area.id).where(Area.code.in_(codes))
    child = select(Area.id).where(Area.parent_id.in_(parent))
    return or_(column.in_(parent), column.in_(child))


def _row_where(f: Filters, *, mappable_only: bool = False) -> list[Any]:
    """The filters that a single incident row answers (period, kommun, sources, areas, a point)."""
    clauses: list[Any] = [Incident.local_date >= f.start, Incident.local_date <= f.end]
    if f.kommunkod is not None:
        clauses.append(Incident.kommunkod == f.kommunkod)
    if f.sources:
        clauses.append(Incident.source.in_(f.sources))
    area = _area_ids_clause(Incident.area_id, f.area_codes)
    if area is not None:
        clauses.append(area)
    if mappable_only:
        clauses.append(Incident.precision.in_(MAPPABLE_PRECISIONS))
        clauses.append(Incident.cell.is_not(None))
    return clauses


def _type_where(f: Filters, *, hide_sensitive: bool = False) -> list[Any]:
    """The filters that the kommun's type mapping answers (fokusområden, sensitive types)."""
    clauses: list[Any] = []
    if f.focus_keys is not None:
        clauses.append(IncidentType.focus_key.in_(f.focus_keys))
    if hide_sensitive:  # a type without a mapping row, or not yet classified, is sensitive: unknown means closed
        clauses.append(func.coalesce(IncidentType.sensitive, True).is_(False))
        clauses.append(func.coalesce(IncidentType.classified, False).is_(True))
    return clauses


#: the grouped columns in the order ``ix_incident_kommun_period_groups`` holds them after the kommun
PERIOD_GROUPS = ("local_date", "type", "area_id", "source", "precision", "cell")


def _grouped(engine: Engine, f: Filters, *columns: Any, mappable_only: bool = False, by_type: bool = True) -> Any:
    """The period's incidents counted per ``columns`` (and type, unless ``by_type`` is False) as
    ``n``, before the type mapping is joined: the mapping then joins thousands of grouped rows
    instead of every incident, and weeks or months are made from days, not from rows (the
    hand-written floor's plan). The kommun is a column only when the filters do not fix it.

    On SQLite the count is made per day and type first, in the order of
    ``ix_incident_kommun_period_groups`` (which holds every column grouped here), so it counts from
    the index as it reads it, without sorting a row; a second level sums those counts per
    ``columns`` when they are fewer (at a million incidents: per area 243 -> 164 ms, per type
    276 -> 136 ms). PostgreSQL hashes the rows at once and is faster grouping directly (per area
    155 ms against 398 ms in two levels)."""
    kommun = [] if f.kommunkod is not None else [Incident.kommunkod]
    wanted = [*kommun, *columns, *([Incident.type] if by_type else [])]
    names = {c.key for c in wanted}
    by_day = engine.dialect.name == "sqlite"
    ordered = [getattr(Incident, n) for n in PERIOD_GROUPS if (by_day and n in ("local_date", "type")) or n in names]
    first = [*kommun, *ordered, *(c for c in columns if c.key not in PERIOD_GROUPS)]
    daily = (
        select(*first, func.count().label("n"))
        .where(*_row_where(f, mappable_only=mappable_only))
        .group_by(*first)
    )
    if {c.key for c in first} == names:
        return daily.subquery("grouped")
    per_day = daily.subquery("per_day")
    cols = [per_day.c[c.key] for c in wanted]
    return select(*cols, cast(func.sum(per_day.c.n), Integer).label("n")).group_by(*cols).subquery("grouped")


def _mapped(grouped: Any, f: Filters) -> Any:
    """Grouped incidents with their kommun's mapping of their type (when grouped by type)."""
    if "type" not in grouped.c:
        return grouped
    kommun = literal(f.kommunkod) if f.kommunkod is not None else grouped.c.kommunkod
    return grouped.outerjoin(
        IncidentType.__table__, and_(IncidentType.name == grouped.c.type, IncidentType.kommunkod == kommun)
    )


def _total(grouped: Any) -> Any:
    """The sum of grouped counts as an integer on both engines (PostgreSQL sums to numeric)."""
    return cast(func.sum(grouped.c.n), Integer)


def _sensitive() -> ColumnElement[bool]:
    """A sensitive type, or one nobody has classified (or that has no mapping row)."""
    return or_(
        func.coalesce(IncidentType.sensitive, True).is_(True), func.coalesce(IncidentType.classified, False).is_(False)
    )


def _presence_where(f: Filters, *, use_focus: bool = False) -> list[Any]:
    clauses: list[Any] = [Presence.local_date >= f.start, Presence.local_date <= f.end]
    if f.kommunkod is not None:
        clauses.append(Presence.kommunkod == f.kommunkod)
    area = _area_ids_clause(Presence.area_id, f.area_codes)
    if area is not None:
        clauses.append(area)
    if use_focus and f.focus_keys is not None:
        clauses.append(Presence.focus_key.in_(f.focus_keys))
    return clauses


# --------------------------------------------------------------------------- incidents


def incident_counts(
    engine: Engine,
    f: Filters,
    grain: Grain = "week",
    by: Literal["focus", "type", "none"] = "focus",
    hide_sensitive: bool = False,
) -> pd.DataFrame:
    """Incidents per day/ISO week/month: columns ``period``, ``key``, ``count``."""
    g = _grouped(engine, f, Incident.local_date)
    period = period_start(g.c.local_date, grain).label("period")
    key: Any = {
        "focus": IncidentType.focus_key,
        "type": g.c.type,
        "none": literal("alla"),
    }[by].label("key")
    stmt = (
        select(period, key, _total(g).label("count"))
        .select_from(_mapped(g, f))
        .where(*_type_where(f, hide_sensitive=hide_sensitive))
        .group_by(period, key)
        .order_by(period, key)
    )
    frame = _frame(engine, stmt, ["period", "key", "count"])
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def incident_totals(
    engine: Engine,
    f: Filters,
    by: Literal["focus", "type", "source"] = "focus",
    hide_sensitive: bool = False,
    only_sensitive: bool = False,
) -> pd.DataFrame:
    """Incidents in the period: columns ``key``, ``count``. ``hide_sensitive`` leaves out sensitive
    and unclassified types; ``only_sensitive`` counts only those."""
    where = _type_where(f, hide_sensitive=hide_sensitive)
    if only_sensitive:
        where.append(_sensitive())
    # by source without a type filter, the types need not be told apart
    g = _grouped(engine, f, Incident.source, by_type=bool(where)) if by == "source" else _grouped(engine, f)
    key: Any = {"focus": IncidentType.focus_key, "type": g.c.get("type"), "source": g.c.get("source")}[by]
    stmt = (
        select(key.label("key"), _total(g).label("count"))
        .select_from(_mapped(g, f))
        .where(*where)
        .group_by(key)
        .order_by(_total(g).desc())
    )
    return _frame(engine, stmt, ["key", "count"])


def incidents_per_area(engine: Engine, f: Filters, hide_sensitive: bool = False) -> pd.DataFrame:
    """Incidents per area (kommundel, or the kommun for centre-point events)."""
    where = _type_where(f, hide_sensitive=hide_sensitive)
    g = _grouped(engine, f, Incident.area_id, by_type=bool(where))
    stmt = (
        select(Area.code, Area.name, Area.kind, Area.population, _total(g).label("count"))
        .select_from(_mapped(g, f).join(Area.__table__, Area.id == g.c.area_id))
        .where(*where)
        .group_by(Area.code, Area.name, Area.kind, Area.population)
        .order_by(_total(g).desc())
    )
    return _frame(engine, stmt, ["code", "name", "kind", "population", "count"])


def incidents_per_cell(engine: Engine, f: Filters) -> pd.DataFrame:
    """Incidents per stored H3 cell, without sensitive types and without centre-point events.

    Columns ``cell``, ``focus_key``, ``count``. Cells are not yet suppressed: the caller rolls
    them up to the map's resolution and then applies the minimum count (see ``privacy``).
    """
    g = _grouped(engine, f, Incident.cell, mappable_only=True)
    stmt = (
        select(g.c.cell, IncidentType.focus_key, _total(g).label("count"))
        .select_from(_mapped(g, f))
        .where(*_type_where(f, hide_sensitive=True))
        .group_by(g.c.cell, IncidentType.focus_key)
    )
    return _frame(engine, stmt, ["cell", "focus_key", "count"])


def cell_places(engine: Engine, f: Filters) -> pd.DataFrame:
    """Place names per cell with their counts, to name a cell after what people call it."""
    g = _grouped(engine, f, Incident.cell, Incident.place_name, Incident.area_id, mappable_only=True)
    stmt = (
        select(g.c.cell, g.c.place_name, Area.name, _total(g).label("count"))
        .select_from(_mapped(g, f).outerjoin(Area.__table__, Area.id == g.c.area_id))
        .where(*_type_where(f, hide_sensitive=True))
        .group_by(g.c.cell, g.c.place_name, Area.name)
    )
    return _frame(engine, stmt, ["cell", "place_name", "area_name", "count"])


def cell_counts_per_week(engine: Engine, f: Filters) -> pd.DataFrame:
    """Mappable, non-sensitive incidents per ISO week and cell: ``week``, ``cell``, ``count``."""
    g = _grouped(engine, f, Incident.local_date, Incident.cell, mappable_only=True)
    week = period_start(g.c.local_date, "week").label("week")
    stmt = (
        select(week, g.c.cell, _total(g).label("count"))
        .select_from(_mapped(g, f))
        .where(*_type_where(f, hide_sensitive=True))
        .group_by(week, g.c.cell)
    )
    frame = _frame(engine, stmt, ["week", "cell", "count"])
    frame["week"] = pd.to_datetime(frame["week"])
    return frame


def unmapped_counts(engine: Engine, f: Filters) -> dict[str, int]:
    """What the map leaves out: centre-point events by precision, and sensitive types."""
    g = _grouped(engine, f, Incident.precision, by_type=f.focus_keys is not None)
    precision = (
        select(g.c.precision, _total(g))
        .select_from(_mapped(g, f))
        .where(*_type_where(f), g.c.precision.not_in(MAPPABLE_PRECISIONS))
        .group_by(g.c.precision)
    )
    typed = _grouped(engine, f)
    sensitive = select(func.coalesce(_total(typed), 0)).select_from(_mapped(typed, f))
    sensitive = sensitive.where(*_type_where(f), _sensitive())
    with engine.connect() as conn:
        result = {str(p): int(n) for p, n in conn.execute(precision)}
        result["känsliga"] = int(conn.execute(sensitive).scalar_one())
    return result


# --------------------------------------------------------------------------- presence


def presence_per_cell(engine: Engine, f: Filters) -> pd.DataFrame:
    """Presence hours per stored H3 cell: ``cell``, ``hours``."""
    stmt = (
        select(Presence.cell, func.sum(Presence.hours).label("hours"))
        .where(*_presence_where(f), Presence.cell.is_not(None))
        .group_by(Presence.cell)
    )
    return _frame(engine, stmt, ["cell", "hours"])


def presence_totals(engine: Engine, f: Filters, by: Literal["focus", "actor"] = "focus") -> pd.DataFrame:
    """Presence hours and passes in the period: ``key``, ``hours``, ``passes``."""
    key: Any = Presence.focus_key if by == "focus" else Presence.actor_kind
    stmt = (
        select(key.label("key"), func.sum(Presence.hours).label("hours"), func.count().label("passes"))
        .where(*_presence_where(f, use_focus=by == "focus"))
        .group_by(key)
        .order_by(func.sum(Presence.hours).desc())
    )
    frame = _frame(engine, stmt, ["key", "hours", "passes"])
    frame["hours"] = frame["hours"].astype(float)
    return frame


def presence_exists(engine: Engine, kommunkod: str | None = None) -> bool:
    """Whether any presence is imported at all (for the kommun): an EXISTS, not a count."""
    stmt = select(Presence.id).limit(1)
    if kommunkod is not None:
        stmt = stmt.where(Presence.kommunkod == kommunkod)
    with engine.connect() as conn:
        return conn.execute(stmt).first() is not None


def presence_per_period(engine: Engine, f: Filters, grain: Grain = "week") -> pd.DataFrame:
    period = period_start(Presence.local_date, grain).label("period")
    stmt = (
        select(period, Presence.actor_kind, func.sum(Presence.hours).label("hours"))
        .where(*_presence_where(f))
        .group_by(period, Presence.actor_kind)
        .order_by(period)
    )
    frame = _frame(engine, stmt, ["period", "actor_kind", "hours"])
    frame["period"] = pd.to_datetime(frame["period"])
    frame["hours"] = frame["hours"].astype(float)
    return frame


# --------------------------------------------------------------------------- activities


def _promise_clause(f: Filters) -> list[Any]:
    if f.promise_id is not None:
        return [Activity.promise_id == f.promise_id]
    if f.kommunkod is not None:
        return [Activity.promise_id.in_(select(Promise.id).where(Promise.kommunkod == f.kommunkod))]
    return []


def _activity_where(f: Filters) -> list[Any]:
    clauses: list[Any] = [Activity.planned_start <= f.end, Activity.planned_end >= f.start, *_promise_clause(f)]
    if f.focus_keys is not None:
        clauses.append(FocusArea.key.in_(f.focus_keys))
    if f.owners:
        clauses.append(Activity.owner.in_(f.owners))
    area = _area_ids_clause(Activity.area_id, f.area_codes)
    if area is not None:
        clauses.append(or_(area, Activity.area_id.is_(None)))
    return clauses


def _activities_join() -> Any:
    return (
        Activity.__table__.join(Commitment.__table__, Commitment.id == Activity.commitment_id)
        .join(FocusArea.__table__, FocusArea.id == Commitment.focus_area_id)
        .outerjoin(Area.__table__, Area.id == Activity.area_id)
    )


def _done_subquery(as_of: dt.date) -> Any:
    return (
        select(
            ActivityReport.activity_id.label("activity_id"),
            func.sum(ActivityReport.count).label("done"),
            func.sum(ActivityReport.hours).label("hours"),
            func.max(ActivityReport.date).label("last_date"),
        )
        .where(ActivityReport.date <= as_of)
        .group_by(ActivityReport.activity_id)
        .subquery()
    )


def _overdue(as_of: dt.date) -> ColumnElement[bool]:
    return and_(Activity.planned_end < as_of, Activity.status.not_in(("genomförd", "inställd")))


def activity_list(engine: Engine, f: Filters, as_of: dt.date) -> pd.DataFrame:
    """One row per activity (tens, not millions) with its reported count up to ``as_of``."""
    done = _done_subquery(as_of)
    overdue = _overdue(as_of)
    stmt = (
        select(
            Activity.ref,
            Activity.title,
            FocusArea.key.label("focus_key"),
            FocusArea.name.label("focus_name"),
            Commitment.ref.label("commitment_ref"),
            Commitment.text.label("commitment_text"),
            Activity.owner,
            Activity.responsible_unit,
            Activity.planned_start,
            Activity.planned_end,
            Activity.planned_count,
            Activity.status,
            Area.name.label("area_name"),
            func.coalesce(done.c.done, 0).label("done"),
            func.coalesce(done.c.hours, 0).label("hours"),
            done.c.last_date,
            case((overdue, True), else_=False).label("overdue"),
        )
        .select_from(_activities_join().outerjoin(done, done.c.activity_id == Activity.id))
        .where(*_activity_where(f))
        .order_by(case((overdue, 0), else_=1), Activity.planned_end, Activity.ref)
    )
    columns = [
        "ref",
        "title",
        "focus_key",
        "focus_name",
        "commitment_ref",
        "commitment_text",
        "owner",
        "responsible_unit",
        "planned_start",
        "planned_end",
        "planned_count",
        "status",
        "area_name",
        "done",
        "hours",
        "last_date",
        "overdue",
    ]
    frame = _frame(engine, stmt, columns)
    frame["overdue"] = frame["overdue"].astype(bool)
    frame["hours"] = frame["hours"].astype(float)
    return frame


def activity_completion(engine: Engine, f: Filters, as_of: dt.date) -> pd.DataFrame:
    """Per focus area and owner: activities, done, overdue, cancelled, planned and reported counts."""
    done = _done_subquery(as_of)
    overdue = _overdue(as_of)
    stmt = (
        select(
            FocusArea.key.label("focus_key"),
            Activity.owner,
            func.count(Activity.id).label("activities"),
            func.sum(case((Activity.status == "genomförd", 1), else_=0)).label("completed"),
            func.sum(case((overdue, 1), else_=0)).label("overdue"),
            func.sum(case((Activity.status == "inställd", 1), else_=0)).label("cancelled"),
            func.sum(case((Activity.status == "inställd", 0), else_=Activity.planned_count)).label("planned"),
            func.sum(func.coalesce(done.c.done, 0)).label("done"),
        )
        .select_from(_activities_join().outerjoin(done, done.c.activity_id == Activity.id))
        .where(*_activity_where(f))
        .group_by(FocusArea.key, Activity.owner)
        .order_by(FocusArea.key, Activity.owner)
    )
    columns = ["focus_key", "owner", "activities", "completed", "overdue", "cancelled", "planned", "done"]
    frame = _frame(engine, stmt, columns)
    for col in columns[2:]:
        frame[col] = frame[col].astype(int)
    return frame


def reports_per_period(engine: Engine, f: Filters, grain: Grain = "week") -> pd.DataFrame:
    """Carried-out counts per period and focus area: ``period``, ``focus_key``, ``count``, ``hours``."""
    period = period_start(ActivityReport.date, grain).label("period")
    clauses: list[Any] = [ActivityReport.date >= f.start, ActivityReport.date <= f.end, *_promise_clause(f)]
    if f.focus_keys is not None:
        clauses.append(FocusArea.key.in_(f.focus_keys))
    if f.owners:
        clauses.append(Activity.owner.in_(f.owners))
    stmt = (
        select(
            period,
            FocusArea.key,
            func.sum(ActivityReport.count).label("count"),
            func.sum(func.coalesce(ActivityReport.hours, 0)).label("hours"),
        )
        .select_from(
            ActivityReport.__table__.join(Activity.__table__, Activity.id == ActivityReport.activity_id)
            .join(Commitment.__table__, Commitment.id == Activity.commitment_id)
            .join(FocusArea.__table__, FocusArea.id == Commitment.focus_area_id)
        )
        .where(*clauses)
        .group_by(period, FocusArea.key)
        .order_by(period)
    )
    frame = _frame(engine, stmt, ["period", "focus_key", "count", "hours"])
    frame["period"] = pd.to_datetime(frame["period"])
    frame["hours"] = frame["hours"].astype(float)
    return frame


def reports_in_period(engine: Engine, f: Filters) -> pd.DataFrame:
    """What was carried out in a (short) period, per activity: for the weekly review."""
    clauses: list[Any] = [ActivityReport.date >= f.start, ActivityReport.date <= f.end, *_promise_clause(f)]
    if f.focus_keys is not None:
        clauses.append(FocusArea.key.in_(f.focus_keys))
    stmt = (
        select(
            Activity.ref,
            Activity.title,
            FocusArea.key,
            Activity.owner,
            func.sum(ActivityReport.count).label("count"),
            func.sum(func.coalesce(ActivityReport.hours, 0)).label("hours"),
            func.min(ActivityReport.date),
            func.max(ActivityReport.date),
        )
        .select_from(
            ActivityReport.__table__.join(Activity.__table__, Activity.id == ActivityReport.activity_id)
            .join(Commitment.__table__, Commitment.id == Activity.commitment_id)
            .join(FocusArea.__table__, FocusArea.id == Commitment.focus_area_id)
        )
        .where(*clauses)
        .group_by(Activity.ref, Activity.title, FocusArea.key, Activity.owner)
        .order_by(FocusArea.key, Activity.ref)
    )
    frame = _frame(engine, stmt, ["ref", "title", "focus_key", "owner", "count", "hours", "first", "last"])
    frame["hours"] = frame["hours"].astype(float)
    return frame


# --------------------------------------------------------------------------- indicators and texts


def indicator_series(
    engine: Engine, kommunkod: str | None = None, focus_keys: tuple[str, ...] | None = None
) -> pd.DataFrame:
    stmt = (
        select(
            Indicator.key,
            Indicator.name,
            Indicator.unit,
            Indicator.source,
            Indicator.focus_key,
            Indicator.higher_is_better,
            IndicatorValue.period_label,
            IndicatorValue.period_start,
            IndicatorValue.value,
            IndicatorValue.baseline,
            IndicatorValue.target,
        )
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .where(IndicatorValue.area_id.is_(None))
        .order_by(Indicator.key, IndicatorValue.period_start)
    )
    if kommunkod is not None:
        stmt = stmt.where(Indicator.kommunkod == kommunkod)
    if focus_keys is not None:
        stmt = stmt.where(or_(Indicator.focus_key.in_(focus_keys), Indicator.focus_key.is_(None)))
    columns = [
        "key",
        "name",
        "unit",
        "source",
        "focus_key",
        "higher_is_better",
        "period_label",
        "period_start",
        "value",
        "baseline",
        "target",
    ]
    return _frame(engine, stmt, columns)


def situation_pictures(
    engine: Engine, start: dt.date, end: dt.date, kommunkod: str | None = None
) -> list[dict[str, Any]]:
    """The lägesbild of every period that overlaps [start, end], newest period first: its newest
    approved version, or its newest draft (``status`` utkast) when none is approved."""
    stmt = (
        select(SituationPicture)
        .where(SituationPicture.period_start <= end, SituationPicture.period_end >= start)
        .order_by(SituationPicture.period_start.desc(), SituationPicture.version.desc())
    )
    if kommunkod is not None:
        stmt = stmt.where(SituationPicture.kommunkod == kommunkod)
    chosen: dict[tuple[str, dt.date, dt.date], SituationPicture] = {}
    newest: dict[tuple[str, dt.date, dt.date], int] = {}
    with Session(engine) as session:
        for p in session.scalars(stmt):
            key = (p.kommunkod, p.period_start, p.period_end)
            newest.setdefault(key, p.version)
            current = chosen.get(key)
            if current is None or (current.status != "godkänd" and p.status == "godkänd"):
                chosen[key] = p
        return [
            {
                "id": p.id,
                "period_label": p.period_label,
                "period_kind": p.period_kind,
                "period_start": p.period_start,
                "period_end": p.period_end,
                "version": p.version,
                "status": p.status,
                "newer_draft": newest[key] > p.version,
                "summary": p.summary,
                "texts": dict(p.texts or {}),
                "hotspots": list(p.hotspots or []),
                "actions": list(p.actions or []),
                "approved_at": p.approved_at,
                "approved_by": p.approved_by,
            }
            for key, p in chosen.items()
        ]


@dataclass(frozen=True)
class PromiseInfo:
    id: int
    ref: str
    title: str
    kommunkod: str
    kommun_name: str
    police_area: str
    period_start: dt.date
    period_end: dt.date
    signed_date: dt.date | None
    signatories: list[str]
    summary: str | None
    focus_areas: list[tuple[str, str]]  # (key, name) in order


def promises(engine: Engine, kommunkod: str | None = None) -> list[PromiseInfo]:
    """Every medborgarlöfte (of one kommun), newest period first, with its focus areas."""
    with Session(engine) as session:
        stmt = select(Promise).options(selectinload(Promise.focus_areas)).order_by(Promise.period_start.desc())
        if kommunkod is not None:
            stmt = stmt.where(Promise.kommunkod == kommunkod)
        return [
            PromiseInfo(
                id=p.id,
                ref=p.ref,
                title=p.title,
                kommunkod=p.kommunkod,
                kommun_name=p.kommun_name,
                police_area=p.police_area,
                period_start=p.period_start,
                period_end=p.period_end,
                signed_date=p.signed_date,
                signatories=list(p.signatories or []),
                summary=p.summary,
                focus_areas=[(fa.key, fa.name) for fa in p.focus_areas],
            )
            for p in session.scalars(stmt)
        ]


@dataclass(frozen=True)
class KommunInfo:
    code: str
    name: str
    official_name: str
    lan_name: str | None
    police_area: str | None
    min_count: int = 5


def kommuner(engine: Engine) -> list[KommunInfo]:
    """The kommuner this database follows, by name."""
    with Session(engine) as session:
        return [
            KommunInfo(k.code, k.name, k.official_name, k.lan_name, k.police_area, k.min_count)
            for k in session.scalars(select(Kommun).order_by(Kommun.name))
        ]


def areas(engine: Engine, kommunkod: str | None = None) -> pd.DataFrame:
    """Areas with their polygons (few rows): ``code``, ``name``, ``kind``, ``population``, ``geometry``."""
    stmt = select(Area.code, Area.name, Area.kind, Area.population, Area.geometry).order_by(Area.code)
    if kommunkod is not None:
        stmt = stmt.where(Area.kommunkod == kommunkod)
    return _frame(engine, stmt, ["code", "name", "kind", "population", "geometry"])


def incident_type_map(engine: Engine, kommunkod: str | None = None) -> pd.DataFrame:
    """The kommun's type mapping with how many incidents each type has: ``type``, ``focus_key``,
    ``sensitive``, ``classified``, ``count``; the most common first."""
    counts = (
        select(Incident.type.label("type"), func.count().label("count"))
        .where(*([Incident.kommunkod == kommunkod] if kommunkod is not None else []))
        .group_by(Incident.type)
        .subquery()
    )
    stmt = (
        select(IncidentType.name, IncidentType.focus_key, IncidentType.sensitive, IncidentType.classified,
               func.coalesce(counts.c.count, 0))
        .outerjoin(counts, counts.c.type == IncidentType.name)
        .order_by(func.coalesce(counts.c.count, 0).desc(), IncidentType.name)
    )  # fmt: skip
    if kommunkod is not None:
        stmt = stmt.where(IncidentType.kommunkod == kommunkod)
    frame = _frame(engine, stmt, ["type", "focus_key", "sensitive", "classified", "count"])
    frame["sensitive"] = frame["sensitive"].astype(bool)
    frame["classified"] = frame["classified"].astype(bool)
    frame["count"] = frame["count"].astype(int)
    return frame


def focus_coverage(engine: Engine, f: Filters, focus_keys: tuple[str, ...]) -> dict[str, int]:
    """How many of the period's incidents are in one of the promise's fokusområden, and how many
    are in none (their type is unmapped, or mapped to a key the promise does not have)."""
    g = _grouped(engine, f)
    inside = case((IncidentType.focus_key.in_(focus_keys), g.c.n), else_=0) if focus_keys else literal(0)
    stmt = select(func.coalesce(_total(g), 0), func.coalesce(cast(func.sum(inside), Integer), 0))
    stmt = stmt.select_from(_mapped(g, f))
    with engine.connect() as conn:
        total, covered = conn.execute(stmt).one()
    return {"total": int(total), "in_focus": int(covered), "outside": int(total) - int(covered)}


# --------------------------------------------------------------------------- what is in the database


def latest_data_date(engine: Engine, kommunkod: str | None = None) -> dt.date | None:
    """The newest day that any incident, presence or activity report (of one kommun) covers."""
    f = Filters(dt.date.min, dt.date.max, kommunkod=kommunkod)
    with engine.connect() as conn:
        days = [
            conn.execute(select(func.max(Incident.local_date)).where(
                *([Incident.kommunkod == kommunkod] if kommunkod else []))).scalar_one(),
            conn.execute(select(func.max(Presence.local_date)).where(
                *([Presence.kommunkod == kommunkod] if kommunkod else []))).scalar_one(),
            conn.execute(select(func.max(ActivityReport.date)).join(
                Activity, Activity.id == ActivityReport.activity_id).where(*_promise_clause(f))).scalar_one(),
        ]  # fmt: skip
    present = [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)) for d in days if d is not None]
    return max(present) if present else None


def last_import_at(engine: Engine, kommunkod: str | None = None) -> dt.datetime | None:
    where = [ImportBatch.undone_at.is_(None)]
    if kommunkod is not None:
        where.append(ImportBatch.kommunkod == kommunkod)
    with engine.connect() as conn:
        value = conn.execute(select(func.max(ImportBatch.created_at)).where(*where))
        moment = value.scalar_one()
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def incident_sources(engine: Engine, kommunkod: str | None = None) -> list[str]:
    """The sources the kommun's incidents come from, in alphabetical order, for the sidebar.

    Every page asks this, so it must not read every incident: the sources are walked along the
    ``(source, source_id)`` index one seek at a time (a "skip scan" as a recursive CTE, on both
    engines), and each is kept if one of its incidents is the kommun's."""
    sql = """
        WITH RECURSIVE walk(source) AS (
            SELECT min(source) FROM incident
            UNION ALL
            SELECT (SELECT min(i.source) FROM incident i WHERE i.source > walk.source)
            FROM walk WHERE walk.source IS NOT NULL)
        SELECT source FROM walk
        WHERE source IS NOT NULL
          AND (CAST(:kommunkod AS VARCHAR(4)) IS NULL OR EXISTS (
                SELECT 1 FROM incident i WHERE i.source = walk.source AND i.kommunkod = :kommunkod))
        ORDER BY source"""
    with engine.connect() as conn:
        return [str(s) for s in conn.execute(text(sql).bindparams(kommunkod=kommunkod)).scalars()]


def source_overview(engine: Engine, kommunkod: str | None = None) -> pd.DataFrame:
    """Incidents per source: count, first and last day (never a time: see ``privacy``), how many
    have a point the map can use."""
    mappable = func.sum(case((Incident.precision.in_(MAPPABLE_PRECISIONS), 1), else_=0))
    stmt = (
        select(
            Incident.source,
            func.count(),
            func.min(Incident.local_date),
            func.max(Incident.local_date),
            mappable,
        )
        .group_by(Incident.source)
        .order_by(func.count().desc())
    )
    if kommunkod is not None:
        stmt = stmt.where(Incident.kommunkod == kommunkod)
    frame = _frame(engine, stmt, ["source", "count", "first", "last", "mappable"])
    frame["mappable"] = frame["mappable"].astype(int)
    return frame


def table_counts(engine: Engine, kommunkod: str | None = None) -> dict[str, int]:
    """Rows per table (of one kommun, for the tables that belong to a kommun)."""
    models = {
        "Medborgarlöften": Promise,
        "Fokusområden": FocusArea,
        "Åtaganden": Commitment,
        "Aktiviteter": Activity,
        "Genomföranden": ActivityReport,
        "Händelser": Incident,
        "Händelsetyper": IncidentType,
        "Närvaropass": Presence,
        "Områden": Area,
        "Indikatorer": Indicator,
        "Indikatorvärden": IndicatorValue,
        "Lägesbilder": SituationPicture,
        "Importomgångar": ImportBatch,
    }
    scoped = {
        Promise: Promise.kommunkod, Incident: Incident.kommunkod, IncidentType: IncidentType.kommunkod,
        Presence: Presence.kommunkod, Area: Area.kommunkod, Indicator: Indicator.kommunkod,
        SituationPicture: SituationPicture.kommunkod, ImportBatch: ImportBatch.kommunkod,
        FocusArea: FocusArea.promise_id, Commitment: Commitment.promise_id, Activity: Activity.promise_id,
    }  # fmt: skip
    promise_ids = select(Promise.id).where(Promise.kommunkod == kommunkod)
    result = {}
    with engine.connect() as conn:
        for name, model in models.items():
            stmt = select(func.count()).select_from(model)
            if kommunkod is not None:
                column = scoped.get(model)
                if model is ActivityReport:
                    stmt = stmt.where(ActivityReport.activity_id.in_(
                        select(Activity.id).where(Activity.promise_id.in_(promise_ids))))  # fmt: skip
                elif model is IndicatorValue:
                    stmt = stmt.where(IndicatorValue.indicator_id.in_(
                        select(Indicator.id).where(Indicator.kommunkod == kommunkod)))  # fmt: skip
                elif column is not None and column.key == "promise_id":
                    stmt = stmt.where(column.in_(promise_ids))
                elif column is not None:
                    stmt = stmt.where(column == kommunkod)
            result[name] = int(conn.execute(stmt).scalar_one())
    return result


def import_batches(engine: Engine, kommunkod: str | None = None, limit: int = 200) -> pd.DataFrame:
    stmt = (
        select(
            ImportBatch.id,
            ImportBatch.kind,
            ImportBatch.source,
            ImportBatch.file_name,
            ImportBatch.rows_total,
            ImportBatch.rows_inserted,
            ImportBatch.rows_updated,
            ImportBatch.rows_rejected,
            ImportBatch.created_by,
            ImportBatch.created_at,
            ImportBatch.undone_at,
        )
        .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
        .limit(limit)
    )
    if kommunkod is not None:
        stmt = stmt.where(ImportBatch.kommunkod == kommunkod)
    columns = [
        "id",
        "kind",
        "source",
        "file_name",
        "rows_total",
        "rows_inserted",
        "rows_updated",
        "rows_rejected",
        "created_by",
        "created_at",
        "undone_at",
    ]
    return _frame(engine, stmt, columns)


def audit_events(engine: Engine, kommunkod: str | None = None, limit: int = 5000) -> pd.DataFrame:
    """The audit trail, newest first: ``at``, ``actor``, ``action``, ``what``, ``batch_id``, ``summary``
    (in words) and ``details`` (the values before and after, as JSON text)."""
    from .access.audit import summary

    stmt = (
        select(AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.what, AuditEvent.batch_id,
               AuditEvent.details)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )  # fmt: skip
    if kommunkod is not None:
        stmt = stmt.where(or_(AuditEvent.kommunkod == kommunkod, AuditEvent.kommunkod.is_(None)))
    frame = _frame(engine, stmt, ["at", "actor", "action", "what", "batch_id", "details"])
    frame["summary"] = [summary(d) for d in frame["details"]]
    frame["details"] = [json.dumps(d, ensure_ascii=False, default=str) if d else "" for d in frame["details"]]
    frame["at"] = [t if getattr(t, "tzinfo", None) else pd.Timestamp(t).tz_localize("UTC").to_pydatetime()
                   for t in frame["at"]]  # fmt: skip
    return frame


def privacy_salt(engine: Engine) -> str:
    """The database's secret for the random rounding of fine counts (``privacy.Policy``)."""
    with engine.connect() as conn:
        value = conn.execute(select(AppSetting.value).where(AppSetting.key == "privacy_salt")).scalar()
    return str(value or "")

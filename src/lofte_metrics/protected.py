"""Every number finer than the kommun, as the privacy policy allows it to be shown.

Pages get map cells, places, kommundelar, incident types, counts under an area filter and
presence only from here: each function snaps the period to whole weeks, leaves out sensitive and
unclassified types and everything without a real point, runs the aggregate in SQL
(``queries``), and hides or rounds the result (``privacy.Policy``). See ``privacy`` for why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd
from sqlalchemy import Engine

from . import queries as q
from .metrics import poisson_change
from .places import name_cells
from .privacy import (
    DEFAULT_MAP_RESOLUTION,
    MAP_RESOLUTIONS,
    PRESENCE_RESOLUTION,
    SENSITIVE_MIN_DAYS,
    Policy,
    protect,
    rollup,
    snap_months,
    snap_weeks,
)
from .queries import Filters, Grain

HIDDEN = "färre än {k}"


def is_fine(f: Filters) -> bool:
    """Numbers under an area filter are finer than the kommun."""
    return bool(f.area_codes)


def fine_period(f: Filters, grain: Grain = "week") -> Filters:
    """The filters over the whole weeks (or months) the period touches."""
    start, end = snap_months(f.start, f.end) if grain == "month" else snap_weeks(f.start, f.end)
    return replace(f, start=start, end=end)


def resolution(asked: object) -> int:
    """A map resolution a viewer may choose, else the default (the finest cells are not offered)."""
    try:
        wanted = int(str(asked))
    except (TypeError, ValueError):
        return DEFAULT_MAP_RESOLUTION
    return wanted if wanted in MAP_RESOLUTIONS else DEFAULT_MAP_RESOLUTION


def _scope(f: Filters) -> str:
    return ",".join(sorted(f.area_codes or ())) or (f.kommunkod or "")


def _published(frame: pd.DataFrame, policy: Policy, key: str, by: tuple[str, ...] = ("key",)) -> pd.DataFrame:
    """Every value published (hidden ones as missing), for series where the place of a row matters.
    Each number is named by ``key`` and its ``by`` columns (see ``Policy.count``)."""
    out = frame.copy()
    names = ["|".join(str(row[c]) for c in by) for _, row in out.iterrows()] if not out.empty else []
    out["count"] = pd.array([policy.count(v, f"{key}|{name}") for v, name in zip(out["count"], names, strict=True)],
                            dtype="Int64")  # fmt: skip
    # A row that is not there is a count of 0, which is under the minimum too: readers of a
    # protected frame treat a missing row as hidden, not as zero.
    out.attrs["protected"] = True
    return out


# --------------------------------------------------------------------------- counts and series


def focus_totals(engine: Engine, f: Filters, policy: Policy) -> pd.DataFrame:
    """Incidents per fokusområde: exact for the kommun; protected (and without sensitive types)
    under an area filter. ``key``, ``count`` (missing = hidden)."""
    if not is_fine(f):
        return q.incident_totals(engine, f, "focus")
    period = fine_period(f)
    raw = q.incident_totals(engine, period, "focus", hide_sensitive=True)
    return _published(raw, policy, f"fokus|{_scope(f)}|{period.start}|{period.end}")


def series(engine: Engine, f: Filters, grain: Grain, by: Literal["focus", "type"], policy: Policy) -> pd.DataFrame:
    """Incidents per week or month and fokusområde or type: ``period``, ``key``, ``count``. Per type,
    or under an area filter, every value is protected and sensitive types are left out."""
    if by == "focus" and not is_fine(f):
        return q.incident_counts(engine, f, grain, "focus")
    raw = q.incident_counts(engine, fine_period(f, grain), grain, by, hide_sensitive=True)
    return _published(raw, policy, f"serie|{_scope(f) if is_fine(f) else ''}|{grain}", ("period", "key"))


def type_totals(engine: Engine, f: Filters, policy: Policy, with_sensitive: bool = True) -> pd.DataFrame:
    """Incidents per type in the period, protected: ``key``, ``count``. Sensitive types are left
    out, except (``with_sensitive``) as kommun totals over at least four weeks, at or above the
    minimum and rounded."""
    period = fine_period(f)
    raw = q.incident_totals(engine, period, "type", hide_sensitive=True)
    if with_sensitive and not is_fine(f) and period.days >= SENSITIVE_MIN_DAYS:
        sensitive = q.incident_totals(engine, period, "type", only_sensitive=True)
        raw = pd.concat([raw, sensitive], ignore_index=True)
    published = _published(raw, policy, f"typ|{_scope(f) if is_fine(f) else ''}|{period.start}|{period.end}")
    return published[published["count"].notna()].sort_values("count", ascending=False, ignore_index=True)


# --------------------------------------------------------------------------- the map


@dataclass(frozen=True)
class Cells:
    """Map cells as they may be shown, and how many were hidden."""

    shown: pd.DataFrame  # cell, count
    hidden_cells: int
    period: tuple[dt.date, dt.date]


def map_cells(engine: Engine, f: Filters, res: int, policy: Policy, focus_key: str | None = None) -> Cells:
    """Incidents with a real point, per cell at a chosen resolution, without sensitive types."""
    period = fine_period(f)
    raw = q.incidents_per_cell(engine, period)
    if focus_key:
        raw = raw[raw["focus_key"] == focus_key]
    cells = rollup(raw[["cell", "count"]], resolution(res))
    done = protect(cells, policy, key=f"cell|{period.start}|{period.end}")
    return Cells(done.shown, done.hidden_cells, (period.start, period.end))


def cell_names(engine: Engine, f: Filters, res: int) -> dict[str, str]:
    """What people call each cell: its most frequent place name (only shown for shown cells)."""
    return name_cells(q.cell_places(engine, fine_period(f)), resolution(res))


def top_places(engine: Engine, f: Filters, res: int, policy: Policy, focus_key: str | None = None,
               n: int = 10) -> pd.DataFrame:  # fmt: skip
    """The busiest shown cells now, with the same cells in the period before (both protected) and
    a verdict only when both sides may be shown: ``Plats``, ``Nu``, ``Innan``, ``Förändring``."""
    now = map_cells(engine, f, res, policy, focus_key)
    before = map_cells(engine, f.previous(), res, policy, focus_key)
    return place_table(now, before, cell_names(engine, f, res), policy, n)


def place_table(now: Cells, before: Cells, names: dict[str, str], policy: Policy, n: int = 10) -> pd.DataFrame:
    """:func:`top_places` from cells a page already has (its map's, through its cache)."""
    earlier = dict(zip(before.shown["cell"], before.shown["count"], strict=True)) if not before.shown.empty else {}
    rows = []
    seen: set[str] = set()
    for cell, count in now.shown[["cell", "count"]].head(n).itertuples(index=False):
        was = earlier.get(cell)
        name = names.get(cell, "Okänd plats")
        label = name if name not in seen else f"Nära {name}"
        seen.add(name)
        if was is None:
            verdict, shown_before = f"perioden innan {HIDDEN.format(k=policy.k)}: kan inte jämföras", None
        else:
            verdict, shown_before = poisson_change(int(count), int(was)).wording(), int(was)
        rows.append((label, int(count), shown_before, verdict))
    table = pd.DataFrame(rows, columns=["Plats", "Nu", "Innan", "Förändring"])
    table["Innan"] = pd.array(table["Innan"], dtype="Int64")
    return table


def area_counts(engine: Engine, f: Filters, policy: Policy) -> pd.DataFrame:
    """Incidents per kommundel (with or without a point), protected: ``code``, ``name``, ``count``."""
    period = fine_period(f)
    raw = q.incidents_per_area(engine, period, hide_sensitive=True)
    raw = raw[raw["kind"] != "kommun"][["code", "name", "count"]]
    return protect(raw, policy, key=f"område|{period.start}|{period.end}", by="code").shown


def left_out(engine: Engine, f: Filters, policy: Policy) -> dict[str, int | None]:
    """What the map does not draw: events known only to the kommun or the län (kommun totals,
    exact), known only to a kommundel (a kommun total, protected), and sensitive or unclassified
    types (a kommun total over at least four weeks, protected; else hidden)."""
    counts = q.unmapped_counts(engine, f)
    sensitive = counts.get("känsliga", 0)
    key = f"utanför|{_scope(f)}|{f.start}|{f.end}"
    result: dict[str, int | None] = {
        "kommun": counts.get("kommun", 0),
        "län": counts.get("län", 0),
        "område": policy.count(counts.get("område", 0), f"{key}|område") if counts.get("område", 0) else 0,
        "känsliga": policy.count(sensitive, f"{key}|känsliga")
        if f.days >= SENSITIVE_MIN_DAYS and not is_fine(f)
        else None,
    }
    return result


def presence_cells(engine: Engine, f: Filters, policy: Policy) -> pd.DataFrame:
    """Presence hours per coarse cell over whole weeks, protected: ``cell``, ``hours``."""
    period = fine_period(f)
    raw = q.presence_per_cell(engine, period)
    cells = rollup(raw, PRESENCE_RESOLUTION, value="hours")
    return protect(cells, policy, value="hours", key=f"närvaro|{period.start}|{period.end}").shown


def presence_totals(engine: Engine, f: Filters, policy: Policy) -> pd.DataFrame:
    """Presence hours per fokusområde: exact for the kommun; over whole weeks and protected under
    an area filter. ``key``, ``hours``, ``passes``."""
    if not is_fine(f):
        return q.presence_totals(engine, f, "focus")
    period = fine_period(f)
    raw = q.presence_totals(engine, period, "focus")
    key = f"närvarofokus|{_scope(f)}|{period.start}|{period.end}"
    hours = pd.Series([policy.hours(h, f"{key}|{k}") for h, k in zip(raw["hours"], raw["key"], strict=True)],
                      index=raw.index, dtype=object)  # fmt: skip
    return raw.assign(hours=hours, passes=None)[hours.notna()].reset_index(drop=True)


# --------------------------------------------------------------------------- the week


def hotspots(engine: Engine, f: Filters, monday: dt.date, policy: Policy, baseline_weeks: int = 8,
             res: int = DEFAULT_MAP_RESOLUTION) -> pd.DataFrame:  # fmt: skip
    """Cells with a significant rise in the week on the weeks before, from published counts only:
    ``cell``, ``count`` (the week), ``before`` (the weeks before, a published total or missing)."""
    first = monday - dt.timedelta(weeks=baseline_weeks)
    raw = q.cell_counts_per_week(engine, replace(f, start=first, end=monday + dt.timedelta(days=6)))
    weekly = rollup(raw, resolution(res), by=("week",))
    week_ts = pd.Timestamp(monday)
    now = weekly[weekly["week"] == week_ts].groupby("cell")["count"].sum()
    base = weekly[weekly["week"] < week_ts].groupby("cell")["count"].sum()
    sunday, day_before = monday + dt.timedelta(days=6), monday - dt.timedelta(days=1)
    rows = []
    for cell, count in now.items():
        shown = policy.count(count, f"cell|{monday}|{sunday}|{cell}")
        if shown is None:
            continue
        before = policy.count(base.get(cell, 0), f"cell|{first}|{day_before}|{cell}")
        change = poisson_change(shown, before or 0, 1, baseline_weeks)
        if change.significant and (change.ratio is None or change.ratio > 1):
            rows.append((cell, shown, before))
    table = pd.DataFrame(rows, columns=["cell", "count", "before"])
    table["before"] = pd.array(table["before"], dtype="Int64")
    return table.sort_values("count", ascending=False, ignore_index=True)

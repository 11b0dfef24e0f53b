"""Pure metric functions on small DataFrames and numbers: no database, no Streamlit.

Progress against the time elapsed, a red/yellow/green status, an honest period-over-period
change (an exact Poisson test, fit for small counts), moving averages, burn-up, and where
presence meets the problems.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from .formatting import fmt_number, fmt_percent

Status = Literal["grön", "gul", "röd"]
SIGNIFICANCE = 0.05


def expected_progress(start: dt.date, end: dt.date, as_of: dt.date) -> float:
    """The share of a period that has passed by the end of ``as_of`` (0 before, 1 after)."""
    total = (end - start).days + 1
    if total <= 0:
        return 1.0
    elapsed = (as_of - start).days + 1
    return max(0.0, min(1.0, elapsed / total))


def progress_status(done_share: float, expected_share: float) -> Status:
    """Green when at least 90 % of what is expected by now is done, yellow from 70 %, else red."""
    if expected_share <= 0:
        return "grön"
    ratio = done_share / expected_share
    if ratio >= 0.9:
        return "grön"
    if ratio >= 0.7:
        return "gul"
    return "röd"


@dataclass(frozen=True)
class Change:
    """A change between two counts, with an exact test of whether it is more than noise."""

    current: int
    previous: int
    ratio: float | None  # current rate / previous rate
    p_value: float
    significant: bool

    @property
    def change(self) -> float | None:
        return None if self.ratio is None else self.ratio - 1

    @property
    def direction(self) -> Literal["ökning", "minskning", "oförändrat"]:
        if self.ratio is None or self.ratio == 1:
            return "oförändrat" if self.ratio == 1 or self.current == 0 else "ökning"
        return "ökning" if self.ratio > 1 else "minskning"

    @property
    def verdict(self) -> str:
        """Only the judgement: "säkerställd ökning/minskning" or "ingen säkerställd förändring"."""
        if not self.significant:
            return "ingen säkerställd förändring"
        return f"säkerställd {self.direction}"

    def wording(self) -> str:
        """Swedish, honest: a percentage only with its verdict."""
        if self.current == 0 and self.previous == 0:
            return "inga händelser i någon av perioderna"
        if self.previous == 0:
            base = f"{fmt_number(self.current)} mot 0 förra perioden"
            return base + (" – säkerställd ökning" if self.significant else " – för få för att bedöma")
        pct = fmt_percent(self.change, signed=True)
        if not self.significant:
            return f"{pct}, ingen säkerställd förändring"
        return f"{pct}, säkerställd {self.direction}"


@functools.lru_cache(maxsize=4096)
def _binomial_p(successes: int, trials: int, share: float) -> float:
    """The exact two-sided binomial test's p-value. Remembered: every rerun of a page compares the
    same counts again (Lägesbild's ten places cost scipy 20 ms a rerun)."""
    return float(binomtest(successes, trials, share).pvalue)


def poisson_change(current: int, previous: int, current_days: float = 1.0, previous_days: float = 1.0) -> Change:
    """Compare two Poisson counts over exposures of ``current_days`` and ``previous_days``.

    Conditional on the total, the current count is binomial with p = t1 / (t1 + t2) when
    the rate has not changed; the exact two-sided binomial test gives the p-value.
    """
    current, previous = int(current), int(previous)
    if current < 0 or previous < 0:
        raise ValueError("counts must be >= 0")
    total = current + previous
    p_value = 1.0 if total == 0 else _binomial_p(current, total, current_days / (current_days + previous_days))
    ratio = None
    if previous > 0:
        ratio = (current / current_days) / (previous / previous_days)
    return Change(current, previous, ratio, p_value, p_value < SIGNIFICANCE)


def moving_average(values: pd.Series, window: int) -> pd.Series:
    """Trailing mean over ``window`` periods; undefined until a full window has passed."""
    return values.rolling(window=window, min_periods=window).mean()


def period_index(start: dt.date, end: dt.date, grain: str) -> pd.DatetimeIndex:
    """Every day/ISO week (Monday)/month start between two dates, for filling gaps with zeros."""
    if grain == "day":
        return pd.date_range(start, end, freq="D")
    if grain == "month":
        return pd.date_range(start.replace(day=1), end, freq="MS")
    monday = start - dt.timedelta(days=start.weekday())
    return pd.date_range(monday, end, freq="W-MON")


def fill_periods(frame: pd.DataFrame, start: dt.date, end: dt.date, grain: str, keys: list[str]) -> pd.DataFrame:
    """Pivot ``period``/``key``/``count`` rows to one column per key, with zero where SQL had no row.

    A protected frame (``privacy``) is different: a missing row or value is a count too small to
    show, so it stays missing (NaN) rather than becoming zero."""
    if frame.attrs.get("protected"):
        index = period_index(start, end, grain)
        values = frame.assign(count=frame["count"].astype("Float64").astype(float)) if not frame.empty else frame
        # a sum of hidden values is hidden, not zero (min_count=1)
        table = (
            values.groupby(["period", "key"])["count"].sum(min_count=1).unstack("key")
            if not values.empty
            else pd.DataFrame(index=index)
        )
        table = table.reindex(index=index)
        for key in keys:
            if key not in table.columns:
                table[key] = float("nan")
        table = table[keys].astype(float)
        table.index.name = "period"
        return table
    index = period_index(start, end, grain)
    table = (
        frame.pivot_table(index="period", columns="key", values="count", aggfunc="sum", fill_value=0)
        if not frame.empty
        else pd.DataFrame(index=index)
    )
    table = table.reindex(index=index, fill_value=0)
    for key in keys:
        if key not in table.columns:
            table[key] = 0
    table = table[keys].fillna(0).astype(int)
    table.index.name = "period"
    return table


def burn_up(activities: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Weekly cumulative plan: each activity's planned count spread evenly over its span.

    ``activities`` is the query layer's activity list. Returns ``week`` and cumulative
    ``planned``; the carried-out line is :func:`burn_up_done`.
    """
    weeks = period_index(start, end, "week")
    first = weeks[0] if len(weeks) else pd.Timestamp(start)
    days = 7 * len(weeks)
    if activities.empty:
        return pd.DataFrame({"week": weeks, "planned": np.zeros(len(weeks))})
    live = activities[activities["status"] != "inställd"]
    # each activity adds count/span per day over its days: a difference array over the weeks' days
    # (clipped to them), summed per week; vectorised, so 5,000 activities over a promise take
    # milliseconds, and the same numbers as overlap days x count / span per week
    a_start = (pd.to_datetime(live["planned_start"]) - first).dt.days.to_numpy(dtype=np.int64)
    a_end = (pd.to_datetime(live["planned_end"]) - first).dt.days.to_numpy(dtype=np.int64)
    span = np.maximum(a_end - a_start + 1, 1)
    rate = live["planned_count"].to_numpy(dtype=float) / span
    lo, hi = np.clip(a_start, 0, days), np.clip(a_end + 1, 0, days)
    keep = hi > lo
    delta = np.zeros(days + 1)
    np.add.at(delta, lo[keep], rate[keep])
    np.add.at(delta, hi[keep], -rate[keep])
    per_day = np.cumsum(delta[:days])
    per_week = per_day.reshape(-1, 7).sum(axis=1) if days else per_day
    return pd.DataFrame({"week": weeks, "planned": np.cumsum(per_week)})


def burn_up_done(reports: pd.DataFrame, start: dt.date, end: dt.date, as_of: dt.date) -> pd.DataFrame:
    """Cumulative done per week up to ``as_of`` from ``period``/``count`` rows."""
    weeks = period_index(start, min(end, as_of), "week")
    per_week = reports.groupby("period")["count"].sum() if not reports.empty else pd.Series(dtype=float)
    series = per_week.reindex(weeks, fill_value=0).cumsum()
    return pd.DataFrame({"week": weeks, "done": series.to_numpy()})


def presence_where_it_happens(
    incident_cells: pd.DataFrame, presence_cells: pd.DataFrame, share: float = 0.5
) -> dict[str, float]:
    """The share of presence hours spent in the fewest cells that hold ``share`` of the incidents.

    ``incident_cells``: ``cell``, ``count``; ``presence_cells``: ``cell``, ``hours``.
    Returns the number of hotspot cells, the incident share they hold, and the presence share.
    """
    if incident_cells.empty:
        return {"cells": 0, "incident_share": 0.0, "presence_share": 0.0, "presence_hours": 0.0}
    counts = incident_cells.groupby("cell")["count"].sum().sort_values(ascending=False)
    total = counts.sum()
    cumulative = counts.cumsum() / total
    n_cells = int((cumulative < share).sum()) + 1
    hot = set(counts.index[:n_cells])
    hours = presence_cells.groupby("cell")["hours"].sum() if not presence_cells.empty else pd.Series(dtype=float)
    total_hours = float(hours.sum())
    hot_hours = float(hours[hours.index.isin(hot)].sum())
    return {
        "cells": n_cells,
        "incident_share": float(counts.iloc[:n_cells].sum() / total),
        "presence_share": hot_hours / total_hours if total_hours else 0.0,
        "presence_hours": total_hours,
    }

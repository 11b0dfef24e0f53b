"""The latest change in a series, judged against its own recent past (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .charts import period_label
from .metrics import Change, poisson_change


@dataclass(frozen=True)
class LatestChange:
    period: pd.Timestamp
    label: str
    #: None when a count in it is too small to show (a protected series)
    change: Change | None
    baseline_mean: float | None

    @property
    def verdict(self) -> str:
        return self.change.verdict if self.change is not None else "för få för att visa"


def last_complete(index: pd.DatetimeIndex, grain: str, as_of: dt.date) -> pd.Timestamp | None:
    """The newest period in ``index`` that has ended by ``as_of``."""
    for start in reversed(index):
        if grain == "week":
            end = start + pd.Timedelta(days=6)
        elif grain == "month":
            end = start + pd.offsets.MonthEnd(0)
        else:
            end = start
        if end.date() <= as_of:
            return start
    return None


def latest_change(series: pd.Series, grain: str, as_of: dt.date, baseline_periods: int = 8) -> LatestChange:
    """The last complete period against the mean of the ``baseline_periods`` before it."""
    index = pd.DatetimeIndex(series.index)
    period = last_complete(index, grain, as_of) or index[-1]
    position = index.get_loc(period)
    assert isinstance(position, int)
    before = series.iloc[max(0, position - baseline_periods) : position]
    if pd.isna(series.iloc[position]) or before.isna().any():
        return LatestChange(period, period_label(period, grain), None, None)
    current = int(series.iloc[position])
    n_before = len(before)
    change = poisson_change(current, int(before.sum()), 1, max(n_before, 1))
    mean = float(before.mean()) if n_before else 0.0
    return LatestChange(period, period_label(period, grain), change, mean)


def type_changes(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Incident types in the period against the same dates a year earlier. From protected frames
    (the only kind pages have), a type missing a year earlier was too few to show: no verdict."""
    previous = before.set_index("key")["count"].to_dict() if not before.empty else {}
    rows = []
    for key, count in now[["key", "count"]].itertuples(index=False):
        was = previous.get(key)
        if was is None or pd.isna(was):
            rows.append((key, int(count), None, "året innan för få för att jämföra"))
        else:
            rows.append((key, int(count), int(was), poisson_change(int(count), int(was)).wording()))
    table = pd.DataFrame(rows, columns=["Händelsetyp", "Nu", "Året innan", "Förändring"])
    table["Året innan"] = pd.array(table["Året innan"], dtype="Int64")
    return table

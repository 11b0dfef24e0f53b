"""The weekly review: which week, and this week against the weeks before (pure)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .formatting import week_start
from .metrics import Change, poisson_change


def last_complete_week(as_of: dt.date) -> dt.date:
    """The Monday of the newest ISO week that has ended by ``as_of`` (a Sunday ends its week)."""
    monday = week_start(as_of)
    return monday if as_of.weekday() == 6 else monday - dt.timedelta(weeks=1)


def week_choices(first: dt.date, as_of: dt.date) -> list[dt.date]:
    """Mondays from ``first``'s week up to ``as_of``'s week, newest first."""
    weeks = []
    monday = week_start(as_of)
    while monday >= week_start(first):
        weeks.append(monday)
        monday -= dt.timedelta(weeks=1)
    return weeks


@dataclass(frozen=True)
class WeekRow:
    key: str
    #: None when the week or the weeks before are too few to show (a protected count)
    change: Change | None
    baseline_mean: float | None

    @property
    def verdict(self) -> str:
        return self.change.verdict if self.change is not None else "för få för att visa"


def week_comparison(week: pd.DataFrame, before: pd.DataFrame, keys: list[str], baseline_weeks: int) -> list[WeekRow]:
    """Per focus area: the week's count against the mean of ``baseline_weeks`` weeks before. From
    protected frames (an area filter), a missing or hidden count gives no comparison."""
    protected = week.attrs.get("protected") or before.attrs.get("protected")
    now = week.set_index("key")["count"].to_dict() if not week.empty else {}
    prev = before.set_index("key")["count"].to_dict() if not before.empty else {}
    rows = []
    for key in keys:
        current, total_before = now.get(key), prev.get(key)
        if protected and (current is None or total_before is None or pd.isna(current) or pd.isna(total_before)):
            rows.append(WeekRow(key, None, None))
            continue
        current, total_before = int(current or 0), int(total_before or 0)
        rows.append(
            WeekRow(key, poisson_change(current, total_before, 1, baseline_weeks), total_before / baseline_weeks)
        )
    return rows

"""The privacy policy, in one place (pure). ``protected`` applies it where numbers are made.

DESIGN: what a viewer can learn, and why they cannot learn more
===============================================================

The dashboard is shown to rooms and its links are sent around, so a viewer can ask for any
period, area, fokusområde, source and map setting, and compare the answers. The policy is built
against that viewer, not only against a single small cell:

1. **Below the kommun, only whole weeks.** Every number finer than the kommun (map cells, places,
   kommundelar, incident types, anything with an area filter, presence) is counted over the whole
   ISO weeks the chosen period touches (``snap_weeks``). Two periods a day apart give the same
   numbers, so no day and no single event can be isolated by differencing periods.
2. **Small counts are hidden, and the others are randomly rounded.** A fine count under the
   kommun's minimum ``k`` (default 5) is not shown; one at or above it is shown rounded to a
   multiple of 5, up or down at random with the odds that keep it unbiased (12 is 10 three times in
   five and 15 twice) (``Policy.count``). Rounding is what defeats differencing between slices: a
   published 140 may be anything from 136 to 144, so a hidden count (141 with all fokusområden
   against 137 without narkotika; a cell as 6 in the kommun against 5 in one kommundel; this period
   against the one before) is left with several possible values. It is random rather than to the
   nearest 5 because the nearest-5 rule pins corners exactly (two hidden parts of a total shown as
   10 must both be 4; tests/privacy shows the attack). The draw is fixed by a secret the database
   keeps, the number's place and period, and the true count: the same count in the same cell is
   always shown the same, so asking again, or through an equivalent filter, gives nothing new, and
   without the secret nobody can work back from the draw. Averages are never published from hidden
   counts: a baseline is shown as its own rounded total. Suppression alone (the previous design)
   lost to these attacks; secondary suppression over every combination of filters a link can make
   is not tractable; fixed periods without rounding still give a week's count by differencing.
   Random rounding to a base is what statistics agencies use for tables published in many
   overlapping cuts (Statistics New Zealand's base-3 rounding, the ABS cell-key method), and it keeps
   the picture (places with 235 or 140 incidents) while hiding the single incident.
3. **The minimum belongs to the kommun.** A viewer may raise it for their own view, never lower it;
   anything that cannot be read as a number in range means the kommun's value.
4. **Sensitive by default.** A type that is sensitive, or that nobody has classified yet, never
   appears in anything finer than the kommun: not on the map, not by place or area, not per type.
   At the kommun level it is counted only as a total over at least four weeks, at or above ``k``.
5. **Only real places on the map.** Only incidents with a point (precision ``punkt``) are drawn;
   those known only to a kommundel, the kommun or the län are counted beside the map per area, at
   or above ``k`` and rounded.
6. **Presence protects the patrols:** whole weeks only, only in cells of about 5 km² (H3
   resolution 7), only where a cell holds at least 10 hours, randomly rounded to 5 hours.

Numbers for the kommun as a whole (incidents per fokusområde, presence hours per fokusområde) are
not hidden: the police publish each of these events with its day and kommun in their open feed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

import pandas as pd

from .geo import coarser

#: the default minimum count for anything finer than the kommun (the kommun may choose 3–100)
DEFAULT_MIN_COUNT = 5
MIN_COUNT_RANGE = (3, 100)
#: fine counts at or above the minimum are published rounded to a multiple of this
ROUNDING_BASE = 5
#: the map's cell sizes a viewer may choose (H3 resolution: name); the finest (9, 0.1 km²) is not offered
MAP_RESOLUTIONS = {7: "Grov (≈ 5 km²)", 8: "Medel (≈ 0,7 km²)"}
DEFAULT_MAP_RESOLUTION = 8
#: presence is shown only in coarse cells holding at least this many hours, rounded to HOURS_BASE
PRESENCE_RESOLUTION = 7
DEFAULT_MIN_PRESENCE_HOURS = 10.0
HOURS_BASE = 5.0
#: a sensitive type is counted only over a period of at least this many days (at kommun level)
SENSITIVE_MIN_DAYS = 28
#: dates a link may ask for
DATE_MIN, DATE_MAX = dt.date(1990, 1, 1), dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Policy:
    """The kommun's rule, with the viewer's stricter choice if they made one. ``salt`` is the
    database's secret that fixes the random rounding (see the design notes above)."""

    k: int = DEFAULT_MIN_COUNT
    base: int = ROUNDING_BASE
    salt: str = ""

    def with_min_count(self, asked: object) -> Policy:
        """A viewer may raise the minimum (up to 1000), never lower it; anything else keeps it."""
        try:
            wanted = int(str(asked).strip())
        except (TypeError, ValueError):
            return self
        if wanted <= self.k or wanted > 1000:
            return self
        return Policy(wanted, self.base, self.salt)

    def _draw(self, key: str, value: float) -> float:
        """A number in [0, 1) fixed by the secret, the number's place and period, and its value."""
        digest = hashlib.blake2b(f"{self.salt}|{key}|{value!r}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64

    def _round(self, value: float, base: float, key: str) -> float:
        lower = base * math.floor(value / base)
        part = (value - lower) / base
        return lower + base if part and self._draw(key, value) < part else lower

    def count(self, n: float | int | None, key: str = "") -> int | None:
        """What may be shown of a fine count: None (hidden) under ``k``, else randomly rounded to
        ``base`` (never shown as less than ``k``). ``key`` names the number (its cell or area and
        period): the same count under the same key is always shown the same."""
        if n is None or (isinstance(n, float) and math.isnan(n)) or n < self.k:
            return None
        rounded = int(self._round(float(int(n)), self.base, key))
        return max(rounded, self.base * math.ceil(self.k / self.base))

    def hours(self, h: float | None, key: str = "") -> float | None:
        """Presence hours in a cell: hidden under the threshold, else randomly rounded to 5 hours."""
        if h is None or math.isnan(h) or h < DEFAULT_MIN_PRESENCE_HOURS:
            return None
        return max(DEFAULT_MIN_PRESENCE_HOURS, self._round(round(float(h), 2), HOURS_BASE, key))


def snap_weeks(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The whole ISO weeks a period touches: from the Monday of its first week to the Sunday of its last."""
    return start - dt.timedelta(days=start.weekday()), end + dt.timedelta(days=6 - end.weekday())


def snap_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The whole months a period touches."""
    following = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start.replace(day=1), following - dt.timedelta(days=1)


def bounded(day: dt.date) -> bool:
    return DATE_MIN <= day <= DATE_MAX


def rollup(frame: pd.DataFrame, resolution: int, value: str = "count", by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Sum ``value`` per cell (and per ``by`` columns, e.g. week) at a coarser H3 resolution."""
    if frame.empty:
        empty = {k: pd.Series(dtype=object) for k in by}
        return pd.DataFrame({**empty, "cell": pd.Series(dtype=str), value: pd.Series(dtype=float)})
    cells = frame["cell"].map(lambda c: coarser(c, resolution))
    out = frame.assign(cell=cells).groupby([*by, "cell"], as_index=False)[value].sum()
    return out.sort_values(value, ascending=False, ignore_index=True)


@dataclass(frozen=True)
class Suppressed:
    """What may be shown (``value`` replaced by its published form) and how many rows were hidden."""

    shown: pd.DataFrame
    hidden_cells: int


def protect(frame: pd.DataFrame, policy: Policy, value: str = "count", key: str = "", by: str = "cell") -> Suppressed:
    """Hide the rows under the minimum and round the others (hours for ``value == "hours"``). Each
    row's number is named by ``key`` and its ``by`` column (e.g. the period and the cell)."""
    if frame.empty:
        return Suppressed(frame.reset_index(drop=True), 0)
    publish = policy.hours if value == "hours" else policy.count
    names = frame[by].astype(str) if by in frame.columns else pd.Series([""] * len(frame), index=frame.index)
    published = pd.Series([publish(v, f"{key}|{name}") for v, name in zip(frame[value], names, strict=True)],
                          index=frame.index, dtype=object)  # fmt: skip
    kept = published.notna()
    shown = frame[kept].assign(**{value: published[kept].astype(float if value == "hours" else int)})
    return Suppressed(shown.sort_values(value, ascending=False).reset_index(drop=True), int((~kept).sum()))

"""Privacy rules for maps on a shared screen: aggregate to cells, suppress small cells."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .geo import coarser

#: the default minimum number of incidents a map cell must hold to be shown
DEFAULT_MIN_COUNT = 5
#: the default map resolution (H3 8: about 0.7 km² per cell, a few blocks of a town)
DEFAULT_MAP_RESOLUTION = 8
#: presence is shown only where a cell holds at least this many hours in the period, so
#: a single patrol's route never shows
DEFAULT_MIN_PRESENCE_HOURS = 10.0


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
    shown: pd.DataFrame
    hidden_cells: int
    hidden_count: float


def suppress_small(frame: pd.DataFrame, min_count: int, value: str = "count") -> Suppressed:
    """Drop cells under ``min_count``; say how many cells and incidents that hid."""
    if frame.empty:
        return Suppressed(frame, 0, 0)
    small = frame[value] < min_count
    return Suppressed(frame[~small].reset_index(drop=True), int(small.sum()), float(frame.loc[small, value].sum()))

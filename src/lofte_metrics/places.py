"""Naming map cells after the places people know, and ranking them (pure)."""

from __future__ import annotations

import pandas as pd

from .geo import cell_centre, coarser
from .metrics import poisson_change


def name_cells(cell_places: pd.DataFrame, resolution: int) -> dict[str, str]:
    """For each cell at ``resolution``, the most frequent place name of its incidents
    (else its area's name). ``cell_places``: ``cell``, ``place_name``, ``area_name``, ``count``."""
    if cell_places.empty:
        return {}
    frame = cell_places.assign(
        cell=cell_places["cell"].map(lambda c: coarser(c, resolution)),
        label=cell_places["place_name"].fillna(cell_places["area_name"]).fillna("Okänd plats"),
    )
    ranked = frame.groupby(["cell", "label"], as_index=False)["count"].sum()
    ranked = ranked.sort_values(["cell", "count"], ascending=[True, False])
    return dict(ranked.drop_duplicates("cell")[["cell", "label"]].itertuples(index=False, name=None))


def top_places(
    now: pd.DataFrame, before: pd.DataFrame, names: dict[str, str], n: int = 10, min_count: int = 5
) -> pd.DataFrame:
    """The ``n`` cells with most incidents now, with the same cells in the period before.

    ``now``/``before``: ``cell``, ``count`` at one resolution. Cells under ``min_count`` in the
    current period are never listed (the same privacy rule as the map).
    """
    columns = ["Plats", "Nu", "Innan", "Förändring", "lat", "lon", "cell"]
    if now.empty:
        return pd.DataFrame(columns=columns)
    previous = before.set_index("cell")["count"] if not before.empty else pd.Series(dtype=int)
    rows = []
    seen: set[str] = set()
    for cell, count in now.sort_values("count", ascending=False)[["cell", "count"]].itertuples(index=False):
        if count < min_count:
            continue
        was = int(previous.get(cell, 0))
        change = poisson_change(int(count), was)
        lat, lon = cell_centre(cell)
        name = names.get(cell, "Okänd plats")
        # A place spread over several cells: the busiest cell keeps the name, the others are "nära".
        label = name if name not in seen else f"Nära {name}"
        seen.add(name)
        rows.append((label, int(count), was, change.wording(), lat, lon, cell))
        if len(rows) == n:
            break
    return pd.DataFrame(rows, columns=columns)

"""Naming map cells after the places people know (pure)."""

from __future__ import annotations

import pandas as pd

from .geo import coarser


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

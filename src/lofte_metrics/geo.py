"""Places: H3 map cells and which area a point lies in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import h3
import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from .models import H3_RESOLUTION


def cell_of(lat: float | None, lon: float | None, resolution: int = H3_RESOLUTION) -> str | None:
    """The H3 cell of a point, or None when the point is unknown."""
    if lat is None or lon is None:
        return None
    return h3.latlng_to_cell(lat, lon, resolution)


def cells_of(lat: Sequence[float], lon: Sequence[float], resolution: int = H3_RESOLUTION) -> list[str | None]:
    """``cell_of`` for many points (NaN for an unknown point), each distinct point computed once."""
    found: dict[tuple[float, float], str | None] = {}
    out: list[str | None] = []
    for a, b in zip(lat, lon, strict=True):
        key = (a, b)
        if key not in found:
            found[key] = None if a != a or b != b else h3.latlng_to_cell(a, b, resolution)  # NaN != NaN
        out.append(found[key])
    return out


def coarser(cell: str, resolution: int) -> str:
    """The parent cell at a coarser resolution (a bigger hexagon, for privacy or overview)."""
    if h3.get_resolution(cell) <= resolution:
        return cell
    return h3.cell_to_parent(cell, resolution)


def cell_centre(cell: str) -> tuple[float, float]:
    return h3.cell_to_latlng(cell)


@dataclass(frozen=True)
class AreaShape:
    area_id: int
    code: str
    geometry: BaseGeometry


class AreaLocator:
    """Finds the smallest area whose polygon holds a point."""

    def __init__(self, areas: Iterable[tuple[int, str, dict[str, Any]]]) -> None:
        self.shapes: list[AreaShape] = [
            AreaShape(area_id, code, shape(geometry)) for area_id, code, geometry in areas if geometry
        ]
        self._tree = STRtree([s.geometry for s in self.shapes]) if self.shapes else None

    def locate(self, lat: float | None, lon: float | None) -> int | None:
        if self._tree is None or lat is None or lon is None:
            return None
        point = Point(lon, lat)
        hits: Sequence[int] = self._tree.query(point, predicate="within")
        if len(hits) == 0:
            return None
        best = min(hits, key=lambda i: self.shapes[int(i)].geometry.area)
        return self.shapes[int(best)].area_id

    def locate_many(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """``locate`` for many points at once (NaN for an unknown point or none found): each area,
        smallest first, claims the points inside it that no smaller area holds."""
        found = np.full(len(lat), np.nan)
        known = ~(np.isnan(lat) | np.isnan(lon))
        for s in sorted(self.shapes, key=lambda s: s.geometry.area):
            open_ = known & np.isnan(found)
            if not open_.any():
                break
            inside = np.zeros(len(lat), dtype=bool)
            inside[open_] = shapely.contains_xy(s.geometry, lon[open_], lat[open_])
            found[inside] = s.area_id
        return found

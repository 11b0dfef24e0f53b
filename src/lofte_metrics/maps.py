"""pydeck maps of aggregated cells and area polygons, with Swedish tooltips.

Only aggregates reach a map: H3 cells (already rolled up and suppressed by ``privacy``)
and area polygons. Nothing here ever receives an incident's own coordinates.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import h3
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry import shape

from .formatting import fmt_number, plural
from .geo import cell_centre

# yellow -> orange -> dark red, for incident counts
INCIDENT_RAMP = [(255, 237, 160), (254, 178, 76), (240, 59, 32), (128, 0, 38)]
BLANK_STYLE: dict[str, Any] = {
    "version": 8,
    "sources": {},
    "layers": [{"id": "bakgrund", "type": "background", "paint": {"background-color": "#f3f1ec"}}],
}
TOOLTIP = {
    "html": "<b>{rubrik}</b><br/>{detalj}",
    "style": {"backgroundColor": "#111418", "color": "#ffffff", "fontSize": "16px", "padding": "8px"},
}


def _ramp(share: float) -> list[int]:
    share = max(0.0, min(1.0, share))
    position = share * (len(INCIDENT_RAMP) - 1)
    low = int(position)
    high = min(low + 1, len(INCIDENT_RAMP) - 1)
    t = position - low
    return [round(a + (b - a) * t) for a, b in zip(INCIDENT_RAMP[low], INCIDENT_RAMP[high], strict=True)]


def incident_cells_data(cells: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for the hexagon layer from ``cell``, ``count`` (and optional ``place``)."""
    if cells.empty:
        return []
    top = float(cells["count"].max())
    rows = []
    for row in cells.itertuples(index=False):
        place = getattr(row, "place", "") or "Område"
        rows.append(
            {
                "cell": row.cell,
                "count": int(row.count),
                "colour": [*_ramp((row.count / top) ** 0.6), 190],
                # deck.gl puts tooltip values into HTML: names from data are escaped, never markup
                "rubrik": html.escape(f"{place}: {plural(row.count, 'händelse', 'händelser')}"),
                "detalj": "Antal i perioden (hela veckor), avrundat till jämna 5-tal",
            }
        )
    return rows


def presence_cells_data(cells: pd.DataFrame, resolution: int) -> list[dict[str, Any]]:
    """Circles at cell centres, their area in proportion to the hours spent in the cell."""
    if cells.empty:
        return []
    edge = float(h3.average_hexagon_edge_length(resolution, unit="m"))
    top = float(cells["hours"].max())
    rows = []
    for row in cells.itertuples(index=False):
        lat, lon = cell_centre(row.cell)
        rows.append(
            {
                "cell": row.cell,
                "lat": lat,
                "lon": lon,
                "hours": float(row.hours),
                # area proportional to hours; the largest circle about fills its cell
                "radius": max(25.0, 0.8 * edge * (row.hours / top) ** 0.5),
                "rubrik": f"Närvaro: {fmt_number(row.hours)} timmar",
                "detalj": "Summa för polis, ordningsvakter, fältsekreterare och trygghetsvärdar",
            }
        )
    return rows


def area_features(areas: pd.DataFrame, counts: dict[str, int] | None = None, hidden: str = "") -> dict[str, Any]:
    """Kommundelar with their (published) counts; ``hidden`` is said of one whose count may not be
    shown. The kommun's own outline when it has no kommundelar yet."""
    counts = counts or {}
    features = []
    has_districts = bool((areas["kind"] != "kommun").any()) if not areas.empty else False
    for row in areas.itertuples(index=False):
        if not row.geometry or (row.kind == "kommun" and has_districts):
            continue
        n = counts.get(row.code)
        if n is not None:
            detail = f"{plural(n, 'händelse', 'händelser')} i perioden"
        else:
            detail = f"{hidden} händelser i perioden" if hidden and row.kind != "kommun" else "Kommundel"
        if row.population:
            detail += f" · {fmt_number(row.population)} invånare"
        props = {
            "name": row.name,
            "code": row.code,
            "rubrik": html.escape(str(row.name)),
            "detalj": html.escape(detail),
        }
        features.append({"type": "Feature", "geometry": row.geometry, "properties": props, **props})
    return {"type": "FeatureCollection", "features": features}


#: the middle of Sweden, for a map with nothing on it
SWEDEN_CENTRE = (62.0, 15.0)


def view_centre(cells: Iterable[str], areas: pd.DataFrame) -> tuple[float, float]:
    """Where the map opens: the middle of the shown cells, else of the kommun's polygon."""
    points = [cell_centre(c) for c in cells]
    if points:
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    kommun = areas[(areas["kind"] == "kommun") & areas["geometry"].notna()]
    if not kommun.empty:
        minx, miny, maxx, maxy = shape(kommun["geometry"].iloc[0]).bounds
        return (miny + maxy) / 2, (minx + maxx) / 2
    return SWEDEN_CENTRE


def fit_zoom(bounds: tuple[float, float, float, float], width: int = 800, height: int = 600) -> float:
    """The web-mercator zoom at which a (min lon, min lat, max lon, max lat) box fits the map
    (deck.gl's world is 512 pixels wide at zoom 0)."""
    minx, miny, maxx, maxy = bounds
    lon_span = max(maxx - minx, 1e-3)
    lat_span = max(maxy - miny, 1e-3) / max(0.2, math.cos(math.radians((miny + maxy) / 2)))
    return math.log2(min(width * 360 / (512 * lon_span), height * 360 / (512 * lat_span)))


def map_zoom(cells: Iterable[str], areas: pd.DataFrame, most: float = 11.9) -> float:
    """A zoom that shows every shown cell, else the whole kommun; never closer than ``most``."""
    points = [cell_centre(c) for c in cells]
    if len(points) >= 2:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        return float(min(most, max(6.0, fit_zoom((min(lons), min(lats), max(lons), max(lats))) - 0.3)))
    kommun = areas[(areas["kind"] == "kommun") & areas["geometry"].notna()]
    if kommun.empty:
        return most if points else 5.0
    return float(min(most, max(6.0, fit_zoom(shape(kommun["geometry"].iloc[0]).bounds) - 0.2)))


class CompactDeck(pdk.Deck):
    """A deck whose JSON is compact. pydeck indents its JSON, which makes Python's encoder run in
    Python rather than C: 60 ms a rerun for Lägesbild's map of a million incidents, about a third of
    the page's time; without the indentation the same spec takes a few milliseconds."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def build_deck(
    incidents: list[dict[str, Any]] | None,
    presence: list[dict[str, Any]] | None,
    areas: dict[str, Any] | None,
    centre: tuple[float, float],
    zoom: float = 11.9,
    map_style: str | None = "light",
) -> pdk.Deck:
    """Layers bottom-up: kommundelar, incident cells, presence outlines."""
    layers: list[pdk.Layer] = []
    if areas is not None:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                data=areas,
                id="kommundelar",
                stroked=True,
                filled=True,
                get_fill_color=[11, 79, 138, 12],
                get_line_color=[17, 20, 24, 200],
                line_width_min_pixels=2,
                pickable=True,
            )
        )
    if incidents is not None:
        layers.append(
            pdk.Layer(
                "H3HexagonLayer",
                data=incidents,
                id="handelser",
                get_hexagon="cell",
                get_fill_color="colour",
                filled=True,
                stroked=True,
                get_line_color=[255, 255, 255, 160],
                line_width_min_pixels=1,
                extruded=False,
                pickable=True,
                auto_highlight=True,
            )
        )
    if presence is not None:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=presence,
                id="narvaro",
                get_position=["lon", "lat"],
                get_radius="radius",
                filled=True,
                get_fill_color=[11, 79, 138, 40],
                stroked=True,
                get_line_color=[11, 79, 138, 230],
                line_width_min_pixels=3,
                pickable=True,
            )
        )
    view = pdk.ViewState(latitude=centre[0], longitude=centre[1], zoom=zoom, pitch=0)
    deck = CompactDeck(layers=layers, initial_view_state=view, map_style=map_style, tooltip=TOOLTIP)  # type: ignore[arg-type]
    if map_style is None:
        # Streamlit replaces a missing style with Carto's; an inline style with only a
        # background draws no tiles and fetches nothing (for closed networks).
        deck.map_style = "data:application/json," + quote(json.dumps(BLANK_STYLE))
    return deck

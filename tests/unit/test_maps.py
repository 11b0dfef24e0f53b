"""The map's deck: the same spec as pydeck's own, in compact JSON."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pydeck as pdk

from lofte_metrics.maps import BLANK_STYLE, build_deck


def test_the_compact_spec_is_pydecks_spec_without_the_indentation() -> None:
    cells = [{"cell": "8908e1a0dbbffff", "colour": [240, 59, 32, 190], "n": n, "tooltip": "Södra <b>Ekviken</b>"}
             for n in range(300)]  # fmt: skip
    presence = [{"lat": 58.95, "lon": 17.55, "radius": 120, "tooltip": "Närvaro 4 h"}]
    areas = {"type": "FeatureCollection", "features": []}
    deck = build_deck(cells, presence, areas, centre=(58.95, 17.55), zoom=12.0, map_style=None)
    pydecks = pdk.Deck(layers=deck.layers, initial_view_state=deck.initial_view_state, map_style=deck.map_style,
                       tooltip=deck._tooltip)  # fmt: skip

    compact = deck.to_json()
    assert json.loads(compact) == json.loads(pydecks.to_json())
    assert "\n" not in compact and len(compact) < len(pydecks.to_json()) / 2
    spec = json.loads(compact)
    assert [layer["id"] for layer in spec["layers"]] == ["kommundelar", "handelser", "narvaro"]
    assert json.loads(unquote(spec["mapStyle"].removeprefix("data:application/json,"))) == BLANK_STYLE

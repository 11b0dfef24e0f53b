"""Lägesbild: where are the problems now, and are we present where they are?"""

import streamlit as st

from lofte_metrics import queries as q
from lofte_metrics.context import basemap_style, init_state, set_param, setup_page
from lofte_metrics.formatting import fmt_datetime, fmt_number, fmt_percent, plural
from lofte_metrics.maps import (
    area_features,
    build_deck,
    incident_cells_data,
    map_zoom,
    presence_cells_data,
    view_centre,
)
from lofte_metrics.metrics import presence_where_it_happens
from lofte_metrics.places import name_cells, top_places
from lofte_metrics.privacy import (
    DEFAULT_MAP_RESOLUTION,
    DEFAULT_MIN_COUNT,
    DEFAULT_MIN_PRESENCE_HOURS,
    rollup,
    suppress_small,
)
from lofte_metrics.ui.notices import link, unmapped_notice
from lofte_metrics.ui.text import escape_md

LAYERS = {"handelser": "Händelser", "narvaro": "Närvaro", "omraden": "Kommundelar"}
RESOLUTIONS = {7: "Grov (≈ 5 km²)", 8: "Medel (≈ 0,7 km²)", 9: "Fin (≈ 0,1 km²)"}

ctx = setup_page("Lägesbild")
f = ctx.filters
unmapped_notice(ctx)

params = st.query_params
init_state("map_layers", [k for k in params.get("lager", ",".join(LAYERS)).split(",") if k in LAYERS])
try:
    init_state("map_min", max(1, int(params.get("min", DEFAULT_MIN_COUNT))))
except ValueError:
    init_state("map_min", DEFAULT_MIN_COUNT)
try:
    wanted_res = int(params.get("upplosning", DEFAULT_MAP_RESOLUTION))
except ValueError:
    wanted_res = DEFAULT_MAP_RESOLUTION
init_state("map_res", wanted_res if wanted_res in RESOLUTIONS else DEFAULT_MAP_RESOLUTION)

focus_options = ["", *ctx.selected_focus]
wanted_focus = params.get("kartfokus", "")
init_state("map_focus", wanted_focus if wanted_focus in focus_options else "")
controls = st.columns([3, 3, 2, 2])
layers = controls[0].pills(
    "Lager", options=list(LAYERS), format_func=LAYERS.get, selection_mode="multi", key="map_layers"
)
map_focus = controls[1].selectbox(
    "Händelser på kartan",
    focus_options,
    format_func=lambda k: "Alla valda fokusområden" if not k else ctx.focus_name(k),
    key="map_focus",
)
resolution = controls[2].selectbox("Cellstorlek", options=list(RESOLUTIONS), format_func=RESOLUTIONS.get, key="map_res")
min_count = int(
    controls[3].number_input(
        "Minsta antal per cell",
        min_value=1,
        max_value=100,
        step=1,
        key="map_min",
        help="Celler med färre händelser visas inte.",
    )
)
set_param("lager", ",".join(layers) if set(layers) != set(LAYERS) else None)
set_param("min", str(min_count) if min_count != DEFAULT_MIN_COUNT else None)
set_param("kartfokus", map_focus or None)
set_param("upplosning", str(resolution) if resolution != DEFAULT_MAP_RESOLUTION else None)

per_cell = ctx.q(q.incidents_per_cell, f)
if map_focus:
    per_cell = per_cell[per_cell["focus_key"] == map_focus]
cells = rollup(per_cell[["cell", "count"]], resolution)
shown = suppress_small(cells, min_count)
names = name_cells(ctx.q(q.cell_places, f), resolution)
presence = rollup(ctx.q(q.presence_per_cell, f), resolution, value="hours")
presence_shown = suppress_small(presence, int(DEFAULT_MIN_PRESENCE_HOURS), value="hours")
left_out = ctx.q(q.unmapped_counts, f)
area_frame = ctx.q(q.areas, ctx.kommunkod)
per_area = ctx.q(q.incidents_per_area, f)
area_counts = dict(zip(per_area["code"], per_area["count"], strict=True))

centre = view_centre(shown.shown["cell"], area_frame)

map_col, side = st.columns([3, 1], gap="medium")
with map_col:
    centre_only = left_out.get("kommun", 0) + left_out.get("län", 0)
    if cells.empty and centre_only:
        parts = [
            f"{plural(n, 'händelse anger', 'händelser anger')} bara {where}"
            for n, where in ((left_out.get("kommun", 0), "kommunens mittpunkt"), (left_out.get("län", 0), "länet"))
            if n
        ]
        st.info(
            f"Ingen av periodens händelser har en plats som kan ritas på kartan: {' och '.join(parts)}. Polisens "
            "öppna händelser anger aldrig platsen; egna källor med plats (polisens rapporter, felanmälan) läses in "
            "på sidan Data.",
            icon=":material/location_off:",
        )
    incident_rows = incident_cells_data(shown.shown.assign(place=shown.shown["cell"].map(names)))
    deck = build_deck(
        incident_rows if "handelser" in layers else None,
        presence_cells_data(presence_shown.shown, resolution) if "narvaro" in layers else None,
        area_features(area_frame, area_counts) if "omraden" in layers else None,
        centre=centre,
        zoom=map_zoom(shown.shown["cell"], area_frame),
        map_style=basemap_style(),
    )
    st.pydeck_chart(deck, height=620)
    st.caption(
        "Färg: antal händelser per cell (gult = få, mörkrött = många). "
        "Blå ringar: närvarotimmar (större ring = fler timmar). "
        f"Celler med färre än {fmt_number(min_count)} händelser och närvaro under "
        f"{fmt_number(DEFAULT_MIN_PRESENCE_HOURS)} timmar visas inte."
    )

with side:
    st.subheader("Närvaro där det händer", anchor=False)
    if presence.empty:
        st.caption("Ingen närvaro är inläst för perioden, så den kan inte jämföras med händelserna.")
    elif cells.empty:
        st.caption("Inga händelser med plats i perioden att jämföra närvaron med.")
    else:
        reach = presence_where_it_happens(cells, presence)
        st.metric(
            "Andel av närvaron i brännpunkterna",
            fmt_percent(reach["presence_share"]),
            help="Andelen av alla närvarotimmar som lagts i de celler som tillsammans har hälften av händelserna.",
        )
        st.caption(
            f"{plural(reach['cells'], 'cell har', 'celler har')} {fmt_percent(reach['incident_share'])} av "
            f"händelserna. Totalt {fmt_number(reach['presence_hours'])} närvarotimmar i perioden."
        )
    st.subheader("Visas inte på kartan", anchor=False)
    st.metric(
        "Bara kommunens mittpunkt",
        fmt_number(left_out.get("kommun", 0)),
        help="Polisens öppna händelser anger bara kommunens mittpunkt, aldrig platsen.",
    )
    if left_out.get("län", 0):
        st.metric(
            "Bara länet",
            fmt_number(left_out.get("län", 0)),
            help="Händelser där polisen bara anger länet (länets mittpunkt): kommunen är känd, platsen inte.",
        )
    st.metric(
        "Känsliga brottstyper",
        fmt_number(left_out.get("känsliga", 0)),
        help="T.ex. sexualbrott visas aldrig på kartan.",
    )
    st.metric(
        f"I celler under {fmt_number(min_count)}",
        fmt_number(shown.hidden_count),
        help=f"{plural(shown.hidden_cells, 'cell har', 'celler har')} för få händelser för att visas.",
    )

st.subheader("Platser med flest händelser", anchor=False)
before_per_cell = ctx.q(q.incidents_per_cell, f.previous())
if map_focus:
    before_per_cell = before_per_cell[before_per_cell["focus_key"] == map_focus]
before_cells = rollup(before_per_cell[["cell", "count"]], resolution)
table = top_places(shown.shown, before_cells, names, n=10, min_count=min_count)
if table.empty:
    st.caption(f"Ingen plats har minst {fmt_number(min_count)} händelser med känd plats i perioden.")
else:
    st.dataframe(
        table[["Plats", "Nu", "Innan", "Förändring"]],
        hide_index=True,
        column_config={
            "Nu": st.column_config.NumberColumn("I perioden", format="%d"),
            "Innan": st.column_config.NumberColumn("Perioden innan", format="%d"),
            "Förändring": st.column_config.TextColumn("Förändring", width="large"),
        },
    )

st.subheader("Lägesbilder", anchor=False)
pictures = ctx.q(q.situation_pictures, f.start, f.end, ctx.kommunkod)
if not pictures:
    st.info("Ingen lägesbild är skriven för perioden.")
    link("skriv", "Skriv en lägesbild")
for i, picture in enumerate(pictures):
    state = "godkänd" if picture["status"] == "godkänd" else "utkast, ej godkänd"
    with st.expander(f"{escape_md(picture['period_label'])} ({state})", expanded=i == 0):
        if picture["status"] == "godkänd":
            st.caption(f"Godkänd av {escape_md(picture['approved_by'] or '')} {fmt_datetime(picture['approved_at'])}"
                       + (" · det finns ett nyare utkast" if picture["newer_draft"] else ""))  # fmt: skip
        if picture["summary"]:
            st.text(picture["summary"])
        for key in ctx.selected_focus:
            text = picture["texts"].get(key)
            if text:
                st.markdown(f"**{escape_md(ctx.focus_name(key))}**")
                st.text(text)
        if picture["actions"]:
            st.markdown("**Åtgärder**")
            st.text("\n".join(f"• {a['text']}" + (f" (aktivitet {a['activity_ref']})" if a.get("activity_ref") else "")
                              for a in picture["actions"]))  # fmt: skip

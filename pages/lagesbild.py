"""Lägesbild: where are the problems now, and are we present where they are?"""

import streamlit as st

from lofte_metrics import protected
from lofte_metrics import queries as q
from lofte_metrics.context import basemap_style, init_state, set_param, setup_page
from lofte_metrics.formatting import fmt_datetime, fmt_number, fmt_percent, fmt_period, plural
from lofte_metrics.maps import (
    area_features,
    build_deck,
    incident_cells_data,
    map_zoom,
    presence_cells_data,
    view_centre,
)
from lofte_metrics.metrics import presence_where_it_happens
from lofte_metrics.privacy import (
    DEFAULT_MAP_RESOLUTION,
    DEFAULT_MIN_PRESENCE_HOURS,
    MAP_RESOLUTIONS,
    PRESENCE_RESOLUTION,
    Policy,
    rollup,
)
from lofte_metrics.ui import wall_views
from lofte_metrics.ui.notices import link, unmapped_notice
from lofte_metrics.ui.text import escape_md
from lofte_metrics.widgets import full_table

LAYERS = {"handelser": "Händelser", "narvaro": "Närvaro", "omraden": "Kommundelar"}

ctx = setup_page("Lägesbild", key="lagesbild")
if ctx.wall:
    wall_views.show(ctx)
f = ctx.filters
unmapped_notice(ctx)

params = st.query_params
init_state("map_layers", [k for k in str(params.get("lager", ",".join(LAYERS))).split(",") if k in LAYERS])
init_state("map_min", ctx.policy.k)
if st.session_state["map_min"] < ctx.policy.k:  # never under the kommun's (or the link's) minimum
    st.session_state["map_min"] = ctx.policy.k
init_state("map_res", protected.resolution(params.get("upplosning")))
if st.session_state["map_res"] not in MAP_RESOLUTIONS:
    st.session_state["map_res"] = DEFAULT_MAP_RESOLUTION

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
resolution = controls[2].selectbox(
    "Cellstorlek", options=list(MAP_RESOLUTIONS), format_func=MAP_RESOLUTIONS.get, key="map_res"
)
kommun_k = Policy(ctx.kommun.min_count).k
asked = controls[3].number_input(
    "Minsta antal per cell",
    min_value=kommun_k,
    max_value=1000,
    step=1,
    key="map_min",
    help=f"Kommunens minsta antal är {kommun_k}; du kan höja det men inte sänka det.",
)
policy = Policy(ctx.kommun.min_count, salt=ctx.policy.salt).with_min_count(asked)
set_param("lager", ",".join(layers) if set(layers) != set(LAYERS) else None)
set_param("min", str(policy.k) if policy.k != kommun_k else None)
set_param("kartfokus", map_focus or None)
set_param("upplosning", str(resolution) if resolution != DEFAULT_MAP_RESOLUTION else None)

cells = ctx.q(protected.map_cells, f, resolution, policy, map_focus or None)
names = ctx.q(protected.cell_names, f, resolution)
presence = ctx.q(protected.presence_cells, f, policy)
left_out = ctx.q(protected.left_out, f, policy)
area_frame = ctx.q(q.areas, ctx.kommunkod)
per_area = ctx.q(protected.area_counts, f, policy)
area_counts = dict(zip(per_area["code"], per_area["count"], strict=True))
first, last = cells.period

centre = view_centre(cells.shown["cell"], area_frame)

map_col, side = st.columns([3, 1], gap="medium")
with map_col:
    centre_only = left_out["kommun"] + left_out["län"]
    if cells.shown.empty and not cells.hidden_cells and centre_only:
        parts = [
            f"{plural(n, 'händelse anger', 'händelser anger')} bara {where}"
            for n, where in ((left_out["kommun"], "kommunens mittpunkt"), (left_out["län"], "länet"))
            if n
        ]
        st.info(
            f"Ingen av periodens händelser har en plats som kan ritas på kartan: {' och '.join(parts)}. Polisens "
            "öppna händelser anger aldrig platsen; egna källor med plats (polisens rapporter, felanmälan) läses in "
            "på sidan Data.",
            icon=":material/location_off:",
        )
    incident_rows = incident_cells_data(cells.shown.assign(place=cells.shown["cell"].map(names)))
    deck = build_deck(
        incident_rows if "handelser" in layers else None,
        presence_cells_data(presence, PRESENCE_RESOLUTION) if "narvaro" in layers else None,
        area_features(area_frame, area_counts, hidden=f"färre än {policy.k}") if "omraden" in layers else None,
        centre=centre,
        zoom=map_zoom(cells.shown["cell"], area_frame),
        map_style=basemap_style(),
    )
    st.pydeck_chart(deck, height=620)
    st.caption(
        f"Hela veckor: {fmt_period(first, last)}. Färg: antal händelser per cell (gult = få, mörkrött = många), "
        f"avrundat till jämna {policy.base}-tal. Blå ringar: närvarotimmar per område om ca 5 km². Celler med färre "
        f"än {fmt_number(policy.k)} händelser och närvaro under {fmt_number(DEFAULT_MIN_PRESENCE_HOURS)} timmar "
        "visas inte, och inte heller känsliga brottstyper eller händelser utan exakt plats."
    )

with side:
    st.subheader("Närvaro där det händer", anchor=False)
    if not ctx.q(q.presence_exists, ctx.kommunkod):
        st.caption("Ingen närvaro är inläst, så den kan inte jämföras med händelserna.")
    elif cells.shown.empty or presence.empty:
        st.caption("För få händelser eller närvarotimmar med plats i perioden för att jämföra.")
    else:
        reach = presence_where_it_happens(rollup(cells.shown, PRESENCE_RESOLUTION), presence)
        st.metric(
            "Andel av närvaron i brännpunkterna",
            fmt_percent(reach["presence_share"]),
            help="Andelen av de visade närvarotimmarna som lagts där de visade händelserna är flest (de celler som "
            "tillsammans har hälften av dem).",
        )
        st.caption(
            f"{plural(reach['cells'], 'cell har', 'celler har')} {fmt_percent(reach['incident_share'])} av "
            f"händelserna. Totalt {fmt_number(reach['presence_hours'])} närvarotimmar i perioden."
        )
    st.subheader("Visas inte på kartan", anchor=False)
    st.metric(
        "Bara kommunens mittpunkt",
        fmt_number(left_out["kommun"]),
        help="Polisens öppna händelser anger bara kommunens mittpunkt, aldrig platsen.",
    )
    if left_out["län"]:
        st.metric(
            "Bara länet",
            fmt_number(left_out["län"]),
            help="Händelser där polisen bara anger länet (länets mittpunkt): kommunen är känd, platsen inte.",
        )
    if left_out["område"] != 0:
        st.metric(
            "Bara kommundelen",
            fmt_number(left_out["område"]) if left_out["område"] is not None else f"färre än {policy.k}",
            help="Händelser där bara kommundelen är känd (t.ex. tips): de räknas per kommundel (lagret Kommundelar), "
            "aldrig som en punkt.",
        )
    sensitive = left_out["känsliga"]
    st.metric(
        "Känsliga brottstyper",
        fmt_number(sensitive) if sensitive is not None else "–",
        help="T.ex. sexualbrott, och typer som ingen har granskat, visas aldrig på kartan. De räknas bara för hela "
        f"kommunen över minst fyra veckor, och bara om de är minst {policy.k}.",
    )
    st.metric(
        f"Celler under {fmt_number(policy.k)}",
        fmt_number(cells.hidden_cells),
        help="Så många celler har för få händelser för att visas.",
    )

st.subheader("Platser med flest händelser", anchor=False)
# the map's cells and names again (cached), and the period before
before = ctx.q(protected.map_cells, f.previous(), resolution, policy, map_focus or None)
table = protected.place_table(cells, before, names, policy)
if table.empty:
    st.caption(f"Ingen plats har minst {fmt_number(policy.k)} händelser med känd plats i perioden.")
else:
    full_table(table.rename(columns={"Nu": "I perioden", "Innan": "Perioden innan"}), key="map_places")
    st.caption(f"Avrundat till jämna {policy.base}-tal, slumpvis uppåt eller nedåt; tomt = färre än {policy.k}.")

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

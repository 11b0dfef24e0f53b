"""Kom igång / Kommuner: choose the kommun (any of Sweden's 290) and name its lokalpolisområde."""

import pandas as pd
import streamlit as st

from lofte_metrics import queries as q
from lofte_metrics import reference
from lofte_metrics.access.roles import AccessDenied
from lofte_metrics.authoring.setup import MIN_COUNT_RANGE, SetupError, set_min_count, setup_kommun
from lofte_metrics.context import basemap_style, cached, clear_caches, connect, followed_kommuner
from lofte_metrics.db import WriteBusy
from lofte_metrics.maps import area_features, build_deck, map_zoom, view_centre
from lofte_metrics.ui import access
from lofte_metrics.ui.notices import link
from lofte_metrics.ui.text import escape_md

FLASH = "setup_flash"

url, engine = connect("Kom igång")
actor = access.current(engine)
followed = [k for k in followed_kommuner("Kom igång", url, engine) if actor.can("läsa", k.code)]
may_add = actor.can("administrera", None)
st.title("Kommuner" if followed else "Kom igång")

if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")

if not followed:
    st.markdown(
        "Löftesuppföljningen följer upp en kommuns **medborgarlöfte** och den gemensamma **lägesbilden**. "
        "Börja med att välja kommunen. Kommunens gräns och en standardindelning av polisens händelsetyper i "
        "fokusområden läggs in direkt; löftet, kommundelarna och händelserna lägger ni in sedan."
    )
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Kommun": [k.official_name for k in followed],
                "Kommunkod": [k.code for k in followed],
                "Län": [k.lan_name or "" for k in followed],
                "Lokalpolisområde": [k.police_area or "" for k in followed],
                "Minsta antal": [k.min_count for k in followed],
            }
        ),
        hide_index=True,
    )
    for kommun in followed:
        areas = cached(url, q.areas, kommun.code)
        if areas["geometry"].notna().any():
            with st.expander(f"Karta: {escape_md(kommun.official_name)}", icon=":material/map:"):
                st.pydeck_chart(
                    build_deck(
                        None,
                        None,
                        area_features(areas),
                        centre=view_centre([], areas),
                        zoom=map_zoom([], areas),
                        map_style=basemap_style(),
                    ),
                    height=360,
                )

for kommun in [k for k in followed if actor.can("administrera", k.code)]:
    with st.expander(f"Integritet: {escape_md(kommun.official_name)}", icon=":material/shield_lock:"):
        st.markdown(
            "Antal händelser under **minsta antal** visas aldrig finare än för hela kommunen: inte per cell, "
            "plats, kommundel, händelsetyp eller vecka. Övriga antal avrundas till jämna femtal. En tittare kan "
            "bara välja ett högre minsta antal på sidan Lägesbild, aldrig ett lägre."
        )
        with st.form(f"privacy_{kommun.code}", border=False):
            wanted = st.number_input("Minsta antal", min_value=MIN_COUNT_RANGE[0], max_value=MIN_COUNT_RANGE[1],
                                     value=kommun.min_count, step=1, key=f"min_count_{kommun.code}")  # fmt: skip
            if st.form_submit_button("Spara", icon=":material/save:"):
                try:
                    written = set_min_count(engine, kommun.code, wanted, actor=actor)
                except (SetupError, AccessDenied, WriteBusy) as exc:
                    st.error(escape_md(str(exc), 600))
                else:
                    clear_caches()
                    st.session_state[FLASH] = (
                        f"Minsta antal för {kommun.official_name} är nu {int(wanted)}."
                        if written.batch_id
                        else f"Minsta antal för {kommun.official_name} var redan {int(wanted)}."
                    )
                    st.rerun()

if not may_add:
    if not followed:
        st.info("Ingen kommun är inlagd ännu. En administratör väljer kommun här.", icon=":material/lock:")
    st.stop()
st.subheader("Lägg till en kommun" if followed else "Välj er kommun", anchor=False)
known = {k.code for k in followed}
choices = [k for k in reference.kommuner() if k.code not in known]
by_code = {k.code: k for k in choices}
with st.form("setup", border=True, clear_on_submit=True):
    code = st.selectbox(
        "Kommun",
        list(by_code),
        index=None,
        format_func=lambda c: by_code[c].label,
        placeholder="Skriv kommunens namn eller kommunkod, t.ex. Linköping eller 0580",
        key="setup_kommun",
    )
    police = st.text_input(
        "Lokalpolisområde",
        max_chars=120,
        placeholder="t.ex. Lokalpolisområde Linköping (lämnas det tomt används kommunens namn)",
        key="setup_police",
    )
    sent = st.form_submit_button("Följ kommunen", type="primary", icon=":material/add_location_alt:")
if sent:
    if code is None:
        st.error("Välj en kommun i listan först.")
    else:
        try:
            written = setup_kommun(engine, code, actor=actor, police_area=police or None)
        except (SetupError, AccessDenied, WriteBusy) as exc:
            st.error(escape_md(str(exc), 600))
        else:
            clear_caches()
            chosen = by_code[code]
            st.session_state[FLASH] = (
                f"{chosen.official_name} ({chosen.code}) i {chosen.lan_name} följs nu, med sin gräns och "
                f"polisens händelsetyper indelade i fokusområden (importomgång {written.batch_id})."
            )
            st.session_state["scope_kommun"] = code
            st.rerun()

if followed:
    st.subheader("Nästa steg", anchor=False)
    st.markdown(
        "1. Lägg in **medborgarlöftet**: fokusområden, åtaganden och aktiviteter (eller läs in det från Excel).\n"
        "2. Läs in **polisens händelser** (JSON från polisen.se/api/events) och egna källor på sidan Data; "
        "kommundelar läses in som GeoJSON.\n"
        "3. Kontrollera **händelsetypernas** fokusområden och vilka typer som är känsliga.\n"
        "4. Skriv och godkänn **lägesbilden** för månaden."
    )
    link("loftet", "Löftet")
    link("data", "Data: läs in händelser och kommundelar")
    link("handelsetyper", "Händelsetyper")
    link("skriv", "Skriv lägesbild")

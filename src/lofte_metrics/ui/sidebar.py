"""The shared filters in the sidebar: period, fokusområden, område and källor, kept in the link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from ..filters import AREA, FOCUS, FROM, SOURCE, TO, Selection, parse, to_params
from .state import init_state, set_param

SOURCE_NAMES = {
    "polis_rapport": "Polisens rapporter",
    "polisens_handelser": "Polisens händelser (öppna data)",
    "felanmalan": "Kommunens felanmälan",
    "tips": "Tips",
    "syntetisk": "Syntetiska (test)",
}


def draw_filters(
    default_start: dt.date,
    default_end: dt.date,
    focus_names: dict[str, str],
    districts: list[str],
    area_names: dict[str, str],
    sources: list[str],
) -> tuple[Selection, list[str]]:
    """Read the filters from the link, draw them, write them back. Returns the selection and notes
    about link values that could not be used."""
    params = {k: st.query_params.get(k) for k in (FROM, TO, FOCUS, AREA, SOURCE)}
    selection, notes = parse(
        {k: v for k, v in params.items() if v}, default_start, default_end, list(focus_names), districts, sources
    )
    # A period nobody has chosen follows the default as data arrive (a new import, a report today).
    auto = (default_start, default_end)
    previous = st.session_state.get("f_period_auto")
    if previous is not None and previous != auto and tuple(st.session_state.get("f_period", ())) == previous:
        st.session_state["f_period"] = auto
    st.session_state["f_period_auto"] = auto
    init_state("f_period", (selection.start, selection.end))
    init_state("f_focus", list(selection.focus_keys))
    init_state("f_area", selection.area_code or "")
    init_state("f_sources", list(selection.sources))
    # A kommun switch can leave choices that the new kommun does not have.
    st.session_state["f_focus"] = [k for k in st.session_state["f_focus"] if k in focus_names]
    if st.session_state["f_area"] not in ("", *districts):
        st.session_state["f_area"] = ""
    st.session_state["f_sources"] = [s for s in st.session_state["f_sources"] if s in sources]

    with st.sidebar:
        period = st.date_input(
            "Period",
            key="f_period",
            format="YYYY-MM-DD",
            help="Första och sista dagen som räknas. Länken i adressfältet sparar valet.",
        )
        if isinstance(period, Sequence) and len(period) == 2:
            start, end = period[0], period[1]
        else:
            start, end = selection.start, selection.end
        focus = (
            st.multiselect("Fokusområden", options=list(focus_names), key="f_focus", format_func=focus_names.get)
            if focus_names
            else []
        )
        area = st.selectbox(
            "Område",
            options=["", *districts],
            key="f_area",
            format_func=lambda c: "Hela kommunen" if not c else area_names.get(c, c),
        )
        with st.expander("Källor"):
            chosen_sources = st.multiselect(
                "Bara dessa källor",
                options=sources,
                key="f_sources",
                format_func=lambda s: SOURCE_NAMES.get(s, s),
                placeholder="Alla källor",
            )
        st.caption("Filtren finns i adressen: kopiera länken för att dela vyn.")

    selection = Selection(
        start=start,
        end=end,
        focus_keys=tuple(k for k in focus_names if k in focus) or tuple(focus_names),
        area_code=area or None,
        sources=tuple(chosen_sources),
    )
    written = to_params(selection, list(focus_names))
    for name in (FROM, TO, FOCUS, AREA, SOURCE):
        set_param(name, written.get(name))
    return selection, notes

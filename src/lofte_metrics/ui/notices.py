"""Honest empty states: when something is missing, say what and where to add it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st
from streamlit.errors import StreamlitAPIException

from .. import queries as q
from ..formatting import fmt_number, fmt_percent, plural
from .text import escape_md

if TYPE_CHECKING:
    from ..context import PageContext

PAGES = {
    "loftet": ("../pages/loftet.py", "Löftet", ":material/handshake:"),
    "handelsetyper": ("../pages/handelsetyper.py", "Händelsetyper", ":material/category:"),
    "data": ("../pages/data.py", "Data", ":material/database:"),
    "skriv": ("../pages/skriv_lagesbild.py", "Skriv lägesbild", ":material/edit_note:"),
    "kom_igang": ("../pages/kom_igang.py", "Kom igång", ":material/rocket_launch:"),
}


def link(page: str, label: str | None = None) -> None:
    """A link to another page of the app (plain text when the page runs on its own, as in tests)."""
    path, title, icon = PAGES[page]
    try:
        st.page_link(path, label=label or title, icon=icon)
    except (StreamlitAPIException, KeyError):
        st.caption(f"Se sidan {title}.")


def no_promise_notice(ctx: PageContext) -> None:
    st.info(
        f"{escape_md(ctx.kommun.name)} har inget medborgarlöfte i databasen ännu, så det finns inga åtaganden eller "
        "aktiviteter att följa upp. Fokusområdena nedan är standardförslaget (trygghet, narkotika, trafik).",
        icon=":material/info:",
    )
    link("loftet", "Lägg in medborgarlöftet")


def unmapped_notice(ctx: PageContext) -> None:
    """How many of the period's incidents are in no fokusområde of the promise, with a link to the mapping."""
    cover = ctx.q(q.focus_coverage, ctx.filters, tuple(ctx.focus_keys))
    if cover["total"] == 0:
        incidents = ctx.q(q.table_counts, ctx.kommunkod)["Händelser"]
        if incidents == 0:
            st.info(f"Inga händelser är inlästa för {escape_md(ctx.kommun.name)} ännu.", icon=":material/info:")
            link("data", "Läs in händelser på sidan Data")
        return
    if cover["outside"] == 0:
        return
    share = cover["outside"] / cover["total"]
    text = (
        f"{plural(cover['outside'], 'händelse', 'händelser')} av periodens {fmt_number(cover['total'])} "
        f"({fmt_percent(share)}) hör inte till något av fokusområdena: deras händelsetyp har inget fokusområde."
    )
    if cover["in_focus"] == 0:
        st.warning(text + " Ange fokusområde för händelsetyperna.", icon=":material/category:")
    else:
        st.caption(text)
    link("handelsetyper", "Ange fokusområden för händelsetyperna")

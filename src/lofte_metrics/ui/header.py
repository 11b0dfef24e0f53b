"""The line under every page's title: period, area, how fresh the data is; and the notes."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ..filters import Selection
from ..formatting import fmt_date, fmt_datetime, fmt_period
from .text import escape_md


def draw_header(title: str, *, selection: Selection | None, where: str, latest: dt.date | None,
                last_import: dt.datetime | None, as_of: dt.date, notes: list[str]) -> None:  # fmt: skip
    """Title, then period, place and freshness. Values from the database are shown as text, never
    interpreted as Markdown."""
    st.title(title)
    bits = []
    if selection is not None:
        bits.append(f"**Period:** {fmt_period(selection.start, selection.end)}")
    if where:
        bits.append(f"**Område:** {escape_md(where)}")
    bits.append(f"**Data t.o.m.:** {fmt_date(latest)}")
    bits.append(f"**Senast inläst:** {fmt_datetime(last_import)}")
    st.caption(" · ".join(bits))
    for note in notes:
        st.warning(note, icon=":material/link_off:")
    if selection is not None and selection.end > as_of and latest is not None and selection.start <= as_of:
        st.caption(f"Data finns bara t.o.m. {fmt_date(as_of)}; resten av perioden är ännu inte rapporterad.")

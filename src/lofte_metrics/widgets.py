"""Small Streamlit drawing helpers shared by the pages (no numbers are computed here)."""

from __future__ import annotations

import streamlit as st

from .formatting import fmt_number
from .metrics import STATUS_COLOURS, Change
from .summary import STATUS_ICONS, STATUS_WORDS


def change_metric(label: str, change: Change, unit: str = "", help: str | None = None) -> None:
    """A count with its change: an arrow for the direction, colour only when it is more than noise."""
    arrow = "off"
    if change.ratio is not None and change.ratio != 1:
        arrow = "up" if change.ratio > 1 else "down"
    elif change.previous == 0 and change.current > 0:
        arrow = "up"
    st.metric(
        label,
        f"{fmt_number(change.current)}{unit}",
        f"{change.wording()} (innan: {fmt_number(change.previous)})",
        delta_color="inverse" if change.significant else "off",
        delta_arrow=arrow,  # type: ignore[arg-type]
        help=help,
    )


def status_badge(status: str) -> None:
    colour = STATUS_COLOURS[status]
    st.markdown(
        f"<div style='font-size:1.15rem;font-weight:700;color:{colour}'>"
        f"{STATUS_ICONS[status]} {STATUS_WORDS[status].capitalize()}</div>",
        unsafe_allow_html=True,
    )

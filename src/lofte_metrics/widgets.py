"""Small Streamlit drawing helpers shared by the pages (no numbers are computed here)."""

from __future__ import annotations

import streamlit as st

from .formatting import fmt_number
from .metrics import Change
from .summary import STATUS_WORDS


def change_colour(change: Change) -> str:
    """Fewer incidents is good: green for a significant fall, red for a significant rise, else grey."""
    if not change.significant:
        return "gray"
    return "green" if change.direction == "minskning" else "red"


def change_arrow(change: Change) -> str:
    if change.ratio is not None and change.ratio != 1:
        return "up" if change.ratio > 1 else "down"
    return "up" if change.previous == 0 and change.current > 0 else "off"


def change_metric(label: str, change: Change, unit: str = "", help: str | None = None) -> None:
    """A count with its change: an arrow for the direction, colour only when it is more than noise."""
    st.metric(
        label,
        f"{fmt_number(change.current)}{unit}",
        change.wording(),
        delta_color=change_colour(change),  # type: ignore[arg-type]
        delta_arrow=change_arrow(change),  # type: ignore[arg-type]
        help=help,
    )
    st.caption(f"Perioden innan: {fmt_number(change.previous)}{unit}")


STATUS_MARKS = {
    "grön": ("green", ":material/check_circle:"),
    "gul": ("orange", ":material/error:"),
    "röd": ("red", ":material/cancel:"),
}


def status_badge(status: str) -> None:
    """The red/yellow/green status as coloured words with an icon (no emoji: projector PCs lack the font)."""
    colour, icon = STATUS_MARKS[status]
    st.markdown(f"#### :{colour}[{icon} {STATUS_WORDS[status].capitalize()}]")

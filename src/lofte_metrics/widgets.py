"""Small Streamlit drawing helpers shared by the pages (no numbers are computed here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from .formatting import fmt_date, fmt_number, fmt_percent
from .metrics import Change
from .summary import Verdict


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


def _cell(value: Any, percent: bool) -> str:
    """A table cell as text: Swedish numbers and dates, and text from data escaped (st.table
    renders Markdown)."""
    from .ui.text import escape_md

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if percent and isinstance(value, int | float):
        return fmt_percent(float(value))
    if isinstance(value, int) or (hasattr(value, "is_integer") and not isinstance(value, float)):
        return fmt_number(int(value))
    if isinstance(value, float):
        return fmt_number(value, 0 if value.is_integer() else 1)
    if isinstance(value, dt.datetime | pd.Timestamp):
        return fmt_date(value.date(), short=True)
    if isinstance(value, dt.date):
        return fmt_date(value, short=True)
    return escape_md(value, None)


def full_table(frame: pd.DataFrame, key: str, page_rows: int = 50, percent: tuple[str, ...] = ()) -> None:
    """A table to read, not to explore: every row shown (no scroll inside it), text that wraps
    instead of being cut, Swedish numbers; in pages of ``page_rows`` rows when it is longer."""
    total = len(frame)
    shown = frame
    if total > page_rows:
        pages = -(-total // page_rows)
        page = st.number_input(f"Sida (av {pages})", min_value=1, max_value=pages, value=1, step=1,
                               key=f"{key}_page")  # fmt: skip
        first = (int(page) - 1) * page_rows
        shown = frame.iloc[first : first + page_rows]
        st.caption(f"Rad {fmt_number(first + 1)}–{fmt_number(first + len(shown))} av {fmt_number(total)}.")
    text = pd.DataFrame(
        {
            column: [_cell(v.item() if hasattr(v, "item") else v, column in percent) for v in shown[column]]
            for column in shown.columns
        }  # fmt: skip
    )
    text.columns = [escape_header(c) for c in shown.columns]
    st.table(text, hide_index=True, border="horizontal")


def escape_header(name: object) -> str:
    from .ui.text import escape_md

    return escape_md(name, None)


TONE_MARKS = {
    "bra": ("green", ":material/check_circle:"),
    "blandat": ("orange", ":material/error:"),
    "dåligt": ("red", ":material/cancel:"),
    "okänt": ("gray", ":material/help:"),
}


def verdict_box(verdict: Verdict, level: str = "####") -> None:
    """Both halves of the picture: the headline in the tone's colour, then the activities and the
    incidents in words, side by side in one place so a green plan cannot hide a rise."""
    from .ui.text import escape_md

    colour, icon = TONE_MARKS[verdict.tone]
    st.markdown(f"{level} :{colour}[{icon} {escape_md(verdict.headline, None)}]")
    st.markdown(f"{escape_md(verdict.activities, None)}  \n{escape_md(verdict.incidents, None)}")

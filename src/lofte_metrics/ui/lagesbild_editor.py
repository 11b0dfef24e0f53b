"""Parts of the lägesbild editor: a version in one line, and the åtgärdsplan as an editable table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from ..authoring.lagesbild import Version
from ..formatting import fmt_datetime

if TYPE_CHECKING:
    from ..context import PageContext


def version_line(v: Version) -> str:
    """``version 3, godkänd av Styrgruppen 10 november 2022 kl. 10:00 (sparad av anna)``."""
    if v.status == "godkänd":
        return f"version {v.version}, godkänd av {v.approved_by} {fmt_datetime(v.approved_at)}"
    return f"version {v.version}, utkast sparat av {v.created_by or 'okänd'} {fmt_datetime(v.created_at)}"


def actions_editor(ctx: PageContext, actions: list[dict[str, Any]], activities: pd.DataFrame | None,
                   key: str) -> list[dict[str, Any]]:  # fmt: skip
    """The decided actions, each optionally linked to an activity of the promise."""
    titles = dict(zip(activities["ref"], activities["title"], strict=True)) if activities is not None else {}
    frame = pd.DataFrame(
        {
            "Åtgärd": [a.get("text") or "" for a in actions],
            "Aktivitet": [a.get("activity_ref") or None for a in actions],
            "Fokusområde": [a.get("focus_key") or None for a in actions],
        }
    ).astype({"Åtgärd": "object", "Aktivitet": "object", "Fokusområde": "object"})
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        hide_index=True,
        key=key,
        column_config={
            "Åtgärd": st.column_config.TextColumn(width="large", max_chars=500),
            "Aktivitet": st.column_config.SelectboxColumn(
                options=list(titles), format_func=lambda r: f"{r} – {titles.get(r, '')}", width="medium"
            ),
            "Fokusområde": st.column_config.SelectboxColumn(
                options=list(ctx.focus_names), format_func=lambda k: ctx.focus_names.get(k, k)
            ),
        },
    )
    return [
        {"text": row.Åtgärd, "activity_ref": row.Aktivitet or None, "focus_key": row.Fokusområde or None}
        for row in edited.itertuples(index=False)
        if isinstance(row.Åtgärd, str) and row.Åtgärd.strip()
    ]

"""The weekly routine: pick an activity, report what was done and its new status, in one form."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import streamlit as st

from .. import queries as q
from ..access.roles import AccessDenied
from ..activities import STATUS_LABELS
from ..authoring.genomforande import report_done
from ..db import WriteBusy
from ..formatting import fmt_date
from ..ingest.importer import ImportRefused
from ..models import ACTIVITY_STATUSES
from .text import escape_md

if TYPE_CHECKING:
    from ..context import PageContext

FLASH = "report_flash"


def report_form(ctx: PageContext) -> None:
    """An expander with the form; after a save the page shows the new figures at once."""
    from ..context import clear_caches, today

    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")
    promise = ctx.promise
    if promise is None or not ctx.can("redigera"):
        return
    everything = q.Filters(promise.period_start, promise.period_end, kommunkod=ctx.kommunkod, promise_id=promise.id)
    activities = ctx.q(q.activity_list, everything, ctx.as_of)
    if activities.empty:
        return
    titles = dict(zip(activities["ref"], activities["title"], strict=True))
    statuses = dict(zip(activities["ref"], activities["status"], strict=True))
    with st.expander("Rapportera genomförande", icon=":material/add_task:"):
        with st.form("report_form", clear_on_submit=True, border=False):
            ref = st.selectbox("Aktivitet", list(titles), format_func=lambda r: f"{r} – {titles[r]}",
                               key="report_activity")  # fmt: skip
            c1, c2, c3 = st.columns(3)
            day = c1.date_input("Datum", value=min(today(), promise.period_end), format="YYYY-MM-DD",
                                key="report_date")  # fmt: skip
            count = c2.number_input("Antal", min_value=0, max_value=10_000, value=1, step=1, key="report_count")
            hours = c3.number_input("Timmar", min_value=0.0, max_value=10_000.0, value=None, step=0.5,
                                    key="report_hours", placeholder="valfritt")  # fmt: skip
            place = st.text_input("Plats", max_chars=200, key="report_place")
            note = st.text_area("Anteckning", max_chars=4000, key="report_note", height=80)
            status = st.selectbox(
                "Ny status",
                ["", *ACTIVITY_STATUSES],
                format_func=lambda s: "Oförändrad" if not s else STATUS_LABELS[s],
                key="report_status",
            )
            sent = st.form_submit_button("Spara genomförandet", type="primary", icon=":material/save:")
        if sent:
            if not isinstance(day, dt.date):
                st.error("Ange ett datum.")
                return
            try:
                written = report_done(ctx.engine, promise.id, ref, date=day, count=int(count),
                                      hours=float(hours) if hours is not None else None, place=place or None,
                                      note=note or None, status=status or None, actor=ctx.actor,
                                      kommunkod=ctx.kommunkod)  # fmt: skip
            except (ImportRefused, AccessDenied, WriteBusy) as exc:
                st.error(escape_md(str(exc), 600), icon=":material/block:")
                return
            clear_caches()
            changed = f" Status: {STATUS_LABELS[status].lower()}." if status and status != statuses[ref] else ""
            st.session_state[FLASH] = (f"Genomförandet av {escape_md(ref)} den {fmt_date(day)} är sparat (importomgång "
                                       f"{written.batch_id}).{changed}")  # fmt: skip
            st.rerun()

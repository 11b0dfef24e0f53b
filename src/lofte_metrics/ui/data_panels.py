"""The Data page's panels that write or show who wrote: importing a file, undoing a batch, and the
audit trail (with filters and an export)."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from .. import queries as q
from ..access.roles import AccessDenied
from ..db import WriteBusy
from ..formatting import fmt_datetime, fmt_number, fmt_percent, plural
from ..ingest.importer import (
    BATCH_KINDS,
    IMPORT_KINDS,
    TEMPLATE_KINDS,
    ImportRefused,
    UndoRefused,
    commit,
    prepare,
    template,
    undo,
)
from ..ingest.progress import Progress
from ..ingest.reading import FileProblem
from ..widgets import full_table
from .text import escape_md

if TYPE_CHECKING:
    from ..context import PageContext


def _bar(bar: Any) -> Progress:
    """A long import's progress as a bar on the page (``st.progress``)."""

    def show(step: str, share: float) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=f"{step} … {fmt_percent(share, 0)}")

    return show


def import_panel(ctx: PageContext) -> None:
    """Choose the kind, download a template, upload, see the preview with every problem, confirm."""
    from ..context import clear_caches

    st.header("Läs in data")
    st.caption(
        "Varje inläsning är en importomgång: allt eller inget, och den kan ångras helt. "
        "Samma fil två gånger lägger inte till något; ändrade rader uppdateras."
    )
    kind = st.selectbox("Vad vill du läsa in?", list(IMPORT_KINDS), format_func=IMPORT_KINDS.get, key="imp_kind")
    if kind in TEMPLATE_KINDS:
        st.download_button(
            f"Hämta mall för {BATCH_KINDS[kind].lower()} (Excel)",
            data=template(kind, "xlsx"),
            file_name=f"mall-{kind}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
        )
    upload = st.file_uploader(
        "Fil",
        type=["csv", "xlsx", "json", "geojson", "txt"],
        key=f"imp_file_{kind}",
        help="Högst 50 MB och 200 000 rader. Större händelsefiler (CSV) läses in med kommandot "
        "lofte import incidents FIL, som tar filer av alla storlekar.",
    )
    options: dict[str, object] = {}
    c1, c2 = st.columns(2)
    if kind == "incidents":
        options["source"] = c1.text_input("Källans namn", value="egen", key="imp_source") or None
    if kind == "bra":
        options["year"] = int(
            c1.number_input("År", min_value=2000, max_value=2100, value=ctx.as_of.year - 1, key="imp_year")
        )
    if kind in TEMPLATE_KINDS and kind != "promise":
        options["sheet"] = c2.text_input("Blad i Excel-filen (tomt = det första)", key="imp_sheet") or None
    if kind in ("activities", "reports") and ctx.promise is not None:
        options["promise_id"] = ctx.promise.id
        c2.caption(f"Gäller {escape_md(ctx.promise.title)}.")
    valid_only = st.checkbox(
        "Läs in bara de giltiga raderna (de avvisade kommer tillbaka som fil)", key="imp_valid_only"
    )

    if upload is not None:
        data = upload.getvalue()
        bar = st.progress(0.0, text="Läser filen …")
        try:
            preview = prepare(ctx.engine, kind, data, upload.name, kommunkod=ctx.kommunkod, progress=_bar(bar),
                              **options)  # type: ignore[arg-type]  # fmt: skip
        except FileProblem as exc:
            st.error(escape_md(str(exc), 600), icon=":material/block:")
            preview = None
        finally:
            bar.empty()
        if preview is not None:
            m = st.columns(5)
            m[0].metric("Rader i filen", fmt_number(preview.total))
            m[1].metric("Nya", fmt_number(preview.new))
            m[2].metric("Ändrade", fmt_number(preview.changed))
            m[3].metric("Oförändrade", fmt_number(preview.unchanged))
            m[4].metric("Fel", fmt_number(len(preview.problems)))
            for note in preview.notes:
                st.info(escape_md(note, 600))
            if len(preview.by_target) > 1 or preview.removals:
                st.text("\n".join(preview.summary_lines()))
            if preview.problems:
                st.warning(
                    f"{fmt_number(len(preview.problems))} fel i filen. Inget läses in om du inte väljer att bara "
                    "läsa in de giltiga raderna."
                )
                st.text("\n".join(preview.problem_lines()[:20]))
                if len(preview.problems) > 20:
                    with st.expander(f"Alla {fmt_number(len(preview.problems))} fel"):
                        st.dataframe(
                            pd.DataFrame(
                                [(p.row, p.column or "", p.value or "", p.message) for p in preview.problems],
                                columns=["Rad", "Kolumn", "Värde", "Fel"],
                            ),
                            hide_index=True,
                        )
            allowed = not preview.problems or valid_only
            if st.button("Läs in", type="primary", disabled=not allowed or not preview.valid_rows, key="imp_go"):
                bar = st.progress(0.0, text="Skriver …")
                try:
                    try:
                        outcome = commit(ctx.engine, preview, actor=ctx.actor, valid_only=valid_only,
                                         progress=_bar(bar))  # fmt: skip
                    finally:
                        bar.empty()
                except ImportRefused as exc:
                    st.error(escape_md(str(exc), 600))
                else:
                    clear_caches()
                    if outcome.batch_id is None:
                        st.info(f"Inget nytt: alla {plural(outcome.unchanged, 'rad', 'rader')} finns redan.")
                    else:
                        st.success(
                            f"Importomgång {outcome.batch_id}: {plural(outcome.inserted, 'ny', 'nya')}, "
                            f"{plural(outcome.updated, 'uppdaterad', 'uppdaterade')}"
                            + (f", {plural(outcome.removed, 'borttagen', 'borttagna')}" if outcome.removed else "")
                            + f", {plural(outcome.rejected, 'avvisad', 'avvisade')}."
                        )
                    if outcome.rejected_file:
                        st.download_button(
                            "Hämta de avvisade raderna",
                            data=outcome.rejected_file,
                            file_name=f"{upload.name.rsplit('.', 1)[0]}.avvisade.csv",
                            mime="text/csv",
                        )


def undo_panel(ctx: PageContext, batches: pd.DataFrame) -> None:
    """Undo a batch: a redaktör their own, an administratör anyone's."""
    from ..context import clear_caches

    if not ctx.can("redigera"):
        return
    st.subheader("Ångra en importomgång")
    open_batches = batches[batches["undone_at"].isna()] if not batches.empty else batches
    if not ctx.can("administrera") and not open_batches.empty:
        open_batches = open_batches[open_batches["created_by"] == ctx.actor.identity[:120]]
        st.caption("Du kan ångra dina egna importomgångar; en administratör kan ångra alla.")
    if open_batches.empty:
        st.caption("Inga importomgångar att ångra.")
        return
    by_id = open_batches.set_index("id", drop=False)
    choice = st.selectbox(
        "Importomgång",
        list(open_batches["id"]),
        format_func=lambda i: (
            f"{i}: {BATCH_KINDS.get(by_id.loc[i, 'kind'], by_id.loc[i, 'kind'])} – {by_id.loc[i, 'file_name']} "
            f"({fmt_datetime(by_id.loc[i, 'created_at'])})"
        ),
        key="undo_choice",
    )
    if st.button("Ångra", key="undo_go", icon=":material/undo:"):
        try:
            message = undo(ctx.engine, int(choice), ctx.actor, ctx.kommunkod)
        except (UndoRefused, AccessDenied, WriteBusy, SQLAlchemyError) as exc:
            st.error(escape_md(str(exc).splitlines()[0]))
        else:
            clear_caches()
            st.success(message)
            st.rerun()


ACTIONS = {**BATCH_KINDS, "ångra": "Ångrad importomgång"}


def audit_panel(ctx: PageContext) -> None:
    """Who changed what and when, with the values before and after; for those who change data."""
    if not ctx.can("redigera"):
        return
    st.subheader("Logg: vem ändrade vad")
    events = ctx.q(q.audit_events, ctx.kommunkod)
    if events.empty:
        st.caption("Inga ändringar ännu.")
        return
    c1, c2, c3 = st.columns(3)
    who = c1.multiselect("Vem", sorted(events["actor"].unique()), key="audit_who", placeholder="Alla")
    what = c2.multiselect("Vad", sorted(events["action"].unique()), key="audit_what", placeholder="Allt",
                          format_func=lambda a: ACTIONS.get(a, a))  # fmt: skip
    first = events["at"].min().date()
    last = events["at"].max().date()
    span = c3.date_input("När", (first, last), format="YYYY-MM-DD", key="audit_when")
    shown = events
    if who:
        shown = shown[shown["actor"].isin(who)]
    if what:
        shown = shown[shown["action"].isin(what)]
    if isinstance(span, (tuple, list)) and len(span) == 2:
        days = shown["at"].map(lambda t: t.date())
        shown = shown[(days >= span[0]) & (days <= span[1])]
    table = pd.DataFrame(
        {
            "När": shown["at"].map(fmt_datetime),
            "Vem": shown["actor"],
            "Vad": shown["action"].map(lambda a: ACTIONS.get(a, a)),
            "Gäller": shown["what"],
            "Importomgång": shown["batch_id"],
            "Ändringar": shown["summary"],
        }
    )
    full_table(table, key="audit_table", page_rows=25)
    st.caption(f"{plural(len(shown), 'händelse', 'händelser')} av {fmt_number(len(events))}. Loggen kan inte ändras.")
    full = shown.assign(at=shown["at"].map(lambda t: t.astimezone(dt.UTC).replace(tzinfo=None)))
    buffer = io.BytesIO()
    names = {"at": "tid (UTC)", "actor": "vem", "action": "vad", "what": "gäller", "batch_id": "importomgång",
             "summary": "ändringar", "details": "detaljer (JSON)"}  # fmt: skip
    full.rename(columns=names).to_excel(buffer, index=False)
    st.download_button("Hämta loggen (Excel)", data=buffer.getvalue(), file_name=f"logg-{ctx.kommunkod}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key="audit_export")  # fmt: skip

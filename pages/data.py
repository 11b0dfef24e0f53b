"""Data: what is in the database, where it comes from, and how fresh it is."""

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from lofte_metrics import queries as q
from lofte_metrics.context import SOURCE_NAMES, clear_caches, current_user, setup_page
from lofte_metrics.formatting import fmt_date, fmt_datetime, fmt_number, fmt_percent, plural
from lofte_metrics.ingest.importer import (
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
from lofte_metrics.ingest.reading import FileProblem
from lofte_metrics.ui.notices import link

ctx = setup_page("Data")

counts = ctx.q(q.table_counts, ctx.kommunkod)
sources = ctx.q(q.source_overview, ctx.kommunkod)

m = st.columns(4)
m[0].metric("Händelser", fmt_number(counts["Händelser"]))
m[1].metric("Närvaropass", fmt_number(counts["Närvaropass"]))
m[2].metric("Aktiviteter", fmt_number(counts["Aktiviteter"]))
m[3].metric("Data t.o.m.", fmt_date(ctx.latest, short=True))

st.subheader("Källor för händelser")
if sources.empty:
    st.info("Inga händelser är inlästa.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Källa": sources["source"].map(lambda s: SOURCE_NAMES.get(s, s)),
                "Händelser": sources["count"].map(fmt_number),
                "Från": sources["first"],
                "Till": sources["last"],
                "Med plats på kartan": [
                    fmt_percent(m / c) for m, c in zip(sources["mappable"], sources["count"], strict=True)
                ],
                "Senaste händelse": sources["last"],
            }
        ),
        hide_index=True,
        column_config={
            "Från": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Till": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Senaste händelse": st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )
    st.caption(
        "Polisens öppna händelser anger bara kommunens eller länets mittpunkt och ritas därför aldrig "
        "som punkter på kartan."
    )

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Innehåll")
    st.dataframe(
        pd.DataFrame({"Tabell": list(counts), "Rader": [fmt_number(n) for n in counts.values()]}),
        hide_index=True,
        height=35 * (len(counts) + 1) + 3,
    )
with right:
    st.subheader("Händelsetyper och fokusområden")
    types = ctx.q(q.incident_type_map, ctx.kommunkod)
    st.metric("Händelsetyper", fmt_number(len(types)))
    st.metric("Utan fokusområde", fmt_number(int(types["focus_key"].isna().sum())))
    st.metric("Ej granskade", fmt_number(int((~types["classified"]).sum())) if not types.empty else "0")
    link("handelsetyper", "Ändra indelningen på sidan Händelsetyper")

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
upload = st.file_uploader("Fil", type=["csv", "xlsx", "json", "geojson", "txt"], key=f"imp_file_{kind}")
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
    c2.caption(f"Gäller {ctx.promise.title}.")
valid_only = st.checkbox("Läs in bara de giltiga raderna (de avvisade kommer tillbaka som fil)", key="imp_valid_only")

if upload is not None:
    data = upload.getvalue()
    try:
        preview = prepare(ctx.engine, kind, data, upload.name, kommunkod=ctx.kommunkod, **options)  # type: ignore[arg-type]
    except FileProblem as exc:
        st.error(str(exc), icon=":material/block:")
        preview = None
    if preview is not None:
        m = st.columns(5)
        m[0].metric("Rader i filen", fmt_number(preview.total))
        m[1].metric("Nya", fmt_number(preview.new))
        m[2].metric("Ändrade", fmt_number(preview.changed))
        m[3].metric("Oförändrade", fmt_number(preview.unchanged))
        m[4].metric("Fel", fmt_number(len(preview.problems)))
        for note in preview.notes:
            st.info(note)
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
        if st.button("Läs in", type="primary", disabled=not allowed or not preview.planned, key="imp_go"):
            try:
                outcome = commit(ctx.engine, preview, created_by=current_user(), valid_only=valid_only)
            except ImportRefused as exc:
                st.error(str(exc))
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

# Read after the import section, so a batch written just now is listed.
batches = ctx.q(q.import_batches, ctx.kommunkod)
st.subheader("Importomgångar")
if batches.empty:
    st.info("Inga importer ännu.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Nr": batches["id"],
                "Typ": batches["kind"].map(lambda k: BATCH_KINDS.get(k, k)),
                "Källa": batches["source"],
                "Fil": batches["file_name"],
                "Rader": batches["rows_total"].map(fmt_number),
                "Nya": batches["rows_inserted"].map(fmt_number),
                "Uppdaterade": batches["rows_updated"].map(fmt_number),
                "Avvisade": batches["rows_rejected"].map(fmt_number),
                "Av": batches["created_by"],
                "När": batches["created_at"].map(fmt_datetime),
                "Ångrad": batches["undone_at"].map(lambda t: fmt_datetime(t) if pd.notna(t) else ""),
            }
        ),
        hide_index=True,
    )

st.subheader("Ångra en importomgång")
open_batches = batches[batches["undone_at"].isna()] if not batches.empty else batches
if open_batches.empty:
    st.caption("Inga importomgångar att ångra.")
else:
    choice = st.selectbox(
        "Importomgång",
        list(open_batches["id"]),
        format_func=lambda i: (
            lambda r: (
                f"{r['id']}: {BATCH_KINDS.get(r['kind'], r['kind'])} – {r['file_name']} "
                f"({fmt_datetime(r['created_at'])})"
            )
        )(open_batches.set_index("id", drop=False).loc[i]),
        key="undo_choice",
    )
    if st.button("Ångra", key="undo_go", icon=":material/undo:"):
        try:
            message = undo(ctx.engine, int(choice), ctx.kommunkod)
        except (UndoRefused, SQLAlchemyError) as exc:
            st.error(str(exc).splitlines()[0])
        else:
            clear_caches()
            st.success(message)
            st.rerun()

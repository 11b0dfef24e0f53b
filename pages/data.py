"""Data: what is in the database, where it comes from, and how fresh it is."""

import pandas as pd
import streamlit as st

from lofte_metrics import queries as q
from lofte_metrics.context import SOURCE_NAMES, setup_page
from lofte_metrics.formatting import fmt_date, fmt_datetime, fmt_number, fmt_percent
from lofte_metrics.ingest.importer import BATCH_KINDS
from lofte_metrics.ui.data_panels import audit_panel, import_panel, undo_panel
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

if ctx.can("redigera"):
    import_panel(ctx)

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

undo_panel(ctx, batches)
audit_panel(ctx)

"""Data: what is in the database, where it comes from, and how fresh it is."""

import pandas as pd
import streamlit as st

from lofte_metrics import queries as q
from lofte_metrics.context import SOURCE_NAMES, setup_page
from lofte_metrics.formatting import fmt_date, fmt_datetime, fmt_number
from lofte_metrics.ingest.importer import BATCH_KINDS, BATCH_SOURCES
from lofte_metrics.ui.data_panels import audit_panel, import_panel, undo_panel
from lofte_metrics.ui.notices import link
from lofte_metrics.widgets import full_table

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
    full_table(
        pd.DataFrame(
            {
                "Källa": sources["source"].map(lambda s: SOURCE_NAMES.get(s, s)),
                "Händelser": sources["count"],
                "Från": sources["first"],
                "Till": sources["last"],
                "Med plats på kartan": [m / c for m, c in zip(sources["mappable"], sources["count"], strict=True)],
            }
        ),
        key="data_sources",
        percent=("Med plats på kartan",),
    )
    st.caption(
        "Polisens öppna händelser anger bara kommunens eller länets mittpunkt och ritas därför aldrig "
        "som punkter på kartan."
    )

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Innehåll")
    full_table(pd.DataFrame({"Tabell": list(counts), "Rader": list(counts.values())}), key="data_counts")
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
    full_table(
        pd.DataFrame(
            {
                "Nr": batches["id"],
                "Typ": batches["kind"].map(lambda k: BATCH_KINDS.get(k, k)),
                "Källa": [BATCH_SOURCES.get(s, "fil" if s == f else s)
                          for s, f in zip(batches["source"], batches["file_name"], strict=True)],
                "Fil eller vad": batches["file_name"],
                "Rader": batches["rows_total"],
                "Nya": batches["rows_inserted"],
                "Ändrade": batches["rows_updated"],
                "Avvisade": batches["rows_rejected"],
                "Av": batches["created_by"],
                "När": batches["created_at"].map(fmt_datetime),
                "Ångrad": batches["undone_at"].map(lambda t: fmt_datetime(t) if pd.notna(t) else ""),
            }
        ),
        key="data_batches",
        page_rows=25,
    )  # fmt: skip

undo_panel(ctx, batches)
audit_panel(ctx)

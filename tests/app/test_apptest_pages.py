"""Each page with AppTest, its figures checked against the sample files (not copied from the page)."""

from __future__ import annotations

import base64
import datetime as dt
import json

import h3
import numpy as np
import pandas as pd
import pytest
from pagetools import ROOT, metric, read_table, run_page

from lofte_metrics.formatting import fmt_number, week_start
from lofte_metrics.privacy import snap_weeks

START, AS_OF = dt.date(2022, 1, 1), dt.date(2022, 10, 16)
FOCUS = ["trygghet", "narkotika", "trafik"]


def live_progress(truth, focus: str) -> tuple[int, int]:
    acts = truth.activities[
        truth.activities["commitment_ref"].str[0] == {"trygghet": "T", "narkotika": "N", "trafik": "F"}[focus]
    ]
    live = acts[acts["status"] != "inställd"]
    reports = truth.reports[truth.reports["activity_ref"].isin(live["ref"]) & (truth.reports["date"] <= AS_OF)]
    return int(reports["count"].sum()), int(live["planned_count"].sum())


def test_oversikt_cards(app_env, truth):
    at = run_page("oversikt")
    for i, focus in enumerate(FOCUS):
        count = len(truth.incidents_between(START, AS_OF, focus))
        assert metric(at, "Händelser i perioden", i).value == fmt_number(count)
        done, planned = live_progress(truth, focus)
        assert metric(at, "Genomfört av planerat", i).value == f"{fmt_number(done)} av {fmt_number(planned)}"
        presence = truth.presence[
            (truth.presence["day"] >= START) & (truth.presence["day"] <= AS_OF) & (truth.presence["focus_key"] == focus)
        ]
        assert metric(at, "Närvarotimmar", i).value == fmt_number(presence["hours"].sum())
    # The previous period of equal length, in words that say whether it is more than noise.
    before = len(truth.incidents_between(dt.date(2021, 3, 18), dt.date(2021, 12, 31), "trygghet"))
    assert any(c.value == f"Perioden innan: {fmt_number(before)}" for c in at.caption)
    assert "säkerställd" in metric(at, "Händelser i perioden", 0).delta
    assert "Period:** 1 januari – 16 oktober 2022" in at.caption[0].value
    assert "Data t.o.m.:** 16 oktober 2022" in at.caption[0].value
    assert at.query_params["fran"] == "2022-01-01" and at.query_params["till"] == "2022-10-16"


def test_oversikt_follows_a_deep_link(app_env, truth):
    at = run_page("oversikt", fran="2022-03-01", till="2022-06-30", fokus="narkotika", omrade="0499-02")
    assert len(at.metric) == 3  # one card
    # A kommundel is finer than the kommun: whole weeks, no sensitive types, rounded.
    rows = truth.incidents_between(*snap_weeks(dt.date(2022, 3, 1), dt.date(2022, 6, 30)), "narkotika")
    rows = rows[(rows["area_code"] == "0499-02") & ~rows["type"].isin(truth.sensitive)]
    assert abs(int(metric(at, "Händelser i perioden").value) - len(rows)) <= 4
    assert "Område:** Stationsområdet" in at.caption[0].value


def test_bad_link_values_fall_back_with_a_note(app_env):
    at = run_page("oversikt", fran="igår", fokus="okänt")
    notes = [w.value for w in at.warning]
    assert any("Startdatumet 'igår' kunde inte läsas" in n for n in notes)
    assert any("Okänt fokusområde i länken: okänt" in n for n in notes)
    assert len(at.metric) == 9


def deck(at):
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def published_as_allowed(shown: dict, true: dict) -> None:
    """Shown exactly where the true count is at least 5, each within 4 of it and a multiple of 5."""
    assert set(shown) == {key for key, n in true.items() if n >= 5}
    assert all(v % 5 == 0 and v >= 5 and abs(v - true[key]) <= 4 for key, v in shown.items())


def expected_cells(truth, focus: str | None = None, resolution: int = 8) -> tuple[dict[str, int], int]:
    """From the files: incidents with a real point and no sensitive type, over the whole weeks of the
    period, per cell (true counts), and how many cells hold fewer than 5."""
    first, last = snap_weeks(START, AS_OF)
    rows = truth.incidents_between(first, last, focus)
    mappable = rows[(rows["precision"] == "punkt") & ~rows["type"].isin(truth.sensitive)]
    # The database keeps the finest cell (resolution 9); the map sums them into their parents.
    cells = pd.Series([h3.cell_to_parent(h3.latlng_to_cell(a, b, 9), resolution)
                       for a, b in zip(mappable.lat, mappable.lon, strict=True)])  # fmt: skip
    counts = cells.value_counts().to_dict()
    return counts, sum(1 for n in counts.values() if n < 5)


def test_lagesbild_map_is_private(app_env, truth):
    at = run_page("lagesbild")
    rows = truth.incidents_between(START, AS_OF)
    assert metric(at, "Bara kommunens mittpunkt").value == fmt_number((rows["precision"] == "kommun").sum())
    sensitive = rows["type"].isin(truth.sensitive).sum()  # a kommun total over more than four weeks
    assert abs(int(metric(at, "Känsliga brottstyper").value) - sensitive) <= 4
    layers = {layer["id"]: layer for layer in deck(at)["layers"]}
    assert set(layers) == {"kommundelar", "handelser", "narvaro"}
    cells = layers["handelser"]["data"]
    assert all(set(c) == {"cell", "count", "colour", "rubrik", "detalj"} for c in cells)  # no raw points
    true, hidden = expected_cells(truth)
    published_as_allowed({c["cell"]: c["count"] for c in cells}, true)
    assert metric(at, "Celler under 5").value == fmt_number(hidden)
    assert all(c["hours"] >= 10 and c["hours"] % 5 == 0 for c in layers["narvaro"]["data"])
    assert "händelser" in cells[0]["rubrik"]


def test_lagesbild_minimum_and_layers_from_the_link(app_env):
    at = run_page("lagesbild", min="40", lager="handelser")
    layers = deck(at)["layers"]
    assert [layer["id"] for layer in layers] == ["handelser"]
    assert min(c["count"] for c in layers[0]["data"]) >= 40
    assert at.query_params["min"] == "40"


def test_lagesbild_top_places_and_texts(app_env):
    at = run_page("lagesbild")
    table = read_table(at.table[0])
    assert list(table.columns) == ["Plats", "I perioden", "Perioden innan", "Förändring"]
    assert table["I perioden"].is_monotonic_decreasing and table["I perioden"].min() >= 5
    assert table["Plats"].iloc[0] in {"Torget", "Resecentrum"}
    assert any("händelser under september" in t.value for t in at.text)


def values(data):
    """Plotly writes arrays as {dtype, bdata} (base64) since version 6."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"])).tolist()
    return list(data)


def test_trender_weekly_series_match_the_files(app_env, truth):
    at = run_page("trender")
    charts = at.get("plotly_chart")
    figures = [json.loads(c.proto.spec) for c in charts]
    trygghet = figures[0]["data"][0]
    weeks = pd.to_datetime(trygghet["x"]).date
    rows = truth.incidents[truth.incidents["focus"] == "trygghet"]
    per_week = rows.groupby(rows["day"].map(week_start)).size()
    assert [int(v) for v in values(trygghet["y"])] == [int(per_week.get(w, 0)) for w in weeks]
    assert weeks[0] == dt.date(2021, 12, 27) and weeks[-1] == dt.date(2022, 10, 10)
    names = [t["name"] for t in figures[0]["data"]]
    assert "Trygghet i offentlig miljö, glidande medel" in names
    assert "Genomförda aktiviteter" in names
    latest = metric(at, "v.\u00a041 2022")
    assert latest.value == fmt_number(int(per_week[dt.date(2022, 10, 10)]))
    assert len(figures) == 3 + 6  # three focus areas, six indicators


def test_trender_per_type_monthly(app_env, truth):
    at = run_page("trender", niva="manad", per="typ")
    table = read_table(at.table[0])
    rows = truth.incidents_between(*snap_weeks(START, AS_OF))  # per type is finer than the kommun: whole weeks
    published_as_allowed(table.set_index("Händelsetyp")["Nu"].to_dict(), rows["type"].value_counts().to_dict())


def test_aktiviteter(app_env, truth):
    at = run_page("aktiviteter")
    acts = truth.activities
    overdue = (pd.to_datetime(acts["planned_end"]).dt.date < AS_OF) & ~acts["status"].isin(["genomförd", "inställd"])
    assert metric(at, "Aktiviteter").value == fmt_number(len(acts))
    assert metric(at, "Försenade").value == fmt_number(overdue.sum())
    assert metric(at, "Inställda").value == fmt_number((acts["status"] == "inställd").sum())
    first_table = at.table[0].value  # a table to read: every row, no scroll inside it
    assert first_table["Status"].iloc[0] == "⚠ Försenad"
    assert first_table["Andel"].iloc[0].endswith("\u00a0%")
    at = run_page("aktiviteter", agare="kommun", status="pågår")
    assert metric(at, "Aktiviteter").value == fmt_number((acts["owner"] == "kommun").sum())
    shown = pd.concat([d.value for d in at.table])
    assert set(shown["Ägare"]) == {"Kommunen"}
    assert set(shown["Status"]) <= {"Pågår", "⚠ Försenad"}


def test_veckan_defaults_to_the_last_complete_week(app_env, truth):
    at = run_page("veckan")
    assert at.selectbox(key="week").value == dt.date(2022, 10, 10)
    for i, focus in enumerate(FOCUS):
        week = truth.incidents_between(dt.date(2022, 10, 10), dt.date(2022, 10, 16), focus)
        assert at.metric[i].value == fmt_number(len(week))
    reports = truth.reports[(truth.reports["date"] >= dt.date(2022, 10, 10)) & (truth.reports["date"] <= AS_OF)]
    done = read_table(at.table[0])
    assert done["Antal"].sum() == reports["count"].sum()


def test_veckan_from_a_link(app_env, truth):
    at = run_page("veckan", vecka="2022-W27")
    week = truth.incidents_between(dt.date(2022, 7, 4), dt.date(2022, 7, 10), "trygghet")
    assert at.metric[0].value == fmt_number(len(week))
    assert at.query_params["vecka"] == "2022-W27"


def test_rapport_text_is_written_from_the_numbers(app_env, truth):
    at = run_page("rapport")
    texts = " ".join(t.value for t in at.text)
    for focus in FOCUS:
        done, planned = live_progress(truth, focus)
        assert f"{fmt_number(done)} av {fmt_number(planned)} planerade genomföranden är gjorda" in texts
    count = len(truth.incidents_between(START, AS_OF, "narkotika"))
    assert f"registrerades {fmt_number(count)} händelser" in texts
    assert len(at.get("plotly_chart")) == 4
    indicators = at.table[-1].value
    assert "Målet nått" in set(indicators["Bedömning"]) or "Bättre än utgångsläget" in set(indicators["Bedömning"])


def test_data_page(app_env, truth):
    at = run_page("data")
    assert metric(at, "Händelser").value == fmt_number(len(truth.incidents))
    sources = at.table[0].value
    assert sources["Händelser"].tolist() == [fmt_number(n) for n in truth.incidents["source"].value_counts()]
    # tables to read are Markdown tables with text from data escaped: read them back as plain text
    tables = [d.value.map(lambda v: str(v).replace("\\", "").replace("\u2060", "")) for d in at.table]
    batches = next(t for t in tables if "Nr" in t.columns)
    assert set(batches["Av"]) == {"lofte sample"}
    assert set(batches["Typ"]) == {"Kommun", "Områden", "Medborgarlöfte", "Genomföranden", "Händelser", "Närvaro",
                                   "Indikatorer", "Lägesbild"}  # fmt: skip
    log = next(t for t in tables if "Vem" in t.columns)  # the audit trail, newest first
    assert len(log) == len(batches) and set(log["Vem"]) == {"lofte sample"}
    assert log["Ändringar"].iloc[-1].startswith("1 ny (kommun); 1 ny (område); 87 nya (händelsetyp)")


def test_entry_point_navigates_to_every_page(app_env):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Översikt"
    for name, title in [
        ("lagesbild", "Lägesbild"),
        ("trender", "Trender"),
        ("aktiviteter", "Aktiviteter"),
        ("veckan", "Veckan"),
        ("rapport", "Rapport"),
        ("data", "Data"),
        ("loftet", "Löftet"),
        ("skriv_lagesbild", "Skriv lägesbild"),
        ("handelsetyper", "Händelsetyper"),
        ("kom_igang", "Kommuner"),
    ]:
        at.switch_page(f"../pages/{name}.py")
        at.run()
        assert not at.exception, name
        assert at.title[0].value == title


@pytest.mark.parametrize("page", ["oversikt", "lagesbild", "data"])
def test_unreachable_database_is_a_message(monkeypatch, page):
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setenv("LOFTE_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    at = run_page(page)
    assert at.error and "svarar inte" in at.error[0].value
    assert not at.metric


def test_empty_database_says_how_to_fill_it(monkeypatch, tmp_path):
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setenv("LOFTE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    at = run_page("oversikt")
    assert "följer ingen kommun" in at.info[0].value
    assert "Kom igång" in at.caption[0].value  # the link to the setup page (plain text outside the app)


def test_lagesbild_one_focus_area_on_the_map(app_env, truth):
    at = run_page("lagesbild", kartfokus="narkotika")
    cells = {layer["id"]: layer for layer in deck(at)["layers"]}["handelser"]["data"]
    true, hidden = expected_cells(truth, "narkotika")
    published_as_allowed({c["cell"]: c["count"] for c in cells}, true)
    assert metric(at, "Celler under 5").value == fmt_number(hidden)
    assert at.query_params["kartfokus"] == "narkotika"

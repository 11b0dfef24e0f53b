"""The query layer on SQLite and PostgreSQL, against figures computed from the sample files."""

import datetime as dt

import h3
import pytest

from lofte_metrics import queries as q
from lofte_metrics.formatting import week_start

PERIOD = q.Filters(dt.date(2022, 1, 1), dt.date(2022, 10, 16))
AS_OF = dt.date(2022, 10, 16)


def test_incident_totals_per_focus_area(sample_engine, truth):
    got = q.incident_totals(sample_engine, PERIOD).set_index("key")["count"].to_dict()
    rows = truth.incidents_between(PERIOD.start, PERIOD.end)
    for focus in ("trygghet", "narkotika", "trafik"):
        assert got[focus] == (rows["focus"] == focus).sum()
    assert sum(got.values()) == len(rows)


def test_incidents_per_iso_week_use_stockholm_dates(sample_engine, truth):
    frame = q.incident_counts(sample_engine, PERIOD, "week", by="focus")
    rows = truth.incidents_between(PERIOD.start, PERIOD.end, "narkotika")
    expected = rows.groupby(rows["day"].map(week_start)).size()
    mine = frame[frame["key"] == "narkotika"]
    got = mine.set_index(mine["period"].dt.date)["count"]
    assert got.to_dict() == expected.to_dict()
    assert all(d.weekday() == 0 for d in got.index)


def test_incidents_per_month_and_type(sample_engine, truth):
    frame = q.incident_counts(sample_engine, PERIOD, "month", by="type")
    rows = truth.incidents_between(PERIOD.start, PERIOD.end)
    march = rows[(rows["day"] >= dt.date(2022, 3, 1)) & (rows["day"] <= dt.date(2022, 3, 31))]
    got = frame[frame["period"].dt.date == dt.date(2022, 3, 1)].set_index("key")["count"].to_dict()
    assert got == march.groupby("type").size().to_dict()


def test_filters_by_source_area_and_focus(sample_engine, truth):
    f = q.Filters(
        PERIOD.start,
        PERIOD.end,
        focus_keys=("trygghet",),
        sources=("polis_rapport",),
        area_codes=("0499-01",),
    )
    got = q.incident_totals(sample_engine, f)["count"].sum()
    rows = truth.incidents_between(PERIOD.start, PERIOD.end, "trygghet")
    rows = rows[(rows["source"] == "polis_rapport") & (rows["area_code"] == "0499-01")]
    assert got == len(rows) > 100


def test_parent_area_includes_its_districts(sample_engine, truth):
    f = q.Filters(PERIOD.start, PERIOD.end, area_codes=("0499",))
    assert q.incident_totals(sample_engine, f)["count"].sum() == len(truth.incidents_between(f.start, f.end))


def test_incidents_per_area(sample_engine, truth):
    frame = q.incidents_per_area(sample_engine, PERIOD).set_index("code")["count"].to_dict()
    rows = truth.incidents_between(PERIOD.start, PERIOD.end)
    assert frame == rows.groupby("area_code").size().to_dict()


def test_cells_leave_out_centre_points_and_sensitive_types(sample_engine, truth):
    cells = q.incidents_per_cell(sample_engine, PERIOD)
    rows = truth.incidents_between(PERIOD.start, PERIOD.end)
    mappable = rows[(rows["precision"] == "punkt") & ~rows["type"].isin(truth.sensitive)]
    assert cells["count"].sum() == len(mappable)
    expected = mappable.assign(
        cell=[h3.latlng_to_cell(a, b, 9) for a, b in zip(mappable.lat, mappable.lon, strict=True)]
    )
    assert cells.groupby("cell")["count"].sum().to_dict() == expected.groupby("cell").size().to_dict()
    left_out = q.unmapped_counts(sample_engine, PERIOD)
    assert left_out["kommun"] == (rows["precision"] == "kommun").sum()
    assert left_out["område"] == (rows["precision"] == "område").sum()  # known only to a kommundel: not drawn
    assert left_out["känsliga"] == rows["type"].isin(truth.sensitive).sum() > 0


def test_presence_hours(sample_engine, truth):
    rows = truth.presence[(truth.presence["day"] >= PERIOD.start) & (truth.presence["day"] <= PERIOD.end)]
    by_actor = q.presence_totals(sample_engine, PERIOD, by="actor").set_index("key")
    assert by_actor["hours"].to_dict() == pytest.approx(rows.groupby("actor_kind")["hours"].sum().to_dict())
    assert by_actor["passes"].sum() == len(rows)
    cells = q.presence_per_cell(sample_engine, PERIOD)
    assert cells["hours"].sum() == pytest.approx(rows["hours"].sum())


def test_activity_completion(sample_engine, truth):
    frame = q.activity_completion(sample_engine, PERIOD, AS_OF)
    acts = truth.activities
    reports = truth.reports[truth.reports["date"] <= AS_OF]
    overdue = (pd_to_date(acts["planned_end"]) < AS_OF) & ~acts["status"].isin(["genomförd", "inställd"])
    assert frame["activities"].sum() == len(acts)
    assert frame["overdue"].sum() == overdue.sum() > 0
    assert frame["cancelled"].sum() == (acts["status"] == "inställd").sum() > 0
    assert frame["done"].sum() == reports["count"].sum()
    assert frame["planned"].sum() == acts.loc[acts["status"] != "inställd", "planned_count"].sum()
    polis_trafik = frame[(frame["focus_key"] == "trafik") & (frame["owner"] == "polis")].iloc[0]
    f_acts = acts[acts["commitment_ref"].str.startswith("F") & (acts["owner"] == "polis")]
    assert polis_trafik["activities"] == len(f_acts)


def pd_to_date(series):
    import pandas as pd

    return pd.to_datetime(series).dt.date


def test_activity_list_puts_overdue_first_and_filters_by_owner(sample_engine, truth):
    f = q.Filters(PERIOD.start, PERIOD.end, owners=("kommun",))
    frame = q.activity_list(sample_engine, f, AS_OF)
    assert set(frame["owner"]) == {"kommun"}
    assert len(frame) == (truth.activities["owner"] == "kommun").sum()
    first_not_overdue = frame["overdue"].tolist().index(False)
    assert all(frame["overdue"].iloc[:first_not_overdue]) and not any(frame["overdue"].iloc[first_not_overdue:])
    row = frame.set_index("ref").loc["A-010"]
    assert row["done"] == truth.reports[truth.reports["activity_ref"] == "A-010"]["count"].sum()


def test_reports_per_week(sample_engine, truth):
    frame = q.reports_per_period(sample_engine, PERIOD, "week")
    assert frame["count"].sum() == truth.reports[truth.reports["date"] <= PERIOD.end]["count"].sum()


def test_indicator_series(sample_engine):
    frame = q.indicator_series(sample_engine)
    otrygga = frame[frame["key"] == "otrygga_kvall"]
    assert otrygga["period_label"].tolist() == ["2018", "2019", "2020", "2021", "2022"]
    assert otrygga["value"].iloc[-1] == pytest.approx(27.4)
    assert otrygga["baseline"].iloc[0] == pytest.approx(31.2)
    assert not bool(otrygga["higher_is_better"].iloc[0])


def test_situation_pictures_and_promise(sample_engine):
    pictures = q.situation_pictures(sample_engine, dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert [p["period_label"] for p in pictures][:2] == ["September 2022", "Augusti 2022"]
    assert set(pictures[0]["texts"]) == {"trygghet", "narkotika", "trafik"}
    (promise,) = q.promises(sample_engine)
    assert promise.kommunkod == "0499" and [k for k, _ in promise.focus_areas] == [
        "trygghet",
        "narkotika",
        "trafik",
    ]


def test_data_overview(sample_engine, truth):
    assert q.latest_data_date(sample_engine) == dt.date(2022, 10, 16)
    sources = q.source_overview(sample_engine).set_index("source")
    assert sources["count"].to_dict() == truth.incidents.groupby("source").size().to_dict()
    # the sidebar's list, walked along the index, names the same sources (for the kommun, and for none)
    assert q.incident_sources(sample_engine, "0499") == sorted(sources.index) == q.incident_sources(sample_engine)
    assert q.incident_sources(sample_engine, "0580") == []
    assert sources.loc["polisens_handelser", "mappable"] == 0
    counts = q.table_counts(sample_engine)
    assert counts["Händelser"] == len(truth.incidents)
    batches = q.import_batches(sample_engine)
    assert counts["Importomgångar"] == len(batches)
    assert set(batches["kind"]) == {"kommun", "areas", "promise", "reports", "incidents", "presence", "indicators",
                                    "lagesbild"}  # fmt: skip
    assert (batches["kind"] == "lagesbild").sum() == 12

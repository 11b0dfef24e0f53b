"""The pages where a kommun puts in what the others read: setup, the promise, the type mapping, the
lägesbild editor and the genomförande form; and what every page says when something is missing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import streamlit as st
from pagetools import ROOT, metric, run_page
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from lofte_metrics import queries as q
from lofte_metrics.access.roles import Actor
from lofte_metrics.authoring.lagesbild import versions
from lofte_metrics.authoring.setup import setup_kommun
from lofte_metrics.db import init_db, make_engine
from lofte_metrics.formatting import fmt_number
from lofte_metrics.ingest.importer import import_file
from lofte_metrics.models import Kommun
from lofte_metrics.sample import load_sample


def use(monkeypatch, url: str) -> None:
    monkeypatch.setenv("LOFTE_DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def empty_db(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'tom.db'}"
    engine = make_engine(url)
    init_db(engine)
    use(monkeypatch, url)
    return engine


@pytest.fixture
def own_sample(monkeypatch, tmp_path):
    """A copy of the sample kommun that a test may change."""
    url = f"sqlite:///{tmp_path / 'egen.db'}"
    engine = make_engine(url)
    load_sample(engine)
    use(monkeypatch, url)
    return engine


def feed_records(
    n: int, day: dt.date, kind: str = "Trafikolycka", place: str = "Malmö", first: int = 1000
) -> list[dict]:
    return [
        {"id": first + i, "datetime": f"{day.isoformat()} 12:00:00 +01:00", "name": f"{day.day:02d} mars 11.00, "
         f"{kind}, {place}", "summary": "s", "url": "/h", "type": kind, "location": {"name": place,
         "gps": "55.604981,13.003822"}} for i in range(n)
    ]  # fmt: skip


@pytest.fixture
def feed_only(empty_db):
    """A real kommun with only police feed events: no promise, no points, no presence."""
    setup_kommun(empty_db, "1280", actor=Actor.system("t"))
    records = feed_records(6, dt.date(2025, 3, 3)) + feed_records(1, dt.date(2025, 3, 4), "Nytt brott", first=2000)
    data = json.dumps(records).encode()
    import_file(empty_db, "polisen", data, "mars.json", actor=Actor.system("t"))
    return empty_db


def test_the_app_on_an_empty_database_offers_only_the_setup(empty_db):
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Kom igång"


def test_choosing_a_kommun_in_the_app(empty_db):
    at = run_page("kom_igang")
    assert at.title[0].value == "Kom igång"
    at.selectbox(key="setup_kommun").set_value("0580")
    at.text_input(key="setup_police").set_value("Lokalpolisområde Linköping")
    at.button[0].click().run()
    assert not at.exception
    assert "Linköpings kommun (0580) i Östergötlands län följs nu" in at.success[0].value
    with Session(empty_db) as session:
        assert session.get(Kommun, "0580").police_area == "Lokalpolisområde Linköping"
    assert at.title[0].value == "Kommuner"


def test_a_kommun_without_a_promise_says_what_is_missing(feed_only):
    at = run_page("oversikt", fran="2025-03-01", till="2025-03-31")
    assert "har inget medborgarlöfte i databasen ännu" in at.info[0].value
    verdicts = [s.value for s in at.markdown if s.value.startswith("#####")]
    # without activities the verdict rests on the incidents alone: trafik rose from nothing to 6
    assert verdicts == ["##### :gray[:material/help: Inga aktiviteter i perioden]"] * 2 + [
        "##### :red[:material/cancel: Inga aktiviteter i perioden och händelserna har ökat]"
    ]
    assert metric(at, "Händelser i perioden", 2).value == "6"  # trafik, the default fokusområde
    # The unknown type is in no fokusområde, and the page says so with a link to the mapping.
    assert any(
        "1 händelse av periodens 7 (14\u00a0%) hör inte till något av fokusområdena" in c.value for c in at.caption
    )

    at = run_page("aktiviteter", fran="2025-03-01", till="2025-03-31")
    assert "har inget medborgarlöfte" in at.info[0].value and not at.metric

    at = run_page("lagesbild", fran="2025-03-01", till="2025-03-31")
    assert "Ingen av periodens händelser har en plats som kan ritas på kartan: 7 händelser anger bara kommunens" in (
        at.info[0].value)  # fmt: skip
    assert any("Ingen närvaro är inläst" in c.value for c in at.caption)
    assert not any("0 celler" in c.value for c in at.caption)

    at = run_page("trender", fran="2025-03-01", till="2025-03-31", fokus="narkotika")
    assert any("Ingen av periodens 7 händelser hör till de valda fokusområdena" in i.value for i in at.info)


def test_no_incidents_at_all_says_where_to_read_them_in(empty_db):
    setup_kommun(empty_db, "0580", actor=Actor.system("t"))
    at = run_page("oversikt")
    assert any("Inga händelser är inlästa för Linköping ännu" in i.value for i in at.info)


def test_promise_page_creates_a_promise_with_the_proposed_focus_areas(empty_db):
    setup_kommun(empty_db, "0580", actor=Actor.system("t"))
    at = run_page("loftet")
    assert at.subheader[0].value == "Nytt medborgarlöfte"
    at.text_input(key="new_title").set_value("Medborgarlöfte Linköping 2026")
    at.date_input(key="new_signed").set_value(dt.date(2026, 2, 1))
    at.text_area(key="new_signatories").set_value("Anna Andersson\nErik Berg")
    at.button(key="FormSubmitter:new_promise-Skapa löftet").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Medborgarlöftet: sparat som importomgång" in at.success[0].value
    (promise,) = q.promises(empty_db, "0580")
    assert promise.title == "Medborgarlöfte Linköping 2026" and promise.signatories == ["Anna Andersson", "Erik Berg"]
    assert [k for k, _ in promise.focus_areas] == ["trygghet", "narkotika", "trafik"]
    assert at.tabs  # the promise now has its tables


def test_promise_page_shows_the_sample_promise_in_its_tables(own_sample):
    at = run_page("loftet")
    assert [t.label for t in at.tabs] == ["Löftet", "Fokusområden", "Åtaganden", "Aktiviteter", "Excel"]
    editors = at.dataframe
    assert [len(e.value) for e in editors] == [3, 9, 40]  # fokusområden, åtaganden, aktiviteter
    assert at.text_input(key=f"p{q.promises(own_sample)[0].id}_title").value == "Medborgarlöfte Ekviken 2022"
    assert len(editors) == 3
    at.button(key=f"FormSubmitter:promise_{q.promises(own_sample)[0].id}-Spara löftet").click().run()
    assert at.success[0].value == "Löftet: inget ändrat."


def test_type_mapping_page_counts_and_lists_the_types(own_sample, truth):
    at = run_page("handelsetyper")
    types = q.incident_type_map(own_sample, "0499")
    assert metric(at, "Händelsetyper").value == fmt_number(len(types))
    assert metric(at, "Utan fokusområde").value == fmt_number(int(types["focus_key"].isna().sum()))
    assert metric(at, "Ej granskade").value == "0"


def test_writing_and_approving_a_lagesbild(own_sample):
    at = run_page("skriv_lagesbild", period="2022-09")
    assert "Godkänd lägesbild för September 2022: version 1, godkänd av Styrgruppen" in at.success[0].value
    state = "pic_0499_2022-09-01_2022-09-30"
    assert "händelser under september" in at.text_area(key=f"{state}_trygghet").value
    at.text_area(key=f"{state}_trygghet").set_value("Lugnare vid Torget i september.")
    at.button(key=f"FormSubmitter:picture_{state}-Spara utkast").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Lägesbilden för September 2022 är sparad som utkast" in at.success[0].value
    assert "Det finns ett nyare utkast (version 2)" in at.warning[0].value
    history = versions(own_sample, "0499", dt.date(2022, 9, 1), dt.date(2022, 9, 30))
    assert [(v.version, v.status) for v in history] == [(2, "utkast"), (1, "godkänd")]
    assert history[0].texts["trygghet"] == "Lugnare vid Torget i september."
    at.button(key=f"FormSubmitter:picture_{state}-Spara och godkänn").click().run()
    shown = q.situation_pictures(own_sample, dt.date(2022, 9, 1), dt.date(2022, 9, 30), "0499")[0]
    assert (shown["version"], shown["status"]) == (3, "godkänd")
    assert shown["texts"]["trygghet"] == "Lugnare vid Torget i september."
    oversikt = run_page("oversikt", fran="2022-09-01", till="2022-09-30")
    assert any(t.value == "Lugnare vid Torget i september." for t in oversikt.text)


def test_a_new_month_starts_from_a_draft_written_from_the_numbers(own_sample):
    at = run_page("skriv_lagesbild", period="2022-10")
    assert "Ingen lägesbild för Oktober 2022 ännu" in at.info[0].value
    text = at.text_area(key="pic_0499_2022-10-01_2022-10-31_trafik").value
    assert text.startswith("Under perioden registrerades") or "planerade genomföranden" in text


def done_of(value: str) -> int:
    return int(value.split(" av ")[0].replace("\u00a0", ""))


def test_reporting_a_genomforande_from_the_activities_page(own_sample):
    trygghet_before = done_of(metric(run_page("oversikt"), "Genomfört av planerat", 0).value)
    at = run_page("aktiviteter")
    before = metric(at, "Genomföranden").value
    at.selectbox(key="report_activity").set_value("A-004")
    at.date_input(key="report_date").set_value(dt.date(2022, 10, 14))
    at.number_input(key="report_count").set_value(2)
    at.number_input(key="report_hours").set_value(3.0)
    at.text_input(key="report_place").set_value("Torget")
    at.button(key="FormSubmitter:report_form-Spara genomförandet").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Genomförandet av A-004 den 14 oktober 2022 är sparat" in at.success[0].value
    assert done_of(metric(at, "Genomföranden").value) == done_of(before) + 2
    assert done_of(metric(run_page("oversikt"), "Genomfört av planerat", 0).value) == trygghet_before + 2
    with Session(own_sample) as session:
        from lofte_metrics.models import ActivityReport

        assert session.scalars(select(ActivityReport).where(ActivityReport.place == "Torget",
                                                            ActivityReport.date == dt.date(2022, 10, 14),
                                                            ActivityReport.count == 2)).one()  # fmt: skip


def test_several_kommuner_offer_a_choice_and_keep_it_in_the_link(own_sample):
    setup_kommun(own_sample, "1280", actor=Actor.system("t"))
    data = json.dumps(feed_records(4, dt.date(2025, 3, 3))).encode()
    import_file(own_sample, "polisen", data, "mars.json", actor=Actor.system("t"), kommunkod="1280")
    at = run_page("oversikt")
    assert at.selectbox(key="scope_kommun").options == ["Ekviken", "Malmö"]
    assert "Medborgarlöfte Ekviken 2022" in at.markdown[0].value
    at = run_page("oversikt", kommun="1280", fran="2025-03-01", till="2025-03-31")
    assert at.selectbox(key="scope_kommun").value == "1280"
    assert "Malmö har inget medborgarlöfte" in at.info[0].value
    assert metric(at, "Händelser i perioden", 2).value == "4"  # Malmö's, not Ekviken's
    assert at.query_params["kommun"] == "1280"
    data_page = run_page("data", kommun="1280")
    assert metric(data_page, "Händelser").value == "4"


def test_an_administrator_sets_the_minimum_count_and_the_map_obeys_it(own_sample):
    at = AppTest.from_file(str(ROOT / "pages" / "kom_igang.py"), default_timeout=60)
    at.run()
    assert at.dataframe[0].value.set_index("Kommunkod").loc["0499", "Minsta antal"] == 5
    at.number_input(key="min_count_0499").set_value(15)
    at.button[[b.label for b in at.button].index("Spara")].click().run()
    assert not at.exception
    assert "Minsta antal för Ekvikens kommun är nu 15." in [s.value for s in at.success]
    assert at.dataframe[0].value.set_index("Kommunkod").loc["0499", "Minsta antal"] == 15
    st.cache_data.clear()
    lagesbild = run_page("lagesbild", fran="2022-01-01", till="2022-12-31", min="5")
    assert lagesbild.number_input(key="map_min").value == 15  # a link cannot ask for less
    cells = json.loads(lagesbild.get("deck_gl_json_chart")[0].proto.json)["layers"]
    counts = [c["count"] for layer in cells if layer["id"] == "handelser" for c in layer["data"]]
    assert counts and min(counts) >= 15

"""Imports that succeed, on SQLite and PostgreSQL: templates filled in and read back, the
police feed in its real shape, Brå's CSV, areas in SWEREF 99 TM, idempotence and exact undo."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from dbtools import dump
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from lofte_metrics import queries as q
from lofte_metrics.access.roles import Actor
from lofte_metrics.cli import run
from lofte_metrics.db import init_db
from lofte_metrics.ingest.importer import ImportRefused, commit, import_file, prepare, template, undo
from lofte_metrics.models import Activity, Area, Incident
from lofte_metrics.sample import load_sample

STOCKHOLM = dt.timezone(dt.timedelta(hours=2))
FEED = __import__("pathlib").Path(__file__).resolve().parents[3] / "shared" / "data" / "polisen-events-sample.json"


@pytest.fixture
def engine(empty_engine):
    init_db(empty_engine)
    load_sample(empty_engine)
    return empty_engine


def test_activity_template_round_trip_update_and_exact_undo(engine):
    book = load_workbook(io.BytesIO(template("activities", "xlsx")))
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == ["id", "åtagande", "aktivitet", "ägare", "ansvarig", "start", "slut", "planerat antal", "status",
                      "område"]  # fmt: skip
    ws.delete_rows(2)
    ws.append(["A-900", "N1", "Insats vid skolan", "Polisen", "Kommunpolisen", dt.datetime(2022, 9, 1),
               dt.datetime(2022, 9, 30), 4, "pågår", "0499-05"])  # fmt: skip
    ws.append(["A-901", "T2", "Trygghetsvandring i Kustbyn", "kommun", None, 44835, 44865, 1, "planerad", None])
    ws.append([None] * 10)  # a blank trailing row
    out = io.BytesIO()
    book.save(out)
    before = dump(engine)

    preview, outcome = import_file(engine, "activities", out.getvalue(), "aktiviteter.xlsx", actor=Actor.system("test"))
    assert (outcome.inserted, outcome.updated, preview.problems) == (2, 0, [])
    listed = q.activity_list(engine, q.Filters(dt.date(2022, 1, 1), dt.date(2022, 12, 31)), dt.date(2022, 10, 16))
    row = listed.set_index("ref").loc["A-900"]
    assert (row["title"], row["owner"], row["area_name"], row["planned_count"]) == ("Insats vid skolan", "polis",
                                                                                   "Sjöängen", 4)  # fmt: skip
    # Excel serial dates: 44835 is 2022-10-01.
    assert listed.set_index("ref").loc["A-901", "planned_start"] == dt.date(2022, 10, 1)
    first_batch = outcome.batch_id

    # The same file again adds nothing.
    _, again = import_file(engine, "activities", out.getvalue(), "aktiviteter.xlsx", actor=Actor.system("test"))
    assert again.batch_id is None and again.unchanged == 2

    # A changed row is updated, not duplicated; undo puts the old row back exactly.
    ws.cell(row=2, column=8).value = 6
    changed = io.BytesIO()
    book.save(changed)
    after_first = dump(engine)
    _, update = import_file(engine, "activities", changed.getvalue(), "aktiviteter.xlsx", actor=Actor.system("test"))
    assert (update.inserted, update.updated, update.unchanged) == (0, 1, 1)
    with Session(engine) as session:
        assert session.scalar(select(Activity.planned_count).where(Activity.ref == "A-900")) == 6
    with pytest.raises(ValueError, match=f"ångra {update.batch_id} först"):
        undo(engine, first_batch, Actor.system("t"))
    undo(engine, update.batch_id, Actor.system("t"))
    assert dump(engine) == after_first
    undo(engine, first_batch, Actor.system("t"))
    assert dump(engine) == before
    with pytest.raises(ValueError, match="redan ångrad"):
        undo(engine, first_batch, Actor.system("t"))


def test_reports_csv_in_cp1252_with_swedish_dates_and_decimal_comma(engine):
    text = ("aktivitet;datum;antal;timmar;plats;lat;lon;anteckning\n"
            "A-004;3 oktober 2022;2;2,5;Torget;58,9502;16,7503;Lugnt\n"
            "A-004;2022-10-05;1;1,5;Torget;;;Två ungdomar omhändertagna\n"
            ";;;;;;;\n")  # fmt: skip
    before = q.reports_per_period(engine, q.Filters(dt.date(2022, 10, 3), dt.date(2022, 10, 9)), "week")
    preview, outcome = import_file(
        engine, "reports", text.encode("cp1252"), "rapporter.csv", actor=Actor.system("test")
    )
    assert preview.problems == [] and outcome.inserted == 2
    after = q.reports_per_period(engine, q.Filters(dt.date(2022, 10, 3), dt.date(2022, 10, 9)), "week")
    assert after["count"].sum() - before["count"].sum() == 3
    assert after["hours"].sum() - before["hours"].sum() == pytest.approx(4.0)


def test_valid_only_imports_the_good_rows_and_returns_the_rest(engine):
    text = ("id;tid;typ;lat;lon;områdeskod;sammanfattning\n"
            "E1;2022-10-10 21:15;skadegörelse ;58,9502;16,7503;;<script>alert(1)</script>\n"
            "E2;inte en tid;Stöld;58,95;16,75;;\n"
            "E3;2022-10-11T08:00:00+02:00;Stöld;;;0499-04;\n")  # fmt: skip
    preview = prepare(engine, "incidents", text.encode(), "egna.csv", source="kommunens_tips")
    assert [p.row for p in preview.problems] == [3]
    with pytest.raises(ImportRefused, match="1 fel, inget är inläst"):
        commit(engine, preview, actor=Actor.system("test"))
    outcome = commit(engine, preview, actor=Actor.system("test"), valid_only=True)
    assert outcome.inserted == 2 and outcome.rejected == 1
    rejected = outcome.rejected_file.decode("utf-8-sig")
    assert rejected.splitlines()[0] == "rad;id;tid;typ;lat;lon;områdeskod;sammanfattning;fel"
    assert "inte en tid" in rejected and "rad 3, kolumn 'tid'" in rejected
    with Session(engine) as session:
        e1 = session.scalars(select(Incident).where(Incident.source_id == "E1")).one()
        e3 = session.scalars(select(Incident).where(Incident.source_id == "E3")).one()
    assert e1.type == "Skadegörelse" and e1.source == "kommunens_tips" and e1.precision == "punkt"
    assert e1.summary == "<script>alert(1)</script>"  # stored as text; pages show it as text
    assert e3.precision == "område" and e3.occurred_at == dt.datetime(2022, 10, 11, 6, tzinfo=dt.UTC)


def feed_record(id_: int, when: str, name: str, type_: str, place: str, gps: str, summary: str = "s") -> dict:
    return {"id": id_, "datetime": when, "name": name, "summary": summary, "url": f"/h/{id_}", "type": type_,
            "location": {"name": place, "gps": gps}}  # fmt: skip


def test_bra_csv(engine):
    content = "\ufeffKommun;Antal;Per 100 000 inv.\nEkeby;2 000;9 000\nEkviken;4 321;10 480\nRiket;1 500 000;14 200\n"
    preview, outcome = import_file(engine, "bra", content.encode("utf-8"), "anmalda_brott_kommunerna_2022.csv",
                                   actor=Actor.system("t"))  # fmt: skip
    assert preview.problems == [] and outcome.inserted == 2
    series = q.indicator_series(engine).set_index(["key", "period_label"])
    assert series.loc[("anmalda_brott_100k", "2022"), "value"] == 10480
    assert series.loc[("anmalda_brott", "2022"), "value"] == 4321


def test_areas_in_sweref_are_reprojected(engine):
    from pyproj import Transformer

    to_sweref = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    ring = [to_sweref.transform(lon, lat) for lon, lat in [(16.74, 58.945), (16.76, 58.945), (16.76, 58.955),
                                                            (16.74, 58.955), (16.74, 58.945)]]  # fmt: skip
    doc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
           "features": [{"type": "Feature", "properties": {"kod": "0499-P1", "namn": "Torgets närområde",
                                                           "typ": "plats", "förälder": "0499-01"},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}  # fmt: skip
    preview, outcome = import_file(
        engine, "areas", json.dumps(doc).encode(), "platser.geojson", actor=Actor.system("t")
    )
    assert preview.problems == [] and outcome.inserted == 1
    with Session(engine) as session:
        area = session.scalars(select(Area).where(Area.code == "0499-P1")).one()
        parent = session.scalar(select(Area.id).where(Area.code == "0499-01"))
    assert area.kommunkod == "0499" and area.parent_id == parent
    assert area.centre_lat == pytest.approx(58.95, abs=0.003) and area.centre_lon == pytest.approx(16.75, abs=0.003)
    lon, lat = area.geometry["coordinates"][0][0]
    assert (lon, lat) == pytest.approx((16.74, 58.945), abs=1e-6)
    undo(engine, outcome.batch_id, Actor.system("t"))
    with Session(engine) as session:
        assert session.scalars(select(Area).where(Area.code == "0499-P1")).first() is None


def test_presence_and_indicators_through_the_cli(engine, tmp_path, capsys):
    url = engine.url.render_as_string(False)
    presence = tmp_path / "narvaro.csv"
    presence.write_text("aktör,start,slut,plats,lat,lon\nOrdningsvakter,2022-10-14 22:00,2022-10-15 03:00,Torget,"
                        "\"58,9502\",\"16,7503\"\n", encoding="utf-8")  # fmt: skip
    assert run(["--database", url, "import", "presence", str(presence)]) == 0
    assert "1 nya" in capsys.readouterr().out
    hours = q.presence_totals(engine, q.Filters(dt.date(2022, 10, 14), dt.date(2022, 10, 14)), "actor")
    assert hours.set_index("key").loc["ordningsvakt", "hours"] >= 5.0
    indicators = tmp_path / "trygghet.csv"
    indicators.write_text("indikator;period;värde;utgångsläge;mål;namn;enhet;högre är bättre\n"
                          "trygga_dag;2022-H1;81,5;80;85;Trygga dagtid;%;ja\n", encoding="utf-8")  # fmt: skip
    assert run(["--database", url, "import", "indicators", str(indicators)]) == 0
    series = q.indicator_series(engine).set_index("key").loc["trygga_dag"]
    assert (series["value"], series["period_start"], bool(series["higher_is_better"])) == (81.5, dt.date(2022, 1, 1),
                                                                                          True)  # fmt: skip
    batch = q.import_batches(engine)["id"].iloc[0]
    assert run(["--database", url, "undo", str(batch)]) == 0
    assert "trygga_dag" not in set(q.indicator_series(engine)["key"])


def test_template_from_the_cli(tmp_path):
    out = tmp_path / "mall.csv"
    assert run(["template", "reports", "--format", "csv", "--output", str(out)]) == 0
    assert (
        out.read_text(encoding="utf-8-sig").splitlines()[0]
        == "id;aktivitet;datum;antal;timmar;plats;lat;lon;anteckning"
    )


def test_undo_refuses_to_take_other_batches_rows_with_it(engine):
    acts = "id;åtagande;aktivitet;ägare;start;slut;planerat antal\nA-950;F1;Kontroll;polis;2022-10-01;2022-10-31;2\n"
    _, first = import_file(engine, "activities", acts.encode(), "a.csv", actor=Actor.system("t"))
    reports = "aktivitet;datum;antal\nA-950;2022-10-05;1\n"
    _, second = import_file(engine, "reports", reports.encode(), "r.csv", actor=Actor.system("t"))
    with pytest.raises(ValueError, match="har genomföranden från andra importer"):
        undo(engine, first.batch_id, Actor.system("t"))
    undo(engine, second.batch_id, Actor.system("t"))
    undo(engine, first.batch_id, Actor.system("t"))
    with Session(engine) as session:
        assert session.scalars(select(Activity).where(Activity.ref == "A-950")).first() is None

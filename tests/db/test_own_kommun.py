"""A real kommun from an empty database, on SQLite and PostgreSQL: choose it, import the police
feed (matched by every form of the kommun's name), enter the promise from a workbook, map types,
write and approve the lägesbild, report what was done. And the feed's faults: the repeated hour
in October, events the police move to another kommun, notices, alarms, entities."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from shapely.geometry import Point, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from lofte_metrics import queries as q
from lofte_metrics import reference
from lofte_metrics.access.roles import Actor
from lofte_metrics.authoring.genomforande import report_done
from lofte_metrics.authoring.lagesbild import approve, draft_texts, save_picture, versions
from lofte_metrics.authoring.mapping import TypeChoice, save_mapping
from lofte_metrics.authoring.promise import promise_tables, promise_workbook, save_promise
from lofte_metrics.authoring.setup import SetupError, setup_kommun
from lofte_metrics.cli import run
from lofte_metrics.db import init_db
from lofte_metrics.ingest.importer import ImportRefused, import_file, prepare, template, undo
from lofte_metrics.ingest.reading import FileProblem, Table
from lofte_metrics.models import Area, Incident, IncidentType, Kommun

FEED = Path(__file__).resolve().parents[3] / "shared" / "data" / "polisen-events-sample.json"
TYPES_TSV = FEED.parent / "polisen-event-types.tsv"
needs_feed = pytest.mark.skipif(not FEED.is_file(), reason=f"the shared feed sample is not at {FEED}")


@pytest.fixture
def engine(empty_engine):
    init_db(empty_engine)
    return empty_engine


def feed_record(id_: int, when: str, name: str, type_: str, place: str, gps: str, summary: str = "s") -> dict:
    return {"id": id_, "datetime": when, "name": name, "summary": summary, "url": f"/h/{id_}", "type": type_,
            "location": {"name": place, "gps": gps}}  # fmt: skip


def feed(records: list[dict]) -> bytes:
    return json.dumps(records, ensure_ascii=False).encode("utf-8")


def incidents(engine, kommunkod: str | None = None) -> dict[str, Incident]:
    with Session(engine) as session:
        stmt = select(Incident)
        if kommunkod:
            stmt = stmt.where(Incident.kommunkod == kommunkod)
        return {i.source_id: i for i in session.scalars(stmt)}


# --------------------------------------------------------------------------- reference data


def test_reference_knows_every_kommun_and_every_spelling():
    assert len(reference.kommuner()) == 290 and len(reference.LAN_NAMES) == 21
    assert {k.lan_code for k in reference.kommuner()} == set(reference.LAN_NAMES)
    cases = {
        "Linköpings kommun": "0580", "linköping": "0580", "0580": "0580", "Linköpings": "0580",
        "Stockholms stad": "0180", "Göteborgs Stad": "1480", "Region Gotland": "0980", "Gotland": "0980",
        "Falu kommun": "2080", "Malung-Sälens kommun": "2023", "Upplands-Bro kommun": "0139",
        "Upplands Väsby": "0114", "Borås Stad": "1490", "Umeå kommun": "2480",
    }  # fmt: skip
    for text, code in cases.items():
        found = reference.find(text)
        assert found is not None and found.code == code, text
    assert reference.kommun("0580").official_name == "Linköpings kommun"
    assert reference.kommun("0980").official_name == "Region Gotland"
    assert reference.kommun("1280").official_name == "Malmö stad"
    assert reference.kommun("0580").lan_name == "Östergötlands län"
    assert [k.code for k in reference.search("0580")] == ["0580"]
    assert reference.find("Ekviken") is None


@pytest.mark.skipif(not TYPES_TSV.is_file(), reason="the shared type list is absent")
def test_every_police_feed_type_has_a_default_mapping():
    seen = [line.split("\t", 1)[1].strip() for line in TYPES_TSV.read_text(encoding="utf-8").splitlines()[1:]]
    shipped = reference.default_types()
    assert set(seen) == set(shipped)
    for notice in ("Sammanfattning natt", "Uppdatering", "Information"):
        assert shipped[notice].notice
    for sensitive in ("Våldtäkt", "Våldtäkt, försök", "Sexualbrott", "Sedlighetsbrott"):
        assert shipped[sensitive].sensitive
    assert shipped["Larm Inbrott"].focus_key is None  # an alarm is not a burglary
    assert shipped["Inbrott"].focus_key == "trygghet"
    assert shipped["Narkotikabrott"].focus_key == "narkotika"
    assert shipped["Rattfylleri"].focus_key == "trafik"


# --------------------------------------------------------------------------- choosing the kommun


def test_setting_up_a_real_kommun_gives_its_boundary_and_the_default_mapping(engine):
    written = setup_kommun(engine, "0580", actor=Actor.system("anna"), police_area="Lokalpolisområde Linköping")
    assert written.batch_id is not None
    with Session(engine) as session:
        kommun = session.get(Kommun, "0580")
        area = session.scalars(select(Area).where(Area.code == "0580")).one()
        types = {t.name: t for t in session.scalars(select(IncidentType).where(IncidentType.kommunkod == "0580"))}
    assert (kommun.name, kommun.official_name, kommun.lan_name) == ("Linköping", "Linköpings kommun",
                                                                    "Östergötlands län")  # fmt: skip
    assert kommun.police_area == "Lokalpolisområde Linköping"
    assert area.kind == "kommun" and shape(area.geometry).contains(Point(15.62, 58.41))  # Linköping's centre
    assert not shape(area.geometry).contains(Point(16.19, 58.59))  # Norrköping is not in it
    assert len(types) == sum(1 for t in reference.default_types().values() if not t.notice)
    assert types["Våldtäkt"].sensitive and types["Trafikolycka"].focus_key == "trafik"
    again = setup_kommun(engine, "0580", actor=Actor.system("anna"), police_area="Lokalpolisområde Linköping")
    assert again.batch_id is None  # nothing differs, nothing is written
    with pytest.raises(SetupError, match="Ingen kommun har kommunkoden '9999'"):
        setup_kommun(engine, "9999", actor=Actor.system("anna"))


def test_lofte_init_kommun_on_the_command_line(engine, capsys):
    url = engine.url.render_as_string(False)
    assert run(["--database", url, "init", "--kommun", "Linköpings kommun"]) == 0
    out = capsys.readouterr().out
    assert "Linköpings kommun (0580), Östergötlands län, är inlagd" in out
    assert run(["--database", url, "init", "--kommun", "0580"]) == 0
    assert "finns redan i databasen; inget ändrat" in capsys.readouterr().out
    messages: list[str] = []
    assert run(["--database", url, "init", "--kommun", "Linkööping"], out_err=messages.append) == 1
    assert messages[0].startswith("lofte: fel: Hittar ingen kommun som heter eller har koden 'Linkööping'.")


# --------------------------------------------------------------------------- the police feed


def _names_kommun(record: dict, short: str) -> bool:
    place = record["location"]["name"]
    parts = [p.strip() for p in record["name"].split(",")]
    named = parts[-1] if place.endswith(" län") else place
    return named == short and not record["type"].startswith("Sammanfattning") and record["type"] not in (
        "Uppdatering", "Information")  # fmt: skip


@needs_feed
def test_real_feed_keeps_the_kommuns_events_whatever_its_areas_are_called(engine):
    setup_kommun(engine, "0580", actor=Actor.system("t"))
    with Session(engine) as session:  # the area carries the official name, as a kommun's own files do
        assert session.scalars(select(Area.name).where(Area.code == "0580")).one() == "Linköpings kommun"
    records = json.loads(FEED.read_text(encoding="utf-8"))
    wanted = {r["id"] for r in records if _names_kommun(r, "Linköping")}
    assert len(wanted) >= 15
    preview, outcome = import_file(engine, "polisen", FEED.read_bytes(), FEED.name, actor=Actor.system("t"))
    assert preview.problems == [] and outcome.inserted == len(wanted)
    assert set(incidents(engine, "0580")) == {str(i) for i in wanted}
    notices = sum(1 for r in records if reference.is_notice(r["type"]))
    assert f"{notices} meddelanden" in " ".join(preview.notes)
    lan_only = [n for n in preview.notes if "bara länet" in n]
    assert lan_only and "i Östergötlands län" in lan_only[0]
    assert any("händelser i andra kommuner hoppas över" in n for n in preview.notes)
    sources = q.source_overview(engine, "0580").set_index("source")
    assert sources.loc["polisens_handelser", "mappable"] == 0  # never drawn as points
    # the sidebar offers the kommun's one source, and none for a kommun without incidents
    assert q.incident_sources(engine, "0580") == ["polisens_handelser"]
    assert q.incident_sources(engine, "0512") == []
    _, again = import_file(engine, "polisen", FEED.read_bytes(), FEED.name, actor=Actor.system("t"))
    assert again.batch_id is None and again.unchanged == len(wanted)


@needs_feed
def test_a_feed_with_nothing_for_the_kommun_says_so_and_fails(engine, tmp_path):
    setup_kommun(engine, "0512", actor=Actor.system("t"))  # Ydre: not in the sample
    with pytest.raises(FileProblem, match="ingen av filens händelser gäller Ydre \\(0512\\)"):
        prepare(engine, "polisen", FEED.read_bytes(), FEED.name)
    messages: list[str] = []
    url = engine.url.render_as_string(False)
    assert run(["--database", url, "import", "polisen", str(FEED)], out_err=messages.append) == 1
    assert "Inget är inläst" in messages[0] and "flest: Stockholm" in messages[0]


def test_feed_shapes_notices_alarms_entities_and_lan_level_events(engine):
    setup_kommun(engine, "1280", actor=Actor.system("t"))
    records = [
        feed_record(1, "2025-06-07 6:38:18 +02:00", "07 juni 06.32, Misshandel, Malmö", "Misshandel", "Malmö",
                    "55.604981,13.003822", "Bråk &amp; misshandel på Möllan"),
        feed_record(2, "2026-08-21 10:32:44 +02:00", "21 augusti 09.12, Misshandel, Malmö", "Misshandel",
                    "Skåne län", "55.990257,13.595769"),
        feed_record(3, "2026-01-01 9:05:00 +01:00", "31 december 23.50, Larm Inbrott , Malmö", "Larm Inbrott ",
                    "Malmö", "55.604981,13.003822"),
        feed_record(4, "2025-06-08 7:16:02 +02:00", "08 juni 07:15, Sammanfattning natt, Skåne län",
                    "Sammanfattning natt", "Skåne län", "55.990257,13.595769"),
        feed_record(5, "2025-06-08 9:00:00 +02:00", "08 juni 08.30, Trafikolycka, Lund", "Trafikolycka", "Lund",
                    "55.704660,13.191007"),
        feed_record(6, "2025-06-08 9:10:00 +02:00", "08 juni 09.05, Uppdatering, Malmö", "Uppdatering", "Malmö",
                    "55.604981,13.003822"),
        feed_record(7, "2025-06-08 9:20:00 +02:00", "08 juni 09.15, Brand, Skåne län", "Brand", "Skåne län",
                    "55.990257,13.595769"),
        feed_record(8, "2025-06-08 9:30:00 +02:00", "08 juni 09.25, Information, Skåne län", "Information",
                    "Skåne län", "55.990257,13.595769"),
    ]  # fmt: skip
    preview, outcome = import_file(engine, "polisen", feed(records), "events.json", actor=Actor.system("t"))
    assert outcome.inserted == 3 and preview.problems == []
    notes = " ".join(preview.notes)
    assert "3 meddelanden" in notes  # Sammanfattning, Uppdatering, Information
    assert "1 händelser anger bara länet" in notes and "1 händelser i andra kommuner" in notes
    rows = incidents(engine, "1280")
    with Session(engine) as session:
        malmo = session.scalar(select(Area.id).where(Area.code == "1280"))
    assert rows["1"].occurred_at == dt.datetime(2025, 6, 7, 4, 32, tzinfo=dt.UTC)  # 06.32 Stockholm summer time
    assert (rows["1"].precision, rows["1"].area_id, rows["1"].cell) == ("kommun", malmo, None)
    assert rows["1"].summary == "Bråk & misshandel på Möllan"
    assert (rows["2"].precision, rows["2"].place_name, rows["2"].area_id) == ("län", "Malmö", malmo)
    assert rows["3"].type == "Larm Inbrott"  # an alarm, kept as its own type
    assert rows["3"].occurred_at == dt.datetime(2025, 12, 31, 22, 50, tzinfo=dt.UTC)  # the year before
    left_out = q.unmapped_counts(engine, q.Filters(dt.date(2025, 1, 1), dt.date(2026, 12, 31), kommunkod="1280"))
    assert (left_out["kommun"], left_out["län"]) == (2, 1)

    records[0]["summary"] = "Uppdaterad: två personer gripna"
    _, later = import_file(engine, "polisen", feed(records), "events.json", actor=Actor.system("t"))
    assert (later.inserted, later.updated, later.unchanged) == (0, 1, 2)


def test_reimport_with_the_repeated_autumn_hour_writes_nothing(engine):
    setup_kommun(engine, "1280", actor=Actor.system("t"))
    records = [  # 30 October 2022: the clocks went back at 03:00, so 02:00–02:59 happened twice
        feed_record(11, "2022-10-30 2:40:00 +02:00", "30 oktober 02.30, Misshandel, Malmö", "Misshandel", "Malmö",
                    "55.604981,13.003822"),
        feed_record(12, "2022-10-30 2:50:00 +01:00", "30 oktober 02.45, Rån, Malmö", "Rån", "Malmö",
                    "55.604981,13.003822"),
    ]  # fmt: skip
    _, first = import_file(engine, "polisen", feed(records), "natten.json", actor=Actor.system("t"))
    assert first.inserted == 2
    rows = incidents(engine)
    assert rows["11"].occurred_at == dt.datetime(2022, 10, 30, 0, 30, tzinfo=dt.UTC)  # the first 02.30 (CEST)
    assert rows["12"].occurred_at == dt.datetime(2022, 10, 30, 1, 45, tzinfo=dt.UTC)  # the second 02.45 (CET)
    for _ in range(2):
        preview, again = import_file(engine, "polisen", feed(records), "natten.json", actor=Actor.system("t"))
        assert (again.batch_id, again.updated, preview.changed) == (None, 0, 0)
    undo(engine, first.batch_id, Actor.system("t"))  # nothing later blocks the undo
    assert incidents(engine) == {}


def test_an_event_the_police_move_to_another_kommun_moves_or_goes(engine):
    setup_kommun(engine, "1280", actor=Actor.system("t"))
    first = [feed_record(21, "2025-06-07 6:38:18 +02:00", "07 juni 06.32, Rån, Malmö", "Rån", "Malmö",
                         "55.604981,13.003822")]  # fmt: skip
    import_file(engine, "polisen", feed(first), "a.json", actor=Actor.system("t"))
    moved = [feed_record(21, "2025-06-07 8:00:00 +02:00", "07 juni 06.32, Rån, Lund", "Rån", "Lund",
                         "55.704660,13.191007")]  # fmt: skip
    preview, outcome = import_file(engine, "polisen", feed(moved), "b.json", actor=Actor.system("t"))
    assert outcome.removed == 1 and "polisen flyttat till en annan kommun" in " ".join(preview.notes)
    assert incidents(engine) == {}
    undo(engine, outcome.batch_id, Actor.system("t"))
    assert set(incidents(engine, "1280")) == {"21"}
    # When the database follows Lund as well, Lund's import takes the event over from Malmö.
    setup_kommun(engine, "1281", actor=Actor.system("t"))
    _, taken = import_file(engine, "polisen", feed(moved), "b.json", actor=Actor.system("t"), kommunkod="1281")
    assert (taken.inserted, taken.updated) == (0, 1)
    assert set(incidents(engine, "1281")) == {"21"} and incidents(engine, "1280") == {}


def test_several_kommuner_in_one_database_are_kept_apart(engine):
    setup_kommun(engine, "1280", actor=Actor.system("t"))
    setup_kommun(engine, "1281", actor=Actor.system("t"))
    records = [
        feed_record(31, "2025-06-07 6:38:18 +02:00", "07 juni 06.32, Rån, Malmö", "Rån", "Malmö", "55.60,13.00"),
        feed_record(32, "2025-06-07 7:38:18 +02:00", "07 juni 07.32, Rån, Lund", "Rån", "Lund", "55.70,13.19"),
        feed_record(33, "2025-06-07 8:38:18 +02:00", "07 juni 08.32, Stöld, Lund", "Stöld", "Lund", "55.70,13.19"),
    ]  # fmt: skip
    with pytest.raises(FileProblem, match="följer 2 kommuner: ange vilken"):
        prepare(engine, "polisen", feed(records), "e.json")
    for code in ("1280", "1281"):
        import_file(engine, "polisen", feed(records), "e.json", actor=Actor.system("t"), kommunkod=code)
    period = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    counts = {code: q.incident_totals(engine, q.Filters(*period, kommunkod=code), "type") for code in ("1280", "1281")}
    assert dict(zip(counts["1280"]["key"], counts["1280"]["count"], strict=True)) == {"Rån": 1}
    assert dict(zip(counts["1281"]["key"], counts["1281"]["count"], strict=True)) == {"Rån": 1, "Stöld": 1}
    assert [k.code for k in q.kommuner(engine)] == ["1281", "1280"]  # Lund, Malmö: by name


# --------------------------------------------------------------------------- the promise


def _fill_promise_template() -> bytes:
    book = load_workbook(io.BytesIO(template("promise")))
    assert book.sheetnames == ["Löfte", "Fokusområden", "Åtaganden", "Aktiviteter", "Hjälp"]
    for ws in book.worksheets[:4]:
        ws.delete_rows(2)
    book["Löfte"].append([None, "Medborgarlöfte Linköping 2025", "0580", "Lokalpolisområde Linköping",
                          dt.datetime(2025, 1, 1), dt.datetime(2025, 12, 31), dt.datetime(2025, 2, 10),
                          "Anna Andersson, kommunstyrelsens ordförande; Erik Berg, lokalpolisområdeschef",
                          "Tillsammans för ett tryggare Linköping."])  # fmt: skip
    book["Fokusområden"].append(["trygghet", "Trygghet i offentlig miljö", None, 1])
    book["Fokusområden"].append([None, "Trafiksäkerhet", None, 2])  # key made from the name
    book["Åtaganden"].append(["T1", "trygghet", "polis", "Polisen lovar att genomföra minst 40 närvaropass.", 40,
                              "närvaropass", None])  # fmt: skip
    book["Åtaganden"].append(["F1", "Trafiksäkerhet", "gemensamt", "Vi lovar trafikkontroller vid skolorna.", 10,
                              "kontroller", dt.datetime(2025, 12, 31)])  # fmt: skip
    book["Aktiviteter"].append(["A1", "T1", "Närvaropass Resecentrum", "polisen", "Kommunpolisen",
                                dt.datetime(2025, 1, 1), dt.datetime(2025, 6, 30), 20, "pågår", None])  # fmt: skip
    book["Aktiviteter"].append(["A2", "F1", "Skolkontroller", "gemensamt", None, "2025-08-15", "2025-12-15", 10,
                                "planerad", None])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_promise_workbook_import_export_edit_and_undo(engine):
    setup_kommun(engine, "0580", actor=Actor.system("t"))
    data = _fill_promise_template()
    preview, outcome = import_file(engine, "promise", data, "löfte.xlsx", actor=Actor.system("anna"))
    assert preview.problems == []
    assert {t: c.new for t, c in preview.by_target.items()} == {"promise": 1, "focus_area": 2, "commitment": 2,
                                                                 "activity": 2}  # fmt: skip
    (promise,) = q.promises(engine, "0580")
    assert (promise.ref, promise.title, promise.signatories[1]) == ("2025", "Medborgarlöfte Linköping 2025",
                                                                    "Erik Berg, lokalpolisområdeschef")  # fmt: skip
    assert promise.focus_areas == [("trygghet", "Trygghet i offentlig miljö"), ("trafiksakerhet", "Trafiksäkerhet")]
    acts = q.activity_list(engine, q.Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), kommunkod="0580"),
                           dt.date(2025, 10, 1)).set_index("ref")  # fmt: skip
    assert acts.loc["A2", "focus_key"] == "trafiksakerhet" and acts.loc["A1", "owner"] == "polis"
    assert bool(acts.loc["A1", "overdue"])

    _, again = import_file(engine, "promise", data, "löfte.xlsx", actor=Actor.system("anna"))
    assert again.batch_id is None  # the same workbook adds nothing
    exported = promise_workbook(engine, promise.id)
    _, round_trip = import_file(engine, "promise", exported, "export.xlsx", actor=Actor.system("anna"))
    assert round_trip.batch_id is None  # what we write out reads back unchanged

    # The editor: remove A2 and its commitment F1; a focus area with commitments cannot go.
    tables = promise_tables(engine, promise.id)
    acts_only = Table(tables["Aktiviteter"].header, [r for r in tables["Aktiviteter"].rows if r[1][0] == "A1"])
    anna = Actor.system("anna")
    preview, saved = save_promise(engine, "0580", {"Löfte": tables["Löfte"], "Aktiviteter": acts_only}, anna,
                                  promise_id=promise.id, replace=frozenset({"Aktiviteter"}))  # fmt: skip
    assert saved is not None and saved.removed == 1
    no_focus = Table(tables["Fokusområden"].header, [])
    preview, refused = save_promise(engine, "0580", {"Löfte": tables["Löfte"], "Fokusområden": no_focus}, anna,
                                    promise_id=promise.id, replace=frozenset({"Fokusområden"}))  # fmt: skip
    assert refused is None
    assert any("har åtaganden (T1) och kan inte tas bort" in line for line in preview.problem_lines())
    undo(engine, saved.batch_id, Actor.system("t"))
    acts = q.activity_list(engine, q.Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), kommunkod="0580"),
                           dt.date(2025, 10, 1))  # fmt: skip
    assert sorted(acts["ref"]) == ["A1", "A2"]


def test_promise_workbook_problems_name_the_sheet_and_row(engine):
    setup_kommun(engine, "0580", actor=Actor.system("t"))
    book = load_workbook(io.BytesIO(_fill_promise_template()))
    book["Åtaganden"].append(["N1", "narkotika", "polis", "Insatser.", 5, None, None])
    book["Aktiviteter"].append(["A3", "T9", "Okänt åtagande", "polis", None, "2025-01-01", "2025-02-01", 1, None, None])
    out = io.BytesIO()
    book.save(out)
    preview = prepare(engine, "promise", out.getvalue(), "löfte.xlsx")
    assert preview.problem_lines() == [
        "löfte.xlsx, blad Åtaganden, rad 4, kolumn 'fokusområde': okänt fokusområde: finns inte i löftet "
        "(värde: 'narkotika')",
        "löfte.xlsx, blad Aktiviteter, rad 4, kolumn 'åtagande': okänt åtagande: finns inte i löftet (värde: 'T9')",
    ]
    with pytest.raises(ImportRefused, match="2 fel, inget är inläst"):
        import_file(engine, "promise", out.getvalue(), "löfte.xlsx", actor=Actor.system("t"), valid_only=True)
    assert q.promises(engine) == []


# --------------------------------------------------------------------------- mapping, lägesbild, genomförande


def _kommun_with_feed_and_promise(engine) -> int:
    setup_kommun(engine, "1280", actor=Actor.system("t"))
    records = [
        feed_record(40 + i, f"2025-03-{i + 1:02d} 12:00:00 +01:00", f"{i + 1:02d} mars 11.00, {kind}, Malmö", kind,
                    "Malmö", "55.604981,13.003822")
        for i, kind in enumerate(["Trafikolycka", "Trafikolycka", "Rattfylleri", "Misshandel", "Brand"])
    ]  # fmt: skip
    import_file(engine, "polisen", feed(records), "mars.json", actor=Actor.system("t"))
    book = load_workbook(io.BytesIO(_fill_promise_template()))
    book["Löfte"]["C2"] = "1280"
    book["Fokusområden"]["A3"] = "trafik"
    for row in book["Åtaganden"].iter_rows(min_row=2):
        if row[1].value == "Trafiksäkerhet":
            row[1].value = "trafik"
    out = io.BytesIO()
    book.save(out)
    preview, _ = import_file(engine, "promise", out.getvalue(), "löfte.xlsx", actor=Actor.system("t"), kommunkod="1280")
    assert preview.problems == []
    return q.promises(engine, "1280")[0].id


def test_a_mapping_change_applies_to_incidents_already_there(engine):
    _kommun_with_feed_and_promise(engine)
    march = q.Filters(dt.date(2025, 3, 1), dt.date(2025, 3, 31), kommunkod="1280")

    def by_focus() -> dict:
        totals = q.incident_totals(engine, march, "focus")
        return {(None if pd_isna(k) else k): int(n) for k, n in zip(totals["key"], totals["count"], strict=True)}

    assert by_focus() == {"trafik": 3, "trygghet": 1, None: 1}
    assert q.focus_coverage(engine, march, ("trygghet", "trafik")) == {"total": 5, "in_focus": 4, "outside": 1}
    written = save_mapping(engine, "1280", [TypeChoice("Brand", "trygghet", False)], Actor.system("anna"))
    assert by_focus() == {"trafik": 3, "trygghet": 2}
    undo(engine, written.batch_id, Actor.system("t"))
    assert by_focus() == {"trafik": 3, "trygghet": 1, None: 1}


def test_an_unclassified_type_is_sensitive_until_someone_decides(engine):
    setup_kommun(engine, "1280", actor=Actor.system("t"))
    records = [feed_record(50, "2025-03-01 12:00:00 +01:00", "01 mars 11.00, Nytt brott, Malmö", "Nytt brott",
                           "Malmö", "55.604981,13.003822")]  # fmt: skip
    import_file(engine, "polisen", feed(records), "ny.json", actor=Actor.system("t"))
    types = q.incident_type_map(engine, "1280").set_index("type")
    assert types.loc["Nytt brott", "sensitive"] and not types.loc["Nytt brott", "classified"]
    assert types.loc["Nytt brott", "count"] == 1 and pd_isna(types.loc["Nytt brott", "focus_key"])


def pd_isna(value) -> bool:
    return value is None or value != value


def test_lagesbild_draft_edit_approve_and_versions(engine):
    promise_id = _kommun_with_feed_and_promise(engine)
    march = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    names = {"trygghet": "Trygghet", "trafik": "Trafiksäkerhet"}
    drafted = draft_texts(engine, "1280", promise_id, names, *march, dt.date(2025, 4, 15))
    assert "Under perioden registrerades 3 händelser" in drafted["trafik"]
    assert "registrerades 1 händelse," in drafted["trygghet"]  # singular
    first = save_picture(engine, "1280", promise_id=promise_id, period_kind="månad", start=march[0], end=march[1],
                         label="Mars 2025", texts=drafted, summary="Mars.", actor=Actor.system("anna"),
                         actions=[{"text": "Fler kontroller vid skolorna", "activity_ref": "A2",
                                   "focus_key": "trafik"}])  # fmt: skip
    shown = q.situation_pictures(engine, *march, "1280")
    assert (shown[0]["status"], shown[0]["version"]) == ("utkast", 1)
    approved = approve(engine, "1280", versions(engine, "1280", *march)[0].id, approved_by="Styrgruppen",
                       actor=Actor.system("erik"))  # fmt: skip
    edited = {**drafted, "trafik": "Tre trafikhändelser; kontrollerna fortsätter."}
    save_picture(engine, "1280", promise_id=promise_id, period_kind="månad", start=march[0], end=march[1],
                 label="Mars 2025", texts=edited, summary="Mars.", actions=[], actor=Actor.system("anna"))  # fmt: skip
    shown = q.situation_pictures(engine, *march, "1280")[0]
    assert (shown["status"], shown["version"], shown["newer_draft"]) == ("godkänd", 2, True)
    assert shown["approved_by"] == "Styrgruppen" and shown["actions"][0]["activity_ref"] == "A2"
    assert shown["texts"]["trafik"] == drafted["trafik"]  # the approved text, not the newer draft
    history = versions(engine, "1280", *march)
    assert [(v.version, v.status, v.created_by) for v in history] == [(3, "utkast", "anna"), (2, "godkänd", "erik"),
                                                                      (1, "utkast", "anna")]  # fmt: skip
    assert first.batch_id and approved.batch_id
    undo(engine, approved.batch_id, Actor.system("t"))
    assert q.situation_pictures(engine, *march, "1280")[0]["version"] == 3  # only drafts left: the newest


def test_reporting_a_genomforande_and_a_new_status(engine):
    promise_id = _kommun_with_feed_and_promise(engine)
    f = q.Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31), kommunkod="1280", promise_id=promise_id)
    before = q.activity_list(engine, f, dt.date(2025, 10, 1)).set_index("ref").loc["A1"]
    written = report_done(engine, promise_id, "A1", date=dt.date(2025, 5, 2), count=2, hours=3.5, place="Resecentrum",
                          note="Lugnt", status="genomförd", actor=Actor.system("erik"), kommunkod="1280")  # fmt: skip
    after = q.activity_list(engine, f, dt.date(2025, 10, 1)).set_index("ref").loc["A1"]
    assert (after["done"], after["status"], bool(after["overdue"])) == (before["done"] + 2, "genomförd", False)
    assert after["hours"] == pytest.approx(before["hours"] + 3.5)
    with pytest.raises(ImportRefused, match="kolumn 'timmar': får vara högst 10000"):
        report_done(engine, promise_id, "A1", date=dt.date(2025, 5, 3), hours=20000, actor=Actor.system("erik"),
                    kommunkod="1280")  # fmt: skip
    undo(engine, written.batch_id, Actor.system("t"))
    back = q.activity_list(engine, f, dt.date(2025, 10, 1)).set_index("ref").loc["A1"]
    assert (back["done"], back["status"]) == (before["done"], before["status"])


# --------------------------------------------------------------------------- the whole road on the command line


@needs_feed
def test_the_command_line_road_for_a_real_kommun(engine, tmp_path, capsys):
    url = engine.url.render_as_string(False)
    workbook = tmp_path / "löfte.xlsx"
    workbook.write_bytes(_fill_promise_template())
    assert run(["--database", url, "init", "--kommun", "0580", "--polisomrade", "Lokalpolisområde Linköping"]) == 0
    assert run(["--database", url, "template", "promise", "--output", str(tmp_path / "mall.xlsx")]) == 0
    assert run(["--database", url, "import", "promise", str(workbook), "--user", "anna"]) == 0
    assert run(["--database", url, "import", "polisen", str(FEED), "--kommun", "Linköpings kommun"]) == 0
    out = capsys.readouterr().out
    assert "Importomgång" in out and "(Linköping): 17 nya" in out
    counts = q.table_counts(engine, "0580")
    wanted = {"Medborgarlöften": 1, "Fokusområden": 2, "Åtaganden": 2, "Aktiviteter": 2, "Händelser": 17}
    assert {k: counts[k] for k in wanted} == wanted
    assert counts["Händelser"] == 17

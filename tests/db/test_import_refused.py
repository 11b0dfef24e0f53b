"""Bad input is refused with a Swedish message naming row and column, and nothing is written.

Every case runs through ``lofte import`` (in-process) on SQLite and PostgreSQL, and the whole
database is compared before and after.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from lofte_metrics import queries as q
from lofte_metrics.cli import run
from lofte_metrics.ingest import reading

ACT_HEADER = "id;åtagande;aktivitet;ägare;start;slut;planerat antal;status\n"
REP_HEADER = "id;aktivitet;datum;antal;timmar;plats;lat;lon\n"
INC_HEADER = "id;tid;typ;lat;lon;områdeskod\n"
PRE_HEADER = "aktör;start;slut;plats;lat;lon\n"
IND_HEADER = "indikator;period;värde\n"


def xlsx(rows: list[list[object]], title: str = "Blad1") -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def feed(**changes) -> bytes:
    record = {
        "id": 1,
        "datetime": "2025-06-07 6:38:18 +02:00",
        "name": "07 juni 06.32, Misshandel, Ekviken",
        "summary": "x",
        "url": "/x",
        "type": "Misshandel",
        "location": {"name": "Ekviken", "gps": "58.95,16.75"},
    }
    record.update(changes)
    return json.dumps([record]).encode()


CASES = [
    # (kind, file name, content, extra CLI args, expected text in the message)
    ("activities", "tom.csv", b"", [], "tom.csv: filen är tom."),
    ("activities", "blank.csv", b"  \n\n ", [], "blank.csv: filen är tom."),
    ("activities", "bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", [], "filen ser ut att vara binär"),
    ("activities", "trasig.xlsx", b"PK\x03\x04 inte en riktig zip", [], "filen är ingen giltig Excel-fil"),
    ("activities", "blad.xlsx", xlsx([["id"]], "Aktiviteter"), ["--sheet", "Data"], "bladet 'Data' finns inte"),
    ("activities", "kolumn.csv", "id;åtagande;aktivitet;start;slut;planerat antal\nA;T1;x;2022-01-01;2022-02-01;1\n"
     .encode(), [], "kolumn saknas: ägare"),
    ("activities", "rubrik.csv", ACT_HEADER.encode(), [], "filen har rubriker men inga rader"),
    ("activities", "datum.csv", (ACT_HEADER + "A-9;T1;x;polis;2022-13-01;2022-12-31;1;planerad\n").encode(), [],
     "rad 2, kolumn 'start': är inget giltigt datum (värde: '2022-13-01')"),
    ("activities", "ordning.csv", (ACT_HEADER + "A-9;T1;x;polis;2022-05-01;2022-04-01;1;planerad\n").encode(), [],
     "rad 2: slutdatum före startdatum"),
    ("activities", "agare.csv", (ACT_HEADER + "A-9;T1;x;regionen;2022-01-01;2022-02-01;1;planerad\n").encode(), [],
     "rad 2, kolumn 'ägare': ska vara en av: polis, kommun, gemensamt (värde: 'regionen')"),
    ("activities", "negativ.csv", (ACT_HEADER + "A-9;T1;x;polis;2022-01-01;2022-02-01;-3;planerad\n").encode(), [],
     "rad 2, kolumn 'planerat antal': måste vara minst 0"),
    ("activities", "heltal.csv", (ACT_HEADER + "A-9;T1;x;polis;2022-01-01;2022-02-01;2,5;planerad\n").encode(), [],
     "rad 2, kolumn 'planerat antal': måste vara ett heltal (värde: '2,5')"),
    ("activities", "atagande.csv", (ACT_HEADER + "A-9;X9;x;polis;2022-01-01;2022-02-01;1;planerad\n").encode(), [],
     "rad 2, kolumn 'åtagande': okänt åtagande: finns inte i databasen (värde: 'X9')"),
    ("activities", "dubblett.csv", (ACT_HEADER + "A-9;T1;x;polis;2022-01-01;2022-02-01;1;planerad\n"
                                    "A-9;T1;y;polis;2022-01-01;2022-02-01;1;planerad\n").encode(), [],
     "rad 3, kolumn 'id': samma id som rad 2"),
    ("activities", "status.csv", (ACT_HEADER + "A-9;T1;x;polis;2022-01-01;2022-02-01;1;kanske\n").encode(), [],
     "rad 2, kolumn 'status': ska vara en av: planerad, pågår, genomförd, inställd"),
    ("reports", "aktivitet.csv", (REP_HEADER + "R1;A-999;2022-03-01;1;2;Torget;;\n").encode(), [],
     "rad 2, kolumn 'aktivitet': okänd aktivitet: finns inte i databasen (värde: 'A-999')"),
    ("reports", "paris.csv", (REP_HEADER + "R1;A-001;2022-03-01;1;2;Paris;48,85;2,35\n").encode(), [],
     "rad 2: punkten 48.85, 2.35 ligger inte i Sverige"),
    ("reports", "halv.csv", (REP_HEADER + "R1;A-001;2022-03-01;1;2;Torget;58,95;\n").encode(), [],
     "rad 2: lat och lon måste anges tillsammans"),
    ("reports", "timmar.csv", (REP_HEADER + "R1;A-001;2022-03-01;1;två;Torget;;\n").encode(), [],
     "rad 2, kolumn 'timmar': är inget tal (värde: 'två')"),
    ("incidents", "plats.csv", (INC_HEADER + "H1;2022-03-01 12:00;Stöld;;;\n").encode(), [],
     "rad 2: ange antingen lat/lon eller en områdeskod"),
    ("incidents", "tid.csv", (INC_HEADER + "H1;igår kväll;Stöld;58,95;16,75;\n").encode(), [],
     "rad 2, kolumn 'tid': är ingen tidpunkt"),
    ("incidents", "omrade.csv", (INC_HEADER + "H1;2022-03-01 12:00;Stöld;;;9999-99\n").encode(), [],
     "rad 2, kolumn 'områdeskod': okänd områdeskod"),
    ("presence", "ordning.csv", (PRE_HEADER + "polis;2022-03-01 22:00;2022-03-01 20:00;Torget;58,95;16,75\n")
     .encode(), [], "rad 2: sluttiden måste vara efter starttiden"),
    ("presence", "aktor.csv", (PRE_HEADER + "väktare;2022-03-01 20:00;2022-03-01 22:00;Torget;58,95;16,75\n")
     .encode(), [], "rad 2, kolumn 'aktör': ska vara en av"),
    ("presence", "lang.csv", (PRE_HEADER + "polis;2022-03-01 20:00;2022-03-03 22:00;Torget;58,95;16,75\n")
     .encode(), [], "rad 2: ett pass kan vara högst 24 timmar"),
    ("indicators", "period.csv", (IND_HEADER + "otrygga_kvall;2022-H3;25\n").encode(), [],
     "rad 2, kolumn 'period': är ingen period"),
    ("indicators", "varde.csv", (IND_HEADER + "otrygga_kvall;2022;mycket\n").encode(), [],
     "rad 2, kolumn 'värde': är inget tal (värde: 'mycket')"),
    ("polisen", "trasig.json", b"[{\"id\": 1,", [], "trasig.json: ingen giltig JSON"),
    ("polisen", "tid.json", feed(datetime="igår"), [], "rad 1, kolumn 'datetime': datetime har okänt format"),
    ("polisen", "id.json", feed(id=None), [], "rad 1, kolumn 'id': saknas"),
    ("polisen", "objekt.json", b'{"hej": "hopp"}', [], "rad 1, kolumn 'type': saknas"),
    ("bra", "bra-2022.csv", "\ufeffKommun;Brott\nEkviken;12\n".encode(), [], "väntade Brås rubriker"),
    ("bra", "bra.csv", "\ufeffKommun;Antal;Per 100 000 inv.\nEkviken;4 321;10 480\n".encode(), [],
     "ange vilket år filen gäller"),
    ("bra", "bra-2021.csv", "Kommun;Antal;Per 100 000 inv.\nEkviken;många;10 480\n".encode(), [],
     "rad 2, kolumn 'Antal': är inget tal (värde: 'många')"),
    ("areas", "lista.geojson", b"[1, 2, 3]", [], "väntade en GeoJSON FeatureCollection"),
    ("areas", "punkt.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kod": "X1", "namn": "Torget"},
         "geometry": {"type": "Point", "coordinates": [16.75, 58.95]}}]}).encode(), [],
     "rad 1, kolumn 'geometry': ska vara en polygon, inte Point (värde: 'X1')"),
    ("areas", "paris.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kod": "X1", "namn": "Paris"},
         "geometry": {"type": "Polygon", "coordinates": [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]]}}]})
     .encode(), [], "ligger inte i Sverige"),
]  # fmt: skip


def snapshot(engine) -> dict:
    return {"counts": q.table_counts(engine), "batches": q.import_batches(engine)["id"].tolist()}


@pytest.mark.parametrize(("kind", "name", "content", "extra", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_written(sample_engine, tmp_path, kind, name, content, extra, expected):
    before = snapshot(sample_engine)
    path = tmp_path / name
    path.write_bytes(content)
    messages: list[str] = []
    code = run(["import", kind, str(path), "--database", str(sample_engine.url.render_as_string(False)), *extra],
               out_err=messages.append)  # fmt: skip
    assert code == 1
    assert "Traceback" not in " ".join(messages)
    assert snapshot(sample_engine) == before


def test_cli_names_row_and_column(sample_engine, tmp_path, capsys):
    for kind, name, content, extra, expected in CASES:
        path = tmp_path / name
        path.write_bytes(content)
        run(["import", kind, str(path), "--database", sample_engine.url.render_as_string(False), *extra])
        captured = capsys.readouterr()
        assert expected in captured.err, (name, captured.err)


def test_there_are_at_least_25_cases():
    assert len(CASES) >= 25


def test_too_many_rows_and_too_large(sqlite_sample, tmp_path, monkeypatch, capsys):
    before = snapshot(sqlite_sample)
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    path = tmp_path / "lang.csv"
    path.write_bytes((ACT_HEADER + "A;T1;x;polis;2022-01-01;2022-02-01;1;planerad\n" * 4).encode())
    assert run(["import", "activities", str(path), "--database", sqlite_sample.url.render_as_string(False)]) == 1
    assert "för många rader (4, högst 3)" in capsys.readouterr().err
    monkeypatch.setattr(reading, "MAX_BYTES", 10)
    assert run(["import", "activities", str(path), "--database", sqlite_sample.url.render_as_string(False)]) == 1
    assert "filen är för stor" in capsys.readouterr().err
    assert snapshot(sqlite_sample) == before


KINDS = ["activities", "reports", "incidents", "polisen", "presence", "indicators", "bra", "areas"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(KINDS), content=st.binary(max_size=400))
def test_random_bytes_never_crash_and_never_write(sqlite_sample, tmp_path, kind, content):
    before = snapshot(sqlite_sample)
    path = tmp_path / "slump-2022.csv"
    path.write_bytes(content)
    messages: list[str] = []
    code = run(["import", kind, str(path), "--database", sqlite_sample.url.render_as_string(False)],
               out_err=messages.append)  # fmt: skip
    assert code in (0, 1)
    assert all(not m.startswith("lofte: fel: ") or "Error:" not in m for m in messages), messages
    assert snapshot(sqlite_sample) == before


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
csv_like = st.lists(st.lists(cell, min_size=1, max_size=9), min_size=1, max_size=8).map(
    lambda rows: "\n".join(";".join(r) for r in rows)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["activities", "reports", "incidents", "presence", "indicators", "bra"]),
       body=csv_like, header=st.booleans(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))  # fmt: skip
def test_csv_shaped_garbage_never_crashes_and_never_writes(sqlite_sample, tmp_path, kind, body, header, encoding):
    before = snapshot(sqlite_sample)
    heads = {"activities": ACT_HEADER, "reports": REP_HEADER, "incidents": INC_HEADER, "presence": PRE_HEADER,
             "indicators": IND_HEADER, "bra": "Kommun;Antal;Per 100 000 inv.\n"}  # fmt: skip
    text = (heads[kind] if header else "") + body
    path = tmp_path / "skrap-2022.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    messages: list[str] = []
    code = run(["import", kind, str(path), "--database", sqlite_sample.url.render_as_string(False)],
               out_err=messages.append)  # fmt: skip
    assert code in (0, 1)
    assert not any("Error:" in m for m in messages), messages
    assert snapshot(sqlite_sample) == before

"""The column-wise import of incident CSVs (``ingest/bulk.py``) against the row-by-row path it
replaced, on SQLite and PostgreSQL: the same problems word for word, the same counts and notes, and
the same rows written; chunk borders, duplicates across chunks, a refused file that writes nothing,
undo, and a CLI file larger than the upload limit."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from dbtools import dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from lofte_metrics.access.roles import Actor
from lofte_metrics.cli import run
from lofte_metrics.db import init_db, make_engine
from lofte_metrics.ingest import bulk, changes, reading
from lofte_metrics.ingest.importer import ImportRefused, Preview, commit, prepare, undo
from lofte_metrics.ingest.plans import dedupe, lookups, plan_table, resolve_scope
from lofte_metrics.models import Incident
from lofte_metrics.sample import load_sample

ACTOR = Actor.system("test")
HEADER = ["källa", "id", "tid", "typ", "lat", "lon", "områdeskod", "plats", "sammanfattning", "platsprecision"]

TEXT = st.sampled_from(["Torget", "Björkdals centrum", "  två  mellanslag ", "tab\tinne", "nbsp\u00a0här", "\x07ljud",
                        "", " ", "ünïcode ✓", "a" * 201, "rad\nbrytning", 'citat "inne"', "semi;kolon"])  # fmt: skip
IDS = st.sampled_from(["A1", "A2", "A3", "B-7", " A1 ", "", "x" * 81, "Ä1"])
SOURCES = st.sampled_from(["", "egen", "polis", "  egen ", "k" * 41])
TIMES = st.sampled_from([
    "2022-06-07 18:30", "2022-06-07T18:30:15", "2022-06-07T18:30+02:00", "2022-06-07T16:30Z", "2022-6-7 8.30",
    "7 juni 2022 18:30", "2022-10-30 02:30", "2022-10-30T02:30:00+01:00", "2022-03-27 02:30", "2022-02-30 10:00",
    "2022-06-07 25:00", "2022-06-07", "igår", "", "2022-06-07T18:30:00.5+02:00", "20220607", "45000,5",
])  # fmt: skip
TYPES = st.sampled_from(["Skadegörelse", "skadegörelse", "  Misshandel ", "Rån, väpnat", "Helt ny typ", "", "t" * 121])
LATS = st.sampled_from(["58.95", "58,93", "58.9602", "", "70.5", "abc", "58.9", " 58.9 ", "1e1", "5 8,9", "58.9512345"])
LONS = st.sampled_from(["16.60", "16,75", "16.5066", "", "12.0"])
AREAS = st.sampled_from(["", "0499-01", "0499-05", "9999-99", " 0499-08 "])
PRECISIONS = st.sampled_from(["", "punkt", "Område", "kommundel", "kommun", "län", "exakt", "ungefär"])

ROW = st.tuples(SOURCES, IDS, TIMES, TYPES, LATS, LONS, AREAS, TEXT, TEXT, PRECISIONS)


def csv_bytes(rows: list[tuple[str, ...]], blank_every: int = 0, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for i, row in enumerate(rows):
        if blank_every and i % blank_every == 0:
            out.write(";;;  ;\r\n")
        writer.writerow(row)
    return out.getvalue().encode(encoding)


def row_by_row(engine: Engine, data: bytes, name: str) -> Preview:
    """What ``prepare`` did before the column-wise path: one pydantic row and one plan at a time."""
    with Session(engine) as session:
        session.info["read_only"] = True
        scope = resolve_scope(session, None)
        look = lookups(session, scope)
        table = reading.read_table(data, name)
        planned, problems, notes = plan_table(session, "incidents", table, name, scope, look, None)
        planned = dedupe(planned, keep_last=False, problems=problems, what="id")
        preview = Preview("incidents", name, data, len(table.rows), planned, problems, scope, notes, table=table)
        plan = changes.Plan(planned)
        changes.count(session, plan)
        preview.by_target = plan.by_target
    return preview


def same_preview(engine: Engine, data: bytes) -> tuple[Preview, Preview]:
    old = row_by_row(engine, data, "f.csv")
    new = prepare(engine, "incidents", data, "f.csv")
    assert new.bulk and not old.bulk
    assert new.problem_lines() == old.problem_lines()
    assert new.notes == old.notes
    assert new.total == old.total
    assert (new.new, new.changed, new.unchanged) == (old.new, old.changed, old.unchanged)
    return old, new


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bulk") / "sample.db"
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    load_sample(engine)
    engine.dispose()
    return path


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 7)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=40), blank_every=st.sampled_from([0, 3]))
def test_random_files_give_the_same_problems_counts_and_rows_as_row_by_row(template_db, tmp_path, small_chunks,
                                                                          rows, blank_every):  # fmt: skip
    data = csv_bytes(rows, blank_every)
    paths = []
    for name in ("old.db", "new.db"):
        paths.append(tmp_path / name)
        shutil.copy(template_db, paths[-1])
    old_engine, new_engine = (make_engine(f"sqlite:///{p}") for p in paths)
    try:
        old, new = same_preview(old_engine, data)
        if old.valid_rows:
            a = commit(old_engine, old, actor=ACTOR, valid_only=True)
            b = commit(new_engine, new, actor=ACTOR, valid_only=True)
            assert (a.inserted, a.updated, a.unchanged, a.rejected) == (b.inserted, b.updated, b.unchanged, b.rejected)
            assert a.rejected_file == b.rejected_file
            assert dump(old_engine)["incident"] == dump(new_engine)["incident"]
    finally:
        old_engine.dispose()
        new_engine.dispose()


def tricky_rows() -> list[tuple[str, ...]]:
    """Every shape the random test draws from, and a second chunk that changes and repeats rows."""
    rows = []
    times = ["2022-06-07 18:30", "2022-10-30 02:30", "2022-10-30T02:30:00+01:00", "7 juni 2022 18:30", "igår",
             "2022-03-27 02:30", "2022-06-07T16:30Z"]  # fmt: skip
    for i, when in enumerate(times):
        rows.append(("egen", f"T{i}", when, "Misshandel", "58.95", "16.60", "", "Torget", "", ""))
    for i in range(40):
        rows.append(("", f"P{i}", "2022-05-0" + str(1 + i % 9) + " 12:00", ["Rån", "skadegörelse", "Ny typ"][i % 3],
                     ["58.95", "58,9602", "", "70"][i % 4], ["16.60", "16,5066", "", "16.6"][i % 4],
                     ["", "0499-01", "9999-99", ""][i % 4], "Torget", "Krossad\u00a0ruta" if i % 5 else "",
                     ["", "punkt", "område", "kommun"][i % 4]))  # fmt: skip
    rows.append(("", "P3", "2022-05-01 12:00", "Rån", "58.95", "16.60", "", "Torget", "", ""))  # a repeat
    return rows


def test_a_tricky_file_writes_the_same_rows_and_a_changed_file_the_same_changes(empty_engine, pg, small_chunks):
    engines = [empty_engine, pg.engine() if empty_engine.dialect.name == "postgresql" else
               make_engine(str(empty_engine.url).replace("empty.db", "other.db"))]  # fmt: skip
    for engine in engines:
        init_db(engine)
        load_sample(engine)
    rows = tricky_rows()
    first = csv_bytes(rows, blank_every=4)
    edited = csv_bytes([(r[0], r[1], r[2], "Stöld" if i % 6 == 0 else r[3], *r[4:]) for i, r in enumerate(rows)])
    for data in (first, edited, edited):
        old = row_by_row(engines[0], data, "f.csv")
        new = prepare(engines[1], "incidents", data, "f.csv")
        assert new.problem_lines() == old.problem_lines() and new.problems
        assert (new.new, new.changed, new.unchanged) == (old.new, old.changed, old.unchanged)
        a = commit(engines[0], old, actor=ACTOR, valid_only=True)
        b = commit(engines[1], new, actor=ACTOR, valid_only=True)
        assert (a.inserted, a.updated, a.unchanged) == (b.inserted, b.updated, b.unchanged)
        assert dump(engines[0])["incident"] == dump(engines[1])["incident"]
    assert (b.inserted, b.updated) == (0, 0) and b.batch_id is None  # the same file again writes nothing
    for engine in engines:  # the edit, then the first import: the sample's rows again
        for _ in range(2):
            undo(engine, last_incident_batch(engine), ACTOR)
        assert count(engine) == 5370


def last_incident_batch(engine: Engine) -> int:
    from lofte_metrics.models import ImportBatch

    with Session(engine) as session:
        return int(session.scalar(select(func.max(ImportBatch.id)).where(
            ImportBatch.kind == "incidents", ImportBatch.undone_at.is_(None), ImportBatch.file_name == "f.csv")))


def count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Incident)))


def test_a_problem_in_the_last_chunk_means_nothing_is_written_and_undo_takes_every_row(empty_engine, small_chunks):
    init_db(empty_engine)
    load_sample(empty_engine)
    before = count(empty_engine)
    good = [("egen", f"G{i}", "2022-06-07 18:30", "Rån", "58.95", "16.60", "", "", "", "") for i in range(30)]
    data = csv_bytes([*good, ("egen", "G99", "igår", "Rån", "58.95", "16.60", "", "", "", "")])
    with pytest.raises(bulk.Refused) as refused:
        bulk.bulk_import(empty_engine, io.BytesIO(data), "f.csv", actor=ACTOR)
    assert [p.row for p in refused.value.result.problems] == [32]
    assert count(empty_engine) == before  # the first four chunks were written, then rolled back
    preview = prepare(empty_engine, "incidents", data, "f.csv")
    with pytest.raises(ImportRefused, match="1 fel, inget är inläst"):
        commit(empty_engine, preview, actor=ACTOR)
    outcome = commit(empty_engine, preview, actor=ACTOR, valid_only=True)
    assert (outcome.inserted, outcome.rejected) == (30, 1)
    rejected = outcome.rejected_file.decode("utf-8-sig")
    assert "igår" in rejected and "är ingen tidpunkt" in rejected
    assert count(empty_engine) == before + 30
    assert "30 rader borttagna" in undo(empty_engine, outcome.batch_id, ACTOR)
    assert count(empty_engine) == before


def test_the_command_line_streams_a_file_larger_than_the_upload_limit(tmp_path, monkeypatch, capsys):
    """The web upload keeps its limits and says so; ``lofte import`` reads an incidents CSV of any size."""
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert run(["--database", url, "sample"]) == 0
    monkeypatch.setattr(reading, "MAX_BYTES", 2_000)
    monkeypatch.setattr(bulk, "MAX_ROWS", 50)
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 64)
    rows = [("stor", f"S{i}", "2022-06-07 18:30", "Rån", "58.95", "16.60", "", "Torget", "", "") for i in range(500)]
    path = tmp_path / "stor.csv"
    path.write_bytes(csv_bytes(rows))
    engine = make_engine(url)
    with pytest.raises(reading.FileProblem, match="för stor"):
        prepare(engine, "incidents", path.read_bytes(), path.name)
    monkeypatch.setattr(reading, "MAX_BYTES", 10**9)
    with pytest.raises(reading.FileProblem, match="för många rader .*lofte import"):
        prepare(engine, "incidents", path.read_bytes(), path.name)
    monkeypatch.setattr(reading, "MAX_BYTES", 2_000)
    assert run(["--database", url, "import", "incidents", str(path), "--user", "test"]) == 0
    assert "500 nya" in capsys.readouterr().out
    assert run(["--database", url, "import", "incidents", str(path), "--user", "test"]) == 0
    assert "Inget nytt i stor.csv: alla 500 rader finns redan" in capsys.readouterr().out
    with Session(engine) as session:
        assert session.scalar(select(func.count()).where(Incident.source == "stor")) == 500
    engine.dispose()


def test_a_header_on_two_lines_or_a_quote_never_closed_goes_the_row_by_row_way(sqlite_sample):
    two_lines = b'"id\n";tid;typ;lat;lon\n1;2022-06-07 18:30;R\xc3\xa5n;58.95;16.60\n'
    with pytest.raises(reading.FileProblem) as new:
        prepare(sqlite_sample, "incidents", two_lines, "f.csv")
    with pytest.raises(reading.FileProblem) as old:
        row_by_row(sqlite_sample, two_lines, "f.csv")
    assert str(new.value) == str(old.value) and "kolumn saknas" in str(new.value)
    never_closed = b'id;tid;typ;lat;lon\n1;2022-06-07 18:30;R\xc3\xa5n;58.95;"16.60\n'
    preview = prepare(sqlite_sample, "incidents", never_closed, "f.csv")
    assert not preview.bulk
    assert preview.problem_lines() == row_by_row(sqlite_sample, never_closed, "f.csv").problem_lines()

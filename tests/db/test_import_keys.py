"""Comparing a file with what is stored, at the size where the lookup goes through a temporary
key table (more than ``FEW_KEYS`` rows): the same counts and rows as before, and a re-import of an
unchanged file writes nothing, also for events in the repeated hour of the autumn clock change."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from dbtools import dump
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lofte_metrics.access.roles import Actor
from lofte_metrics.db import init_db
from lofte_metrics.ingest import changes
from lofte_metrics.ingest.importer import import_file, prepare, undo
from lofte_metrics.ingest.plans import _taken_elsewhere
from lofte_metrics.models import Incident
from lofte_metrics.sample import SAMPLE_DIR, load_sample

ROWS = 1_200
#: 02:30 on 30 October 2022 happened twice in Stockholm: first in summer time, then in winter time
REPEATED_HOUR = [("DST-1", "2022-10-30T02:30:00+02:00"), ("DST-2", "2022-10-30T02:30:00+01:00"),
                 ("DST-3", "2022-10-30 02:30"), ("DST-4", "2022-10-30T00:45:00Z")]  # fmt: skip


@pytest.fixture
def engine(empty_engine):
    init_db(empty_engine)
    load_sample(empty_engine)
    return empty_engine


def incidents_csv(changed_types: dict[str, str] | None = None) -> bytes:
    rows = [
        r for r in csv.DictReader((SAMPLE_DIR / "incidents.csv").open(encoding="utf-8")) if r["precision"] == "punkt"
    ]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["källa", "id", "tid", "typ", "lat", "lon", "plats"])
    picked = rows[: ROWS - len(REPEATED_HOUR)]
    for r in picked:
        kind = (changed_types or {}).get(r["source_id"], r["type"])
        writer.writerow(["nycklar", r["source_id"], r["occurred_at"], kind, r["lat"], r["lon"], r["place_name"]])
    for ident, when in REPEATED_HOUR:
        writer.writerow(["nycklar", ident, when, "Misshandel", "58.95", "16.60", "Torget"])
    return out.getvalue().encode("utf-8")


def test_many_keys_are_compared_through_a_key_table_and_an_unchanged_file_writes_nothing(engine):
    data = incidents_csv()
    assert ROWS > changes.FEW_KEYS
    preview, first = import_file(engine, "incidents", data, "nycklar.csv", actor=Actor.system("test"))
    assert not preview.problems
    assert (first.inserted, first.updated, first.unchanged) == (ROWS, 0, 0)
    with Session(engine) as session:
        times = dict(session.execute(select(Incident.source_id, Incident.occurred_at)
                                     .where(Incident.source_id.like("DST-%"))).all())  # fmt: skip
    utc = {k: (t.astimezone(dt.UTC) if t.tzinfo else t).strftime("%H:%M") for k, t in times.items()}
    # the repeated hour's two 02:30s are two instants; a local time without offset is the first one
    assert utc == {"DST-1": "00:30", "DST-2": "01:30", "DST-3": "00:30", "DST-4": "00:45"}
    before = dump(engine)

    again = prepare(engine, "incidents", data, "nycklar.csv")
    assert again.by_target["incident"] == changes.Counts(0, 0, ROWS)
    _, outcome = import_file(engine, "incidents", data, "nycklar.csv", actor=Actor.system("test"))
    assert outcome.batch_id is None and (outcome.inserted, outcome.updated, outcome.unchanged) == (0, 0, ROWS)
    assert dump(engine) == before

    edited = incidents_csv({"PR-000007": "Misshandel", "PR-000006": "Rån"})
    preview = prepare(engine, "incidents", edited, "nycklar.csv")
    assert preview.by_target["incident"] == changes.Counts(0, 2, ROWS - 2)
    _, outcome = import_file(engine, "incidents", edited, "nycklar.csv", actor=Actor.system("test"))
    assert (outcome.inserted, outcome.updated, outcome.unchanged) == (0, 2, ROWS - 2)
    with Session(engine) as session:
        mine = select(Incident.source_id, Incident.type).where(Incident.source == "nycklar")
        kinds = dict(session.execute(mine.where(Incident.source_id.like("PR-00000%"))).all())
    assert kinds["PR-000007"] == "Misshandel" and kinds["PR-000006"] == "Rån"
    undo(engine, outcome.batch_id, Actor.system("test"))
    assert dump(engine) == before


def test_the_key_table_and_in_lists_find_the_same_rows(engine, monkeypatch):
    """The lookup for a few keys (IN) and for many (a temporary table) agree, key for key."""
    import_file(engine, "incidents", incidents_csv(), "nycklar.csv", actor=Actor.system("test"))
    target = changes.TARGETS["incident"]
    keys = [("nycklar", f"PR-{i:06d}") for i in range(0, 3000)] + [("nycklar", "DST-2"), ("saknas", "x")]
    with Session(engine) as session:
        many = changes.stored_values(session, target, keys, ["type", "occurred_at", "cell"])
        # seen from another kommun, the same keys are taken by Ekviken
        taken_many = _taken_elsewhere(session, Incident, ("source", "source_id"), keys, "0580")
        monkeypatch.setattr(changes, "FEW_KEYS", 10**9)
        few = changes.stored_values(session, target, keys, ["type", "occurred_at", "cell"])
        taken_few = _taken_elsewhere(session, Incident, ("source", "source_id"), keys, "0580")
        mine = select(func.count()).select_from(Incident).where(Incident.source == "nycklar")
        stored = session.scalar(mine.where(Incident.source_id.like("PR-%")))
    assert many == few
    assert taken_many == taken_few == dict.fromkeys(many, "0499")
    assert len(many) == stored + 1 and ("saknas", "x") not in many


def test_a_large_import_refreshes_the_planners_statistics(engine, monkeypatch):
    """After many rows the planner is told (ANALYZE): PostgreSQL otherwise plans for the old table."""
    from sqlalchemy import text

    from lofte_metrics import db

    def analysed() -> bool:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                return bool(conn.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'incident'")).scalar())
            return conn.execute(text("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
                                     "WHERE relname = 'incident'")).scalar()  # fmt: skip

    monkeypatch.setattr(db, "ANALYZE_AFTER_ROWS", 1_000)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE sqlite_schema"))  # makes sqlite_stat1 without the incident table
    assert not analysed()
    _, outcome = import_file(engine, "incidents", incidents_csv(), "nycklar.csv", actor=Actor.system("test"))
    assert outcome.inserted == ROWS and analysed()


def test_a_long_import_says_how_far_it_has_come(engine):
    heard: list[tuple[str, float]] = []
    import_file(engine, "incidents", incidents_csv(), "nycklar.csv", actor=Actor.system("test"),
                progress=lambda step, share: heard.append((step, share)))  # fmt: skip
    steps = list(dict.fromkeys(step for step, _ in heard))
    # an incidents CSV is checked (the preview), then read again and written, a chunk at a time
    assert steps == ["Läser och kontrollerar", "Läser, kontrollerar och skriver"]
    assert all(0 <= share <= 1 for _, share in heard)
    assert ("Läser och kontrollerar", 1.0) in heard and heard[-1] == ("Läser, kontrollerar och skriver", 1.0)

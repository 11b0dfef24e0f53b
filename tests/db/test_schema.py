"""Migrations and constraints on both backends."""

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, StatementError

from lofte_metrics.db import current_revision, head_revision, init_db, session_scope
from lofte_metrics.models import Activity, Area, Base, Incident, Kommun, Presence

UTC = dt.UTC


def test_migration_from_empty_database_matches_the_models(empty_engine):
    init_db(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    with empty_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    tables = set(inspect(empty_engine).get_table_names())
    assert {
        "promise",
        "incident",
        "presence",
        "activity_report",
        "import_batch",
        "situation_picture",
    } <= tables
    init_db(empty_engine)  # upgrading a current schema is a no-op
    assert current_revision(empty_engine) == head_revision()


def _kommun(engine, code="0499"):
    with session_scope(engine) as session:
        session.add(Kommun(code=code, name="Ekviken", official_name="Ekvikens kommun",
                           created_at=dt.datetime(2022, 1, 1, tzinfo=UTC)))  # fmt: skip


def _incident(**overrides):
    values = dict(
        kommunkod="0499",
        source="x",
        source_id="1",
        occurred_at=dt.datetime(2022, 5, 1, 12, tzinfo=UTC),
        local_date=dt.date(2022, 5, 1),
        type="Stöld",
        lat=58.9,
        lon=16.7,
        precision="punkt",
    )
    values.update(overrides)
    return Incident(**values)


@pytest.mark.parametrize(
    "bad",
    [
        {"precision": "gata"},
        {"lat": 48.85, "lon": 2.35},  # Paris is not in Sweden
        {"lat": 58.9, "lon": None},
    ],
)
def test_incident_constraints(empty_engine, bad):
    init_db(empty_engine)
    _kommun(empty_engine)
    with pytest.raises(IntegrityError), session_scope(empty_engine) as session:
        session.add(_incident(**bad))


def test_duplicate_source_id_is_refused(empty_engine):
    init_db(empty_engine)
    _kommun(empty_engine)
    with session_scope(empty_engine) as session:
        session.add(_incident())
    with pytest.raises(IntegrityError), session_scope(empty_engine) as session:
        session.add(_incident())


def test_naive_datetimes_are_refused(empty_engine):
    init_db(empty_engine)
    _kommun(empty_engine)
    with pytest.raises(StatementError, match="naive datetime"), session_scope(empty_engine) as session:
        session.add(_incident(occurred_at=dt.datetime(2022, 5, 1, 12)))


def test_times_come_back_aware_in_utc(empty_engine):
    init_db(empty_engine)
    _kommun(empty_engine)
    stockholm = dt.timezone(dt.timedelta(hours=2))
    with session_scope(empty_engine) as session:
        session.add(_incident(occurred_at=dt.datetime(2022, 5, 1, 14, 30, tzinfo=stockholm)))
    with session_scope(empty_engine) as session:
        got = session.query(Incident).one().occurred_at
    assert got == dt.datetime(2022, 5, 1, 12, 30, tzinfo=UTC) and got.utcoffset() == dt.timedelta(0)


def test_presence_must_end_after_it_starts(empty_engine):
    init_db(empty_engine)
    start = dt.datetime(2022, 5, 1, 12, tzinfo=UTC)
    with pytest.raises(IntegrityError), session_scope(empty_engine) as session:
        session.add(Presence(kommunkod="0499", actor_kind="polis", started_at=start, ended_at=start,
                             local_date=start.date(), hours=1))  # fmt: skip


def test_enumerations_and_kommunkod(empty_engine):
    init_db(empty_engine)
    with pytest.raises(IntegrityError), session_scope(empty_engine) as session:
        session.add(Area(code="x", name="x", kind="kommundel", kommunkod="499"))
    with pytest.raises(IntegrityError), session_scope(empty_engine) as session:
        session.execute(
            text(
                "INSERT INTO activity (promise_id, ref, commitment_id, title, owner, planned_start, planned_end,"
                " planned_count, status) VALUES (1, 'a', 1, 't', 'region', '2022-01-01', '2022-02-01',"
                " 1, 'planerad')"
            )
        )
    assert Activity.__table__.c.status is not None


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path):
    from lofte_metrics.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"

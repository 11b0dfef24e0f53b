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


def test_upgrading_a_one_kommun_database_from_0001_keeps_and_scopes_its_rows(empty_engine):
    """A database written before kommuner were scoped: every row finds its kommun."""
    from alembic import command

    from lofte_metrics.db import alembic_config

    command.upgrade(alembic_config(empty_engine), "0001")
    ts = "2022-05-01 12:00:00"
    statements = [
        "INSERT INTO area (id, code, name, kind, kommunkod) VALUES (1, '0580', 'Linköpings kommun', 'kommun', '0580')",
        "INSERT INTO area (id, code, name, kind, kommunkod, parent_id) VALUES (2, '0580-01', 'Centrum', 'kommundel', "
        "'0580', 1)",
        "INSERT INTO promise (id, title, kommunkod, kommun_name, police_area, period_start, period_end) VALUES "
        "(1, 'Medborgarlöfte 2022', '0580', 'Linköping', 'LPO Linköping', '2022-01-01', '2022-12-31')",
        "INSERT INTO focus_area (id, promise_id, key, name, sort_order) VALUES (1, 1, 'trygghet', 'Trygghet', 0)",
        "INSERT INTO commitment (id, focus_area_id, ref, owner, text) VALUES (1, 1, 'T1', 'polis', 'Närvaro')",
        "INSERT INTO activity (id, ref, commitment_id, title, owner, planned_start, planned_end, planned_count, "
        "status) VALUES (1, 'A-1', 1, 'Pass', 'polis', '2022-01-01', '2022-03-31', 3, 'planerad')",
        "INSERT INTO incident_type (name, focus_key, sensitive) VALUES ('Misshandel', 'trygghet', false)",
        f"INSERT INTO incident (id, source, source_id, occurred_at, local_date, type, lat, lon, precision, area_id) "
        f"VALUES (1, 'x', '1', '{ts}', '2022-05-01', 'Misshandel', 58.41, 15.62, 'punkt', 2)",
        f"INSERT INTO incident (id, source, source_id, occurred_at, local_date, type, precision) VALUES "
        f"(2, 'x', '2', '{ts}', '2022-05-01', 'Misshandel', 'kommun')",
        "INSERT INTO indicator (id, key, name, higher_is_better) VALUES (1, 'otrygga', 'Andel otrygga', false)",
        f"INSERT INTO situation_picture (id, promise_id, period_label, period_start, period_end, texts, approved_at, "
        f"approved_by) VALUES (1, 1, 'Maj 2022', '2022-05-01', '2022-05-31', '{{}}', '{ts}', 'Styrgruppen')",
    ]
    with empty_engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    init_db(empty_engine)  # 0001 -> head
    with empty_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        kommun = conn.execute(text("SELECT code, name, official_name, lan_name, police_area FROM kommun")).all()
        assert [tuple(r) for r in kommun] == [("0580", "Linköping", "Linköpings kommun", "Östergötlands län",
                                               "LPO Linköping")]  # fmt: skip
        assert conn.execute(text("SELECT kommunkod FROM incident ORDER BY id")).scalars().all() == ["0580", "0580"]
        assert conn.execute(text("SELECT ref FROM promise")).scalar() == "2022"
        assert conn.execute(text("SELECT promise_id FROM commitment")).scalar() == 1
        assert conn.execute(text("SELECT promise_id FROM activity")).scalar() == 1
        types = conn.execute(text("SELECT kommunkod, name, focus_key, classified FROM incident_type")).all()
        assert [tuple(r) for r in types] == [("0580", "Misshandel", "trygghet", True)]
        picture = conn.execute(text("SELECT kommunkod, version, status, period_kind FROM situation_picture")).one()
        assert tuple(picture) == ("0580", 1, "godkänd", "månad")
        assert conn.execute(text("SELECT kommunkod FROM indicator")).scalar() == "0580"

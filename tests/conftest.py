"""Shared fixtures: the sample kommun loaded into SQLite and into a throwaway PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, text

from lofte_metrics.db import init_db, make_engine
from lofte_metrics.sample import SAMPLE_DIR, load_sample

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PG_ADMIN_URL = os.environ.get("LOFTE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _pg_available() -> str | None:
    """None when the server answers, else the reason it does not."""
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"no PostgreSQL server answers at {PG_ADMIN_URL}: {str(exc).splitlines()[0]}"


class PgDatabases:
    """Creates throwaway databases on the test server and drops them at the end."""

    def __init__(self) -> None:
        self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.names: list[str] = []
        self.engines: list[Engine] = []

    def create(self) -> str:
        name = f"lofte_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    def engine(self) -> Engine:
        engine = make_engine(self.create())
        self.engines.append(engine)
        return engine

    def drop_all(self) -> None:
        for engine in self.engines:
            engine.dispose()
        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg() -> Iterator[PgDatabases]:
    reason = _pg_available()
    if reason:
        pytest.skip(reason)
    dbs = PgDatabases()
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def sqlite_sample(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = tmp_path_factory.mktemp("sqlite") / "sample.db"
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    load_sample(engine)
    return engine


@pytest.fixture(scope="session")
def pg_sample(pg: PgDatabases) -> Engine:
    engine = pg.engine()
    init_db(engine)
    load_sample(engine)
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sample_engine(request: pytest.FixtureRequest) -> Engine:
    """The sample kommun, on each backend in turn."""
    return request.getfixturevalue("sqlite_sample" if request.param == "sqlite" else "pg_sample")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    """A fresh, empty database on each backend in turn."""
    if request.param == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    return request.getfixturevalue("pg").engine()


# --------------------------------------------------------------------------- independent truth


@pytest.fixture(scope="session")
def truth() -> SampleTruth:
    return SampleTruth(SAMPLE_DIR)


class SampleTruth:
    """Figures computed straight from the sample files with pandas, not through the query layer."""

    def __init__(self, directory: Path) -> None:
        self.incidents = pd.read_csv(directory / "incidents.csv", dtype={"area_code": str})
        stamps = pd.to_datetime(self.incidents["occurred_at"], utc=True).dt.tz_convert("Europe/Stockholm")
        self.incidents["day"] = stamps.dt.date
        types = pd.read_csv(directory / "incident_types.csv").fillna({"focus_key": ""})
        self.focus = dict(zip(types["type"], types["focus_key"], strict=True))
        self.sensitive = set(types.loc[types["sensitive"] == 1, "type"])
        self.incidents["focus"] = self.incidents["type"].map(self.focus)
        self.presence = pd.read_csv(directory / "presence.csv")
        start = pd.to_datetime(self.presence["started_at"], utc=True)
        end = pd.to_datetime(self.presence["ended_at"], utc=True)
        self.presence["hours"] = (end - start).dt.total_seconds() / 3600
        self.presence["day"] = start.dt.tz_convert("Europe/Stockholm").dt.date
        self.activities = pd.read_excel(directory / "promise.xlsx", sheet_name="Aktiviteter", dtype=str).fillna("")
        self.activities.columns = [
            "ref", "commitment_ref", "title", "owner", "responsible_unit", "planned_start", "planned_end",
            "planned_count", "status", "area_code",
        ]  # fmt: skip
        self.activities["planned_count"] = self.activities["planned_count"].astype(int)
        self.reports = pd.read_csv(directory / "activity_reports.csv")
        self.reports["date"] = pd.to_datetime(self.reports["date"]).dt.date

    def incidents_between(self, start, end, focus: str | None = None) -> pd.DataFrame:
        rows = self.incidents[(self.incidents["day"] >= start) & (self.incidents["day"] <= end)]
        if focus is not None:
            rows = rows[rows["focus"] == focus]
        return rows


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """Where tests leave pictures (and files) to look at: tests/screenshots."""
    path = Path(__file__).resolve().parent / "screenshots"
    path.mkdir(exist_ok=True)
    return path

"""The aggregates count first per type (and day, area or cell) and join the type mapping after:
the same numbers as the hand-written floor and as pandas on the raw rows, on the sample kommun and
on random incidents (unknown types, no area, the clock-change days), on both engines."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from lofte_metrics import queries as q
from lofte_metrics.db import init_db
from lofte_metrics.models import Area, Incident, IncidentType
from lofte_metrics.sample import load_sample

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from peers import AGGREGATES  # noqa: E402

PERIODS = [(dt.date(2020, 10, 19), dt.date(2022, 10, 16)), (dt.date(2022, 3, 27), dt.date(2022, 3, 27)),
           (dt.date(2021, 12, 29), dt.date(2022, 1, 4))]  # fmt: skip


@pytest.mark.parametrize("aggregate", AGGREGATES, ids=lambda a: a.name)
@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_on_the_sample_kommun_project_floor_and_pandas_agree(sample_engine, aggregate, start, end):
    f = q.Filters(start, end, kommunkod="0499")
    project = aggregate.project(sample_engine, f)
    assert project and project == aggregate.floor(sample_engine, f) == aggregate.naive(sample_engine, f)


@pytest.fixture
def random_kommun(empty_engine, request):
    """The sample kommun plus random incidents: known and unknown types, with and without an area,
    on every day of 2021-2022 including both clock changes."""
    init_db(empty_engine)
    load_sample(empty_engine)
    rng = np.random.default_rng(request.param)
    with Session(empty_engine) as session:
        types = list(session.scalars(select(IncidentType.name).where(IncidentType.kommunkod == "0499")))
        areas = [*session.scalars(select(Area.id).where(Area.kommunkod == "0499")), None]
    names = [*rng.choice(types, 40).tolist(), "Helt ny typ", "Ännu en okänd typ"]
    days = rng.integers(0, 730, 3000)
    rows = []
    for i, day in enumerate(days):
        local = dt.date(2021, 1, 1) + dt.timedelta(days=int(day))
        rows.append({
            "kommunkod": "0499", "source": str(rng.choice(["slump", "egen"])), "source_id": f"S{request.param}-{i}",
            "occurred_at": dt.datetime.combine(local, dt.time(12), tzinfo=dt.UTC), "local_date": local,
            "type": str(rng.choice(names)), "precision": "område", "area_id": areas[int(rng.integers(len(areas)))],
        })  # fmt: skip
    with empty_engine.begin() as conn:
        conn.execute(insert(Incident), rows)
    return empty_engine


@pytest.mark.parametrize("random_kommun", [1, 2, 3], indirect=True)
def test_on_random_incidents_project_floor_and_pandas_agree(random_kommun):
    for start, end in [(dt.date(2021, 1, 1), dt.date(2022, 12, 31)), (dt.date(2021, 3, 22), dt.date(2021, 4, 4)),
                       (dt.date(2022, 10, 24), dt.date(2022, 11, 6))]:  # fmt: skip
        f = q.Filters(start, end, kommunkod="0499")
        for aggregate in AGGREGATES:
            project = aggregate.project(random_kommun, f)
            assert project == aggregate.floor(random_kommun, f) == aggregate.naive(random_kommun, f), aggregate.name
        # every incident is counted once, the unknown types in no fokusområde
        totals = {
            (None if pd.isna(k) else k): n for k, n in q.incident_totals(random_kommun, f).itertuples(index=False)
        }
        with Session(random_kommun) as session:
            period = select(func.count()).select_from(Incident).where(Incident.local_date.between(start, end))
            everything = session.scalar(period)
            unknown = session.scalar(period.where(Incident.type.in_(["Helt ny typ", "Ännu en okänd typ"])))
        assert sum(totals.values()) == everything
        assert unknown and totals[None] >= unknown

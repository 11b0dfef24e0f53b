"""``lofte generate``: the whole synthetic workload (incidents, presence, activities with their
genomföranden) for the kommun, each kind one undoable batch, incidents with the same derived
values as an import would give them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lofte_metrics.access.roles import Actor
from lofte_metrics.db import init_db
from lofte_metrics.ingest.importer import undo
from lofte_metrics.ingest.plans import incident_values, lookups, resolve_scope
from lofte_metrics.models import Activity, ActivityReport, ImportBatch, Incident, Presence
from lofte_metrics.sample import load_sample
from lofte_metrics.workload import generate


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {m.__tablename__: int(session.scalar(select(func.count()).select_from(m)))
                for m in (Incident, Presence, Activity, ActivityReport)}  # fmt: skip


def test_generate_makes_each_kind_as_one_batch_and_undo_takes_it_back(empty_engine, monkeypatch):
    import lofte_metrics.workload as workload

    monkeypatch.setattr(workload, "CHUNK", 700)  # several chunks of each kind
    init_db(empty_engine)
    load_sample(empty_engine)
    before = counts(empty_engine)
    made = generate(empty_engine, None, incidents=2_500, presence=1_600, activities=90, seed=3)
    after = counts(empty_engine)
    assert (made.incidents, made.presence, made.activities) == (2_500, 1_600, 90) and made.reports > 0
    assert after["incident"] - before["incident"] == 2_500
    assert after["presence"] - before["presence"] == 1_600
    assert after["activity"] - before["activity"] == 90
    assert after["activity_report"] - before["activity_report"] == made.reports
    with Session(empty_engine) as session:
        scope = resolve_scope(session, None)
        look = lookups(session, scope)
        stored = session.scalars(select(Incident).where(Incident.source == "syntetisk").limit(300)).all()
        for row in stored:  # what the row-by-row planner derives from the same row
            again = incident_values({"source": row.source, "source_id": row.source_id, "occurred_at": row.occurred_at,
                                     "type": row.type, "lat": row.lat, "lon": row.lon, "precision": row.precision,
                                     "area_code": None, "place_name": row.place_name, "summary": row.summary},
                                    scope, look)  # fmt: skip
            assert (row.cell, row.local_date) == (again["cell"], again["local_date"])
            if row.precision == "punkt":
                assert row.area_id == again["area_id"]
        batches = session.scalars(select(ImportBatch).where(ImportBatch.source == "syntetisk")
                                  .order_by(ImportBatch.id)).all()  # fmt: skip
        assert [b.kind for b in batches] == ["incidents", "presence", "activities"]
        ids = [b.id for b in batches]
    for batch_id in reversed(ids):
        undo(empty_engine, batch_id, Actor.system("test"))
    assert counts(empty_engine) == before

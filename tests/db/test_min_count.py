"""The kommun's minimum count: set by an administrator, checked, in the audit trail, and obeyed by
every protected number at once."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lofte_metrics import protected
from lofte_metrics import queries as q
from lofte_metrics.access.roles import AccessDenied, Actor
from lofte_metrics.authoring.setup import SetupError, set_min_count, setup_kommun
from lofte_metrics.db import make_engine
from lofte_metrics.models import AuditEvent
from lofte_metrics.privacy import Policy
from lofte_metrics.queries import Filters

ROOT = Actor.system("root")
ADA = Actor("ada@ekviken.se", "Ada", {"0499": frozenset({"administratör"})})
RUT = Actor("rut@ekviken.se", "Rut", {"0499": frozenset({"redaktör"})})


@pytest.fixture
def own(tmp_path, sqlite_sample):
    """A copy of the sample to change."""
    path = tmp_path / "kopia.db"
    with sqlite3.connect(sqlite_sample.url.database) as source, sqlite3.connect(path) as target:
        source.backup(target)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def kommun(engine):
    return next(k for k in q.kommuner(engine) if k.code == "0499")


def test_an_administrator_raises_the_minimum_and_every_map_cell_follows(own):
    f = Filters(dt.date(2022, 1, 1), dt.date(2022, 12, 31), kommunkod="0499")
    before = protected.map_cells(own, f, 8, Policy(kommun(own).min_count, salt=q.privacy_salt(own)))
    assert kommun(own).min_count == 5 and before.shown["count"].min() < 20

    written = set_min_count(own, "0499", "20", actor=ADA)
    assert written.updated == 1 and kommun(own).min_count == 20
    after = protected.map_cells(own, f, 8, Policy(kommun(own).min_count, salt=q.privacy_salt(own)))
    assert after.shown["count"].min() >= 20 and after.hidden_cells > before.hidden_cells
    with Session(own) as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.actor == "ada@ekviken.se" and "Minsta antal 20" in event.what
    assert event.details["changed"][0]["before"] == {"min_count": 5}


def test_only_an_administrator_of_the_kommun_may_change_it(own):
    with pytest.raises(AccessDenied):
        set_min_count(own, "0499", 10, actor=RUT)
    assert kommun(own).min_count == 5


@pytest.mark.parametrize(("value", "message"), [(2, "mellan 3 och 100"), (101, "mellan 3 och 100"),
                                                ("fem", "ett heltal"), ("", "ett heltal")])  # fmt: skip
def test_out_of_range_is_a_message_and_changes_nothing(own, value, message):
    with pytest.raises(SetupError, match=message):
        set_min_count(own, "0499", value, actor=ADA)
    assert kommun(own).min_count == 5


def test_running_the_setup_again_keeps_the_minimum(own):
    set_min_count(own, "0499", 12, actor=ROOT)
    geometry = {"type": "Polygon", "coordinates": [[[16.7, 58.9], [16.8, 58.9], [16.8, 59.0], [16.7, 58.9]]]}
    setup_kommun(own, "0499", actor=ROOT, police_area="LPO Ekviken", name="Ekviken", geometry=geometry)
    assert kommun(own).min_count == 12

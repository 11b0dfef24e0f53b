"""Helpers for database tests: every row of the tables imports touch (to compare before and after),
the default privacy policy of a database."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from lofte_metrics import queries as q
from lofte_metrics.models import Activity, ActivityReport, Area, Incident, IndicatorValue, Presence
from lofte_metrics.privacy import Policy


def dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables imports touch, as comparable tuples."""
    tables = {}
    with Session(engine) as session:
        for model in (Activity, ActivityReport, Incident, Presence, IndicatorValue, Area):
            cols = [c.name for c in model.__table__.columns]
            rows = session.execute(select(*[model.__table__.c[c] for c in cols]).order_by(model.__table__.c.id))
            tables[model.__tablename__] = [tuple(r) for r in rows]
    return tables


def policy_of(engine: Engine) -> Policy:
    """The default policy (minimum 5) with the database's own rounding secret."""
    return Policy(5, salt=q.privacy_salt(engine))

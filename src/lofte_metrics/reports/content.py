"""Everything the report says, gathered once (pure apart from reading the database): the Rapport
page draws it, and the PDF, PowerPoint and Excel files are written from the same object, so the
numbers on the page and in the files are the same numbers.

Every count finer than the kommun comes from ``protected`` with the kommun's policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd
from sqlalchemy import Engine

from .. import protected
from .. import queries as q
from ..activities import activity_table
from ..formatting import STOCKHOLM
from ..indicators import indicator_table
from ..metrics import burn_up, burn_up_done, fill_periods
from ..privacy import Policy
from ..queries import Filters, KommunInfo, PromiseInfo
from ..summary import FocusSummary, Verdict, focus_verdict, overall_verdict, paragraph, summarise

#: the activity table's columns in the report
ACTIVITY_COLUMNS = ["Status", "Aktivitet", "Ägare", "Slut", "Gjort", "Planerat"]


@dataclass(frozen=True)
class FocusPart:
    summary: FocusSummary
    verdict: Verdict
    #: the numbers in words (``summary.paragraph``)
    text: str
    #: incidents per month this period and the same months a year earlier (``count``; NA = hidden)
    monthly: pd.DataFrame
    last_year: pd.DataFrame
    activities: pd.DataFrame

    @property
    def key(self) -> str:
        return self.summary.key

    @property
    def name(self) -> str:
        return self.summary.name


@dataclass(frozen=True)
class Report:
    kommun: KommunInfo
    promise: PromiseInfo | None
    start: dt.date
    #: the period's end, never after the data's last day
    end: dt.date
    as_of: dt.date
    last_import: dt.datetime | None
    made_at: dt.datetime
    min_count: int
    overall: Verdict
    focus: list[FocusPart]
    #: the promise's weekly plan and what is done (cumulative); empty without a promise
    plan: pd.DataFrame
    done: pd.DataFrame
    activities: pd.DataFrame
    #: every indicator value (``queries.indicator_series``) and one row per indicator in words
    indicators: pd.DataFrame
    indicator_rows: pd.DataFrame
    area: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.promise.title if self.promise else self.kommun.official_name

    @property
    def activity_count(self) -> int:
        return len(self.activities)

    @property
    def completed(self) -> int:
        return int((self.activities["status"] == "genomförd").sum()) if len(self.activities) else 0

    @property
    def overdue(self) -> int:
        return int(self.activities["overdue"].sum()) if len(self.activities) else 0

    @property
    def live(self) -> pd.DataFrame:
        return self.activities[self.activities["status"] != "inställd"] if len(self.activities) else self.activities


def assemble(engine: Engine, f: Filters, as_of: dt.date, policy: Policy, focus_names: dict[str, str],
             area: str | None = None) -> Report:  # fmt: skip
    """The report for the filters' period (cut at ``as_of``), kommun, promise and fokusområden."""
    kommun = next(k for k in q.kommuner(engine) if k.code == f.kommunkod)
    promise = next((p for p in q.promises(engine, f.kommunkod) if p.id == f.promise_id), None)
    end = max(f.start, min(f.end, as_of))
    period = f.with_period(f.start, end)
    activities = q.activity_list(engine, f, as_of)
    # the report carries the steering group's approved texts only, never a draft
    pictures = [p for p in q.situation_pictures(engine, f.start, end, f.kommunkod) if p["status"] == "godkänd"]
    summaries = summarise(
        focus_names,
        activities,
        protected.focus_totals(engine, period, policy),
        protected.focus_totals(engine, period.previous(), policy),
        protected.presence_totals(engine, period, policy),
        pictures,
        as_of,
    )
    live = activities[activities["status"] != "inställd"]
    if promise is not None:
        plan = burn_up(live, promise.period_start, promise.period_end)
        reports = q.reports_per_period(engine, replace(f, start=promise.period_start, end=promise.period_end), "week")
        done = burn_up_done(reports, promise.period_start, promise.period_end, as_of)
    else:
        plan = pd.DataFrame({"week": pd.DatetimeIndex([]), "planned": []})
        done = pd.DataFrame({"week": pd.DatetimeIndex([]), "done": []})
    months = period.with_period(period.start.replace(day=1), end)
    before = months.last_year()
    keys = list(focus_names)
    this_year = protected.series(engine, replace(months, focus_keys=tuple(keys)), "month", "focus", policy)
    last_year = protected.series(engine, replace(before, focus_keys=tuple(keys)), "month", "focus", policy)
    parts = []
    for s in summaries:
        monthly = fill_periods(this_year, months.start, months.end, "month", [s.key])
        earlier = fill_periods(last_year, before.start, before.end, "month", [s.key])
        mine = activities[activities["focus_key"] == s.key]
        table = activity_table(mine)[ACTIVITY_COLUMNS] if len(mine) else pd.DataFrame(columns=ACTIVITY_COLUMNS)
        parts.append(FocusPart(s, focus_verdict(s), paragraph(s), monthly, earlier, table))
    indicators = q.indicator_series(engine, f.kommunkod, tuple(keys))
    return Report(
        kommun=kommun, promise=promise, start=f.start, end=end, as_of=as_of,
        last_import=q.last_import_at(engine, f.kommunkod), made_at=dt.datetime.now(STOCKHOLM), min_count=policy.k,
        overall=overall_verdict(summaries), focus=parts, plan=plan, done=done, activities=activities,
        indicators=indicators, indicator_rows=indicator_table(indicators) if len(indicators) else pd.DataFrame(),
        area=area,
    )  # fmt: skip

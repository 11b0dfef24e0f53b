"""Per focus area: how the promise is going, from the query layer's aggregates (pure).

The Översikt cards, the weekly review and the report all read the same summaries, and
``paragraph`` writes one as plain Swedish for the kommunalråd.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from .formatting import fmt_number, fmt_percent, plural
from .metrics import Change, Status, expected_progress, poisson_change, progress_status

STATUS_WORDS: dict[str, str] = {"grön": "enligt plan", "gul": "något efter plan", "röd": "efter plan"}


@dataclass(frozen=True)
class FocusSummary:
    key: str
    name: str
    activities: int
    completed: int
    overdue: int
    cancelled: int
    planned: int
    done: int
    expected: float
    status: Status
    #: incidents against the period before (None: a count too small to show, under an area filter)
    incidents: Change | None
    presence_hours: float | None
    latest_text: str | None
    latest_label: str | None
    #: "godkänd" or "utkast"; who approved it and when
    latest_status: str | None = None
    latest_approved_by: str | None = None
    latest_approved_at: dt.datetime | None = None

    @property
    def done_share(self) -> float:
        return self.done / self.planned if self.planned else 0.0

    @property
    def expected_share(self) -> float:
        return self.expected / self.planned if self.planned else 0.0


def expected_done(activities: pd.DataFrame, as_of: dt.date) -> float:
    """What should be done by ``as_of``: each activity's planned count times its elapsed share."""
    total = 0.0
    for row in activities.itertuples(index=False):
        if row.status == "inställd":
            continue
        total += row.planned_count * expected_progress(row.planned_start, row.planned_end, as_of)
    return total


def summarise(
    focus_names: dict[str, str],
    activities: pd.DataFrame,
    incidents_now: pd.DataFrame,
    incidents_before: pd.DataFrame,
    presence: pd.DataFrame,
    pictures: list[dict[str, Any]],
    as_of: dt.date,
) -> list[FocusSummary]:
    """One summary per focus area. ``activities`` is ``queries.activity_list``; the incident
    frames are ``incident_totals`` by focus for the period and the one before; ``presence``
    is ``presence_totals`` by focus; ``pictures`` newest first."""
    now = incidents_now.set_index("key")["count"].to_dict() if not incidents_now.empty else {}
    before = incidents_before.set_index("key")["count"].to_dict() if not incidents_before.empty else {}
    hours = presence.set_index("key")["hours"].to_dict() if not presence.empty else {}
    hidden = {key for key, n in [*now.items(), *before.items()] if n is None or n is pd.NA or n != n}
    if incidents_now.attrs.get("protected") or incidents_before.attrs.get("protected"):
        hidden |= {key for key in focus_names if key not in now or key not in before}
    result = []
    for key, name in focus_names.items():
        mine = activities[activities["focus_key"] == key]
        live = mine[mine["status"] != "inställd"]
        planned = int(live["planned_count"].sum())
        done = int(live["done"].sum())
        expected = expected_done(mine, as_of)
        share_done = done / planned if planned else 0.0
        share_expected = expected / planned if planned else 0.0
        latest = next((p for p in pictures if p["texts"].get(key)), None)
        result.append(
            FocusSummary(
                key=key,
                name=name,
                activities=len(mine),
                completed=int((mine["status"] == "genomförd").sum()),
                overdue=int(mine["overdue"].sum()),
                cancelled=int((mine["status"] == "inställd").sum()),
                planned=planned,
                done=done,
                expected=expected,
                status=progress_status(share_done, share_expected),
                incidents=None if key in hidden else poisson_change(int(now.get(key, 0)), int(before.get(key, 0))),
                presence_hours=float(hours[key]) if key in hours and hours[key] == hours[key] else None,
                latest_text=latest["texts"][key] if latest else None,
                latest_label=latest["period_label"] if latest else None,
                latest_status=latest.get("status", "godkänd") if latest else None,
                latest_approved_by=latest.get("approved_by") if latest else None,
                latest_approved_at=latest.get("approved_at") if latest else None,
            )
        )
    return result


def paragraph(s: FocusSummary) -> str:
    """A plain-language paragraph for the report, written from the numbers."""
    parts = []
    if s.planned:
        parts.append(
            f"{fmt_number(s.done)} av {fmt_number(s.planned)} planerade genomföranden är gjorda "
            f"({fmt_percent(s.done_share)}), mot {fmt_percent(s.expected_share)} som var väntat vid den här "
            f"tiden – {STATUS_WORDS[s.status]}."
        )
    else:
        parts.append("Inga aktiviteter är planerade under perioden.")
    if s.overdue:
        parts.append(f"{plural(s.overdue, 'aktivitet är försenad', 'aktiviteter är försenade')}.")
    if s.cancelled:
        parts.append(f"{fmt_number(s.cancelled)} {'aktivitet' if s.cancelled == 1 else 'aktiviteter'} har ställts in.")
    c = s.incidents
    if c is None:
        parts.append("Antalet händelser är för litet för att visas för det här området.")
    elif c.current == 0 and c.previous == 0:
        parts.append("Inga händelser registrerades under perioden eller perioden innan.")
    else:
        verdict = (
            "Skillnaden är inte större än att den kan bero på slumpen."
            if not c.significant
            else f"Det är en säkerställd {c.direction}."
        )
        parts.append(
            f"Under perioden registrerades {plural(c.current, 'händelse', 'händelser')}, mot {fmt_number(c.previous)} "
            f"under lika lång tid innan. {verdict}"
        )
    if s.presence_hours:
        parts.append(f"Närvaron kopplad till området var {fmt_number(s.presence_hours)} timmar.")
    return " ".join(parts)


#: how a fokusområde (or the whole promise) stands when both halves are read together
Tone = Literal["bra", "blandat", "dåligt", "okänt"]

_ACTIVITY_PART = {"grön": "Aktiviteterna enligt plan", "gul": "Aktiviteterna något efter plan",
                  "röd": "Aktiviteterna efter plan", None: "Inga aktiviteter i perioden"}  # fmt: skip


@dataclass(frozen=True)
class Verdict:
    """Both halves of the picture in words: the activities against the plan, and the incidents
    against the period before. A green plan beside a significant rise is "blandat", never "bra"."""

    tone: Tone
    headline: str
    activities: str
    incidents: str


def _trend(change: Change | None) -> int:
    """+1 a significant fall in incidents, -1 a significant rise, 0 otherwise."""
    if change is None or not change.significant:
        return 0
    return 1 if change.direction == "minskning" else -1


def judge(status: Status | None, trend: int) -> tuple[Tone, str]:
    """The tone and the headline from the plan's status and the incidents' significant trend."""
    if status is None and trend == 0:
        tone: Tone = "okänt"
    elif (status == "grön" and trend >= 0) or (status is None and trend > 0):
        tone = "bra"
    elif (status == "röd" and trend <= 0) or (status == "gul" and trend < 0) or (status is None and trend < 0):
        tone = "dåligt"
    else:
        tone = "blandat"
    incidents = {1: "händelserna har minskat", -1: "händelserna har ökat", 0: ""}[trend]
    activity = _ACTIVITY_PART[status]
    if not incidents:
        return tone, activity
    conflict = (status == "grön" and trend < 0) or (status in ("gul", "röd") and trend > 0)
    return tone, f"{activity} – men {incidents}" if conflict else f"{activity} och {incidents}"


def _activity_words(status: Status | None, done: int, planned: int, expected: float) -> str:
    if not planned or status is None:
        return "Inga aktiviteter är planerade i perioden."
    return (
        f"{fmt_number(done)} av {fmt_number(planned)} genomföranden gjorda ({fmt_percent(done / planned)}), "
        f"väntat nu {fmt_percent(expected / planned)} – {STATUS_WORDS[status]}."
    )


def _incident_words(change: Change | None) -> str:
    if change is None:
        return "Antalet händelser är för litet för att visas här."
    if change.current == 0 and change.previous == 0:
        return "Inga händelser i perioden eller perioden innan."
    return (
        f"{plural(change.current, 'händelse', 'händelser')} mot {fmt_number(change.previous)} perioden innan – "
        f"{change.verdict}."
    )


def focus_verdict(s: FocusSummary) -> Verdict:
    status = s.status if s.planned else None
    tone, headline = judge(status, _trend(s.incidents))
    return Verdict(tone, headline, _activity_words(status, s.done, s.planned, s.expected), _incident_words(s.incidents))


def overall_verdict(summaries: list[FocusSummary]) -> Verdict:
    """The promise as a whole: the activities summed over every fokusområde against the plan, and
    the fokusområden with a significant rise or fall in incidents, named."""
    planned = sum(s.planned for s in summaries)
    done = sum(s.done for s in summaries)
    expected = sum(s.expected for s in summaries)
    status = progress_status(done / planned, expected / planned) if planned else None
    rising = [s.name for s in summaries if _trend(s.incidents) < 0]
    falling = [s.name for s in summaries if _trend(s.incidents) > 0]
    tone, _ = judge(status, -1 if rising else 1 if falling else 0)
    headline = _ACTIVITY_PART[status]
    if rising and falling:
        headline += f"; händelserna har ökat inom {_list(rising)} och minskat inom {_list(falling)}"
    elif rising:
        headline += f"{' – men' if status == 'grön' else ' och'} händelserna har ökat inom {_list(rising)}"
    elif falling:
        headline += f"{' – men' if status in ('gul', 'röd') else ' och'} händelserna har minskat inom {_list(falling)}"
    parts = []
    if rising:
        parts.append(f"säkerställd ökning inom {_list(rising)}")
    if falling:
        parts.append(f"säkerställd minskning inom {_list(falling)}")
    incidents = ("Händelserna: " + "; ".join(parts) + "." if parts
                 else "Händelserna: ingen säkerställd förändring inom något fokusområde.")  # fmt: skip
    return Verdict(tone, "Löftet: " + headline[0].lower() + headline[1:],
                   "Aktiviteterna: " + _activity_words(status, done, planned, expected), incidents)  # fmt: skip


def _list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]

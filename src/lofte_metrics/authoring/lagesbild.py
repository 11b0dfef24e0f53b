"""Writing and approving the lägesbild: a draft from the numbers, edited by a person, saved as an
utkast, approved by the steering group. Every save is a new version; none is ever changed.

Lag (2023:196) asks every kommun for a lägesbild and an åtgärdsplan: each version carries its
actions (``actions``), each linked to an activity of the promise where there is one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ..access.roles import Actor
from ..formatting import MONTHS, iso_week_label
from ..ingest.changes import Batch, Plan, Planned, Written, values_hash, write
from ..ingest.parsing import long_text, text
from ..models import SituationPicture

PeriodKind = Literal["månad", "vecka"]
MAX_TEXT = 8000


class PictureRefused(ValueError):
    """A lägesbild that cannot be saved as it is; the message is for a person."""


def period_of(kind: PeriodKind, day: dt.date) -> tuple[dt.date, dt.date, str]:
    """The month or ISO week holding ``day``: first day, last day, and its name ("Oktober 2022", "v. 41 2022")."""
    if kind == "vecka":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6), iso_week_label(monday)
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1), f"{MONTHS[first.month - 1].capitalize()} {first.year}"


@dataclass(frozen=True)
class Version:
    id: int
    version: int
    status: str
    period_kind: str
    period_label: str
    period_start: dt.date
    period_end: dt.date
    summary: str | None
    texts: dict[str, str]
    actions: list[dict[str, Any]]
    hotspots: list[dict[str, Any]]
    created_by: str | None
    created_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None


def _version(p: SituationPicture) -> Version:
    return Version(p.id, p.version, p.status, p.period_kind, p.period_label, p.period_start, p.period_end, p.summary,
                   dict(p.texts or {}), list(p.actions or []), list(p.hotspots or []), p.created_by, p.created_at,
                   p.approved_by, p.approved_at)  # fmt: skip


def versions(engine: Engine, kommunkod: str, start: dt.date, end: dt.date) -> list[Version]:
    """Every saved version of the lägesbild for exactly this period, newest first."""
    with Session(engine) as session:
        rows = session.scalars(
            select(SituationPicture)
            .where(SituationPicture.kommunkod == kommunkod, SituationPicture.period_start == start,
                   SituationPicture.period_end == end)
            .order_by(SituationPicture.version.desc())
        )  # fmt: skip
        return [_version(p) for p in rows]


def draft_texts(engine: Engine, kommunkod: str, promise_id: int | None, focus_names: dict[str, str],
                start: dt.date, end: dt.date, as_of: dt.date) -> dict[str, str]:  # fmt: skip
    """A first text per fokusområde, written from the period's numbers as the report writes them."""
    from .. import queries as q
    from ..summary import paragraph, summarise

    f = q.Filters(start, min(end, as_of), kommunkod=kommunkod, promise_id=promise_id)
    summaries = summarise(
        focus_names,
        q.activity_list(engine, f, as_of),
        q.incident_totals(engine, f, "focus"),
        q.incident_totals(engine, f.previous(), "focus"),
        q.presence_totals(engine, f, "focus"),
        [],
        as_of,
    )
    return {s.key: paragraph(s) for s in summaries}


def _clean_actions(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept = []
    for action in actions:
        words = text(action.get("text"))
        if not words:
            continue
        if len(words) > 500:
            raise PictureRefused("En åtgärd får vara högst 500 tecken.")
        kept.append({"text": words, "activity_ref": text(action.get("activity_ref")),
                     "focus_key": text(action.get("focus_key"))})  # fmt: skip
    return kept


def save_picture(engine: Engine, kommunkod: str, *, promise_id: int | None, period_kind: PeriodKind,
                 start: dt.date, end: dt.date, label: str, texts: dict[str, str], summary: str | None,
                 actions: list[dict[str, Any]], actor: Actor, hotspots: list[dict[str, Any]] | None = None,
                 approved_by: str | None = None, approved_at: dt.datetime | None = None) -> Written:  # fmt: skip
    """Save a new version: an utkast, or approved when ``approved_by`` is given."""
    cleaned = {k: v for k, v in ((k, long_text(v)) for k, v in texts.items()) if v}
    if not cleaned and not long_text(summary):
        raise PictureRefused("Lägesbilden är tom: skriv minst en text.")
    if any(len(v) > MAX_TEXT for v in cleaned.values()) or len(summary or "") > MAX_TEXT:
        raise PictureRefused(f"En text får vara högst {MAX_TEXT} tecken.")
    approver = text(approved_by)
    if approved_by is not None and not approver:
        raise PictureRefused("Ange vem som godkänner lägesbilden (t.ex. Styrgruppen).")
    if approver and len(approver) > 200:
        raise PictureRefused("Namnet på den som godkänner får vara högst 200 tecken.")
    with Session(engine) as session:
        latest = session.scalar(
            select(func.max(SituationPicture.version)).where(
                SituationPicture.kommunkod == kommunkod,
                SituationPicture.period_start == start,
                SituationPicture.period_end == end,
            )  # fmt: skip
        )
    version = int(latest or 0) + 1
    now = dt.datetime.now(dt.UTC)
    values = {
        "kommunkod": kommunkod, "promise_id": promise_id, "period_kind": period_kind, "period_label": label[:40],
        "period_start": start, "period_end": end, "version": version,
        "status": "godkänd" if approver else "utkast", "summary": long_text(summary), "texts": cleaned,
        "hotspots": list(hotspots or []), "actions": _clean_actions(actions), "created_by": actor.identity[:120],
        "created_at": now, "approved_by": approver, "approved_at": (approved_at or now) if approver else None,
    }  # fmt: skip
    plan = Plan([Planned("situation_picture", None, (start, end, version), values)])
    what = "godkänd" if approver else "utkast"
    record = Batch("lagesbild", "dashboard", f"Lägesbild {label}, version {version} ({what})",
                   values_hash(values), actor, 1, kommunkod)  # fmt: skip
    return write(engine, plan, record)


def approve(engine: Engine, kommunkod: str, picture_id: int, *, approved_by: str, actor: Actor) -> Written:
    """Approve a saved version: it is saved again, unchanged, as a new approved version."""
    with Session(engine) as session:
        p = session.get(SituationPicture, picture_id)
        if p is None or p.kommunkod != kommunkod:
            raise PictureRefused("Den versionen av lägesbilden finns inte.")
        source = _version(p)
        promise_id = p.promise_id
    return save_picture(
        engine, kommunkod, promise_id=promise_id, period_kind=source.period_kind,  # type: ignore[arg-type]
        start=source.period_start, end=source.period_end, label=source.period_label, texts=source.texts,
        summary=source.summary, actions=source.actions, hotspots=source.hotspots, actor=actor,
        approved_by=approved_by,
    )  # fmt: skip

"""What every page starts with: the database, the cached queries, the kommun and promise, the filters.

``setup_page`` is the one call a page makes before drawing. Its parts are named pieces:
``connect`` (the database, or a clear message), ``ui.scope.choose_scope`` (which kommun and
promise), ``ui.sidebar.draw_filters`` (period, fokusområden, område, källor, in the link) and
``ui.header.draw_header`` (title, period, freshness), or for a wall view ``ui.wall`` (screen,
header, rotation).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine

from . import db, protected, queries, reference
from .access.roles import Action, Actor
from .filters import Selection
from .formatting import STOCKHOLM, fmt_date, fmt_period
from .privacy import Policy
from .queries import Filters, KommunInfo, PromiseInfo
from .reports import content
from .ui import access, wall
from .ui.header import draw_header
from .ui.scope import choose_scope
from .ui.sidebar import SOURCE_NAMES, draw_filters
from .ui.state import init_state, keep_widget_state, set_param
from .ui.text import escape_md

__all__ = ["CACHE_TTL", "PageContext", "SOURCE_NAMES", "basemap_style", "clear_caches", "connect", "init_state",
           "set_param", "setup_page", "today"]  # fmt: skip

#: how long a query result may be reused before it is asked again (seconds)
CACHE_TTL = 300
T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return db.make_engine(url)


#: the modules whose functions the pages may run through the cache
SOURCES = {"queries": queries, "protected": protected, "content": content}


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _cached(url: str, name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> Any:
    module, _, function = name.rpartition(".")
    return getattr(SOURCES[module or "queries"], function)(_engine(url), *args, **dict(kwargs))


def clear_caches() -> None:
    """Forget every cached query result: call after any write (import, undo, save)."""
    _cached.clear()


def cached(url: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    module = fn.__module__.rpartition(".")[2]
    if module not in SOURCES:
        raise ValueError(f"{fn.__module__}.{fn.__name__} is not a query the pages may cache")
    return _cached(url, f"{module}.{fn.__name__}", args, tuple(sorted(kwargs.items())))


def today() -> dt.date:
    return dt.datetime.now(STOCKHOLM).date()


@dataclass(frozen=True)
class PageContext:
    url: str
    kommun: KommunInfo
    promise: PromiseInfo | None
    promises: list[PromiseInfo]
    selection: Selection
    filters: Filters
    as_of: dt.date
    latest: dt.date | None
    focus_names: dict[str, str]
    area_names: dict[str, str]
    actor: Actor
    #: the kommun's privacy policy (with the viewer's stricter minimum, if they chose one)
    policy: Policy = field(default_factory=Policy)
    #: True when the kommun has no promise and the fokusområden are the proposed defaults
    default_focus: bool = False
    #: the wall's screen when the page is shown as a wall view (``?skarm=1``), else None
    wall: wall.Screen | None = None
    #: the page's name (``oversikt``, ``lagesbild``, …) for the follow-up pages
    key: str | None = None

    @property
    def engine(self) -> Engine:
        return _engine(self.url)

    def q(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a ``lofte_metrics.queries`` function through the TTL cache."""
        return cached(self.url, fn, *args, **kwargs)

    @property
    def kommunkod(self) -> str:
        return self.kommun.code

    def can(self, action: Action) -> bool:
        """May the person using the page do this in the page's kommun?"""
        return self.actor.can(action, self.kommun.code)

    @property
    def focus_keys(self) -> list[str]:
        return list(self.focus_names)

    @property
    def selected_focus(self) -> list[str]:
        return list(self.selection.focus_keys)

    def focus_name(self, key: str | None) -> str:
        if key is None or key != key:  # None or NaN
            return "Utan fokusområde"
        return self.focus_names.get(key, key)

    def scoped(self, start: dt.date, end: dt.date) -> Filters:
        """The page's filters for another period."""
        return replace(self.filters, start=start, end=end)


def _stop_with(title: str, message: str, hint: str | None = None) -> None:
    st.title(title)
    st.error(message, icon=":material/error:")
    if hint:
        st.info(hint)
    st.stop()


def connect(title: str) -> tuple[str, Engine]:
    """The database URL and engine, or a Swedish message on the page and a stop."""
    url = db.resolve_url(None)
    try:
        engine = _engine(url)
        db.check_connection(engine)
    except db.DatabaseError as exc:
        _stop_with(title, str(exc), "Kontrollera databas-URL:en i LOFTE_DATABASE_URL eller .streamlit/secrets.toml "
                   "([connections.lofte] url) och att databasservern är igång.")  # fmt: skip
        raise  # unreachable: st.stop() raises
    return url, engine


def followed_kommuner(title: str, url: str, engine: Engine) -> list[KommunInfo]:
    """The kommuner the database follows (none for a new database); an older schema is a message."""
    try:
        state = db.schema_state(engine)
        if state == "empty":
            return []
        if state == "old":
            _stop_with(
                title,
                f"Databasen {db.redact(url)} är skriven av en äldre version av programmet.",
                "Uppgradera den med lofte init (det görs också av lofte serve); inget går förlorat.",
            )
        return cached(url, queries.kommuner)
    except Exception as exc:  # noqa: BLE001 - a schema we cannot read is reported, not raised
        _stop_with(title, f"Databasen {db.redact(url)} kunde inte läsas: {str(exc).splitlines()[0][:200]}")
        raise


def _readable_kommuner(title: str, url: str, engine: Engine, actor: Actor) -> list[KommunInfo]:
    """The kommuner this person may read; a page of its own (and a stop) when there are none."""
    followed = followed_kommuner(title, url, engine)
    kommuner = [k for k in followed if actor.can("läsa", k.code)]
    if followed and not kommuner:
        st.title(title)
        st.info(
            f"{escape_md(actor.label)} har ingen roll i någon av kommunerna här. Be en administratör om en roll "
            "(läsare, redaktör, godkännare eller administratör).",
            icon=":material/lock:",
        )
        st.stop()
    if not kommuner:
        st.title(title)
        st.info("Databasen följer ingen kommun ännu. Börja med att välja er kommun.", icon=":material/info:")
        from .ui.notices import link

        link("kom_igang", "Kom igång: välj kommun")
        st.stop()
    return kommuner


def _default_period(promise: PromiseInfo | None, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The promise's period up to the data's last day; without a promise, the last 90 days."""
    if promise:
        return promise.period_start, max(promise.period_start, min(promise.period_end, as_of))
    return as_of - dt.timedelta(days=89), as_of


def _wall(key: str | None, actor: Actor) -> wall.Screen | None:
    """The wall's screen when this run is a wall view of a page that has one."""
    if key not in wall.WALL_PAGES or not wall.requested(st.query_params, actor.kind == "screen"):
        return None
    screen = wall.screen_of(st.query_params)
    wall.style(screen)
    wall.measure()
    return screen


def setup_page(title: str, icon: str | None = None, *, filters: bool = True, key: str | None = None) -> PageContext:
    """Connect, choose the kommun and promise, read and draw the filters, show the title with
    the period and the data's freshness. ``filters=False`` for pages that edit rather than read;
    ``key`` names a follow-up page, which then has a wall view (``?skarm=1``)."""
    keep_widget_state()
    url, engine = connect(title)
    actor = access.current(engine)
    screen = _wall(key, actor)
    kommuner = _readable_kommuner(title, url, engine, actor)
    scope, notes = choose_scope(kommuner, lambda code: cached(url, queries.promises, code), today())
    code, promise = scope.kommun.code, scope.promise
    latest: dt.date | None = cached(url, queries.latest_data_date, code)
    as_of = min(today(), latest) if latest else today()
    focus_names = dict(promise.focus_areas) if promise else {k: n for k, n, _ in reference.DEFAULT_FOCUS_AREAS}
    area_frame = cached(url, queries.areas, code)
    area_names = dict(zip(area_frame["code"], area_frame["name"], strict=True))
    districts = [c for c, k in zip(area_frame["code"], area_frame["kind"], strict=True) if k != "kommun"]
    default_start, default_end = _default_period(promise, as_of)
    if filters:
        sources = cached(url, queries.incident_sources, code)
        selection, filter_notes = draw_filters(default_start, default_end, focus_names, districts, area_names, sources)
        notes += filter_notes
    else:
        selection = Selection(default_start, default_end, tuple(focus_names), None, ())
    base = selection.filters(list(focus_names))
    ctx = PageContext(
        url=url, kommun=scope.kommun, promise=promise, promises=scope.promises, selection=selection,
        filters=replace(base, kommunkod=code, promise_id=promise.id if promise else -1), as_of=as_of, latest=latest,
        focus_names=focus_names, area_names=area_names, actor=actor, default_focus=promise is None,
        policy=Policy(scope.kommun.min_count, salt=cached(url, queries.privacy_salt)).with_min_count(
            st.query_params.get("min")
        ), wall=screen, key=key,
    )  # fmt: skip
    where = area_names.get(selection.area_code, "") if selection.area_code else scope.kommun.official_name
    if screen is not None:
        wall.header(title, where, fmt_period(selection.start, selection.end), fmt_date(latest))
        pages, seconds = wall.rotation(st.query_params)
        wall.keep_turning(str(key), pages, seconds, CACHE_TTL)
        return ctx
    if key in wall.WALL_PAGES:
        wall.wall_link(str(key), st.query_params.to_dict())
    draw_header(f"{icon} {title}" if icon else title, selection=selection if filters else None, where=where,
                latest=latest, last_import=cached(url, queries.last_import_at, code), as_of=as_of,
                notes=notes)  # fmt: skip
    return ctx


def basemap_style() -> str | None:
    """The map's base layer: Carto's light map, or none (``LOFTE_BASEMAP=none``) behind a firewall."""
    choice = os.environ.get("LOFTE_BASEMAP", "light").strip().lower()
    return None if choice in ("", "none", "ingen") else choice

"""What every page starts with: the database, the cached queries, the sidebar filters.

``setup_page`` is the one call a page makes before drawing. It connects (or shows a
clear message and stops), reads the filters from the URL, draws the sidebar, writes the
filters back to the URL and shows the period and the data's freshness under the title.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine

from . import db, queries
from .filters import AREA, FOCUS, FROM, SOURCE, TO, Selection, parse, to_params
from .formatting import STOCKHOLM, fmt_date, fmt_datetime, fmt_period
from .queries import Filters, PromiseInfo

#: how long a query result may be reused before it is asked again (seconds)
CACHE_TTL = 300
T = TypeVar("T")

SOURCE_NAMES = {
    "polis_rapport": "Polisens rapporter",
    "polisens_handelser": "Polisens händelser (öppna data)",
    "felanmalan": "Kommunens felanmälan",
    "tips": "Tips",
    "syntetisk": "Syntetiska (test)",
}


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return db.make_engine(url)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _cached(url: str, name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> Any:
    return getattr(queries, name)(_engine(url), *args, **dict(kwargs))


def clear_caches() -> None:
    """Forget every cached query result: call after an import or an undo."""
    _cached.clear()


@dataclass(frozen=True)
class PageContext:
    url: str
    promise: PromiseInfo | None
    selection: Selection
    filters: Filters
    as_of: dt.date
    latest: dt.date | None
    focus_names: dict[str, str]
    area_names: dict[str, str]

    @property
    def engine(self) -> Engine:
        return _engine(self.url)

    def q(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a ``lofte_metrics.queries`` function through the TTL cache."""
        return _cached(self.url, fn.__name__, args, tuple(sorted(kwargs.items())))

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


def today() -> dt.date:
    return dt.datetime.now(STOCKHOLM).date()


def _stop_with(message: str, hint: str | None = None) -> None:
    st.error(message, icon=":material/error:")
    if hint:
        st.info(hint)
    st.stop()


def init_state(key: str, value: Any) -> None:
    """Seed a widget's state from the URL on the session's first run only."""
    if key not in st.session_state:
        st.session_state[key] = value


def set_param(name: str, value: str | None) -> None:
    """Write one query parameter, or remove it when ``value`` is empty."""
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


#: session-state keys of widgets whose value must survive a page switch
PERSISTENT_PREFIXES = ("f_", "map_", "tr_", "act_", "week")


def keep_widget_state() -> None:
    """Streamlit forgets a widget's value when the page changes, even for the same key on the
    next page; assigning each key to itself at the top of every page keeps it."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(PERSISTENT_PREFIXES):
            st.session_state[key] = st.session_state[key]


def setup_page(title: str, icon: str | None = None) -> PageContext:
    """Connect, read and draw the shared filters, and show the title with period and freshness."""
    keep_widget_state()
    url = db.resolve_url(None)
    try:
        engine = _engine(url)
        db.check_connection(engine)
    except db.DatabaseError as exc:
        st.title(title)
        _stop_with(
            str(exc),
            "Kontrollera databas-URL:en i LOFTE_DATABASE_URL eller .streamlit/secrets.toml "
            "([connections.lofte] url) och att databasservern är igång.",
        )
        raise  # unreachable: st.stop() raises

    try:
        empty = db.is_empty(engine)
    except Exception as exc:  # noqa: BLE001 - a schema we cannot read is reported, not raised
        st.title(title)
        _stop_with(f"Databasen {db.redact(url)} kunde inte läsas: {str(exc).splitlines()[0]}")
        raise
    if empty:
        st.title(title)
        _stop_with(
            f"Databasen {db.redact(url)} är tom.",
            "Läs in exempelkommunen med `lofte sample` eller importera egna data med `lofte import`.",
        )

    ctx_promises: list[PromiseInfo] = _cached(url, "promises", (), ())
    promise = ctx_promises[0] if ctx_promises else None
    latest: dt.date | None = _cached(url, "latest_data_date", (), ())
    as_of = min(today(), latest) if latest else today()
    focus_names = dict(promise.focus_areas) if promise else {}
    area_frame = _cached(url, "areas", (), ())
    area_names = dict(zip(area_frame["code"], area_frame["name"], strict=True))
    districts = [c for c, k in zip(area_frame["code"], area_frame["kind"], strict=True) if k != "kommun"]
    source_frame = _cached(url, "source_overview", (), ())
    sources = list(source_frame["source"])

    if promise:
        default_start = promise.period_start
        default_end = max(promise.period_start, min(promise.period_end, as_of))
    else:
        default_end = as_of
        default_start = default_end - dt.timedelta(days=89)

    params = {k: st.query_params.get(k) for k in (FROM, TO, FOCUS, AREA, SOURCE)}
    selection, notes = parse(
        {k: v for k, v in params.items() if v},
        default_start,
        default_end,
        list(focus_names),
        districts,
        sources,
    )

    init_state("f_period", (selection.start, selection.end))
    init_state("f_focus", list(selection.focus_keys))
    init_state("f_area", selection.area_code or "")
    init_state("f_sources", list(selection.sources))

    with st.sidebar:
        st.markdown(f"**{promise.title if promise else 'Löftesuppföljning'}**")
        period = st.date_input(
            "Period",
            key="f_period",
            format="YYYY-MM-DD",
            help="Första och sista dagen som räknas. Länken i adressfältet sparar valet.",
        )
        if isinstance(period, Sequence) and len(period) == 2:
            start, end = period[0], period[1]
        else:
            start, end = selection.start, selection.end
        if focus_names:
            focus = st.multiselect(
                "Fokusområden", options=list(focus_names), key="f_focus", format_func=focus_names.get
            )
        else:
            focus = []
        area = st.selectbox(
            "Område",
            options=["", *districts],
            key="f_area",
            format_func=lambda c: "Hela kommunen" if not c else area_names.get(c, c),
        )
        with st.expander("Källor"):
            chosen_sources = st.multiselect(
                "Bara dessa källor",
                options=sources,
                key="f_sources",
                format_func=lambda s: SOURCE_NAMES.get(s, s),
                placeholder="Alla källor",
            )
        st.caption("Filtren finns i adressen: kopiera länken för att dela vyn.")

    selection = Selection(
        start=start,
        end=end,
        focus_keys=tuple(k for k in focus_names if k in focus) or tuple(focus_names),
        area_code=area or None,
        sources=tuple(chosen_sources),
    )
    written = to_params(selection, list(focus_names))
    for name in (FROM, TO, FOCUS, AREA, SOURCE):
        set_param(name, written.get(name))

    ctx = PageContext(
        url=url,
        promise=promise,
        selection=selection,
        filters=selection.filters(list(focus_names)),
        as_of=as_of,
        latest=latest,
        focus_names=focus_names,
        area_names=area_names,
    )
    st.title(f"{icon} {title}" if icon else title)
    last_import = _cached(url, "last_import_at", (), ())
    where = (
        area_names.get(selection.area_code, "")
        if selection.area_code
        else (promise.kommun_name + " kommun" if promise else "")
    )
    bits = [f"**Period:** {fmt_period(selection.start, selection.end)}"]
    if where:
        bits.append(f"**Område:** {where}")
    bits.append(f"**Data t.o.m.:** {fmt_date(latest)}")
    bits.append(f"**Senast inläst:** {fmt_datetime(last_import)}")
    st.caption(" · ".join(bits))
    for note in notes:
        st.warning(note, icon=":material/link_off:")
    if selection.end > as_of and latest is not None and selection.start <= as_of:
        st.caption(f"Data finns bara t.o.m. {fmt_date(as_of)}; resten av perioden är ännu inte rapporterad.")
    return ctx


def basemap_style() -> str | None:
    """The map's base layer: Carto's light map, or none (``LOFTE_BASEMAP=none``) behind a firewall."""
    choice = os.environ.get("LOFTE_BASEMAP", "light").strip().lower()
    return None if choice in ("", "none", "ingen") else choice

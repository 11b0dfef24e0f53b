"""Skärmläge: any follow-up page as a wall view for the meeting's shared screen.

``?skarm=1`` (or a signed screen link, which always opens as a wall) hides the sidebar, the
controls and Streamlit's toolbar, sizes the type for a room and lays the page out to fit one
screen without scrolling: the page measures the window once (``bredd``/``hojd`` in the address)
and every chart is given its height in pixels from that. ``rotera=oversikt,lagesbild&sekunder=45``
shows pages in turn, with the link's filters kept; without rotation the page reruns when the
cached data may have changed (``CACHE_TTL``), without reloading.
"""

from __future__ import annotations

import datetime as dt
import html
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from ..formatting import STOCKHOLM

WALL, ROTATE, SECONDS, WIDTH, HEIGHT = "skarm", "rotera", "sekunder", "bredd", "hojd"
#: values of ``skarm`` that ask for the wall view (any other value is a signed screen link)
WALL_VALUES = frozenset({"1", "ja", "true", "på"})
#: the pages that have a wall view, in the order a rotation without a list shows them
WALL_PAGES = ("oversikt", "lagesbild", "trender", "aktiviteter", "veckan", "rapport")
SECONDS_RANGE = (5, 3600)
DEFAULT_SECONDS = 60
#: the wall's frame in rem: padding above and below, the header row, the gap under it
PAD, HEAD, GAP = 0.8, 3.6, 0.8
TONE_COLOURS = {"bra": "#1b5e20", "blandat": "#8a4b00", "dåligt": "#b71c1c", "okänt": "#4a5560"}


@dataclass(frozen=True)
class Screen:
    """The wall's window in CSS pixels; the type scales with it (1 rem = 16 px at 1280×720 and
    24 px at 1920×1080), so what fits one fits the other."""

    width: int = 1920
    height: int = 1080

    @property
    def rem(self) -> float:
        return max(16.0, min(48.0, self.width / 80, self.height / 45))

    def px(self, rems: float) -> int:
        return int(rems * self.rem)

    @property
    def body_height(self) -> int:
        """The height below the header that a wall view may fill."""
        return self.height - self.px(2 * PAD + HEAD + GAP)

    @property
    def body_width(self) -> int:
        return self.width - self.px(2 * 1.2)


def _int(value: object, low: int, high: int) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def requested(params: Mapping[str, str], screen_link: bool) -> bool:
    """Whether this run is a wall view: ``?skarm=1`` or a screen link."""
    return screen_link or str(params.get(WALL, "")).strip().lower() in WALL_VALUES


def screen_of(params: Mapping[str, str]) -> Screen:
    """The window the page measured (``bredd``/``hojd``), or Full HD until it has."""
    width, height = _int(params.get(WIDTH), 480, 8000), _int(params.get(HEIGHT), 320, 5000)
    return Screen(width, height) if width and height else Screen()


def rotation(params: Mapping[str, str]) -> tuple[list[str], int]:
    """The pages to turn through (only those with a wall view, each once) and the seconds per page."""
    wanted = [p.strip() for p in str(params.get(ROTATE, "")).split(",")]
    pages = list(dict.fromkeys(p for p in wanted if p in WALL_PAGES))
    seconds = _int(params.get(SECONDS), *SECONDS_RANGE) or DEFAULT_SECONDS
    return pages, seconds


def next_page(pages: list[str], current: str) -> str | None:
    if len(pages) < 2 and (not pages or pages[0] == current):
        return None
    return pages[(pages.index(current) + 1) % len(pages)] if current in pages else pages[0]


# --------------------------------------------------------------------------- drawing

_MEASURE = """<script>
(function () {
  function check() {
    var url = new URL(window.location.href);
    var w = window.innerWidth, h = window.innerHeight;
    var mw = parseInt(url.searchParams.get("bredd") || "0", 10), mh = parseInt(url.searchParams.get("hojd") || "0", 10);
    if (Math.abs(mw - w) > 4 || Math.abs(mh - h) > 4) {
      url.searchParams.set("bredd", String(w));
      url.searchParams.set("hojd", String(h));
      window.location.replace(url.toString());
    }
  }
  check();
  if (!window.__lofteWall) {
    window.__lofteWall = true;
    var timer = null;
    window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(check, 600); });
  }
})();
</script>"""


def style(screen: Screen) -> None:
    """Hide everything but the page, and size the type for the room."""
    st.html(f"""<style>
html {{ font-size: {screen.rem:.2f}px; }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stMainMenu"], [data-testid="stElementToolbar"], .mapboxgl-ctrl-group,
.maplibregl-ctrl-group {{ display: none !important; }}
[data-testid="stMain"] {{ overflow: hidden; }}
[data-testid="stMainBlockContainer"] {{ padding: {PAD}rem 1.2rem !important; max-width: none !important; }}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {{ gap: 0 !important; }}
[data-stale="true"] {{ opacity: 1 !important; transition: none !important; }}
.lw, .lw * {{ box-sizing: border-box; overflow-wrap: normal; word-break: normal; hyphens: manual; }}
.lw {{ font-size: 1rem; line-height: 1.3; color: #111418; }}
.lw-head {{ height: {HEAD}rem; margin-bottom: {GAP}rem; display: flex; align-items: center; gap: 1.5rem;
  border-bottom: 2px solid #d5dae0; }}
.lw h1.lw-title {{ font-size: 2.1rem; font-weight: 700; white-space: nowrap; margin: 0; padding: 0;
  line-height: 1.2; }}
.lw-info {{ margin-left: auto; text-align: right; font-size: 1rem; color: #2f3a44; }}
.lw-card {{ border: 2px solid #d5dae0; border-radius: 0.6rem; padding: 0.7rem 1rem; height: 100%;
  overflow: hidden; display: flex; flex-direction: column; gap: 0.45rem; }}
.lw-box {{ overflow: hidden; }}
.lw-name {{ font-size: 1.35rem; font-weight: 700; }}
.lw-verdict {{ font-size: 1.15rem; font-weight: 700; }}
.lw-figure {{ font-size: 2.8rem; font-weight: 700; line-height: 1.05; font-variant-numeric: tabular-nums; }}
.lw-label {{ font-size: 1rem; color: #2f3a44; }}
.lw-row {{ display: flex; gap: 1.2rem; }}
.lw-bar {{ height: 0.9rem; background: #e3e7eb; border-radius: 0.45rem; overflow: hidden; }}
.lw-bar > div {{ height: 100%; background: #0b4f8a; }}
.lw-list {{ margin: 0; padding-left: 1.2rem; }}
.lw-list li {{ margin-bottom: 0.25rem; }}
</style>""")


def measure() -> None:
    """Report the window's size in the address once (and after a resize)."""
    st.html(_MEASURE, unsafe_allow_javascript=True)


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def header(title: str, where: str, period: str, as_of: str) -> None:
    """The page's title, the place and period, the data's last day and this run's time."""
    now = dt.datetime.now(STOCKHOLM)
    st.html(
        f'<div class="lw lw-head"><h1 class="lw-title">{esc(title)}</h1><div class="lw-info">'
        f"<b>{esc(where)}</b> · {esc(period)}<br>Data t.o.m. {esc(as_of)} · uppdaterad kl. {now:%H:%M}</div></div>"
    )


def keep_turning(current: str, pages: list[str], seconds: int, refresh: int) -> None:
    """Show the next page of the rotation after ``seconds``; without a rotation, run the page again
    every ``refresh`` seconds so new data appear (the cache expires on its own)."""
    target = next_page(pages, current)
    every = seconds if target else refresh
    st.session_state["_wall_since"] = time.monotonic()

    @st.fragment(run_every=every)
    def turn() -> None:
        since = st.session_state.get("_wall_since", time.monotonic())
        if time.monotonic() - since < every * 0.9:
            return
        registry = st.session_state.get("_follow_up_pages") or {}
        if target and target in registry:
            st.switch_page(registry[target], query_params=dict(st.query_params))
        st.rerun(scope="app")

    turn()


def wall_link(current: str, params: Mapping[str, str]) -> None:
    """The sidebar's button to the same page as a wall view, with the page's filters."""
    query = {k: v for k, v in params.items() if k not in (WIDTH, HEIGHT)} | {WALL: "1"}
    path = "" if current == "oversikt" else current
    st.sidebar.link_button(
        "Skärmläge",
        f"./{path}?{urlencode(query)}",
        icon=":material/tv:",
        help="Sidan för en väggskärm: ingen meny, stor text, en skärm utan rullning. Lägg till "
        "&rotera=oversikt,lagesbild,trender&sekunder=45 för att visa sidor i tur och ordning.",
    )

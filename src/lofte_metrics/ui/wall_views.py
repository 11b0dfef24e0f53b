"""What each follow-up page shows on the wall: chosen for a room four metres from the screen, and
laid out to fill one screen exactly (sizes in rem, which scale with the window; chart heights in
pixels from the measured window). Every number comes from the same protected queries as the page.

Text from the database is escaped (``esc``) before it goes into the wall's HTML; long texts are
cut at a whole sentence, never inside a word, and lists say how many more there are.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from .. import protected
from .. import queries as q
from ..activities import OWNER_LABELS
from ..charts import trend_figure
from ..formatting import fmt_date, fmt_number, fmt_percent, iso_week_label, plural
from ..maps import area_features, build_deck, incident_cells_data, map_zoom, presence_cells_data, view_centre
from ..metrics import fill_periods, presence_where_it_happens
from ..privacy import PRESENCE_RESOLUTION, rollup
from ..reports.content import assemble
from ..summary import FocusSummary, Verdict, focus_verdict, overall_verdict, summarise
from ..weekly import last_complete_week, week_comparison
from .wall import TONE_COLOURS, Screen, esc

if TYPE_CHECKING:
    from ..context import PageContext

#: a character's mean width in em for the wall's sans-serif (to plan how many lines a text takes)
CHAR_EM = 0.52
LINE = 1.3
BASELINE_WEEKS = 8


def lines(text: str, width_rem: float, size: float = 1.0) -> int:
    """How many lines ``text`` takes in a box ``width_rem`` wide at ``size`` rem."""
    per_line = max(8, int(width_rem / (CHAR_EM * size)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def sentences_that_fit(text: str, width_rem: float, max_lines: int) -> str:
    """Whole sentences from the start of ``text`` that fit in ``max_lines`` lines (maybe none)."""
    kept = ""
    for sentence in _sentences(text):
        trial = f"{kept} {sentence}".strip()
        if lines(trial, width_rem) > max_lines:
            break
        kept = trial
    return kept


def _sentences(text: str) -> list[str]:
    out, current = [], ""
    for word in " ".join(text.split()).split(" "):
        current = f"{current} {word}".strip()
        if word.endswith((".", "!", "?")):
            out.append(current)
            current = ""
    return out + ([current] if current else [])


def _verdict_html(v: Verdict, size: float = 1.15) -> str:
    return f'<div class="lw-verdict" style="color:{TONE_COLOURS[v.tone]};font-size:{size}rem">{esc(v.headline)}</div>'


def _html(body: str, height: int | None = None, style: str = "") -> None:
    box = f"height:{height}px;overflow:hidden;" if height else ""
    st.html(f'<div class="lw" style="{box}{style}">{body}</div>')


def _columns(n: int, per_row: int) -> list[int]:
    """Items per row: at most ``per_row`` in a row, as even as can be."""
    rows = max(1, math.ceil(n / per_row))
    base, extra = divmod(n, rows)
    return [base + (1 if i < extra else 0) for i in range(rows)]


def _chart(fig: go.Figure, screen: Screen, height: int, key: str, width_rem: float | None = None) -> None:
    rem = screen.rem
    width_rem = width_rem or screen.body_width / rem
    fig.update_layout(height=height, font=dict(size=int(rem * 0.85)), margin=dict(l=4, r=4, t=8, b=4),
                      legend=dict(font=dict(size=int(rem * 0.8))), title=None)  # fmt: skip
    # a room reads few, level tick labels: at most one per 7 rem of width
    axis = fig.layout.xaxis
    if axis.tickvals is not None and axis.ticktext is not None:
        most = max(2, int(width_rem / 7))
        step = max(1, math.ceil(len(axis.tickvals) / most))
        fig.update_xaxes(tickvals=list(axis.tickvals)[::step], ticktext=list(axis.ticktext)[::step])
    fig.update_xaxes(tickfont=dict(size=int(rem * 0.8)), tickangle=0)
    fig.update_yaxes(tickfont=dict(size=int(rem * 0.8)), title=None)
    st.plotly_chart(fig, config={"displayModeBar": False, "staticPlot": True}, key=key, height=height)


def focus_summaries(ctx: PageContext) -> list[FocusSummary]:
    f = ctx.filters
    return summarise(
        {k: ctx.focus_name(k) for k in ctx.selected_focus},
        ctx.q(q.activity_list, f, ctx.as_of),
        ctx.q(protected.focus_totals, f, ctx.policy),
        ctx.q(protected.focus_totals, f.previous(), ctx.policy),
        ctx.q(protected.presence_totals, f, ctx.policy),
        [p for p in ctx.q(q.situation_pictures, f.start, min(f.end, ctx.as_of), ctx.kommunkod)
         if p["status"] == "godkänd"],
        ctx.as_of,
    )  # fmt: skip


def _overall(summaries: list[FocusSummary], width_rem: float) -> tuple[str, float]:
    """The promise's verdict block and its height in rem."""
    v = overall_verdict(summaries)
    height = (lines(v.headline, width_rem, 1.5) * 1.5 + lines(v.activities, width_rem) + lines(v.incidents, width_rem)
              ) * LINE + 0.2  # fmt: skip
    body = (f'<div class="lw-box" style="height:{height:.2f}rem">{_verdict_html(v, 1.5)}<div>{esc(v.activities)}'
            f"</div><div>{esc(v.incidents)}</div></div>")  # fmt: skip
    return body, height


# --------------------------------------------------------------------------- the pages


def oversikt(ctx: PageContext, screen: Screen) -> None:
    summaries = focus_summaries(ctx)
    if not summaries:
        _html("<div class='lw-name'>Inga fokusområden valda.</div>", screen.body_height)
        return
    top, top_rem = _overall(summaries, screen.body_width / screen.rem)
    rows = _columns(len(summaries), 4)
    gap = 0.8
    card_h = (screen.body_height - screen.px(top_rem + gap) - screen.px(gap) * (len(rows) - 1)) / len(rows)
    card_rem = card_h / screen.rem
    width_rem = (screen.body_width / screen.rem - gap * (max(rows) - 1)) / max(rows) - 2.4
    cards, i = [], 0
    for n in rows:
        row = []
        for s in summaries[i : i + n]:
            card = _focus_card(s, width_rem, card_rem, compact=len(rows) > 1)
            row.append(f'<div style="flex:1 1 0;min-width:0">{card}</div>')
        i += n
        cards.append(f'<div class="lw-row" style="height:{card_h:.0f}px;gap:{gap}rem">{"".join(row)}</div>')
    _html(f"{top}<div style='height:{gap}rem'></div>" + f"<div style='height:{gap}rem'></div>".join(cards),
          screen.body_height)  # fmt: skip


def _focus_card(s: FocusSummary, width_rem: float, height_rem: float, compact: bool) -> str:
    v = focus_verdict(s)
    parts = [f'<div class="lw-name">{esc(s.name)}</div>', _verdict_html(v)]
    used = 1.35 * LINE + lines(v.headline, width_rem, 1.15) * 1.15 * LINE + 1.4 + 0.45 * 2
    if s.planned:
        parts.append(f'<div><span class="lw-figure">{fmt_number(s.done)}</span> <span class="lw-label">av '
                     f"{fmt_number(s.planned)} genomföranden</span></div>")  # fmt: skip
        parts.append(f'<div class="lw-bar"><div style="width:{min(100.0, s.done_share * 100):.0f}%"></div></div>')
        late = plural(s.overdue, "försenad aktivitet", "försenade aktiviteter") if s.overdue else "inga försenade"
        parts.append(f'<div class="lw-label">Väntat nu {fmt_number(s.expected)} ({fmt_percent(s.expected_share)}) · '
                     f"{late}</div>")  # fmt: skip
        used += 2.8 * 1.05 + 0.9 + lines(f"Väntat nu 123 (80 %) · {late}", width_rem) * LINE + 0.45 * 3
    c = s.incidents
    if c is None:
        parts.append('<div class="lw-label">Händelser: för få för att visas</div>')
        used += LINE + 0.45
    else:
        words = f"mot {fmt_number(c.previous)} perioden innan – {c.verdict}"
        parts.append(f'<div><span class="lw-figure">{fmt_number(c.current)}</span> <span class="lw-label">händelser'
                     f"</span></div><div class='lw-label'>{esc(words)}</div>")  # fmt: skip
        used += 2.8 * 1.05 + lines(words, width_rem) * LINE + 0.45 * 2
    if s.latest_text and not compact:
        room = int((height_rem - used - 1.4 - LINE - 0.45) / LINE)
        text = sentences_that_fit(s.latest_text, width_rem, room) if room > 0 else ""
        if text:
            parts.append(f'<div class="lw-label" style="margin-top:auto"><b>Lägesbild {esc(s.latest_label)}:</b> '
                         f"{esc(text)}</div>")  # fmt: skip
    return f'<div class="lw-card">{"".join(parts)}</div>'


def trender(ctx: PageContext, screen: Screen) -> None:
    keys = ctx.selected_focus
    if not keys:
        _html("<div class='lw-name'>Inga fokusområden valda.</div>", screen.body_height)
        return
    end = min(ctx.filters.end, ctx.as_of)
    start = max(ctx.filters.start, end - dt.timedelta(weeks=26))
    recent = ctx.filters.with_period(start, end)
    series = fill_periods(ctx.q(protected.series, recent, "week", "focus", ctx.policy), recent.start, recent.end,
                          "week", keys)  # fmt: skip
    summaries = {s.key: s for s in focus_summaries(ctx)}
    rows = _columns(len(keys), 3)
    gap_px = screen.px(1.0)
    row_h = (screen.body_height - gap_px * (len(rows) - 1)) // len(rows)
    i = 0
    for n in rows:
        for column, key in zip(st.columns(n, gap="medium"), keys[i : i + n], strict=True):
            with column:
                width_rem = screen.body_width / screen.rem / n - 1.5
                v = focus_verdict(summaries[key])
                text_rem = 1.35 * LINE + lines(v.headline, width_rem, 1.15) * 1.15 * LINE + 0.2
                _html(f'<div class="lw-name">{esc(ctx.focus_name(key))}</div>{_verdict_html(v)}',
                      screen.px(text_rem))  # fmt: skip
                fig = trend_figure(series[[key]], "week", {key: "Händelser per vecka"}, as_of=ctx.as_of)
                fig.update_layout(showlegend=False)
                _chart(fig, screen, row_h - screen.px(text_rem) - gap_px, key=f"wall_trend_{key}", width_rem=width_rem)
        i += n


def lagesbild(ctx: PageContext, screen: Screen) -> None:
    from ..context import basemap_style
    from ..privacy import DEFAULT_MAP_RESOLUTION

    f = ctx.filters
    cells = ctx.q(protected.map_cells, f, DEFAULT_MAP_RESOLUTION, ctx.policy, None)
    names = ctx.q(protected.cell_names, f, DEFAULT_MAP_RESOLUTION)
    presence = ctx.q(protected.presence_cells, f, ctx.policy)
    area_frame = ctx.q(q.areas, ctx.kommunkod)
    per_area = ctx.q(protected.area_counts, f, ctx.policy)
    before = ctx.q(protected.map_cells, f.previous(), DEFAULT_MAP_RESOLUTION, ctx.policy, None)
    places = protected.place_table(cells, before, names, ctx.policy)
    totals = ctx.q(protected.focus_totals, f, ctx.policy)
    map_col, side = st.columns([2.2, 1], gap="medium")
    with map_col:
        deck = build_deck(
            incident_cells_data(cells.shown.assign(place=cells.shown["cell"].map(names))),
            presence_cells_data(presence, PRESENCE_RESOLUTION),
            area_features(area_frame, dict(zip(per_area["code"], per_area["count"], strict=True)),
                          hidden=f"färre än {ctx.policy.k}"),
            centre=view_centre(cells.shown["cell"], area_frame),
            zoom=map_zoom(cells.shown["cell"], area_frame),
            map_style=basemap_style(),
        )  # fmt: skip
        st.pydeck_chart(deck, height=screen.body_height, key="wall_map")
    width_rem = screen.body_width / screen.rem / 3.2 * 1.0 - 1.0
    total = int(pd.to_numeric(totals["count"], errors="coerce").fillna(0).sum()) if len(totals) else 0
    parts = [f'<div class="lw-label">Händelser i perioden</div><div class="lw-figure">{fmt_number(total)}</div>']
    used = LINE + 2.8 * 1.05 + 0.9
    if not presence.empty and not cells.shown.empty:
        reach = presence_where_it_happens(rollup(cells.shown, PRESENCE_RESOLUTION), presence)
        words = (f"av närvaron där händelserna är flest ({plural(reach['cells'], 'cell', 'celler')} med "
                 f"{fmt_percent(reach['incident_share'])} av händelserna)")  # fmt: skip
        parts.append(f'<div class="lw-figure" style="margin-top:0.6rem">{fmt_percent(reach["presence_share"])}</div>'
                     f'<div class="lw-label">{esc(words)}</div>')  # fmt: skip
        used += 2.8 * 1.05 + 0.6 + lines(words, width_rem) * LINE
    if not places.empty:
        room = int((screen.body_height / screen.rem - used - 2 * LINE - 1.4) / LINE)
        shown = places.head(max(0, room))
        items = "".join(f"<li>{esc(row['Plats'])}: {fmt_number(row['Nu']) if pd.notna(row['Nu']) else '–'}</li>"
                        for _, row in shown.iterrows())  # fmt: skip
        more = f"<div class='lw-label'>och {fmt_number(len(places) - len(shown))} platser till</div>" if len(
            places) > len(shown) else ""  # fmt: skip
        parts.append(f'<div class="lw-name" style="margin-top:0.8rem">Flest händelser</div><ul class="lw-list">'
                     f"{items}</ul>{more}")  # fmt: skip
    with side:
        _html("".join(parts), screen.body_height, "overflow:hidden")


def aktiviteter(ctx: PageContext, screen: Screen) -> None:
    summaries = focus_summaries(ctx)
    activities = ctx.q(q.activity_list, ctx.filters, ctx.as_of)
    late = activities[activities["overdue"]].sort_values("planned_end") if len(activities) else activities
    left_rem = screen.body_width / screen.rem * 0.42
    right_rem = screen.body_width / screen.rem * 0.58 - 1.2
    blocks = []
    for s in summaries:
        if not s.planned:
            blocks.append(f'<div style="margin-bottom:0.9rem"><div class="lw-name">{esc(s.name)}</div>'
                          '<div class="lw-label">Inga aktiviteter i perioden</div></div>')  # fmt: skip
            continue
        blocks.append(
            f'<div style="margin-bottom:0.9rem"><div class="lw-name">{esc(s.name)}</div>'
            f'<div><span class="lw-figure">{fmt_number(s.done)} av {fmt_number(s.planned)}'
            f'</span></div><div class="lw-bar"><div style="width:{min(100.0, s.done_share * 100):.0f}%"></div></div>'
            f'<div class="lw-label">{fmt_percent(s.done_share)} gjort, väntat nu {fmt_percent(s.expected_share)} – '
            f'<b style="color:{TONE_COLOURS[{"grön": "bra", "gul": "blandat", "röd": "dåligt"}[s.status]]}">'
            f"{esc(focus_verdict(s).activities.split(' – ')[-1].rstrip('.'))}</b></div></div>"
        )  # fmt: skip
    room = screen.body_height / screen.rem - 1.35 * LINE - 0.6 - LINE
    items, used = [], 0.0
    for row in late.itertuples(index=False):
        text = (f"{row.title} · {OWNER_LABELS.get(row.owner, row.owner)} · {fmt_number(row.done)} av "
                f"{fmt_number(row.planned_count)} · slut {fmt_date(row.planned_end, short=True)}")  # fmt: skip
        need = lines(text, right_rem - 1.2) * LINE + 0.25
        if used + need > room:
            break
        items.append(f"<li>{esc(text)}</li>")
        used += need
    more = len(late) - len(items)
    late_html = (f'<div class="lw-name">{plural(len(late), "försenad aktivitet", "försenade aktiviteter")}</div>'
                 + (f'<ul class="lw-list">{"".join(items)}</ul>' if items else "")
                 + (f"<div class='lw-label'>och {fmt_number(more)} till</div>" if more else ""))  # fmt: skip
    if not len(late):
        late_html = '<div class="lw-name">Inga försenade aktiviteter</div>'
    _html(f'<div class="lw-row" style="height:100%;gap:1.2rem"><div style="flex:0 0 {left_rem:.1f}rem">'
          f'{"".join(blocks)}</div><div style="flex:1 1 0;min-width:0">{late_html}</div></div>',
          screen.body_height)  # fmt: skip


def veckan(ctx: PageContext, screen: Screen) -> None:
    f = ctx.filters
    monday = last_complete_week(ctx.as_of)
    week = f.with_period(monday, monday + dt.timedelta(days=6))
    before = f.with_period(monday - dt.timedelta(weeks=BASELINE_WEEKS), monday - dt.timedelta(days=1))
    now, earlier = ctx.q(protected.focus_totals, week, ctx.policy), ctx.q(protected.focus_totals, before, ctx.policy)
    rows = week_comparison(now, earlier, ctx.selected_focus, BASELINE_WEEKS)
    done = ctx.q(q.reports_in_period, week)
    cards = []
    for row in rows:
        name = esc(ctx.focus_name(row.key))
        if row.change is None:
            cards.append(f'<div class="lw-card" style="flex:1 1 0"><div class="lw-name">{name}</div>'
                         f'<div class="lw-label">För få för att visa</div></div>')  # fmt: skip
            continue
        tone = "dåligt" if row.change.significant and row.change.direction == "ökning" else (
            "bra" if row.change.significant else "okänt")  # fmt: skip
        cards.append(
            f'<div class="lw-card" style="flex:1 1 0;min-width:0"><div class="lw-name">{name}</div>'
            f'<div class="lw-figure">{fmt_number(row.change.current)}</div>'
            f'<div class="lw-verdict" style="color:{TONE_COLOURS[tone]}">{esc(row.verdict)}</div>'
            f'<div class="lw-label">snitt {fmt_number(row.baseline_mean, 1)} per vecka de {BASELINE_WEEKS} veckorna '
            "innan</div></div>"
        )  # fmt: skip
    width_rem = screen.body_width / screen.rem / max(1, len(cards)) - 3.4
    card_rem = 1.4 + 1.35 * LINE + 2.8 * 1.05 + 2 * 1.15 * LINE + lines("snitt 36,8 per vecka de 8 veckorna innan",
                                                                         width_rem) * LINE + 0.45 * 3  # fmt: skip
    count = int(done["count"].sum()) if len(done) else 0
    line = (f"{iso_week_label(monday)}: {plural(count, 'genomförande', 'genomföranden')} av aktiviteterna"
            + (f", {fmt_number(done['hours'].sum())} timmar" if len(done) else "") + ".")  # fmt: skip
    top_rem = card_rem + 0.8 + LINE + 0.6
    _html(f'<div class="lw-row" style="height:{card_rem:.2f}rem;gap:1rem">{"".join(cards)}</div>'
          f'<div class="lw-name" style="margin-top:0.8rem;font-size:1rem">{esc(line)}</div>',
          screen.px(top_rem))  # fmt: skip
    recent = f.with_period(before.start, week.end)
    series = fill_periods(ctx.q(protected.series, recent, "week", "focus", ctx.policy), recent.start, recent.end,
                          "week", ctx.selected_focus)  # fmt: skip
    fig = trend_figure(series, "week", {k: ctx.focus_name(k) for k in ctx.selected_focus})
    fig.add_vrect(x0=pd.Timestamp(monday) - pd.Timedelta(days=3), x1=pd.Timestamp(monday) + pd.Timedelta(days=3),
                  fillcolor="#edae49", opacity=0.25, line_width=0)  # fmt: skip
    fig.update_layout(legend=dict(orientation="h", y=1.0, yanchor="bottom"))
    _chart(fig, screen, screen.body_height - screen.px(top_rem) - screen.px(0.2), key="wall_week")


def rapport(ctx: PageContext, screen: Screen) -> None:
    report = ctx.q(assemble, ctx.filters, ctx.as_of, ctx.policy, {k: ctx.focus_name(k) for k in ctx.selected_focus})
    top, top_rem = _overall([part.summary for part in report.focus], screen.body_width / screen.rem)
    n = max(1, len(report.focus))
    width_rem = screen.body_width / screen.rem / min(n, 3) - 3.4
    card_rem = screen.body_height / screen.rem - top_rem - 0.8 - 1.4
    cards = []
    for part in report.focus:
        head = 1.35 * LINE + lines(part.verdict.headline, width_rem, 1.15) * 1.15 * LINE + 0.9
        text = sentences_that_fit(part.text, width_rem, int((card_rem - head) / LINE) - 1)
        cards.append(f'<div class="lw-card" style="flex:1 1 0;min-width:0"><div class="lw-name">{esc(part.name)}</div>'
                     f"{_verdict_html(part.verdict)}<div>{esc(text)}</div></div>")  # fmt: skip
    _html(f'{top}<div class="lw-row" style="margin-top:0.8rem;height:{card_rem + 1.4:.2f}rem;gap:1rem">'
          f'{"".join(cards)}</div>', screen.body_height)  # fmt: skip


VIEWS: dict[str, Callable[[PageContext, Screen], None]] = {
    "oversikt": oversikt,
    "lagesbild": lagesbild,
    "trender": trender,
    "aktiviteter": aktiviteter,
    "veckan": veckan,
    "rapport": rapport,
}


def show(ctx: PageContext) -> None:
    """Draw the page's wall view and stop the page there."""
    if ctx.wall is not None and ctx.key in VIEWS:
        VIEWS[ctx.key](ctx, ctx.wall)
        st.stop()

"""Plotly figures with Swedish labels, number style and ISO weeks, readable on a projector."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from .formatting import MONTHS_SHORT, fmt_number, iso_week_label, month_label
from .indicators import decimals_for

PALETTE = ["#0b4f8a", "#d1495b", "#2e8540", "#edae49", "#5e4b8b", "#00798c", "#8a5a44"]
FOCUS_COLOURS = {"trygghet": "#0b4f8a", "narkotika": "#d1495b", "trafik": "#2e8540"}
FONT = dict(size=16, family="Source Sans Pro, Arial, sans-serif", color="#111418")


def plain(value: object) -> str:
    """Text from data as plotly should show it: plotly renders a subset of HTML in titles, names
    and hover text (links included), so markup is escaped and shown as typed."""
    return html.escape(str(value), quote=False)


def colour_for(key: str, index: int) -> str:
    return FOCUS_COLOURS.get(key, PALETTE[index % len(PALETTE)])


def period_label(day: pd.Timestamp | dt.date, grain: str) -> str:
    day = day.date() if isinstance(day, pd.Timestamp) else day
    return iso_week_label(day) if grain == "week" else month_label(day, short=True)


def _period_end(start: pd.Timestamp, grain: str) -> dt.date:
    if grain == "week":
        return (start + pd.Timedelta(days=6)).date()
    if grain == "month":
        return (start + pd.offsets.MonthEnd(0)).date()
    return start.date()


def _base(fig: go.Figure, height: int = 420, y_title: str = "Antal") -> go.Figure:
    fig.update_layout(
        height=height,
        separators=", ",
        font=FONT,
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        hoverlabel=dict(font_size=16),
    )
    fig.update_yaxes(title_text=y_title, gridcolor="#e3e7eb", rangemode="tozero", tickformat=",d")
    fig.update_xaxes(gridcolor="#f0f2f4")
    return fig


def _date_ticks(fig: go.Figure, index: pd.DatetimeIndex, grain: str) -> None:
    """Swedish tick labels (plotly's own are English): months, or every few ISO weeks."""
    if len(index) == 0:
        return
    if grain == "month":
        step = max(1, len(index) // 12)
        ticks = index[::step]
        text = [
            f"{MONTHS_SHORT[d.month - 1]}<br>{d.year}" if d.month == 1 or i == 0 else MONTHS_SHORT[d.month - 1]
            for i, d in enumerate(ticks)
        ]
    else:
        step = max(1, len(index) // 12)
        ticks = index[::step]
        text = [
            f"v. {d.isocalendar()[1]}<br>{d.isocalendar()[0]}"
            if i == 0 or d.isocalendar()[1] <= step
            else f"v. {d.isocalendar()[1]}"
            for i, d in enumerate(ticks)
        ]
    fig.update_xaxes(tickvals=list(ticks), ticktext=text)


def trend_figure(
    table: pd.DataFrame,
    grain: str,
    names: dict[str, str],
    moving: pd.DataFrame | None = None,
    last_year: pd.DataFrame | None = None,
    activities: pd.Series | None = None,
    title: str | None = None,
    as_of: dt.date | None = None,
) -> go.Figure:
    """Lines per key (one column each in ``table``, indexed by period start).

    ``moving``: the same shape, a moving average (dotted). ``last_year``: the same shape,
    the same periods a year earlier (dashed, thin). ``activities``: carried-out counts per
    period, drawn as markers along the bottom.
    """
    fig = go.Figure()
    labels = [period_label(d, grain) for d in table.index]
    for i, key in enumerate(table.columns):
        colour = colour_for(key, i)
        name = plain(names.get(key, key))
        fig.add_trace(
            go.Scatter(
                x=table.index,
                y=table[key],
                name=name,
                mode="lines+markers",
                line=dict(color=colour, width=3),
                marker=dict(size=6),
                customdata=labels,
                hovertemplate=f"<b>{name}</b><br>%{{customdata}}: %{{y:,d}} händelser<extra></extra>",
            )
        )
        if moving is not None and key in moving:
            fig.add_trace(
                go.Scatter(
                    x=moving.index,
                    y=moving[key],
                    name=f"{name}, glidande medel",
                    mode="lines",
                    line=dict(color=colour, width=2, dash="dot"),
                    customdata=labels,
                    hovertemplate=f"{name}, glidande medel<br>%{{customdata}}: %{{y:,.1f}}<extra></extra>",
                )
            )
        if last_year is not None and key in last_year:
            fig.add_trace(
                go.Scatter(
                    x=table.index,
                    y=last_year[key].to_numpy()[: len(table.index)],
                    name=f"{name}, året innan",
                    mode="lines",
                    line=dict(color=colour, width=1.5, dash="dash"),
                    opacity=0.6,
                    customdata=labels,
                    hovertemplate=f"{name}, samma period året innan<br>%{{customdata}}: %{{y:,d}}<extra></extra>",
                )
            )
    if as_of is not None and len(table.index) and _period_end(table.index[-1], grain) > as_of:
        last = table.index[-1]
        fig.add_annotation(
            x=last,
            y=float(table.iloc[-1].max()),
            text=f"ofullständig<br>(t.o.m. {as_of.day}/{as_of.month})",
            showarrow=True,
            arrowhead=0,
            ay=-40,
            font=dict(size=13, color="#5f6b76"),
        )
    if activities is not None and activities.sum() > 0:
        done = activities[activities > 0]
        fig.add_trace(
            go.Scatter(
                x=done.index,
                y=[0] * len(done),
                name="Genomförda aktiviteter",
                mode="markers",
                marker=dict(
                    symbol="triangle-up",
                    size=[min(8 + 2 * v, 24) for v in done],
                    color="#edae49",
                    line=dict(color="#6b4e00", width=1),
                ),
                customdata=[[period_label(d, grain), fmt_number(v)] for d, v in done.items()],
                hovertemplate="%{customdata[0]}: %{customdata[1]} genomföranden<extra></extra>",
            )
        )
    _base(fig)
    _date_ticks(fig, pd.DatetimeIndex(table.index), grain)
    if title:
        title = plain(title)
        fig.update_layout(
            title=dict(text=title, font=dict(size=20), y=0.97, yanchor="top"),
            legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0),
            margin=dict(l=10, r=10, t=50, b=40),
        )
    return fig


def burn_up_figure(plan: pd.DataFrame, done: pd.DataFrame, as_of: dt.date) -> go.Figure:
    """Cumulative planned against cumulative carried out, week by week."""
    fig = go.Figure()
    plan_labels = [iso_week_label(d.date()) for d in plan["week"]]
    fig.add_trace(
        go.Scatter(
            x=plan["week"],
            y=plan["planned"],
            name="Plan",
            mode="lines",
            line=dict(color="#5f6b76", width=3, dash="dash"),
            customdata=plan_labels,
            hovertemplate="Plan t.o.m. %{customdata}: %{y:,.0f}<extra></extra>",
        )
    )
    done_labels = [iso_week_label(d.date()) for d in done["week"]]
    fig.add_trace(
        go.Scatter(
            x=done["week"],
            y=done["done"],
            name="Genomfört",
            mode="lines",
            line=dict(color="#0b4f8a", width=4),
            fill="tozeroy",
            fillcolor="rgba(11,79,138,0.12)",
            customdata=done_labels,
            hovertemplate="Genomfört t.o.m. %{customdata}: %{y:,d}<extra></extra>",
        )
    )
    fig.add_vline(x=pd.Timestamp(as_of), line=dict(color="#c62828", width=2, dash="dot"))
    fig.add_annotation(
        x=pd.Timestamp(as_of),
        y=1,
        yref="paper",
        text="Data t.o.m.",
        showarrow=False,
        xanchor="right",
        font=dict(color="#c62828"),
    )
    _base(fig, y_title="Antal genomföranden (ackumulerat)")
    _date_ticks(fig, pd.DatetimeIndex(plan["week"]), "week")
    return fig


def indicator_figure(series: pd.DataFrame) -> go.Figure:
    """One indicator over time, with its baseline and target as lines."""
    series = series.sort_values("period_start")
    name = plain(series["name"].iloc[0])
    unit = plain(series["unit"].iloc[0] or "")
    fig = go.Figure()
    decimals = decimals_for(series)
    values = [fmt_number(v, decimals) for v in series["value"]]
    fig.add_trace(
        go.Scatter(
            x=series["period_label"],
            y=series["value"],
            mode="lines+markers+text",
            name="Utfall",
            line=dict(color="#0b4f8a", width=3),
            marker=dict(size=10),
            text=values,
            textposition="top center",
            hovertemplate=f"%{{x}}: %{{text}} {unit}<extra></extra>",
        )
    )
    # Baseline and target are lines named in the legend, not labels on the plot, so they never
    # sit on top of the values' own labels.
    baseline = series["baseline"].dropna()
    target = series["target"].dropna()
    for level, what, style in [(baseline, "Utgångsläge", dict(color="#5f6b76", dash="dash", width=2)),
                               (target, "Mål", dict(color="#2e8540", dash="dot", width=3))]:  # fmt: skip
        if not level.empty:
            value = float(level.iloc[0])
            label = f"{what} {fmt_number(value, decimals)}"
            fig.add_trace(go.Scatter(x=list(series["period_label"]), y=[value] * len(series), mode="lines",
                                     name=label, line=style, hovertemplate=f"{label}<extra></extra>"))  # fmt: skip
    _base(fig, height=320, y_title=unit or "Värde")
    levels = [*series["value"], *baseline, *target]
    low, high = min(levels), max(levels)
    pad = (high - low) * 0.18 or abs(high) * 0.1 or 1
    fig.update_yaxes(rangemode="normal", tickformat=",.0f" if decimals == 0 else ",.1f", range=[low - pad, high + pad])
    fig.update_traces(cliponaxis=False)
    fig.update_xaxes(type="category")
    fig.update_layout(title=dict(text=name, font=dict(size=17), y=0.97), showlegend=True,
                      legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
                      margin=dict(l=10, r=10, t=50, b=10))  # fmt: skip
    return fig


def bars_figure(frame: pd.DataFrame, label: str, value: str, y_title: str, colour: str = "#0b4f8a") -> go.Figure:
    """Horizontal bars, largest on top."""
    frame = frame.sort_values(value)
    fig = go.Figure(
        go.Bar(
            x=frame[value],
            y=frame[label],
            orientation="h",
            marker_color=colour,
            text=[fmt_number(v) for v in frame[value]],
            textposition="outside",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    _base(fig, height=max(240, 34 * len(frame) + 80), y_title="")
    fig.update_xaxes(title_text=y_title, tickformat=",d")
    fig.update_yaxes(tickformat=None, rangemode=None)
    return fig

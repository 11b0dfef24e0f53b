"""The report's charts as plotly figures: the Rapport page shows them and the PDF prints them
(through plotly's static export), so the charts in the file look like those on the screen."""

from __future__ import annotations

import plotly.graph_objects as go

from ..charts import burn_up_figure, indicator_figure, trend_figure
from .content import FocusPart, Report


def focus_figure(report: Report, part: FocusPart) -> go.Figure:
    fig = trend_figure(part.monthly, "month", {part.key: "Händelser per månad"}, last_year=part.last_year,
                       title=f"{part.name}: händelser per månad", as_of=report.as_of)  # fmt: skip
    fig.update_layout(height=320)
    return fig


def figures(report: Report) -> dict[str, go.Figure]:
    """Every chart of the report by name: ``plan``, ``focus:<key>`` and ``indicator:<key>``."""
    found: dict[str, go.Figure] = {}
    if report.promise is not None and len(report.plan):
        found["plan"] = burn_up_figure(report.plan, report.done, report.as_of)
    for part in report.focus:
        found[f"focus:{part.key}"] = focus_figure(report, part)
    if len(report.indicators):
        for key, series in report.indicators.groupby("key", sort=False):
            found[f"indicator:{key}"] = indicator_figure(series)
    return found

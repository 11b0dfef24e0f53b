"""Plotly figures as SVG through plotly's static export (kaleido), which drives a headless
Chromium: the system's ``/usr/bin/chromium`` when there is one. All figures of a report are made in
one browser session (starting the browser is most of the cost)."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil

import plotly.graph_objects as go

log = logging.getLogger(__name__)
SYSTEM_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class ChartsUnavailable(RuntimeError):
    """The charts could not be drawn (no Chromium, or it failed); the message says why."""


def _browser() -> None:
    if os.environ.get("BROWSER_PATH"):
        return
    for path in SYSTEM_CHROMIUM:
        if shutil.which(path):
            os.environ["BROWSER_PATH"] = path
            return


async def _export(figures: dict[str, go.Figure], width: int, height: int | None) -> dict[str, str]:
    import kaleido

    done: dict[str, str] = {}
    async with kaleido.Kaleido(n=1, mathjax=False, timeout=60) as k:
        for name, fig in figures.items():
            size = {"width": width, "height": height or fig.layout.height or 420}
            svg = await k.calc_fig(fig, opts={"format": "svg", **size})
            done[name] = svg.decode("utf-8") if isinstance(svg, bytes) else str(svg)
    return done


def to_svg(figures: dict[str, go.Figure], width: int = 900, height: int | None = None) -> dict[str, str]:
    """Each figure as an SVG document, by name."""
    if not figures:
        return {}
    _browser()
    try:
        return asyncio.run(_export(figures, width, height))
    except RuntimeError as exc:
        if "asyncio.run() cannot be called" not in str(exc):
            raise ChartsUnavailable(f"Diagrammen kunde inte ritas: {exc}") from exc
        # inside a running event loop (a notebook): draw in a thread of its own
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, _export(figures, width, height)).result()
    except Exception as exc:  # noqa: BLE001 - kaleido and choreographer raise many kinds
        log.exception("chart export failed")
        raise ChartsUnavailable(f"Diagrammen kunde inte ritas ({type(exc).__name__}); installera chromium.") from exc

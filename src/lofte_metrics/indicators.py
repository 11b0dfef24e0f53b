"""Indicator figures in words and tables: latest value against baseline and target (pure)."""

from __future__ import annotations

import pandas as pd

from .formatting import fmt_number


def judgement(value: float, baseline: float | None, target: float | None, higher_is_better: bool) -> str:
    """ "Målet nått", "bättre än utgångsläget", "sämre än utgångsläget" or "oförändrat"."""
    sign = 1 if higher_is_better else -1
    if target is not None and not pd.isna(target) and sign * (value - target) >= 0:
        return "Målet nått"
    if baseline is None or pd.isna(baseline):
        return "Utgångsläge saknas"
    if value == baseline:
        return "Oförändrat mot utgångsläget"
    return "Bättre än utgångsläget" if sign * (value - baseline) > 0 else "Sämre än utgångsläget"


def indicator_table(series: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: its latest value, baseline, target and a verdict."""
    rows = []
    for _key, group in series.sort_values("period_start").groupby("key", sort=False):
        last = group.iloc[-1]
        unit = f" {last['unit']}" if last["unit"] and last["unit"] != "index" else ""
        rows.append(
            {
                "Indikator": last["name"],
                "Senaste": f"{fmt_number(last['value'], 1)}{unit} ({last['period_label']})",
                "Utgångsläge": fmt_number(last["baseline"], 1) if pd.notna(last["baseline"]) else "–",
                "Mål": fmt_number(last["target"], 1) if pd.notna(last["target"]) else "–",
                "Bedömning": judgement(
                    float(last["value"]), last["baseline"], last["target"], bool(last["higher_is_better"])
                ),
                "Källa": last["source"] or "",
            }
        )
    return pd.DataFrame(rows)

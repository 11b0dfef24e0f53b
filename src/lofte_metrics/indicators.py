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


def decimals_for(group: pd.DataFrame) -> int:
    """One number of decimals per indicator: none for whole numbers (people, events) and for large
    values, else one, the same for its value, baseline and target."""
    values = pd.concat([group["value"], group["baseline"], group["target"]]).dropna().astype(float)
    if values.empty or ((values % 1 == 0).all()) or values.abs().max() >= 100:
        return 0
    return 1


def indicator_table(series: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: its latest value, baseline, target and a verdict."""
    rows = []
    for _key, group in series.sort_values("period_start").groupby("key", sort=False):
        last = group.iloc[-1]
        decimals = decimals_for(group)
        unit = f" {last['unit']}" if last["unit"] and last["unit"] != "index" else ""
        rows.append(
            {
                "Indikator": last["name"],
                "Senaste": f"{fmt_number(last['value'], decimals)}{unit} ({last['period_label']})",
                "Utgångsläge": fmt_number(last["baseline"], decimals) if pd.notna(last["baseline"]) else "–",
                "Mål": fmt_number(last["target"], decimals) if pd.notna(last["target"]) else "–",
                "Bedömning": judgement(
                    float(last["value"]), last["baseline"], last["target"], bool(last["higher_is_better"])
                ),
                "Källa": last["source"] or "",
            }
        )
    return pd.DataFrame(rows)

"""Activity tables for the pages: commitments' progress and a readable activity list (pure)."""

from __future__ import annotations

import pandas as pd

STATUS_LABELS = {"planerad": "Planerad", "pågår": "Pågår", "genomförd": "Genomförd", "inställd": "Inställd"}
OWNER_LABELS = {"polis": "Polisen", "kommun": "Kommunen", "gemensamt": "Gemensamt"}


def commitment_progress(activities: pd.DataFrame) -> pd.DataFrame:
    """Per commitment: planned and done counts (cancelled activities left out), overdue count."""
    live = activities.assign(
        planned_live=activities["planned_count"].where(activities["status"] != "inställd", 0),
        done_live=activities["done"].where(activities["status"] != "inställd", 0),
    )
    grouped = live.groupby(["commitment_ref", "owner", "commitment_text"], as_index=False, sort=True).agg(
        planned=("planned_live", "sum"), done=("done_live", "sum"), overdue=("overdue", "sum")
    )
    grouped["share"] = (grouped["done"] / grouped["planned"]).where(grouped["planned"] > 0, 0.0)
    return grouped


def status_text(status: str, overdue: bool) -> str:
    if overdue:
        return "⚠ Försenad"
    return STATUS_LABELS.get(status, status)


def activity_table(activities: pd.DataFrame) -> pd.DataFrame:
    """The activity list as the page shows it: overdue first (the query's order is kept)."""
    share = (activities["done"] / activities["planned_count"]).where(activities["planned_count"] > 0, 0.0)
    return pd.DataFrame(
        {
            "Status": [
                status_text(s, bool(o)) for s, o in zip(activities["status"], activities["overdue"], strict=True)
            ],
            "Aktivitet": activities["title"],
            "Ägare": activities["owner"].map(OWNER_LABELS),
            "Ansvarig": activities["responsible_unit"].fillna(""),
            "Start": activities["planned_start"],
            "Slut": activities["planned_end"],
            "Gjort": activities["done"].astype(int),
            "Planerat": activities["planned_count"].astype(int),
            "Andel": share.clip(upper=1.0),
        }
    )

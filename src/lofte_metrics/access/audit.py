"""The audit trail in words (pure): one line per event, from the details the writer recorded."""

from __future__ import annotations

from typing import Any

TABLE_WORDS = {
    "kommun": "kommun", "area": "område", "incident_type": "händelsetyp", "promise": "löfte",
    "focus_area": "fokusområde", "commitment": "åtagande", "activity": "aktivitet",
    "activity_report": "genomförande", "incident": "händelse", "presence": "närvaropass",
    "indicator_value": "indikatorvärde", "situation_picture": "lägesbild", "user_role": "roll",
    "screen_link": "skärmlänk",
}  # fmt: skip
SHOWN_CHANGES = 3


def _value(value: Any) -> str:
    if isinstance(value, dict) and ("__dt__" in value or "__d__" in value):
        return str(value.get("__dt__") or value.get("__d__"))[:16]
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def summary(details: dict[str, Any] | None) -> str:
    """``2 nya aktiviteter; aktivitet A-1: status pågår → genomförd``."""
    if not details:
        return ""
    parts: list[str] = []
    for table, rows in (details.get("inserted") or {}).items():
        n = rows if isinstance(rows, int) else len(rows)
        parts.append(f"{n} ny{'a' if n != 1 else ''} ({TABLE_WORDS.get(table, table)})")
    changed = details.get("changed") or []
    for change in changed[:SHOWN_CHANGES]:
        key = " / ".join(_value(k) for k in change.get("key", []))
        diffs = ", ".join(
            f"{column} {_value(change['before'].get(column))} → {_value(value)}"
            for column, value in (change.get("after") or {}).items()
        )
        parts.append(f"{TABLE_WORDS.get(change.get('table'), change.get('table'))} {key}: {diffs}")
    if len(changed) > SHOWN_CHANGES:
        parts.append(f"och {len(changed) - SHOWN_CHANGES} ändringar till")
    removed = details.get("removed") or []
    if removed:
        parts.append(f"{len(removed)} borttagna")
    if "restored_rows" in details:
        parts.append(f"{details.get('removed_rows', 0)} rader borttagna, {details['restored_rows']} återställda")
    return "; ".join(parts)

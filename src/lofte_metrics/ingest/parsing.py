"""Swedish cell values: ``1 234,5``, ``7 juni 2025``, ``2025-06-07 18.30``, Excel date cells.

Each parser takes a raw cell (text from a CSV, or a number/datetime from Excel) and returns a
typed value, ``None`` for an empty cell, or raises ``ValueError`` with a plain Swedish message.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ..formatting import MONTHS, MONTHS_SHORT, STOCKHOLM

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
MONTH_NUMBERS = (
    {name: i + 1 for i, name in enumerate(MONTHS)}
    | {name: i + 1 for i, name in enumerate(MONTHS_SHORT)}
    | {"sept": 9, "okt.": 10, "mars": 3}
)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_LINE_SPACES = re.compile(r"[^\S\n]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: Any) -> str | None:
    """One line of text: runs of white space become one space, control characters go."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    result = _SPACES.sub(" ", _CONTROLS.sub("", str(value))).strip()
    return result or None


def long_text(value: Any) -> str | None:
    """Text that may hold paragraphs: line breaks are kept (at most one empty line in a row)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    raw = _CONTROLS.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_LINE_SPACES.sub(" ", line).strip() for line in raw.split("\n")]
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return result or None


def number(value: Any) -> float | None:
    """``1 234,5``, ``1234.5``, ``−3``, Excel numbers; a thousands space is fine, letters are not."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError("är inget tal")
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    raw = text(value)
    if raw is None:
        return None
    cleaned = raw.replace(" ", "").replace("\u2212", "-")
    if cleaned.count(",") == 1 and "." in cleaned:  # 1.234,5
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        result = float(cleaned)
    except ValueError:
        raise ValueError("är inget tal") from None
    if math.isnan(result) or math.isinf(result):
        raise ValueError("är inget tal")
    return result


def integer(value: Any) -> int | None:
    result = number(value)
    if result is None:
        return None
    if result != int(result):
        raise ValueError("måste vara ett heltal")
    return int(result)


def _excel_serial(value: float) -> dt.datetime:
    if not 1 <= value < 2_958_466:
        raise ValueError("är inget datum")
    return EXCEL_EPOCH + dt.timedelta(days=value)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_SWEDISH_DATE = re.compile(r"^(\d{1,2})\s+([a-zåäö.]+)\s+(\d{4})$", re.IGNORECASE)
_TIME = re.compile(r"^(\d{1,2})[.:](\d{2})(?:[.:](\d{2}))?$")


def _date_from_text(raw: str) -> dt.date:
    raw = raw.strip().lower()
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_SLASH_DATE, (2, 1, 0))):
        match = pattern.match(raw)
        if match:
            parts = [int(p) for p in match.groups()]
            year, month, day = (parts[i] for i in order)
            return dt.date(year, month, day)
    match = _SWEDISH_DATE.match(raw)
    if match:
        day, month_name, year = match.groups()
        month = MONTH_NUMBERS.get(month_name.rstrip(".")) or MONTH_NUMBERS.get(month_name)
        if month is None:
            raise ValueError(f"okänd månad '{month_name}'")
        return dt.date(int(year), month, int(day))
    if re.fullmatch(r"\d{8}", raw):
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    raise ValueError("är inget datum (skriv t.ex. 2025-06-07 eller 7 juni 2025)")


def date(value: Any) -> dt.date | None:
    """A calendar date from ISO text, ``d/m/åååå``, Swedish month names or an Excel cell."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _excel_serial(float(value)).date()
    raw = text(value)
    if raw is None:
        return None
    if " " in raw and _TIME.match(raw.rsplit(" ", 1)[1]) and not _SWEDISH_DATE.match(raw):
        raw = raw.rsplit(" ", 1)[0]
    try:
        return _date_from_text(raw)
    except ValueError as exc:
        if "dag" in str(exc) or "month" in str(exc) or "range" in str(exc):
            raise ValueError("är inget giltigt datum") from None
        raise


def moment(value: Any) -> dt.datetime | None:
    """A point in time; without an offset it is Stockholm time. Returns an aware datetime."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0), tzinfo=STOCKHOLM)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _excel_serial(float(value)).replace(tzinfo=STOCKHOLM)
    raw = text(value)
    if raw is None:
        return None
    iso = raw.replace("T", " ") if re.match(r"^\d{4}-\d{1,2}-\d{1,2}T", raw) else raw
    iso_match = re.match(
        r"^(\d{4}-\d{1,2}-\d{1,2}) (\d{1,2})[.:](\d{2})(?:[.:](\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$", iso
    )
    if iso_match:
        day_part, hour, minute, second, offset = iso_match.groups()
        day = _date_from_text(day_part)
        try:
            when = dt.datetime.combine(day, dt.time(int(hour), int(minute), int(second or 0)))
        except ValueError:
            raise ValueError("är ingen giltig tidpunkt") from None
        if offset:
            if offset == "Z":
                return when.replace(tzinfo=dt.UTC)
            sign = 1 if offset[0] == "+" else -1
            digits = offset[1:].replace(":", "")
            delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            return when.replace(tzinfo=dt.timezone(sign * delta))
        return when.replace(tzinfo=STOCKHOLM)
    parts = raw.rsplit(" ", 1)
    if len(parts) == 2 and _TIME.match(parts[1]):
        day = _date_from_text(parts[0])
        hour, minute, second = _TIME.match(parts[1]).groups()  # type: ignore[union-attr]
        try:
            return dt.datetime.combine(day, dt.time(int(hour), int(minute), int(second or 0)), tzinfo=STOCKHOLM)
        except ValueError:
            raise ValueError("är ingen giltig tidpunkt") from None
    try:
        return dt.datetime.combine(_date_from_text(raw), dt.time(0), tzinfo=STOCKHOLM)
    except ValueError:
        raise ValueError("är ingen tidpunkt (skriv t.ex. 2025-06-07 18:30)") from None


def boolean(value: Any) -> bool | None:
    raw = text(value)
    if raw is None:
        return None
    lowered = raw.lower()
    if lowered in ("ja", "j", "1", "true", "sant", "x", "yes"):
        return True
    if lowered in ("nej", "n", "0", "false", "falskt", "no"):
        return False
    raise ValueError("ska vara ja eller nej")

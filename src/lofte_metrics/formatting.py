"""Swedish presentation of numbers, dates and ISO weeks."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
#: thousands separator: a no-break space, so "1 234" never wraps between its digits
THOUSANDS = "\u00a0"

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """``1234.5`` -> ``"1 234,5"`` (no-break space, decimal comma, minus sign)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    text = text.replace(",", THOUSANDS).replace(".", ",")
    return text.replace("-", "−")


def fmt_percent(fraction: float | None, decimals: int = 0, signed: bool = False) -> str:
    """``0.425`` -> ``"43 %"``; with ``signed``, ``"+43 %"``."""
    if fraction is None or math.isnan(fraction):
        return "–"
    text = fmt_number(round(fraction * 100, 10), decimals)
    if signed and fraction > 0:
        text = "+" + text
    return f"{text}\u00a0%"


def fmt_date(day: dt.date | None, short: bool = False) -> str:
    """``2022-10-16`` -> ``"16 oktober 2022"`` (``short``: ``"16 okt 2022"``)."""
    if day is None:
        return "–"
    names = MONTHS_SHORT if short else MONTHS
    return f"{day.day} {names[day.month - 1]} {day.year}"


def fmt_datetime(moment: dt.datetime | None) -> str:
    """A timestamp shown in Stockholm time: ``"16 oktober 2022 kl. 14:05"``."""
    if moment is None:
        return "–"
    local = moment.astimezone(STOCKHOLM)
    return f"{fmt_date(local.date())} kl. {local:%H:%M}"


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week that holds ``day``."""
    return day - dt.timedelta(days=day.weekday())


def iso_week_label(day: dt.date) -> str:
    """``"v. 41 2022"`` for any day in that ISO week (the ISO year, not the calendar year)."""
    year, week, _ = day.isocalendar()
    return f"v.\u00a0{week} {year}"


def iso_week_code(day: dt.date) -> str:
    """``"2022-W41"``, the form used in links."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(code: str) -> dt.date:
    """``"2022-W41"`` -> the Monday of that week."""
    year, week = code.upper().split("-W")
    return dt.date.fromisocalendar(int(year), int(week), 1)


def month_label(day: dt.date, short: bool = False) -> str:
    names = MONTHS_SHORT if short else MONTHS
    return f"{names[day.month - 1]} {day.year}"


def fmt_period(start: dt.date, end: dt.date) -> str:
    """``"1 januari – 16 oktober 2022"``."""
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {fmt_date(end)}"
    return f"{fmt_date(start)} – {fmt_date(end)}"


def local_date(moment: dt.datetime) -> dt.date:
    """The Stockholm calendar date of an aware timestamp."""
    return moment.astimezone(STOCKHOLM).date()


def plural(n: int | float, one: str, many: str) -> str:
    """``1 försenad aktivitet``, ``3 försenade aktiviteter`` (Swedish number style)."""
    return f"{fmt_number(n)} {one if n == 1 else many}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#|<>$~:!@])")
_WWW = re.compile(r"(www)\.", re.IGNORECASE)
_LIST_START = re.compile(r"^(\d+)([.)])|^([-+=>])")
#: control characters, zero-width characters and the bidi controls that could reorder what a
#: reader sees ("Trygghet" shown as something else); none of them belongs in a label
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def md_text(value: object, limit: int | None = None) -> str:
    """Text from data or a link, safe in an element that renders Markdown: every character that
    could make a link, an image, a formula, an icon or emphasis is escaped, and so is a start that
    would make a list or a heading; line breaks become spaces; a ``limit`` shortens it (``…``) so
    one value cannot fill a screen."""
    text = re.sub(r"\s+", " ", _INVISIBLE.sub("", str(value))).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _MARKDOWN.sub(r"\\\1", text)
    # Autolinks ("www.x.se", "https://x.se", "a@x.se") are found after escapes are undone, so they
    # are broken with an invisible word joiner instead: "www⁠.", ":⁠//", "@⁠".
    text = _WWW.sub("\\1\u2060.", text).replace(":", ":\u2060").replace("@", "@\u2060")
    return _LIST_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text)

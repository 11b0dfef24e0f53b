"""The sidebar's selection as URL query parameters, so that every view is a deep link.

Pure functions: ``parse`` turns query parameters into a :class:`Selection` (falling back to
defaults, with a Swedish note for each value it could not read) and ``to_params`` writes one
back. Parameter names are Swedish, as a user sees them in a shared link:
``?fran=2022-01-01&till=2022-10-16&fokus=trygghet,narkotika&omrade=0499-01``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .formatting import md_text
from .privacy import DATE_MAX, DATE_MIN
from .queries import Filters

FROM, TO, FOCUS, AREA, SOURCE, OWNER = "fran", "till", "fokus", "omrade", "kalla", "agare"


@dataclass(frozen=True)
class Selection:
    start: dt.date
    end: dt.date
    focus_keys: tuple[str, ...]
    area_code: str | None
    sources: tuple[str, ...]

    def filters(self, all_focus_keys: Sequence[str]) -> Filters:
        focus = None if set(self.focus_keys) >= set(all_focus_keys) else self.focus_keys
        return Filters(
            start=self.start,
            end=self.end,
            focus_keys=focus,
            area_codes=(self.area_code,) if self.area_code else None,
            sources=self.sources or None,
        )


def _date(text: str | None) -> dt.date | None:
    """A date a link may ask for (1990–2100), else None."""
    if not text or len(text) > 10:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def _shown(text: str) -> str:
    """A value from a link, as a note may quote it: escaped and short."""
    return md_text(text, 40)


def _list(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(part for part in (p.strip() for p in text.split(",")) if part)


def parse(
    params: Mapping[str, str],
    default_start: dt.date,
    default_end: dt.date,
    focus_keys: Sequence[str],
    area_codes: Sequence[str],
    sources: Sequence[str],
) -> tuple[Selection, list[str]]:
    """Read the selection from query parameters; unknown values fall back with a note."""
    notes: list[str] = []
    start = _date(params.get(FROM))
    end = _date(params.get(TO))
    if params.get(FROM) and start is None:
        notes.append(f"Startdatumet '{_shown(params[FROM])}' kunde inte läsas (ÅÅÅÅ-MM-DD mellan 1990 och 2100); "
                     "standardperioden används.")  # fmt: skip
    if params.get(TO) and end is None:
        notes.append(f"Slutdatumet '{_shown(params[TO])}' kunde inte läsas (ÅÅÅÅ-MM-DD mellan 1990 och 2100); "
                     "standardperioden används.")  # fmt: skip
    start = start or default_start
    end = end or default_end
    if end < start:
        notes.append("Perioden slutade före sin början; standardperioden används.")
        start, end = default_start, default_end

    wanted_focus = _list(params.get(FOCUS))
    unknown = [k for k in wanted_focus if k not in focus_keys]
    if unknown:
        notes.append(f"Okänt fokusområde i länken: {_shown(', '.join(unknown))}.")
    focus = tuple(k for k in focus_keys if k in wanted_focus) or tuple(focus_keys)

    area = params.get(AREA) or None
    if area is not None and area not in area_codes:
        notes.append(f"Okänt område i länken: {_shown(area)}.")
        area = None

    wanted_sources = _list(params.get(SOURCE))
    chosen_sources = tuple(s for s in sources if s in wanted_sources)
    return Selection(start, end, focus, area, chosen_sources), notes


def to_params(selection: Selection, all_focus_keys: Sequence[str]) -> dict[str, str]:
    """The query parameters for a selection; a choice of "everything" is left out."""
    params = {FROM: selection.start.isoformat(), TO: selection.end.isoformat()}
    if selection.focus_keys and set(selection.focus_keys) != set(all_focus_keys):
        params[FOCUS] = ",".join(selection.focus_keys)
    if selection.area_code:
        params[AREA] = selection.area_code
    if selection.sources:
        params[SOURCE] = ",".join(selection.sources)
    return params

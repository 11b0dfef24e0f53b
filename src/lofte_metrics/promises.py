"""Choosing among a kommun's medborgarlöften (pure): which one is current, and a ref for a new one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar


class Period(Protocol):
    @property
    def period_start(self) -> dt.date: ...

    @property
    def period_end(self) -> dt.date: ...


P = TypeVar("P", bound=Period)


def current(promises: Sequence[P], today: dt.date) -> P | None:
    """The promise in force today; else the newest that has started; else the first to come."""
    if not promises:
        return None
    running = [p for p in promises if p.period_start <= today <= p.period_end]
    if running:
        return max(running, key=lambda p: p.period_start)
    started = [p for p in promises if p.period_start <= today]
    if started:
        return max(started, key=lambda p: p.period_start)
    return min(promises, key=lambda p: p.period_start)


def ref_for(start: dt.date, end: dt.date) -> str:
    """A promise's short name from its period: ``2024``, or ``2024-2025`` when it spans years."""
    return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"

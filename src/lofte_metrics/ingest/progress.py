"""How a long import tells how far it has come: a callback gets the step (Swedish, for the person
waiting) and the share of that step done (0-1). The CLI prints it on a terminal and the Data page
draws it as a progress bar; everything else passes None."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from ..formatting import fmt_percent

Progress = Callable[[str, float], None]

#: rows between two reports inside a step
EVERY = 5_000


def report(progress: Progress | None, step: str, done: int, total: int) -> None:
    """Report ``done`` of ``total`` at the start and then every :data:`EVERY` rows."""
    if progress is not None and done % EVERY == 0:
        progress(step, done / total if total else 1.0)


class TerminalLine:
    """A progress line on a terminal: rewritten with ``\\r`` at most every ``interval`` seconds,
    a new line for each new step; :meth:`finish` ends the last line."""

    def __init__(self, out: TextIO, interval: float = 0.5) -> None:
        self.out, self.interval = out, interval
        self.step, self.at = "", 0.0

    def __call__(self, step: str, share: float) -> None:
        now = time.monotonic()
        if step == self.step and now - self.at < self.interval and share < 1:
            return
        if self.step and step != self.step:
            self.out.write("\n")
        self.step, self.at = step, now
        self.out.write(f"\r{step} … {fmt_percent(share)}   ")
        self.out.flush()

    def finish(self) -> None:
        if self.step:
            self.out.write("\n")
            self.out.flush()
        self.step = ""


def terminal(stream: TextIO | None = None, interval: float = 0.5) -> TerminalLine | None:
    """A progress line on a terminal; None when the output is not a terminal, so logs and pipes
    stay clean."""
    out = stream or sys.stderr
    return TerminalLine(out, interval) if out.isatty() else None

"""The CLI's progress line: on a terminal only, one line per step, Swedish percentages."""

import io

from lofte_metrics.ingest.progress import terminal


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_line_is_drawn_on_a_terminal_and_never_into_a_pipe():
    assert terminal(io.StringIO()) is None
    screen = Terminal()
    show = terminal(screen, interval=0)
    assert show is not None
    show("Kontrollerar raderna", 0.0)
    show("Kontrollerar raderna", 0.5)
    show("Skriver", 1.0)
    lines = screen.getvalue().split("\n")
    assert lines[0].split("\r")[1:] == ["Kontrollerar raderna … 0\u00a0%   ", "Kontrollerar raderna … 50\u00a0%   "]
    assert lines[1] == "\rSkriver … 100\u00a0%   "

"""The bulk import's read-ahead: the next chunk is made in a thread, in order, errors where they fell."""

from __future__ import annotations

import threading
from collections.abc import Generator

import pytest

from lofte_metrics.ingest.bulk import read_ahead


def test_items_come_in_order_and_each_is_made_in_another_thread() -> None:
    makers: list[str] = []

    def made() -> Generator[int, None, None]:
        for i in range(5):
            makers.append(threading.current_thread().name)
            yield i

    assert list(read_ahead(made())) == [0, 1, 2, 3, 4]
    assert makers and all(name.startswith("lofte-read-ahead") for name in makers)


def test_an_error_while_making_an_item_is_raised_after_the_items_before_it() -> None:
    def made() -> Generator[int, None, None]:
        yield 1
        yield 2
        raise ValueError("rad 3 går inte att läsa")

    got: list[int] = []
    with pytest.raises(ValueError, match="rad 3"):
        for item in read_ahead(made()):
            got.append(item)
    assert got == [1, 2]


def test_stopping_early_closes_the_source_and_makes_at_most_one_item_more() -> None:
    made_items: list[int] = []
    closed = threading.Event()

    def made() -> Generator[int, None, None]:
        try:
            for i in range(100):
                made_items.append(i)
                yield i
        finally:
            closed.set()

    ahead = read_ahead(made())
    assert next(ahead) == 0
    ahead.close()
    assert closed.is_set()
    assert made_items == [0, 1]

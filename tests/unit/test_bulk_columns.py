"""The column-wise readers in ``ingest/columns.py`` give what the row model's parsers give."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lofte_metrics.ingest import columns, parsing

DECIMALS = st.builds(lambda sign, whole, frac, comma: f"{sign}{whole}{',' if comma else '.'}{frac}",
                     st.sampled_from(["", "-"]), st.integers(0, 10**6), st.from_regex(r"[0-9]{1,20}", fullmatch=True),
                     st.booleans())  # fmt: skip


@settings(max_examples=300)
@given(st.lists(DECIMALS, min_size=1, max_size=50))
def test_numbers_read_in_columns_round_as_python_does(cells):
    values, bad = columns._number(pd.Series(cells, dtype="str"))
    assert not bad.any()
    assert values.tolist() == [parsing.number(c) for c in cells]


@settings(max_examples=200)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=30))
def test_text_read_in_columns_is_what_parsing_text_gives(cells):
    values, bad = columns._text(pd.Series(cells, dtype="str"))
    assert not bad.any()
    assert values.tolist() == [parsing.text(c) if c else None for c in cells]


def test_clock_change_times_are_read_as_the_rest_of_the_product_reads_them():
    cells = ["2022-10-30 02:30", "2022-03-27 02:30", "2022-06-07 18:30", "2022-06-07T18:30+02:00", "7 juni 2022 18.30"]
    values, bad = columns._moment(pd.Series(cells, dtype="str"))
    assert not bad.any()
    # as instants: Python never calls an ambiguous local time equal to a time in another zone
    assert [v.to_pydatetime() for v in values] == [parsing.moment(c).astimezone(dt.UTC) for c in cells]

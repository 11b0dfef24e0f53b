"""The privacy policy's arithmetic (pure). The attacks on it are in tests/privacy."""

import datetime as dt

import h3
import pandas as pd
import pytest

from lofte_metrics.privacy import Policy, protect, rollup, snap_months, snap_weeks


def test_rollup_sums_children_into_their_parent():
    parent = h3.latlng_to_cell(58.95, 16.75, 8)
    children = list(h3.cell_to_children(parent, 9))[:3]
    frame = pd.DataFrame({"cell": children, "count": [1, 2, 3]})
    rolled = rollup(frame, 8)
    assert rolled.to_dict("records") == [{"cell": parent, "count": 6}]


@pytest.mark.parametrize("n", [0, 4, 5, 7, 8, 12, 13, 137, 141, 237])
def test_fine_counts_are_hidden_under_k_and_rounded_to_a_neighbouring_five(n):
    shown = Policy(salt="s").count(n, "cell|x")
    if n < 5:
        assert shown is None
    else:
        assert shown % 5 == 0 and shown >= 5 and abs(shown - n) <= 4
    assert Policy(salt="s").count(n, "cell|x") == shown  # the same number, the same answer


def test_random_rounding_is_unbiased_and_depends_on_the_secret():
    shown = [Policy(salt="s").count(12, f"cell|{i}") for i in range(4000)]
    assert set(shown) == {10, 15}
    assert sum(shown) / len(shown) == pytest.approx(12, abs=0.15)  # 10 three times in five, 15 twice
    others = [Policy(salt="t").count(12, f"cell|{i}") for i in range(200)]
    assert others != shown[:200]


def test_a_viewer_may_raise_the_minimum_but_never_lower_it():
    kommun = Policy(5)
    assert kommun.with_min_count("8").k == 8
    for asked in ("1", "4", "5", "-3", "1000000", "fem", "", None, "1e3", "5; drop table"):
        assert kommun.with_min_count(asked).k == 5
    assert Policy(10).count(9) is None and Policy(10).count(11) in (10, 15)
    assert Policy(6).count(6) == 10  # never shown as less than the minimum


def test_presence_hours_are_hidden_under_ten_and_rounded_to_five():
    assert [Policy().hours(h) for h in (0, 9.9, 10, 100)] == [None, None, 10, 100]
    assert all(Policy().hours(12.6, str(i)) in (10, 15) for i in range(50))


def test_periods_are_snapped_to_whole_weeks_and_months():
    assert snap_weeks(dt.date(2022, 1, 8), dt.date(2022, 1, 8)) == (dt.date(2022, 1, 3), dt.date(2022, 1, 9))
    assert snap_weeks(dt.date(2022, 1, 8), dt.date(2022, 1, 9)) == snap_weeks(dt.date(2022, 1, 3), dt.date(2022, 1, 4))
    assert snap_months(dt.date(2022, 2, 14), dt.date(2022, 3, 2)) == (dt.date(2022, 2, 1), dt.date(2022, 3, 31))


def test_protect_hides_and_rounds_and_counts_what_it_hid():
    frame = pd.DataFrame({"cell": ["a", "b", "c"], "count": [15, 4, 5]})
    result = protect(frame, Policy())
    assert result.shown.to_dict("records") == [{"cell": "a", "count": 15}, {"cell": "c", "count": 5}]
    assert result.hidden_cells == 1

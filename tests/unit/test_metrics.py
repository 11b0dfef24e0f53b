import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import poisson

from lofte_metrics import metrics


def test_expected_progress_counts_whole_days():
    start, end = dt.date(2022, 1, 1), dt.date(2022, 12, 31)
    assert metrics.expected_progress(start, end, dt.date(2021, 12, 31)) == 0
    assert metrics.expected_progress(start, end, dt.date(2022, 1, 1)) == pytest.approx(1 / 365)
    assert metrics.expected_progress(start, end, dt.date(2022, 7, 2)) == pytest.approx(183 / 365)
    assert metrics.expected_progress(start, end, dt.date(2023, 3, 1)) == 1


@pytest.mark.parametrize(
    ("done", "expected", "status"),
    [
        (0.5, 0.5, "grön"),
        (0.45, 0.5, "grön"),
        (0.44, 0.5, "gul"),
        (0.35, 0.5, "gul"),
        (0.34, 0.5, "röd"),
        (0.0, 0.0, "grön"),
        (0.0, 0.2, "röd"),
    ],
)
def test_progress_status_thresholds(done, expected, status):
    assert metrics.progress_status(done, expected) == status


def test_small_counts_are_not_called_a_change():
    change = metrics.poisson_change(7, 5)
    assert change.change == pytest.approx(0.4)
    assert not change.significant
    assert change.wording() == "+40\u00a0%, ingen säkerställd förändring"


def test_large_counts_are_called_a_change():
    change = metrics.poisson_change(140, 100)
    assert change.significant
    assert change.wording() == "+40\u00a0%, säkerställd ökning"
    assert metrics.poisson_change(60, 100).wording() == "\u221240\u00a0%, säkerställd minskning"


def test_poisson_p_value_matches_a_direct_computation():
    # Conditional on 12 events, 10 or more in the first of two equal periods: one tail.
    change = metrics.poisson_change(10, 2)
    from math import comb

    one_tail = sum(comb(12, k) for k in range(10, 13)) / 2**12
    assert change.p_value == pytest.approx(2 * one_tail)


def test_poisson_change_respects_exposure():
    # 8 events in 1 week against 64 in 8 weeks is exactly the same rate.
    change = metrics.poisson_change(8, 64, current_days=7, previous_days=56)
    assert change.ratio == pytest.approx(1.0)
    assert not change.significant


def test_poisson_change_against_zero_and_nothing():
    assert metrics.poisson_change(0, 0).wording() == "inga händelser i någon av perioderna"
    assert "för få för att bedöma" in metrics.poisson_change(2, 0).wording()
    assert metrics.poisson_change(30, 0).significant


def test_poisson_change_false_alarm_rate_is_near_five_percent():
    # Same underlying rate: about 5 % (at most) of pairs may be called significant.
    rng = __import__("numpy").random.default_rng(1)
    draws = rng.poisson(20, size=(2000, 2))
    flagged = sum(metrics.poisson_change(int(a), int(b)).significant for a, b in draws)
    assert flagged / 2000 <= 0.06
    assert poisson.mean(20) == 20


def test_moving_average_waits_for_a_full_window():
    series = pd.Series([1, 2, 3, 4, 5], dtype=float)
    result = metrics.moving_average(series, 3)
    assert result.isna().tolist() == [True, True, False, False, False]
    assert result.iloc[2:].tolist() == [2.0, 3.0, 4.0]


def test_fill_periods_puts_zero_weeks_in():
    frame = pd.DataFrame({"period": pd.to_datetime(["2022-01-03", "2022-01-17"]), "key": ["a", "a"], "count": [3, 4]})
    table = metrics.fill_periods(frame, dt.date(2022, 1, 3), dt.date(2022, 1, 23), "week", ["a", "b"])
    assert table["a"].tolist() == [3, 0, 4]
    assert table["b"].tolist() == [0, 0, 0]


def test_period_index_weeks_start_on_monday():
    index = metrics.period_index(dt.date(2022, 1, 1), dt.date(2022, 1, 20), "week")
    assert [d.date() for d in index] == [
        dt.date(2021, 12, 27),
        dt.date(2022, 1, 3),
        dt.date(2022, 1, 10),
        dt.date(2022, 1, 17),
    ]


def test_burn_up_spreads_each_plan_over_its_span():
    activities = pd.DataFrame(
        [
            {
                "status": "pågår",
                "planned_start": dt.date(2022, 1, 3),
                "planned_end": dt.date(2022, 1, 16),
                "planned_count": 14,
            },
            {
                "status": "inställd",
                "planned_start": dt.date(2022, 1, 3),
                "planned_end": dt.date(2022, 1, 9),
                "planned_count": 100,
            },
        ]
    )
    plan = metrics.burn_up(activities, dt.date(2022, 1, 3), dt.date(2022, 1, 23))
    assert plan["planned"].tolist() == [7, 14, 14]


def _plan_day_by_day(activities: pd.DataFrame, start: dt.date, end: dt.date) -> list[float]:
    """The plan as one would write it by hand: each day of each activity adds count / days."""
    weeks = metrics.period_index(start, end, "week")
    per_week = dict.fromkeys(weeks, 0.0)
    for a in activities.to_dict("records"):
        if a["status"] == "inställd":
            continue
        span = max((a["planned_end"] - a["planned_start"]).days + 1, 1)
        day = a["planned_start"]
        while day <= a["planned_end"]:
            monday = pd.Timestamp(day - dt.timedelta(days=day.weekday()))
            if monday in per_week:
                per_week[monday] += a["planned_count"] / span
            day += dt.timedelta(days=1)
    return list(pd.Series(per_week).cumsum())


@given(st.lists(st.tuples(st.integers(0, 500), st.integers(-5, 120), st.integers(0, 20), st.booleans()),
                max_size=25),
       st.integers(0, 300), st.integers(0, 200))  # fmt: skip
@settings(max_examples=150, deadline=None)
def test_the_vectorised_burn_up_is_the_plan_day_by_day(spans, offset, length):
    base = dt.date(2021, 11, 1)
    activities = pd.DataFrame(
        [
            {
                "status": "inställd" if cancelled else "planerad",
                "planned_start": base + dt.timedelta(days=s),
                "planned_end": base + dt.timedelta(days=s + d),
                "planned_count": n,
            }
            for s, d, n, cancelled in spans
        ],
        columns=["status", "planned_start", "planned_end", "planned_count"],
    )
    start = base + dt.timedelta(days=offset)
    end = start + dt.timedelta(days=length)
    plan = metrics.burn_up(activities, start, end)
    assert plan["week"].tolist() == list(metrics.period_index(start, end, "week"))
    assert plan["planned"].tolist() == pytest.approx(_plan_day_by_day(activities, start, end))


def test_presence_where_it_happens():
    incidents = pd.DataFrame({"cell": ["a", "b", "c", "d"], "count": [50, 30, 10, 10]})
    presence = pd.DataFrame({"cell": ["a", "c", "x"], "hours": [30.0, 50.0, 20.0]})
    result = metrics.presence_where_it_happens(incidents, presence, share=0.5)
    # "a" alone holds half of the incidents; 30 of 100 hours were spent there.
    assert result["cells"] == 1
    assert result["incident_share"] == pytest.approx(0.5)
    assert result["presence_share"] == pytest.approx(0.3)
    result = metrics.presence_where_it_happens(incidents, presence, share=0.8)
    assert result["cells"] == 2 and result["presence_share"] == pytest.approx(0.3)


def test_a_hidden_count_stays_hidden_when_periods_are_filled():
    """A protected series: a month too small to show is missing, never zero (it may be 1 to 4)."""
    import datetime as dt

    import pandas as pd

    from lofte_metrics.metrics import fill_periods

    frame = pd.DataFrame({"period": pd.to_datetime(["2022-01-01", "2022-02-01"]), "key": ["narkotika"] * 2,
                          "count": pd.array([5, None], dtype="Int64")})  # fmt: skip
    frame.attrs["protected"] = True
    table = fill_periods(frame, dt.date(2022, 1, 1), dt.date(2022, 3, 31), "month", ["narkotika", "trafik"])
    assert table["narkotika"].iloc[0] == 5
    assert table["narkotika"].iloc[1:].isna().all() and table["trafik"].isna().all()

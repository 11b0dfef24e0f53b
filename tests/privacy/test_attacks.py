"""Attacks on the privacy rules through the functions that make every number finer than the kommun
(``protected``), on the sample kommun and on a generated kommun of 100 000 incidents.

Each test is one attack, named after what it tries to recover; it passes only when the attack
fails. The attacker knows the rules (rounding to 5, the minimum 5, whole weeks) but not the
database's secret, and may compare any views a link can ask for. ``possible`` is what a published
number can stand for to them; an attack succeeds when the candidates for a hidden count narrow to
a single value.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import h3
import pandas as pd
from dbtools import policy_of

from lofte_metrics import protected
from lofte_metrics import queries as q
from lofte_metrics.privacy import DEFAULT_MAP_RESOLUTION, PRESENCE_RESOLUTION, Policy, snap_weeks
from lofte_metrics.queries import Filters

K = 5
FOCUS = ("trygghet", "narkotika", "trafik")


def possible(published: int | None) -> set[int]:
    """The true counts a published value can stand for (hidden: anything under the minimum)."""
    if published is None or pd.isna(published):
        return set(range(K))
    return {n for n in range(int(published) - 4, int(published) + 5) if n >= K}


def months(engine, limit: int | None = None) -> list[Filters]:
    first = q.incident_counts(engine, Filters(dt.date(2000, 1, 1), dt.date(2100, 1, 1)), "month", "none")["period"]
    starts = sorted({p.date() for p in first})[-limit:] if limit else sorted({p.date() for p in first})
    out = []
    for start in starts:
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        out.append(Filters(start, end, kommunkod="0499"))
    return out


def published_cells(engine, f: Filters, policy: Policy, focus: str | None = None) -> dict[str, int]:
    cells = protected.map_cells(engine, f, DEFAULT_MAP_RESOLUTION, policy, focus).shown
    return dict(zip(cells["cell"], cells["count"], strict=True))


def periods(engine, kommun_is_big: bool) -> list[Filters]:
    return months(engine, limit=4 if kommun_is_big else None)


def is_big(engine) -> bool:
    return "stor" in str(engine.url)


# --------------------------------------------------------------------------- the minimum is the kommun's


def test_a_link_cannot_lower_the_minimum_or_ask_for_the_finest_cells():
    kommun = Policy(5)
    for asked in ("1", "0", "-5", "4", "1000000", "x", "", None, "5.5"):
        assert kommun.with_min_count(asked).k == 5
    assert kommun.with_min_count("1000").k == 1000  # stricter is allowed
    assert protected.resolution("9") == protected.resolution("10") == protected.resolution("x") == 8
    assert protected.resolution("7") == 7


def test_no_cell_under_the_minimum_on_any_map(kommun):
    policy = policy_of(kommun)
    for f in periods(kommun, is_big(kommun)):
        for res, focus in itertools.product((7, 8), (None, *FOCUS)):
            shown = protected.map_cells(kommun, f, res, policy, focus).shown
            assert (shown["count"] >= K).all() and (shown["count"] % 5 == 0).all()


def test_one_day_isolates_no_incident(kommun):
    """A one-day period gives the map of its whole week: the day and the block of one incident
    cannot be read by shrinking the period, nor by comparing two periods a day apart."""
    policy = policy_of(kommun)
    for f in periods(kommun, is_big(kommun))[:3]:
        week_start, week_end = snap_weeks(f.start + dt.timedelta(days=10), f.start + dt.timedelta(days=10))
        week = published_cells(kommun, f.with_period(week_start, week_end), policy)
        for day in range(7):
            d = week_start + dt.timedelta(days=day)
            assert published_cells(kommun, f.with_period(d, d), policy) == week
            assert published_cells(kommun, f.with_period(d, f.end), policy) == published_cells(
                kommun, f.with_period(week_start, f.end), policy
            )


# --------------------------------------------------------------------------- differencing


def test_differencing_fokusomraden_recovers_no_hidden_cell(kommun):
    """'Nära Torget' with every fokusområde against without narkotika: the narkotika count in a
    cell the narkotika map hides. Even told the unmapped types' count, the attacker is left with
    several possible values."""
    policy = policy_of(kommun)
    attempts = 0
    for f in periods(kommun, is_big(kommun)):
        every = published_cells(kommun, f, policy)
        for target in FOCUS:
            single = published_cells(kommun, f, policy, target)
            others = published_cells(kommun, replace(f, focus_keys=tuple(k for k in FOCUS if k != target)), policy)
            for cell, shown_all in every.items():
                if cell in single:
                    continue
                attempts += 1
                # all = target + the others + types in no fokusområde; the attacker is even told that
                # last count is 0, the most they could hope for.
                candidates = {a - w for a in possible(shown_all) for w in possible(others.get(cell))}
                assert len(candidates & possible(None)) != 1, (cell, target, shown_all, others.get(cell))
    assert attempts > 0


def test_the_corner_that_nearest_five_rounding_gives_away():
    """Two hidden parts (4 and 4) of a total shown as 10: rounding to the nearest 5 would pin both;
    random rounding leaves several values. (Why the policy rounds at random.)"""
    nearest = {n: 5 * ((n + 2) // 5) for n in range(5, 30)}
    shown = nearest[8]
    pinned = {a - w for a in range(5, 30) if nearest[a] == shown for w in range(K)} & set(range(K))
    assert pinned == {4}
    candidates = {a - w for a in possible(Policy(salt="x").count(8, "c")) for w in range(K)} & set(range(K))
    assert len(candidates) >= 2


def test_differencing_kommun_and_kommundel_recovers_no_hidden_cell(kommun):
    """A cell as 6 in the kommun and 5 in one kommundel: the incident in the other kommundel."""
    policy = policy_of(kommun)
    areas = q.areas(kommun, "0499")
    districts = list(areas[areas["kind"] == "kommundel"]["code"])
    attempts = 0
    for f in periods(kommun, is_big(kommun))[:6]:
        every = published_cells(kommun, f, policy)
        parts = {code: published_cells(kommun, replace(f, area_codes=(code,)), policy) for code in districts}
        for cell, shown_all in every.items():
            inside = [code for code in districts if cell in parts[code]]
            for code in inside:
                attempts += 1
                candidates = {a - b for a in possible(shown_all) for b in possible(parts[code][cell])}
                rest = candidates & possible(None)
                assert len(rest) != 1, (cell, code)
    assert attempts > 0


def test_the_period_before_is_never_a_small_number(kommun):
    """'Sjöängens skola 9/2': the top-places table's column for the period before."""
    policy = policy_of(kommun)
    for f in periods(kommun, is_big(kommun)):
        table = protected.top_places(kommun, f, DEFAULT_MAP_RESOLUTION, policy)
        for now, before, verdict in table[["Nu", "Innan", "Förändring"]].itertuples(index=False):
            assert now >= K and now % 5 == 0
            assert pd.isna(before) or (before >= K and before % 5 == 0)
            if pd.isna(before):
                assert "kan inte jämföras" in verdict


def test_a_weekly_average_is_not_a_hidden_count_in_disguise(kommun):
    """Veckan's 'Snitt per vecka innan 0,1' times 8 gave 1: the baseline is now a published total."""
    policy = policy_of(kommun)
    for f in periods(kommun, is_big(kommun))[:6]:
        monday = f.start + dt.timedelta(days=(7 - f.start.weekday()) % 7)
        hot = protected.hotspots(kommun, f, monday, policy)
        assert set(hot.columns) == {"cell", "count", "before"}
        assert (hot["count"] >= K).all()
        assert all(pd.isna(b) or (b >= K and b % 5 == 0) for b in hot["before"])


def test_asking_again_through_equivalent_filters_gives_the_same_draw(kommun):
    """Averaging many roundings of the same count would reveal it: the same count in the same cell
    is always shown the same, whichever filters lead to it."""
    policy = policy_of(kommun)
    f = periods(kommun, is_big(kommun))[-1]
    sources = tuple(q.source_overview(kommun, "0499")["source"])
    plain = published_cells(kommun, f, policy)
    assert published_cells(kommun, replace(f, sources=sources), policy) == plain
    assert published_cells(kommun, replace(f, focus_keys=None), policy) == plain


def test_whole_weeks_apart_give_a_week_only_roughly(kommun):
    """Two periods a week apart: the week's count in a cell, at best to within 8."""
    policy = policy_of(kommun)
    f = periods(kommun, is_big(kommun))[-2]
    longer = published_cells(kommun, f.with_period(f.start, f.end + dt.timedelta(days=7)), policy)
    shorter = published_cells(kommun, f, policy)
    week = published_cells(kommun, f.with_period(f.end + dt.timedelta(days=1), f.end + dt.timedelta(days=7)), policy)
    for cell in set(longer) - set(week):
        candidates = {a - b for a in possible(longer[cell]) for b in possible(shorter.get(cell))} & possible(None)
        assert len(candidates) != 1


# --------------------------------------------------------------------------- sensitive by default


def test_per_type_views_never_show_a_sensitive_or_unclassified_type(kommun, truth):
    """'Våldtäkt 1' on Trender per type for one day in one kommundel."""
    policy = policy_of(kommun)
    sensitive = truth.sensitive
    day = Filters(dt.date(2020, 12, 5), dt.date(2020, 12, 5), kommunkod="0499", area_codes=("0499-05",))
    for f in (day, replace(day, area_codes=None), *periods(kommun, is_big(kommun))[:4]):
        series = protected.series(kommun, f, "week", "type", policy)
        assert not set(series["key"]) & sensitive
        assert all(pd.isna(v) or (v >= K and v % 5 == 0) for v in series["count"])
        short = protected.type_totals(kommun, f, policy)
        if f.days < 28 or f.area_codes:
            assert not set(short["key"]) & sensitive
    month = periods(kommun, is_big(kommun))[-1]
    totals = protected.type_totals(kommun, month, policy)
    for count in totals[totals["key"].isin(sensitive)]["count"]:
        assert count >= K and count % 5 == 0  # a kommun total over a month, at or above the minimum


def test_sensitive_counts_only_for_the_kommun_over_a_month(kommun):
    policy = policy_of(kommun)
    f = periods(kommun, is_big(kommun))[-1]
    assert (
        protected.left_out(kommun, f.with_period(f.start, f.start + dt.timedelta(days=6)), policy)["känsliga"] is None
    )
    assert protected.left_out(kommun, replace(f, area_codes=("0499-01",)), policy)["känsliga"] is None
    whole = protected.left_out(kommun, f, policy)["känsliga"]
    assert whole is None or (whole >= K and whole % 5 == 0)


# --------------------------------------------------------------------------- places and patrols


def test_events_known_only_to_a_kommundel_are_never_drawn(kommun):
    """'Sjöängen 13' with kalla=tips: tips are known only to their kommundel."""
    policy = policy_of(kommun)
    f = replace(periods(kommun, is_big(kommun))[-1], sources=("tips",))
    assert protected.map_cells(kommun, f, 8, policy).shown.empty
    per_area = protected.area_counts(kommun, f, policy)
    assert (per_area["count"] >= K).all() and (per_area["count"] % 5 == 0).all()
    sources = q.source_overview(kommun, "0499").set_index("source")
    if "tips" in sources.index:
        assert sources.loc["tips", "mappable"] == 0
    assert "latest" not in sources.columns  # no exact time of a single event


def test_one_days_patrol_hours_in_one_cell_cannot_be_rebuilt(kommun):
    """Two periods a day apart once gave 14 hours at Torget on 8 January 2022; 84 % of 2022's
    presence hours could be pinned to a cell and a day. Now every pair of periods a day apart
    shows the same presence, unless a new week begins between them."""
    policy = policy_of(kommun)
    end = dt.date(2022, 10, 16)
    pinned = 0
    day = dt.date(2022, 1, 1)
    previous = protected.presence_cells(kommun, Filters(day, end, kommunkod="0499"), policy)
    while day < dt.date(2022, 3, 1):
        later = protected.presence_cells(kommun, Filters(day + dt.timedelta(days=1), end, kommunkod="0499"), policy)
        if (day + dt.timedelta(days=1)).weekday() != 0:  # not a new week: nothing may differ
            pinned += int(not previous.equals(later))
        previous, day = later, day + dt.timedelta(days=1)
    assert pinned == 0
    shown = protected.presence_cells(kommun, Filters(dt.date(2022, 1, 1), end, kommunkod="0499"), policy)
    assert (shown["hours"] >= 10).all() and (shown["hours"] % 5 == 0).all()
    assert all(h3.get_resolution(c) == PRESENCE_RESOLUTION == 7 for c in shown["cell"])  # about 5 km² only

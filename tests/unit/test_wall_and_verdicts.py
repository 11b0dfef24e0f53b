"""The wall's arithmetic (screen, rotation) and the verdicts in words (pure)."""

from __future__ import annotations

import pytest

from lofte_metrics.metrics import poisson_change
from lofte_metrics.summary import FocusSummary, focus_verdict, judge, overall_verdict
from lofte_metrics.ui.wall import Screen, next_page, requested, rotation, screen_of
from lofte_metrics.ui.wall_views import lines, sentences_that_fit


def test_the_type_scales_with_the_window():
    assert Screen(1280, 720).rem == 16 and Screen(1920, 1080).rem == 24
    assert Screen(1024, 768).rem == 16  # never under 16 px
    assert Screen(1920, 1200).rem == 24 and Screen(3840, 2160).rem == 48


def test_a_window_from_the_link_is_bounded_and_text_means_full_hd():
    assert screen_of({"bredd": "1280", "hojd": "720"}) == Screen(1280, 720)
    assert screen_of({"bredd": "99999", "hojd": "720"}) == Screen(1920, 1080)
    assert screen_of({"bredd": "[x](y)", "hojd": "-1"}) == Screen(1920, 1080)


@pytest.mark.parametrize(("value", "wall"), [("1", True), ("ja", True), ("", False), ("0", False),
                                             ("eyJhbGciOi.token", False)])  # fmt: skip
def test_skarm_1_asks_for_the_wall_and_a_token_is_a_screen_link(value, wall):
    assert requested({"skarm": value}, screen_link=False) is wall
    assert requested({}, screen_link=True)


def test_rotation_keeps_known_pages_once_and_bounds_the_seconds():
    assert rotation({"rotera": "oversikt,lagesbild,okand,oversikt,data", "sekunder": "45"}) == (
        ["oversikt", "lagesbild"], 45)  # fmt: skip
    assert rotation({"rotera": "trender", "sekunder": "1"}) == (["trender"], 60)
    assert rotation({"sekunder": "1e9"}) == ([], 60)
    assert next_page(["oversikt", "lagesbild"], "oversikt") == "lagesbild"
    assert next_page(["oversikt", "lagesbild"], "lagesbild") == "oversikt"
    assert next_page(["oversikt", "lagesbild"], "veckan") == "oversikt"
    assert next_page(["trender"], "trender") is None and next_page([], "trender") is None


def test_long_text_is_cut_at_a_whole_sentence():
    text = "Första meningen är kort. Andra meningen är lite längre än den första. Tredje."
    assert sentences_that_fit(text, 30, 1) == "Första meningen är kort."
    assert sentences_that_fit(text, 30, 10) == text
    assert sentences_that_fit("Ettmycketlångtordutanslut" * 10, 10, 1) == ""
    assert lines("a" * 100, 26) == 2


@pytest.mark.parametrize(
    ("status", "trend", "tone", "headline"),
    [
        ("grön", 0, "bra", "Aktiviteterna enligt plan"),
        ("grön", -1, "blandat", "Aktiviteterna enligt plan – men händelserna har ökat"),
        ("grön", 1, "bra", "Aktiviteterna enligt plan och händelserna har minskat"),
        ("gul", 0, "blandat", "Aktiviteterna något efter plan"),
        ("gul", -1, "dåligt", "Aktiviteterna något efter plan och händelserna har ökat"),
        ("röd", 1, "blandat", "Aktiviteterna efter plan – men händelserna har minskat"),
        ("röd", 0, "dåligt", "Aktiviteterna efter plan"),
        (None, 0, "okänt", "Inga aktiviteter i perioden"),
        (None, -1, "dåligt", "Inga aktiviteter i perioden och händelserna har ökat"),
    ],
)  # fmt: skip
def test_both_halves_are_judged_together(status, trend, tone, headline):
    assert judge(status, trend) == (tone, headline)


def _summary(name: str, done: int, planned: int, expected: float, now: int, before: int) -> FocusSummary:
    return FocusSummary(name.lower(), name, 3, 1, 0, 0, planned, done, expected, "grön" if done >= expected * 0.9
                        else "röd", poisson_change(now, before), None, None, None)  # fmt: skip


def test_a_green_plan_beside_a_significant_rise_is_never_all_well():
    s = _summary("Narkotika", 65, 89, 71, 212, 142)
    v = focus_verdict(s)
    assert v.tone == "blandat" and v.headline == "Aktiviteterna enligt plan – men händelserna har ökat"
    assert v.activities.startswith("65 av 89 genomföranden gjorda (73\u00a0%)")
    assert v.incidents == "212 händelser mot 142 perioden innan – säkerställd ökning."


def test_the_promise_as_a_whole_names_where_incidents_rose_and_fell():
    summaries = [_summary("Trygghet", 50, 100, 50, 100, 160), _summary("Narkotika", 50, 100, 50, 212, 142),
                 _summary("Trafik", 50, 100, 50, 30, 31)]  # fmt: skip
    v = overall_verdict(summaries)
    assert v.headline == ("Löftet: aktiviteterna enligt plan; händelserna har ökat inom Narkotika och minskat inom "
                          "Trygghet")  # fmt: skip
    assert v.tone == "blandat"
    assert v.activities.startswith("Aktiviteterna: 150 av 300 genomföranden gjorda")
    assert v.incidents == "Händelserna: säkerställd ökning inom Narkotika; säkerställd minskning inom Trygghet."

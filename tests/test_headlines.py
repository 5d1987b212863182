"""Headline sentences: direction from the figures; better or worse only from a significant test
read through the polarity; the counts and what chance explains in words.

Indicators and figures here are made-up FIXTURES.
"""

import math

import pandas as pd

from dashboard.catalogue import Indicator
from dashboard.headlines import (
    direction_word,
    headline_sentence,
    method_footnote,
    sentence_case,
)
from dashboard.transforms import LatestChange, latest_change

from helpers.stat_fixtures import fixture_indicator, fixture_rows


def headline_indicator(name: str, unit: str, polarity: str, family: str = "official") -> Indicator:
    return fixture_indicator(
        name=name,
        theme="child_protection",
        unit=unit,
        polarity=polarity,
        source_family="official_statistics" if family == "official" else "partnership_report",
        numerator_label="fixture events",
        denominator_label="fixture cases",
    )


def sentence_for(indicator: Indicator, rows: pd.DataFrame, measure: str = "") -> str:
    change = latest_change(rows, indicator.polarity)
    assert change is not None
    return headline_sentence(indicator, "Rutland", change, measure or indicator.unit)


def test_a_significant_fall_in_repeat_plans_is_an_improvement_with_its_counts():
    plans = headline_indicator("Repeat child protection plans", "percent", "lower_is_better")
    rows = fixture_rows(plans, 30.0, 20.0, ((300, 1000), (200, 1000)))
    assert sentence_for(plans, rows) == (
        "Rutland's repeat child protection plans fell from 30.0% (300 of 1,000 fixture cases) "
        "to 20.0% (200 of 1,000 fixture cases) between 2022/23 and 2024/25, an improvement "
        "beyond what chance explains (measure: percentages)."
    )


def test_a_significant_rise_is_a_deterioration():
    plans = headline_indicator("Repeat child protection plans", "percent", "lower_is_better")
    rows = fixture_rows(plans, 20.0, 30.0, ((200, 1000), (300, 1000)))
    assert ", a deterioration beyond what chance explains (measure: percentages)." in (
        sentence_for(plans, rows)
    )


def test_a_small_change_on_small_numbers_is_within_chance_and_says_what_one_child_moves():
    plans = headline_indicator("Repeat child protection plans", "percent", "lower_is_better")
    rows = fixture_rows(plans, 25.0, 20.0, ((10, 40), (8, 40)))
    sentence = sentence_for(plans, rows)
    assert "fell from 25.0% (10 of 40 fixture cases) to 20.0% (8 of 40 fixture cases)" in sentence
    assert ": no change beyond what chance explains (measure: percentages)." in sentence
    assert "improvement" not in sentence
    assert sentence.endswith(
        "Small numbers: one more or one fewer in the count moves this figure by 2.5 percentage "
        "points."
    )


def test_a_percentage_without_counts_is_not_tested_and_not_judged():
    share = headline_indicator("Fixture share", "percent", "higher_is_better", family="report")
    sentence = sentence_for(share, fixture_rows(share, 40.0, 60.0))
    assert sentence == (
        "Rutland's fixture share rose from 40.0% to 60.0% between 2022/23 and 2024/25; not "
        "tested: the report gives the percentage only, not the counts behind it, so not "
        "called better or worse (measure: percentages)."
    )


def test_an_approximate_figure_is_not_tested():
    count = headline_indicator("Fixture events", "count", "higher_is_better", family="report")
    rows = fixture_rows(count, 100, 400, statuses=("reported", "approximate"))
    assert "; not tested: the figure is approximate, so not called better or worse" in (
        sentence_for(count, rows)
    )


def test_volumes_are_never_praised_but_say_whether_chance_explains_them():
    referrals = headline_indicator("Referrals", "count", "no_judgement")
    beyond = sentence_for(referrals, fixture_rows(referrals, 9000, 8500))
    assert beyond == (
        "Rutland's referrals fell from 9,000 to 8,500 between 2022/23 and 2024/25, a change "
        "beyond what chance explains (measure: numbers (counts))."
    )
    within = sentence_for(referrals, fixture_rows(referrals, 50, 48))
    assert within.endswith(": no change beyond what chance explains (measure: numbers (counts)).")
    for sentence in (beyond, within):
        assert "improvement" not in sentence and "deterioration" not in sentence


def test_rates_name_their_counts_and_measure():
    rate = headline_indicator("Fixture checks per 10,000 children", "rate_per_10k", "no_judgement")
    rows = fixture_rows(rate, 40.0, 60.0, ((400, 100_000), (600, 100_000)))
    sentence = sentence_for(rate, rows)
    assert "rose from 40.0 per 10,000 (400 fixture events among 100,000 fixture cases)" in sentence
    assert "(measure: rates per 10,000 children aged 0-17)" in sentence


def test_suppressed_latest_figure_is_described_without_a_change():
    plans = headline_indicator("Repeat child protection plans", "percent", "lower_is_better")
    rows = fixture_rows(plans, 30.0, math.nan, statuses=("published", "suppressed"))
    rows.loc[1, "value_symbol"] = "c"
    sentence = sentence_for(plans, rows)
    assert sentence.startswith("Rutland's repeat child protection plans stood at suppressed by DfE")
    assert "better" not in sentence and "worse" not in sentence


def test_no_change_no_earlier_figure_and_disagreeing_sources():
    pct = headline_indicator("Fixture share", "percent", "higher_is_better")
    same = sentence_for(pct, fixture_rows(pct, 20.0, 20.0))
    assert "did not change between 2022/23 and 2024/25: 20.0%" in same
    alone = LatestChange(2025, "2024/25", (20.0,), "", "published", None, None, None, "unknown")
    assert "stood at 20.0% in 2024/25; no earlier figure" in headline_sentence(
        pct, "Rutland", alone, "percent"
    )
    disputed = LatestChange(
        2025, "2024/25", (20.0, 22.0), "", "reported", None, None, None, "unknown"
    )
    assert "given as 20.0% or 22.0%: the sources disagree" in headline_sentence(
        pct, "Rutland", disputed, "percent"
    )


def test_footnote_names_each_method_once():
    plans = headline_indicator("Repeat child protection plans", "percent", "lower_is_better")
    rows = fixture_rows(plans, 30.0, 20.0, ((300, 1000), (200, 1000)))
    change = latest_change(rows, plans.polarity)
    footnote = method_footnote([change, change])
    assert footnote.count("score test of two independent proportions") == 1
    assert "less than 1 time in 20" in footnote
    assert method_footnote([]) == ""


def test_words():
    assert [direction_word(c) for c in (1, -1, 0)] == ["rose", "fell", "did not change"]
    assert sentence_case("Referrals") == "referrals"
    assert sentence_case("CSE referrals") == "CSE referrals"

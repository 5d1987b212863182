"""Headline sentences: direction from the figures, judgement only from the polarity.

Indicators and figures here are made-up FIXTURES.
"""

from dashboard.catalogue import Indicator
from dashboard.headlines import direction_word, headline_sentence, sentence_case
from dashboard.transforms import LatestChange, judge


def fixture_indicator(name: str, unit: str, polarity: str) -> Indicator:
    return Indicator(
        id="fixture",
        name=name,
        theme="child_protection",
        unit=unit,
        polarity=polarity,
        definition="FIXTURE",
        source_family="official_statistics",
        counterpart_id="",
        notes="",
    )


def fixture_change(before: float, after: float, polarity: str) -> LatestChange:
    return LatestChange(
        year_end=2025,
        period="2024/25",
        values=(after,),
        symbol="",
        status="published",
        previous_period="2022/23",
        previous_value=before,
        change=after - before,
        judgement=judge(after - before, polarity),
    )


def test_falling_repeat_plans_is_an_improvement():
    plans = fixture_indicator("Repeat child protection plans", "percent", "lower_is_better")
    sentence = headline_sentence(
        plans, "Rutland", fixture_change(24, 18, plans.polarity), "percent"
    )
    assert sentence == (
        "Rutland's repeat child protection plans fell from 24.0% to 18.0% between 2022/23 and "
        "2024/25, an improvement (measure: percentages)."
    )


def test_rising_repeat_plans_is_a_deterioration():
    plans = fixture_indicator("Repeat child protection plans", "percent", "lower_is_better")
    sentence = headline_sentence(
        plans, "Rutland", fixture_change(18, 24, plans.polarity), "percent"
    )
    assert " rose from 18.0% to 24.0% " in sentence
    assert sentence.endswith(", a deterioration (measure: percentages).")


def test_falling_referrals_is_neither_good_nor_bad():
    referrals = fixture_indicator("Referrals", "count", "no_judgement")
    change = fixture_change(9000, 8500, referrals.polarity)
    sentence = headline_sentence(referrals, "Leicestershire", change, "count")
    assert sentence == (
        "Leicestershire's referrals fell from 9,000 to 8,500 between 2022/23 and 2024/25 "
        "(measure: numbers (counts))."
    )
    assert "improvement" not in sentence and "deterioration" not in sentence


def test_higher_is_better_rising_is_an_improvement_and_rates_name_their_measure():
    rate = fixture_indicator(
        "Fixture checks per 10,000 children", "rate_per_10k", "higher_is_better"
    )
    sentence = headline_sentence(
        rate, "Rutland", fixture_change(40, 45.5, rate.polarity), "rate_per_10k"
    )
    assert "rose from 40.0 per 10,000 to 45.5 per 10,000" in sentence
    assert "an improvement (measure: rates per 10,000 children aged 0-17)" in sentence


def test_no_change_no_earlier_figure_and_disagreeing_sources():
    pct = fixture_indicator("Fixture share", "percent", "higher_is_better")
    same = headline_sentence(pct, "Rutland", fixture_change(20, 20, pct.polarity), "percent")
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


def test_words():
    assert [direction_word(c) for c in (1, -1, 0)] == ["rose", "fell", "did not change"]
    assert sentence_case("Referrals") == "referrals"
    assert sentence_case("CSE referrals") == "CSE referrals"

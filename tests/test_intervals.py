"""Intervals in the built data, recomputed independently, and the judgements made from them.

The first tests read the real built table (data-build layer: they pin the method, not figures);
the rest use made-up FIXTURE rows.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from dashboard.data import read_observations
from dashboard.intervals import (
    add_intervals,
    change_test,
    counts_text,
    interval_gap,
    interval_text,
    one_child_text,
    position_against,
    untested_reason,
)

from helpers.stat_fixtures import fixture_indicator, wilson

Z95 = scipy_stats.norm.ppf(0.975)


def poisson_limits(count: float, z: float = Z95) -> tuple[float, float]:
    """Exact chi-square limits below 10, Byar's from 10 (PHE's convention), written out here."""
    if count < 10:
        lower = 0.0 if count == 0 else scipy_stats.chi2.ppf(0.025, 2 * count) / 2
        return lower, scipy_stats.chi2.ppf(0.975, 2 * count + 2) / 2
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return lower, upper


@pytest.fixture(scope="module")
def built() -> pd.DataFrame:
    return read_observations()


def test_every_counted_rate_and_percentage_has_an_interval_and_nothing_else_does(built):
    counted = built["numerator"].notna() & built["denominator"].notna()
    interval_units = built["unit"].isin(["percent", "rate_per_10k"])
    has = built["ci95_lower"].notna()
    assert (has == (counted & interval_units & built["value"].notna())).all()
    assert set(built.loc[has, "ci_method"]) == {
        "Wilson score interval",
        "Poisson: exact below 10 events, Byar's approximation from 10",
    }
    assert (built.loc[~has, "ci_method"] == "").all()


def test_a_sample_of_built_intervals_matches_an_independent_computation(built):
    sample = built[built["ci95_lower"].notna()].sample(n=60, random_state=13)
    for row in sample.to_dict("records"):
        if row["unit"] == "percent":
            lower, upper = (100 * limit for limit in wilson(row["numerator"], row["denominator"]))
        else:
            scale = 10_000 / row["denominator"]
            lower, upper = (scale * limit for limit in poisson_limits(row["numerator"]))
        assert row["ci95_lower"] == pytest.approx(lower, rel=1e-6, abs=1e-9), row["record_id"]
        assert row["ci95_upper"] == pytest.approx(upper, rel=1e-6), row["record_id"]


def test_the_wider_998_interval_contains_the_95_interval(built):
    rows = built[built["ci95_lower"].notna()]
    assert (rows["ci998_lower"] <= rows["ci95_lower"] + 1e-9).all()
    assert (rows["ci998_upper"] >= rows["ci95_upper"]).all()


# FIXTURE rows from here on.
FIXTURE_INDICATOR = fixture_indicator(
    name="Fixture share",
    polarity="lower_is_better",
    numerator_label="fixture events",
    denominator_label="fixture cases",
)


def fixture_row(**changes: object) -> dict:
    row = {
        "unit": "percent",
        "status": "published",
        "source_family": "official_statistics",
        "area": "rutland",
        "value": 25.0,
        "numerator": 10.0,
        "denominator": 40.0,
    }
    return {**row, **changes}


def test_add_intervals_fills_rates_and_percentages_with_counts_only():
    frame = pd.DataFrame(
        [
            fixture_row(),
            fixture_row(unit="rate_per_10k", value=50.0, numerator=40.0, denominator=8000.0),
            fixture_row(numerator=np.nan, denominator=np.nan),
            fixture_row(unit="count", value=10.0),
        ]
    )
    out = add_intervals(frame)
    assert out["ci95_lower"].notna().tolist() == [True, True, False, False]
    lower, upper = wilson(10, 40)
    assert out.loc[0, "ci95_lower"] == pytest.approx(100 * lower)
    assert out.loc[0, "ci95_upper"] == pytest.approx(100 * upper)
    assert out.loc[1, "ci_method"].startswith("Poisson")


def test_the_reason_for_no_interval_is_said_in_words():
    assert interval_gap(fixture_row(numerator=np.nan, source_family="partnership_report")) == (
        "no interval: the report gives the percentage only"
    )
    assert interval_gap(fixture_row(unit="rate_per_10k", numerator=np.nan)) == (
        "no interval: the release gives the rate only"
    )
    assert interval_gap(fixture_row(area="sn_rutland", numerator=np.nan)).startswith(
        "no interval: an average of the neighbours"
    )
    assert interval_gap(fixture_row(status="suppressed", value=np.nan)) == (
        "no interval: no figure published"
    )
    assert interval_gap(fixture_row(unit="gbp")).startswith("no interval: intervals are given")
    with_limits = add_intervals(pd.DataFrame([fixture_row()])).iloc[0].to_dict()
    assert interval_gap(with_limits) == ""
    assert interval_text(with_limits) == "14.2% to 40.2%"


def test_counts_and_small_numbers_in_words():
    assert counts_text(fixture_row(), FIXTURE_INDICATOR) == "10 of 40 fixture cases"
    rate = fixture_row(unit="rate_per_10k", numerator=40.0, denominator=8000.0)
    assert counts_text(rate, FIXTURE_INDICATOR) == "40 fixture events among 8,000 fixture cases"
    assert counts_text(fixture_row(numerator=np.nan), FIXTURE_INDICATOR) == ""
    assert one_child_text(fixture_row()) == (
        "Small numbers: one more or one fewer in the count moves this figure by 2.5 percentage "
        "points."
    )
    assert one_child_text(rate).endswith("moves this figure by 1.2 per 10,000.")
    assert one_child_text(fixture_row(numerator=400.0, denominator=1600.0)) == ""


def test_which_changes_are_tested():
    before, after = fixture_row(numerator=30.0, denominator=100.0), fixture_row()
    assert untested_reason(before, after) == ""
    assert change_test(before, after).tested
    report = fixture_row(numerator=np.nan, denominator=np.nan, source_family="partnership_report")
    assert untested_reason(before, report) == (
        "not tested: the report gives the percentage only, not the counts behind it"
    )
    assert change_test(before, report) is None
    approximate = fixture_row(unit="count", value=100.0, status="approximate")
    assert untested_reason(fixture_row(unit="count", value=90.0), approximate) == (
        "not tested: the figure is approximate"
    )
    fractional = fixture_row(unit="count", value=10.5)
    assert untested_reason(fixture_row(unit="count", value=9.0), fractional) == (
        "not tested: the figures are not whole counts"
    )
    money = fixture_row(unit="gbp", value=1000.0)
    assert untested_reason(money, money).startswith("not tested: no test applies")


@pytest.mark.parametrize(
    ("value", "polarity", "relation", "judgement"),
    [
        (50.0, "lower_is_better", "lower", "better"),
        (50.0, "higher_is_better", "lower", "worse"),
        (5.0, "lower_is_better", "higher", "worse"),
        (25.0, "lower_is_better", "similar", "similar"),
        (50.0, "no_judgement", "lower", "lower"),
    ],
)
def test_position_against_a_benchmark_uses_the_interval_and_polarity(
    value, polarity, relation, judgement
):
    row = add_intervals(pd.DataFrame([fixture_row()])).iloc[0].to_dict()  # 14.2% to 40.2%
    position = position_against(row, value, "England", polarity)
    assert (position.relation, position.judgement) == (relation, judgement)
    no_interval = position_against(fixture_row(), value, "England", polarity)
    assert no_interval.judgement == "not_tested"
    assert no_interval.words == "Not compared with England: no interval"

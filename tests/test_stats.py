"""Tests for dashboard.stats: intervals, tests of change and funnel limits.

Every count here is a made-up test fixture chosen to exercise a formula (small numbers like
Rutland's, large ones like Leicestershire's); none is a published figure. Expected values are
worked out independently in the test (closed-form formulas, textbook constants) or taken from
scipy.stats/statsmodels: the module reproduces those libraries with scipy.special so that the app
never loads them, and the last section checks every function against the library it replaces.
"""

import itertools
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats
from statsmodels.stats import proportion as statsmodels_proportion
from statsmodels.stats import rates as statsmodels_rates
from statsmodels.stats.proportion import proportion_confint

from dashboard.stats import (
    BYAR_METHOD,
    CONFIDENCE_LEVELS,
    FUNNEL_METHOD,
    WILSON_METHOD,
    ChangeTest,
    compare_counts,
    compare_proportions,
    compare_rates,
    count_ci,
    funnel_limits_proportion,
    funnel_limits_rate,
    interval_position,
    proportion_ci,
    proportion_vs_value,
    rate_ci,
    rate_vs_value,
)

Z95 = 1.959963984540054  # standard normal 97.5th percentile


def wilson_by_hand(x: float, n: float, z: float) -> tuple[float, float]:
    """Wilson score limits as PHE's technical guide writes them (Appendix 3), independent of
    statsmodels: (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2))."""
    root = z * math.sqrt(z**2 + 4 * x * (1 - x / n))
    return (2 * x + z**2 - root) / (2 * (n + z**2)), (2 * x + z**2 + root) / (2 * (n + z**2))


def byar_by_hand(count: float, z: float) -> tuple[float, float]:
    """Byar's limits for a count as on Fingertips' 'Rates' technical guidance page."""
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return lower, upper


def exact_poisson(count: float, confidence: float) -> tuple[float, float]:
    """Exact (chi-square) Poisson limits for a count, straight from scipy."""
    alpha = 1 - confidence
    lower = scipy_stats.chi2.ppf(alpha / 2, 2 * count) / 2 if count > 0 else 0.0
    return lower, scipy_stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2


def test_confidence_levels_and_method_names_are_plain_english() -> None:
    assert CONFIDENCE_LEVELS == (0.95, 0.998)
    assert WILSON_METHOD == "Wilson score interval"
    assert "Byar" in BYAR_METHOD and "exact below 10" in BYAR_METHOD
    assert "Spiegelhalter" in FUNNEL_METHOD


# --- Wilson score interval ---------------------------------------------------------------------


def test_wilson_matches_values_worked_by_hand() -> None:
    # 5 of 10: (13.8415 -/+ 1.96 x sqrt(3.8415 + 10)) / 27.683 = 0.2366, 0.7634.
    assert proportion_ci(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    # 0 of 10: lower 0, upper z^2 / (n + z^2) = 3.8415 / 13.8415 = 0.2775.
    assert proportion_ci(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    # 10 of 10 mirrors 0 of 10.
    assert proportion_ci(10, 10) == pytest.approx((0.7225, 1.0), abs=1e-4)


@pytest.mark.parametrize(("x", "n"), [(9, 39), (7, 38), (1, 3), (103, 385), (4321, 9876)])
@pytest.mark.parametrize("confidence", CONFIDENCE_LEVELS)
def test_wilson_matches_the_formula_and_statsmodels(x: int, n: int, confidence: float) -> None:
    z = scipy_stats.norm.ppf(1 - (1 - confidence) / 2)
    lower, upper = proportion_ci(x, n, confidence)
    assert (lower, upper) == pytest.approx(wilson_by_hand(x, n, z), rel=1e-10)
    reference = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    assert (lower, upper) == pytest.approx(reference, rel=1e-12)


def test_wilson_998_is_wider_than_95() -> None:
    narrow = proportion_ci(9, 39, 0.95)
    wide = proportion_ci(9, 39, 0.998)
    assert wide[0] < narrow[0] < 9 / 39 < narrow[1] < wide[1]


@pytest.mark.parametrize(
    ("x", "n"),
    [
        (None, 39),
        (9, None),
        (np.nan, 39),
        (9, np.nan),
        (pd.NA, 39),
        (9, 0),
        (0, 0),
        (9, -5),
        (-1, 39),
        (40, 39),
    ],
)
def test_wilson_is_nan_for_missing_zero_negative_and_impossible_inputs(
    x: object, n: object
) -> None:
    lower, upper = proportion_ci(x, n)
    assert math.isnan(lower) and math.isnan(upper)


def test_wilson_keeps_a_series_index_and_fills_nan_per_row() -> None:
    index = pd.Index(["Leicestershire", "Rutland", "suppressed", "no base"], name="area")
    numerators = pd.Series([103, 9, None, 4], index=index, dtype="Float64")
    denominators = pd.Series([385, 39, 40, 0], index=index)
    lower, upper = proportion_ci(numerators, denominators)
    assert isinstance(lower, pd.Series) and lower.index.equals(index)
    assert isinstance(upper, pd.Series) and upper.index.equals(index)
    assert lower.loc["Rutland"] == pytest.approx(proportion_ci(9, 39)[0])
    assert lower.loc[["suppressed", "no base"]].isna().all()
    assert upper.loc[["suppressed", "no base"]].isna().all()


def test_wilson_takes_numpy_arrays_and_returns_arrays() -> None:
    lower, upper = proportion_ci(np.array([9, 7]), np.array([39, 38]))
    assert isinstance(lower, np.ndarray) and lower.shape == (2,)
    assert upper[1] == pytest.approx(proportion_ci(7, 38)[1])


def test_scalar_inputs_give_plain_floats() -> None:
    assert all(type(limit) is float for limit in proportion_ci(9, 39))
    assert all(type(limit) is float for limit in rate_ci(9, 8000, 10_000))
    assert all(type(limit) is float for limit in count_ci(9))


def test_confidence_outside_zero_to_one_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="confidence"):
        proportion_ci(9, 39, 95)


# --- Poisson limits: exact below 10, Byar's from 10 ----------------------------------------------


def test_exact_limits_match_textbook_values_for_zero_and_one() -> None:
    # 0 events: upper = -ln(0.025) = 3.6889; 1 event: lower = -ln(0.975) = 0.0253, upper 5.5716.
    assert count_ci(0) == pytest.approx((0.0, -math.log(0.025)), abs=1e-4)
    assert count_ci(1) == pytest.approx((-math.log(0.975), 5.5716), abs=1e-4)


@pytest.mark.parametrize("count", range(10))
@pytest.mark.parametrize("confidence", CONFIDENCE_LEVELS)
def test_counts_below_ten_use_exact_limits(count: int, confidence: float) -> None:
    assert count_ci(count, confidence) == pytest.approx(exact_poisson(count, confidence))


@pytest.mark.parametrize("count", [10, 11, 65, 1045, 25_000])
@pytest.mark.parametrize("confidence", CONFIDENCE_LEVELS)
def test_counts_from_ten_use_byars_approximation(count: int, confidence: float) -> None:
    z = scipy_stats.norm.ppf(1 - (1 - confidence) / 2)
    assert count_ci(count, confidence) == pytest.approx(byar_by_hand(count, z), rel=1e-12)


def test_byar_worked_by_hand_for_a_count_of_ten() -> None:
    # 10 x (1 - 1/90 - 1.96/(3 sqrt 10))^3 = 10 x 0.78228^3 = 4.787;
    # 11 x (1 - 1/99 + 1.96/(3 sqrt 11))^3 = 11 x 1.18689^3 = 18.391.
    assert count_ci(10) == pytest.approx((4.787, 18.391), abs=1e-3)


def test_the_switch_happens_at_ten() -> None:
    assert count_ci(9) == pytest.approx(exact_poisson(9, 0.95))
    assert count_ci(10) == pytest.approx(byar_by_hand(10, Z95))
    assert count_ci(10) != pytest.approx(exact_poisson(10, 0.95), rel=1e-6)


def test_byar_is_within_02_percent_of_exact_at_95_for_counts_from_ten() -> None:
    # PHE's technical guide on confidence intervals: at 95%, Byar's method is within 0.2% of the
    # exact value for numerators of 10 or more.
    counts = np.arange(10, 5001, dtype=float)
    lower, upper = count_ci(counts)
    exact_lower = scipy_stats.chi2.ppf(0.025, 2 * counts) / 2
    exact_upper = scipy_stats.chi2.ppf(0.975, 2 * counts + 2) / 2
    assert np.max(np.abs(lower / exact_lower - 1)) < 0.002
    assert np.max(np.abs(upper / exact_upper - 1)) < 0.002


@pytest.mark.parametrize("confidence", CONFIDENCE_LEVELS)
def test_byar_and_exact_agree_closely_for_large_counts(confidence: float) -> None:
    for count in (1_000, 10_000, 100_000):
        assert count_ci(count, confidence) == pytest.approx(
            exact_poisson(count, confidence), rel=1e-4
        )


def test_rate_ci_scales_the_count_limits_to_the_rate() -> None:
    # A made-up area: 9 events among 8,000 children is 11.25 per 10,000.
    lower, upper = rate_ci(9, 8_000, 10_000)
    exact_lower, exact_upper = exact_poisson(9, 0.95)
    assert (lower, upper) == pytest.approx(
        (exact_lower * 10_000 / 8_000, exact_upper * 10_000 / 8_000)
    )
    assert lower < 11.25 < upper
    byar_lower, byar_upper = byar_by_hand(385, Z95)
    assert rate_ci(385, 120_000, 10_000) == pytest.approx(
        (byar_lower / 12, byar_upper / 12), rel=1e-12
    )


def test_rate_ci_at_998_is_wider() -> None:
    narrow = rate_ci(385, 120_000, 10_000, 0.95)
    wide = rate_ci(385, 120_000, 10_000, 0.998)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]


@pytest.mark.parametrize(
    ("count", "denominator"),
    [(None, 8_000), (9, None), (np.nan, 8_000), (9, 0), (9, -1), (-1, 8_000), (pd.NA, 8_000)],
)
def test_rate_ci_is_nan_for_missing_zero_and_negative_inputs(
    count: object, denominator: object
) -> None:
    lower, upper = rate_ci(count, denominator, 10_000)
    assert math.isnan(lower) and math.isnan(upper)


def test_rate_ci_allows_more_events_than_people() -> None:
    lower, upper = rate_ci(12, 10, 1)
    assert lower < 1.2 < upper


def test_rate_ci_handles_a_series_mixing_exact_byar_and_missing_rows() -> None:
    index = pd.RangeIndex(4)
    counts = pd.Series([3, 10, 500, None], index=index)
    denominators = pd.Series([8_000, 8_000, 120_000, 8_000], index=index)
    lower, upper = rate_ci(counts, denominators, 10_000)
    assert lower.index.equals(index) and upper.index.equals(index)
    assert lower.iloc[0] == pytest.approx(exact_poisson(3, 0.95)[0] * 10_000 / 8_000)
    assert upper.iloc[1] == pytest.approx(byar_by_hand(10, Z95)[1] * 10_000 / 8_000)
    assert math.isnan(lower.iloc[3]) and math.isnan(upper.iloc[3])


def test_count_ci_is_nan_for_missing_or_negative_counts() -> None:
    lower, upper = count_ci(np.array([np.nan, -1.0, 4.0]))
    assert np.isnan(lower[:2]).all() and np.isnan(upper[:2]).all()
    assert not np.isnan(lower[2])


# --- Tests of change ------------------------------------------------------------------------------


def test_change_test_reports_tested_and_significant() -> None:
    assert ChangeTest(0.01, "m").significant()
    assert not ChangeTest(0.01, "m").significant(alpha=0.001)
    assert not ChangeTest(0.2, "m").significant()
    untested = ChangeTest(math.nan, "m")
    assert not untested.tested and not untested.significant()


def test_nine_of_39_against_seven_of_38_is_not_significant() -> None:
    result = compare_proportions(9, 39, 7, 38)
    assert result.tested and not result.significant()
    assert result.p_value == pytest.approx(0.617, abs=1e-3)
    assert "proportions" in result.method


def test_a_clear_change_in_proportions_is_significant() -> None:
    assert compare_proportions(100, 200, 20, 200).significant(alpha=0.001)


@pytest.mark.parametrize(
    "inputs",
    [
        (None, 39, 7, 38),
        (9, 0, 7, 38),
        (9, 39, 7, np.nan),
        (-1, 39, 7, 38),
        (40, 39, 7, 38),
        (9.5, 39, 7, 38),
        (0, 39, 0, 38),
        (39, 39, 38, 38),
    ],
)
def test_compare_proportions_is_untested_when_it_cannot_be_run(inputs: tuple) -> None:
    result = compare_proportions(*inputs)
    assert not result.tested and not result.significant()
    assert result.method


def test_compare_rates_on_small_and_large_changes() -> None:
    assert not compare_rates(9, 8_000, 7, 8_100).significant()
    assert compare_rates(200, 10_000, 100, 10_000).significant(alpha=0.001)
    assert "Poisson" in compare_rates(9, 8_000, 7, 8_100).method


@pytest.mark.parametrize(
    "inputs", [(None, 8_000, 7, 8_000), (9, 0, 7, 8_000), (-2, 8_000, 7, 8_000), (0, 1, 0, 1)]
)
def test_compare_rates_is_untested_when_it_cannot_be_run(inputs: tuple) -> None:
    assert not compare_rates(*inputs).tested


def test_compare_counts_assumes_equal_exposure() -> None:
    assert compare_counts(100, 150).p_value == pytest.approx(compare_rates(100, 1, 150, 1).p_value)
    assert compare_counts(100, 150).significant()
    assert not compare_counts(9, 7).significant()
    assert not compare_counts(None, 7).tested


def test_proportion_against_a_benchmark() -> None:
    assert not proportion_vs_value(9, 39, 0.22).significant()
    assert proportion_vs_value(60, 100, 0.30).significant(alpha=0.001)
    assert proportion_vs_value(9, 39, 0.22).p_value == pytest.approx(
        scipy_stats.binomtest(9, 39, 0.22).pvalue
    )
    for inputs in [(None, 39, 0.2), (9, 0, 0.2), (9, 39, None), (9, 39, 1.5), (40, 39, 0.2)]:
        assert not proportion_vs_value(*inputs).tested


def test_rate_against_a_benchmark() -> None:
    assert rate_vs_value(30, 10_000, 10_000, 50).significant()
    assert not rate_vs_value(48, 10_000, 10_000, 50).significant()
    for inputs in [(None, 10_000, 10_000, 50), (30, 0, 10_000, 50), (30, 10_000, 10_000, None)]:
        assert not rate_vs_value(*inputs).tested


@pytest.mark.parametrize("count", range(10))
def test_exact_rate_test_agrees_with_the_exact_interval(count: int) -> None:
    # Below 10 events the central exact test is the one the exact limits invert: a benchmark
    # outside the 95% interval is significant at 5%, one inside is not.
    lower, upper = rate_ci(count, 1_000, 1_000)
    for benchmark in np.linspace(0.05, 25, 250):
        if min(abs(benchmark - lower), abs(benchmark - upper)) < 1e-6:
            continue
        outside = not lower <= benchmark <= upper
        assert rate_vs_value(count, 1_000, 1_000, benchmark).significant() == outside


# --- Interval position --------------------------------------------------------------------------


def test_interval_position_for_scalars() -> None:
    assert interval_position(0.30, 0.40, 0.25) == "higher"
    assert interval_position(0.10, 0.20, 0.25) == "lower"
    assert interval_position(0.20, 0.30, 0.25) == "similar"
    assert interval_position(0.25, 0.30, 0.25) == "similar"
    assert interval_position(np.nan, 0.30, 0.25) == ""
    assert interval_position(0.20, 0.30, None) == ""


def test_interval_position_is_vectorised() -> None:
    index = pd.Index(["a", "b", "c", "d"])
    lower = pd.Series([0.3, 0.1, 0.2, np.nan], index=index)
    upper = pd.Series([0.4, 0.2, 0.3, 0.3], index=index)
    positions = interval_position(lower, upper, 0.25)
    assert isinstance(positions, pd.Series) and positions.index.equals(index)
    assert positions.tolist() == ["higher", "lower", "similar", ""]
    array_positions = interval_position(lower.to_numpy(), upper.to_numpy(), np.full(4, 0.25))
    assert list(array_positions) == ["higher", "lower", "similar", ""]


# --- Funnel limits ------------------------------------------------------------------------------

DENOMINATORS = np.array([20, 50, 100, 400, 1_000, 5_000, 20_000, 100_000])


@pytest.mark.parametrize("confidence", CONFIDENCE_LEVELS)
def test_proportion_funnel_narrows_and_contains_the_benchmark(confidence: float) -> None:
    lower, upper = funnel_limits_proportion(0.22, DENOMINATORS, confidence)
    assert np.all(lower <= 0.22) and np.all(upper >= 0.22)
    assert np.all(np.diff(upper - lower) < 0)
    assert np.all((lower >= 0) & (upper <= 1))


@pytest.mark.parametrize("confidence", CONFIDENCE_LEVELS)
def test_rate_funnel_narrows_and_contains_the_benchmark(confidence: float) -> None:
    lower, upper = funnel_limits_rate(400, DENOMINATORS * 10, 10_000, confidence)
    assert np.all(lower <= 400) and np.all(upper >= 400)
    assert np.all(np.diff(upper - lower) < 0)
    assert np.all(lower >= 0)


def test_998_funnel_is_outside_the_95_funnel() -> None:
    lower95, upper95 = funnel_limits_proportion(0.22, DENOMINATORS, 0.95)
    lower998, upper998 = funnel_limits_proportion(0.22, DENOMINATORS, 0.998)
    assert np.all(lower998 <= lower95) and np.all(upper998 >= upper95)


def test_funnels_approach_the_normal_approximation_for_large_denominators() -> None:
    n = 1_000_000
    lower, upper = funnel_limits_proportion(0.22, np.array([n]), 0.95)
    half_width = Z95 * math.sqrt(0.22 * 0.78 / n)
    assert lower[0] == pytest.approx(0.22 - half_width, abs=2e-6)
    assert upper[0] == pytest.approx(0.22 + half_width, abs=2e-6)
    expected_count = 400 * n / 10_000
    rate_lower, rate_upper = funnel_limits_rate(400, np.array([n]), 10_000, 0.95)
    rate_half_width = Z95 * math.sqrt(expected_count) * 10_000 / n
    assert rate_lower[0] == pytest.approx(400 - rate_half_width, rel=1e-3)
    assert rate_upper[0] == pytest.approx(400 + rate_half_width, rel=1e-3)


def test_funnel_limit_interpolates_the_binomial_quantile() -> None:
    # Spiegelhalter (2005): with r the p-quantile, the limit is (r - (F(r) - p)/(F(r) - F(r-1)))/n.
    n, p0, probability = 40, 0.22, 0.975
    distribution = scipy_stats.binom(n, p0)
    r = distribution.ppf(probability)
    step = (distribution.cdf(r) - probability) / (distribution.cdf(r) - distribution.cdf(r - 1))
    _, upper = funnel_limits_proportion(p0, np.array([n]), 0.95)
    assert upper[0] == pytest.approx((r - step) / n)


def test_funnel_limits_are_nan_for_unusable_denominators_and_keep_a_series_index() -> None:
    denominators = pd.Series([0, np.nan, 385], index=["zero", "missing", "ok"])
    lower, upper = funnel_limits_proportion(0.22, denominators, 0.95)
    assert isinstance(lower, pd.Series) and lower.index.equals(denominators.index)
    assert lower.iloc[:2].isna().all() and upper.iloc[:2].isna().all()
    assert lower["ok"] < 0.22 < upper["ok"]
    rate_lower, _ = funnel_limits_rate(400, denominators, 10_000, 0.95)
    assert rate_lower.iloc[:2].isna().all() and not math.isnan(rate_lower["ok"])


def test_funnel_limits_are_nan_for_an_unusable_benchmark() -> None:
    lower, upper = funnel_limits_proportion(math.nan, DENOMINATORS, 0.95)
    assert np.isnan(lower).all() and np.isnan(upper).all()
    rate_lower, _ = funnel_limits_rate(-1, DENOMINATORS, 10_000, 0.95)
    assert np.isnan(rate_lower).all()


# --- Against the libraries the module replaces ----------------------------------------------------
# dashboard.stats computes with scipy.special so the app never loads scipy.stats or statsmodels
# (about 58 MB per server). These tests hold it to those libraries over a grid of FIXTURE sizes:
# zero and tiny, Rutland-sized (7 of 38), Leicestershire-sized (1,721 of 6,752) and large
# (142,900 of 632,830). Closed forms and cdfs must agree to 1e-9; results that go through an
# iterative inverse (funnel quantiles), to 1e-6. p-values below 1e-200 (far past any use) are
# compared absolutely, as floating-point routines lose relative precision near underflow.

EXACT = {"rel": 1e-9, "abs": 1e-200}
ITERATIVE = {"rtol": 1e-6, "atol": 1e-12}

FIXTURE_PROPORTIONS = [
    (0, 1),
    (1, 1),
    (1, 5),
    (0, 38),
    (7, 38),
    (9, 39),
    (38, 38),
    (1_721, 6_752),
    (1_650, 6_500),
    (142_900, 632_830),
]
FIXTURE_BENCHMARKS = [0.0, 0.001, 0.22, 7 / 38, 0.2549, 0.5, 0.9, 1.0]
FIXTURE_COUNTS = [0, 1, 7, 9, 10, 385, 1_721, 142_900]
FIXTURE_EXPOSURES = [1, 38, 6_752, 632_830]
FIXTURE_DENOMINATORS = np.array(
    [0.4, 1, 2, 5, 7, 38, 39, 100, 385, 1_000, 6_752, 20_000, 100_000, 632_830, 1_000_000]
)


@pytest.mark.parametrize("confidence", CONFIDENCE_LEVELS)
def test_wilson_equals_statsmodels_over_the_grid(confidence: float) -> None:
    x, n = np.array(FIXTURE_PROPORTIONS, dtype=float).T
    lower, upper = proportion_ci(x, n, confidence)
    reference = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    np.testing.assert_allclose(lower, reference[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(upper, reference[1], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("confidence", CONFIDENCE_LEVELS)
def test_poisson_limits_equal_scipy_chi2_and_norm(confidence: float) -> None:
    counts = np.array([*range(10), *FIXTURE_COUNTS], dtype=float)
    alpha = 1 - confidence
    z = scipy_stats.norm.ppf(1 - alpha / 2)
    expected = np.array(
        [exact_poisson(c, confidence) if c < 10 else byar_by_hand(c, z) for c in counts]
    )
    lower, upper = count_ci(counts, confidence)
    np.testing.assert_allclose(lower, expected[:, 0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(upper, expected[:, 1], rtol=1e-12)
    rate_lower, rate_upper = rate_ci(counts, 6_752, 10_000, confidence)
    np.testing.assert_allclose(rate_lower, expected[:, 0] * 10_000 / 6_752, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(rate_upper, expected[:, 1] * 10_000 / 6_752, rtol=1e-12)


def test_compare_proportions_equals_statsmodels_score_test() -> None:
    for (a, b), (c, d) in itertools.product(FIXTURE_PROPORTIONS, repeat=2):
        result = compare_proportions(a, b, c, d)
        if a + c in (0, b + d):
            assert not result.tested
            continue
        with np.errstate(divide="ignore"):  # statsmodels also reports ratios, some of them x/0
            reference = statsmodels_proportion.test_proportions_2indep(
                a, b, c, d, method="score", compare="diff"
            ).pvalue
        assert result.p_value == pytest.approx(min(reference, 1.0), **EXACT), (a, b, c, d)


def test_compare_rates_and_counts_equal_statsmodels_exact_conditional_test() -> None:
    counts = [
        (0, 1),
        (1, 0),
        (9, 7),
        (7, 9),
        (10, 10),
        (100, 150),
        (1_721, 1_650),
        (14_290, 14_000),
    ]
    exposures = [(1, 1), (38, 39), (8_000, 8_100), (6_752, 6_500), (632_830, 640_000)]
    for (c1, c2), (d1, d2) in itertools.product(counts, exposures):
        with np.errstate(divide="ignore"):  # statsmodels divides by a zero count for its ratio
            reference = statsmodels_rates.test_poisson_2indep(
                c1, d1, c2, d2, method="exact-cond", compare="ratio"
            ).pvalue
        assert compare_rates(c1, d1, c2, d2).p_value == pytest.approx(
            min(reference, 1.0), **EXACT
        ), (c1, d1, c2, d2)
        if (d1, d2) == (1, 1):
            assert compare_counts(c1, c2).p_value == pytest.approx(min(reference, 1.0), **EXACT)


def test_proportion_vs_value_equals_scipy_binomtest() -> None:
    for (x, n), p0 in itertools.product(FIXTURE_PROPORTIONS, FIXTURE_BENCHMARKS):
        reference = scipy_stats.binomtest(x, n, p0).pvalue
        assert proportion_vs_value(x, n, p0).p_value == pytest.approx(reference, **EXACT), (
            x,
            n,
            p0,
        )
    # The benchmark exactly at the observed share, and a symmetric tie on the far side.
    assert proportion_vs_value(7, 38, 7 / 38).p_value == scipy_stats.binomtest(7, 38, 7 / 38).pvalue
    assert proportion_vs_value(3, 10, 0.5).p_value == pytest.approx(
        scipy_stats.binomtest(3, 10, 0.5).pvalue, **EXACT
    )


def test_rate_vs_value_equals_statsmodels_exact_poisson_test() -> None:
    benchmarks = [0.5, 50, 400, 2_500]
    for count, exposure, rate0 in itertools.product(FIXTURE_COUNTS, FIXTURE_EXPOSURES, benchmarks):
        reference = statsmodels_rates.test_poisson(
            count, exposure, rate0 / 10_000, method="exact-c"
        ).pvalue
        assert rate_vs_value(count, exposure, 10_000, rate0).p_value == pytest.approx(
            min(reference, 1.0), **EXACT
        ), (count, exposure, rate0)


def scipy_funnel_limit(distribution, probability: float) -> np.ndarray:
    """The interpolated quantile as dashboard.stats computed it with scipy.stats distributions."""
    r = distribution.ppf(probability)
    at_r, below_r = distribution.cdf(r), distribution.cdf(r - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return r - np.where(at_r > below_r, (at_r - probability) / (at_r - below_r), 0.0)


@pytest.mark.parametrize("confidence", CONFIDENCE_LEVELS)
@pytest.mark.parametrize("p0", [0.0, 1e-4, 7 / 38, 0.22, 1_721 / 6_752, 0.5, 0.97, 1.0])
def test_proportion_funnel_equals_scipy_binomial_quantiles(p0: float, confidence: float) -> None:
    # Every whole denominator to 2,000 as well as the fixture sizes, so a quantile that is one
    # count out anywhere would show.
    n = np.concatenate([FIXTURE_DENOMINATORS, np.arange(1, 2_001)])
    alpha = 1 - confidence
    distribution = scipy_stats.binom(np.round(n).astype(int), p0)
    lower, upper = funnel_limits_proportion(p0, n, confidence)
    expected_lower = np.clip(scipy_funnel_limit(distribution, alpha / 2) / n, 0, 1)
    expected_upper = np.clip(scipy_funnel_limit(distribution, 1 - alpha / 2) / n, 0, 1)
    np.testing.assert_allclose(lower, expected_lower, **ITERATIVE)
    np.testing.assert_allclose(upper, expected_upper, **ITERATIVE)


@pytest.mark.parametrize("confidence", CONFIDENCE_LEVELS)
@pytest.mark.parametrize("rate0", [0.0, 0.5, 50, 400, 2_500])
def test_rate_funnel_equals_scipy_poisson_quantiles(rate0: float, confidence: float) -> None:
    n = np.concatenate([FIXTURE_DENOMINATORS, np.arange(1, 2_001) * 37.0])
    alpha = 1 - confidence
    distribution = scipy_stats.poisson(rate0 * n / 10_000)
    lower, upper = funnel_limits_rate(rate0, n, 10_000, confidence)
    expected_lower = np.maximum(scipy_funnel_limit(distribution, alpha / 2) * 10_000 / n, 0)
    expected_upper = np.maximum(scipy_funnel_limit(distribution, 1 - alpha / 2) * 10_000 / n, 0)
    np.testing.assert_allclose(lower, expected_lower, **ITERATIVE)
    np.testing.assert_allclose(upper, expected_upper, **ITERATIVE)


def test_importing_the_module_loads_neither_scipy_stats_nor_statsmodels() -> None:
    # A fresh interpreter: this test process has both loaded already, as references.
    script = (
        "import sys, dashboard.stats; "
        "print(sorted(m for m in sys.modules if m.split('.')[:2] == ['scipy', 'stats'] "
        "or m.split('.')[0] == 'statsmodels'))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"

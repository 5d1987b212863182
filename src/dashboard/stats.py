"""Confidence intervals, tests of change and funnel-plot limits for counts, rates and percentages.

Pure numpy/pandas/scipy/statsmodels (no Streamlit), so the data build, the pages and the tests
share one set of formulas. The methods are those of the public-health profiles (Fingertips, PHE's
technical guide "Confidence intervals"): Wilson score intervals for proportions; exact Poisson
limits below 10 events and Byar's approximation from 10 for counts and rates. Library code is used
wherever it implements a method; only Byar's approximation is written out here.

Inputs may be missing, suppressed or zero: such rows get NaN limits (and untested changes), never
an exception, because one suppressed cell must not stop a build or a page.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats
from statsmodels.stats.proportion import proportion_confint, test_proportions_2indep
from statsmodels.stats.rates import test_poisson, test_poisson_2indep

ArrayLike = float | int | np.ndarray | pd.Series

CONFIDENCE_LEVELS = (0.95, 0.998)

# PHE's switch from exact Poisson limits to Byar's approximation (counts of 10 or more).
BYAR_MINIMUM_COUNT = 10

WILSON_METHOD = "Wilson score interval"
BYAR_METHOD = "Poisson: exact below 10 events, Byar's approximation from 10"
FUNNEL_METHOD = (
    "exact binomial (percentages) or Poisson (rates) limits around the benchmark, "
    "interpolated between whole counts (Spiegelhalter 2005)"
)
PROPORTIONS_TEST_METHOD = "two-sided score test of two independent proportions"
RATES_TEST_METHOD = "two-sided exact conditional test of two Poisson rates"
COUNTS_TEST_METHOD = "two-sided exact conditional test of two Poisson counts"
PROPORTION_VALUE_TEST_METHOD = "two-sided exact binomial test against the benchmark"
RATE_VALUE_TEST_METHOD = "two-sided exact Poisson test against the benchmark"


def _as_float_array(values: ArrayLike | None) -> np.ndarray:
    """`values` as a float array, with None, pd.NA and non-numbers as NaN."""
    if isinstance(values, pd.Series):
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if values is None or values is pd.NA:
        return np.array(np.nan)
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return np.asarray(pd.to_numeric(pd.Series(np.ravel(values)), errors="coerce"), dtype=float)


def _shaped_like(result: np.ndarray, *inputs: object) -> ArrayLike:
    """`result` in the shape the caller passed: a Series keeps its index, scalars stay scalars."""
    for item in inputs:
        if isinstance(item, pd.Series):
            return pd.Series(np.broadcast_to(result, item.shape), index=item.index, dtype=float)
    if result.ndim == 0:
        return float(result)
    return result


def _check_confidence(confidence: float) -> float:
    """Two-sided tail probability; a level outside (0, 1) is a programming error, so it raises."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    return 1 - confidence


def _poisson_count_limits(counts: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Limits for valid (finite, non-negative) counts: exact below 10, Byar's from 10."""
    alpha = _check_confidence(confidence)
    exact_lower = np.where(counts > 0, scipy_stats.chi2.ppf(alpha / 2, 2 * counts) / 2, 0.0)
    exact_upper = scipy_stats.chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2
    z = scipy_stats.norm.ppf(1 - alpha / 2)
    # Byar's approximation (Breslow and Day 1987), as PHE's technical guide writes it; the
    # maximum() keeps the formula away from zero counts, which take the exact branch anyway.
    observed = np.maximum(counts, 1.0)
    byar_lower = observed * (1 - 1 / (9 * observed) - z / (3 * np.sqrt(observed))) ** 3
    next_count = counts + 1
    byar_upper = next_count * (1 - 1 / (9 * next_count) + z / (3 * np.sqrt(next_count))) ** 3
    use_byar = counts >= BYAR_MINIMUM_COUNT
    return np.where(use_byar, byar_lower, exact_lower), np.where(use_byar, byar_upper, exact_upper)


def proportion_ci(
    numerator: ArrayLike, denominator: ArrayLike, confidence: float = 0.95
) -> tuple[ArrayLike, ArrayLike]:
    """Wilson score limits for numerator / denominator, as proportions of 1.

    NaN where an input is missing, the denominator is not positive, or the numerator is negative
    or larger than the denominator (a percentage outside 0-100% has no binomial interval).
    """
    alpha = _check_confidence(confidence)
    x, n = np.broadcast_arrays(_as_float_array(numerator), _as_float_array(denominator))
    valid = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
    lower = np.full(x.shape, np.nan)
    upper = np.full(x.shape, np.nan)
    if valid.any():
        low, high = proportion_confint(x[valid], n[valid], alpha=alpha, method="wilson")
        lower[valid] = np.clip(low, 0, 1)
        upper[valid] = np.clip(high, 0, 1)
    return (
        _shaped_like(lower, numerator, denominator),
        _shaped_like(upper, numerator, denominator),
    )


def count_ci(count: ArrayLike, confidence: float = 0.95) -> tuple[ArrayLike, ArrayLike]:
    """Poisson limits for a count on its own: exact below 10, Byar's approximation from 10.

    NaN where the count is missing or negative.
    """
    counts = _as_float_array(count)
    valid = np.isfinite(counts) & (counts >= 0)
    lower, upper = _poisson_count_limits(np.where(valid, counts, 0.0), confidence)
    lower = np.where(valid, lower, np.nan)
    upper = np.where(valid, upper, np.nan)
    return _shaped_like(lower, count), _shaped_like(upper, count)


def rate_ci(
    count: ArrayLike, denominator: ArrayLike, multiplier: float, confidence: float = 0.95
) -> tuple[ArrayLike, ArrayLike]:
    """Limits for count / denominator x multiplier (e.g. per 10,000 children).

    The count's Poisson limits (exact below 10, Byar's from 10) scaled by multiplier /
    denominator. NaN where an input is missing, the count is negative or the denominator is not
    positive. A count above its denominator is allowed: a rate of events, unlike a proportion,
    can exceed one per head.
    """
    counts, n = np.broadcast_arrays(_as_float_array(count), _as_float_array(denominator))
    scale = float(multiplier)
    valid = np.isfinite(counts) & np.isfinite(n) & (n > 0) & (counts >= 0) & math.isfinite(scale)
    lower, upper = _poisson_count_limits(np.where(valid, counts, 0.0), confidence)
    safe_n = np.where(valid, n, 1.0)
    lower = np.where(valid, lower * scale / safe_n, np.nan)
    upper = np.where(valid, upper * scale / safe_n, np.nan)
    return _shaped_like(lower, count, denominator), _shaped_like(upper, count, denominator)


@dataclass(frozen=True)
class ChangeTest:
    """Result of a significance test: its p-value (NaN if it could not be run) and its method."""

    p_value: float
    method: str

    @property
    def tested(self) -> bool:
        """Whether the inputs allowed a test at all."""
        return not math.isnan(self.p_value)

    def significant(self, alpha: float = 0.05) -> bool:
        """Whether chance alone is an unlikely explanation; False when untested."""
        return self.tested and self.p_value < alpha


def _whole_count(value: object) -> int | None:
    """`value` as a non-negative whole number, or None if it is missing, negative or fractional."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number < 0 or number != round(number):
        return None
    return int(round(number))


def _positive_number(value: object) -> float | None:
    """`value` as a finite positive float, or None."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def _p_value(run: Callable[[], float], method: str) -> ChangeTest:
    """Run a library test quietly, keeping a finite p-value capped at 1 and NaN otherwise."""
    with np.errstate(all="ignore"):
        p_value = float(run())
    if not math.isfinite(p_value):
        return ChangeTest(math.nan, method)
    return ChangeTest(min(max(p_value, 0.0), 1.0), method)


def compare_proportions(x1: object, n1: object, x2: object, n2: object) -> ChangeTest:
    """Is x1/n1 different from x2/n2 beyond chance (e.g. one year against the last)?

    statsmodels' score test (Miettinen-Nurminen) of the difference. Untested when a count is
    missing, fractional or out of range, a denominator is zero, or both proportions are 0% or
    both 100% (nothing varies).
    """
    counts = [_whole_count(value) for value in (x1, n1, x2, n2)]
    if any(count is None for count in counts):
        return ChangeTest(math.nan, PROPORTIONS_TEST_METHOD)
    a, b, c, d = counts
    if b == 0 or d == 0 or a > b or c > d or a + c in (0, b + d):
        return ChangeTest(math.nan, PROPORTIONS_TEST_METHOD)
    return _p_value(
        lambda: test_proportions_2indep(a, b, c, d, method="score", compare="diff").pvalue,
        PROPORTIONS_TEST_METHOD,
    )


def _compare_poisson(c1: object, d1: object, c2: object, d2: object, method: str) -> ChangeTest:
    """Exact conditional test of two Poisson rates; untested when it cannot be run."""
    first, second = _whole_count(c1), _whole_count(c2)
    exposure1, exposure2 = _positive_number(d1), _positive_number(d2)
    if first is None or second is None or exposure1 is None or exposure2 is None:
        return ChangeTest(math.nan, method)
    if first + second == 0:
        return ChangeTest(math.nan, method)
    return _p_value(
        lambda: (
            test_poisson_2indep(
                first, exposure1, second, exposure2, method="exact-cond", compare="ratio"
            ).pvalue
        ),
        method,
    )


def compare_rates(c1: object, d1: object, c2: object, d2: object) -> ChangeTest:
    """Is the rate c1/d1 different from c2/d2 beyond chance?

    statsmodels' exact conditional test (a binomial test of how the c1 + c2 events split between
    the two denominators); chosen over asymptotic tests because Rutland's counts are small.
    Untested when a count is missing, negative or fractional, a denominator is not positive, or
    both counts are zero.
    """
    return _compare_poisson(c1, d1, c2, d2, RATES_TEST_METHOD)


def compare_counts(c1: object, c2: object) -> ChangeTest:
    """Is count c1 different from c2 beyond chance, assuming equal exposure (e.g. two years)?"""
    return _compare_poisson(c1, 1, c2, 1, COUNTS_TEST_METHOD)


def proportion_vs_value(x: object, n: object, p0: object) -> ChangeTest:
    """Is x/n different from a benchmark proportion p0 (of 1) beyond chance?

    scipy's exact binomial test. Untested when a count is missing, fractional or out of range,
    n is zero, or p0 is missing or outside 0-1.
    """
    count, total = _whole_count(x), _whole_count(n)
    try:
        benchmark = float(p0)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        benchmark = math.nan
    if count is None or total is None or total == 0 or count > total or not 0 <= benchmark <= 1:
        return ChangeTest(math.nan, PROPORTION_VALUE_TEST_METHOD)
    return _p_value(
        lambda: scipy_stats.binomtest(count, total, benchmark).pvalue,
        PROPORTION_VALUE_TEST_METHOD,
    )


def rate_vs_value(
    count: object, denominator: object, multiplier: object, rate0: object
) -> ChangeTest:
    """Is count/denominator x multiplier different from a benchmark rate0 beyond chance?

    statsmodels' exact Poisson test (central: twice the smaller tail), the test that the exact
    limits of `rate_ci` invert. Untested when an input is missing, the count is negative or
    fractional, or the denominator, multiplier or benchmark is not positive.
    """
    events = _whole_count(count)
    exposure, scale, benchmark = (
        _positive_number(denominator),
        _positive_number(multiplier),
        _positive_number(rate0),
    )
    if events is None or exposure is None or scale is None or benchmark is None:
        return ChangeTest(math.nan, RATE_VALUE_TEST_METHOD)
    return _p_value(
        lambda: test_poisson(events, exposure, benchmark / scale, method="exact-c").pvalue,
        RATE_VALUE_TEST_METHOD,
    )


def interval_position(lower: ArrayLike, upper: ArrayLike, value: ArrayLike) -> str | ArrayLike:
    """Where an interval lies against a value: "higher", "lower", "similar", or "" if unknown.

    "higher" when the whole interval is above the value, "lower" when it is below, "similar"
    when it contains the value. Vectorised: arrays give an array of strings, a Series a Series.
    """
    low, high, target = np.broadcast_arrays(
        _as_float_array(lower), _as_float_array(upper), _as_float_array(value)
    )
    known = np.isfinite(low) & np.isfinite(high) & np.isfinite(target)
    with np.errstate(invalid="ignore"):
        positions = np.select(
            [~known, low > target, high < target], ["", "higher", "lower"], default="similar"
        ).astype(object)
    for item in (lower, upper, value):
        if isinstance(item, pd.Series):
            return pd.Series(np.broadcast_to(positions, item.shape), index=item.index, dtype=object)
    if positions.ndim == 0:
        return str(positions)
    return positions


def _interpolated_quantile(distribution: scipy_stats.rv_discrete, probability: float) -> np.ndarray:
    """Spiegelhalter's (2005, appendix A.1.1) continuous version of a discrete quantile.

    r is the discrete quantile; subtracting (F(r) - p) / (F(r) - F(r - 1)) interpolates between
    whole counts so the funnel's limits are smooth curves rather than steps.
    """
    r = distribution.ppf(probability)
    at_r = distribution.cdf(r)
    below_r = distribution.cdf(r - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        step = np.where(at_r > below_r, (at_r - probability) / (at_r - below_r), 0.0)
    return r - step


def _funnel_denominators(denominators: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Denominators as floats, with invalid ones replaced by 1 and flagged for NaN limits."""
    n = _as_float_array(denominators)
    valid = np.isfinite(n) & (n > 0)
    return np.where(valid, n, 1.0), valid


def funnel_limits_proportion(
    p0: float, denominators: ArrayLike, confidence: float
) -> tuple[ArrayLike, ArrayLike]:
    """Funnel-plot control limits (proportions of 1) around a benchmark p0, per denominator.

    Method: exact binomial quantiles of Binomial(n, p0), interpolated between whole counts
    (Spiegelhalter 2005), divided by n (rounded to a whole number); clipped to 0-1. If every area
    truly had the benchmark's value, 19 in 20 would fall inside the 95% limits. NaN for
    non-positive denominators or a p0 outside 0-1.
    """
    alpha = _check_confidence(confidence)
    n, valid = _funnel_denominators(denominators)
    if not (math.isfinite(p0) and 0 <= p0 <= 1):
        valid = np.zeros_like(valid)
        p0 = 0.0
    distribution = scipy_stats.binom(np.round(n).astype(int), p0)
    lower = np.clip(_interpolated_quantile(distribution, alpha / 2) / n, 0, 1)
    upper = np.clip(_interpolated_quantile(distribution, 1 - alpha / 2) / n, 0, 1)
    lower = np.where(valid, lower, np.nan)
    upper = np.where(valid, upper, np.nan)
    return _shaped_like(lower, denominators), _shaped_like(upper, denominators)


def funnel_limits_rate(
    rate0: float, denominators: ArrayLike, multiplier: float, confidence: float
) -> tuple[ArrayLike, ArrayLike]:
    """Funnel-plot control limits around a benchmark rate0 (per `multiplier`), per denominator.

    Method: exact quantiles of Poisson(rate0 x n / multiplier), interpolated between whole counts
    (Spiegelhalter 2005), scaled back to a rate per `multiplier` and clipped at 0.
    NaN for non-positive denominators or a missing or negative benchmark.
    """
    alpha = _check_confidence(confidence)
    n, valid = _funnel_denominators(denominators)
    if not (math.isfinite(rate0) and rate0 >= 0 and math.isfinite(multiplier) and multiplier > 0):
        valid = np.zeros_like(valid)
        rate0, multiplier = 0.0, 1.0
    distribution = scipy_stats.poisson(rate0 * n / multiplier)
    scale = multiplier / n
    lower = np.maximum(_interpolated_quantile(distribution, alpha / 2) * scale, 0)
    upper = np.maximum(_interpolated_quantile(distribution, 1 - alpha / 2) * scale, 0)
    lower = np.where(valid, lower, np.nan)
    upper = np.where(valid, upper, np.nan)
    return _shaped_like(lower, denominators), _shaped_like(upper, denominators)

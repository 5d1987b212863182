"""Confidence intervals, tests of change and funnel-plot limits for counts, rates and percentages.

Pure numpy/pandas/scipy.special (no Streamlit), so the data build, the pages and the tests
share one set of formulas. The methods are those of the public-health profiles (Fingertips, PHE's
technical guide "Confidence intervals"): Wilson score intervals for proportions; exact Poisson
limits below 10 events and Byar's approximation from 10 for counts and rates.

Every page imports this module, so it avoids scipy.stats and statsmodels (about 58 MB of server
memory): each test or quantile they supplied is reproduced here from scipy.special's distribution
functions (mostly the very ones scipy.stats calls), and tests/test_stats.py checks every function
against the library it replaces.

Inputs may be missing, suppressed or zero: such rows get NaN limits (and untested changes), never
an exception, because one suppressed cell must not stop a build or a page.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import (
    bdtrik,
    betainc,
    betaincc,
    gammaincinv,
    gammaln,
    ndtr,
    ndtri,
    pdtr,
    pdtrc,
    pdtrik,
    xlog1py,
    xlogy,
)

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
    # The chi-square limits chi2.ppf(q, 2c) / 2: scipy.stats.chi2 computes chi2.ppf(q, 2c) as
    # 2 * gammaincinv(c, q), so the halved limit is gammaincinv(c, q) exactly.
    exact_lower = np.where(counts > 0, gammaincinv(counts, alpha / 2), 0.0)
    exact_upper = gammaincinv(counts + 1, 1 - alpha / 2)
    z = ndtri(1 - alpha / 2)
    # Byar's approximation (Breslow and Day 1987), as PHE's technical guide writes it; the
    # maximum() keeps the formula away from zero counts, which take the exact branch anyway.
    observed = np.maximum(counts, 1.0)
    byar_lower = observed * (1 - 1 / (9 * observed) - z / (3 * np.sqrt(observed))) ** 3
    next_count = counts + 1
    byar_upper = next_count * (1 - 1 / (9 * next_count) + z / (3 * np.sqrt(next_count))) ** 3
    use_byar = counts >= BYAR_MINIMUM_COUNT
    return np.where(use_byar, byar_lower, exact_lower), np.where(use_byar, byar_upper, exact_upper)


def _wilson_limits(x: np.ndarray, n: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """statsmodels' proportion_confint(x, n, alpha, method="wilson"), in its own arithmetic."""
    crit = -ndtri(alpha / 2)
    crit2 = crit**2
    share = x / n
    denom = 1 + crit2 / n
    center = (share + crit2 / (2 * n)) / denom
    dist = crit * np.sqrt(share * (1.0 - share) / n + crit2 / (4.0 * n**2)) / denom
    return center - dist, center + dist


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
        low, high = _wilson_limits(x[valid], n[valid], alpha)
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
    """Run a test quietly, keeping a finite p-value capped at 1 and NaN otherwise."""
    with np.errstate(all="ignore"):
        p_value = float(run())
    if not math.isfinite(p_value):
        return ChangeTest(math.nan, method)
    return ChangeTest(min(max(p_value, 0.0), 1.0), method)


def _binomial_cdf(k: ArrayLike, n: ArrayLike, p: float) -> np.ndarray:
    """scipy.stats.binom.cdf(k, n, p): P(X <= k), which is 0 below 0 and 1 from n.

    Through the regularised incomplete beta function, as scipy.stats.binom (Boost) computes it;
    scipy.special.bdtr (cephes) drifts from it by about 1e-9 relative at n near 600,000.
    """
    k, n = np.broadcast_arrays(np.floor(np.asarray(k, dtype=float)), np.asarray(n, dtype=float))
    inside_k = np.clip(k, 0, np.maximum(n - 1, 0))
    inside = betaincc(inside_k + 1, n - inside_k, p)
    return np.where(k < 0, 0.0, np.where(k >= n, 1.0, inside))


def _binomial_sf(k: ArrayLike, n: ArrayLike, p: float) -> np.ndarray:
    """scipy.stats.binom.sf(k, n, p): P(X > k), which is 1 below 0 and 0 from n (see above)."""
    k, n = np.broadcast_arrays(np.floor(np.asarray(k, dtype=float)), np.asarray(n, dtype=float))
    inside_k = np.clip(k, 0, np.maximum(n - 1, 0))
    inside = betainc(inside_k + 1, n - inside_k, p)
    return np.where(k < 0, 1.0, np.where(k >= n, 0.0, inside))


def _binomial_pmf(k: int | np.ndarray, n: int, p: float) -> np.ndarray:
    """scipy.stats.binom.pmf(k, n, p), by the formula of scipy.stats.binom.logpmf.

    xlogy and xlog1py make p = 0 and p = 1 give 0 ** 0 = 1 rather than NaN.
    """
    log_choose = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
    return np.exp(log_choose + xlogy(k, p) + xlog1py(n - k, -p))


def _binomial_test(k: int, n: int, p: float) -> float:
    """scipy.stats.binomtest(k, n, p).pvalue, two-sided.

    As scipy does: the probability of k and of every outcome on the far side of the mode no more
    likely than k (relative tolerance 1e-7, so that ties survive rounding), from whole tails.
    scipy finds the far-side outcomes by bisection; counting them gives the same set.
    """
    if k == p * n:
        return 1.0
    threshold = _binomial_pmf(k, n, p) * (1 + 1e-7)
    if k < p * n:
        far_side = np.arange(math.ceil(p * n), n + 1)
        beyond = np.count_nonzero(_binomial_pmf(far_side, n, p) <= threshold)
        p_value = _binomial_cdf(k, n, p) + _binomial_sf(n - beyond, n, p)
    else:
        far_side = np.arange(math.floor(p * n) + 1)
        beyond = np.count_nonzero(_binomial_pmf(far_side, n, p) <= threshold)
        p_value = _binomial_cdf(beyond - 1, n, p) + _binomial_sf(k - 1, n, p)
    return min(1.0, float(p_value))


def _two_proportions_score_test(a: int, b: int, c: int, d: int) -> float:
    """statsmodels' test_proportions_2indep(a, b, c, d, method="score", compare="diff").pvalue.

    At a difference of 0 the score statistic is the pooled z statistic, with Miettinen and
    Nurminen's variance correction N / (N - 1) (statsmodels' default), referred to the normal.
    """
    nobs = b + d
    pooled = (a + c) / nobs
    variance = pooled * (1 - pooled) / b + pooled * (1 - pooled) / d
    variance *= nobs / (nobs - 1)
    z = (a / b - c / d) / math.sqrt(variance)
    return float(2 * ndtr(-abs(z)))


def _poisson_test(k: int, mu: float) -> float:
    """statsmodels' test_poisson(method="exact-c").pvalue: twice the smaller tail of Poisson(mu)."""
    at_most_k = pdtr(k, mu)
    at_least_k = pdtrc(k - 1, mu) if k > 0 else 1.0
    return float(2 * min(at_most_k, at_least_k))


def compare_proportions(x1: object, n1: object, x2: object, n2: object) -> ChangeTest:
    """Is x1/n1 different from x2/n2 beyond chance (e.g. one year against the last)?

    The score test (Miettinen-Nurminen) of the difference, as statsmodels computes it. Untested
    when a count is missing, fractional or out of range, a denominator is zero, or both
    proportions are 0% or both 100% (nothing varies).
    """
    counts = [_whole_count(value) for value in (x1, n1, x2, n2)]
    if any(count is None for count in counts):
        return ChangeTest(math.nan, PROPORTIONS_TEST_METHOD)
    a, b, c, d = counts
    if b == 0 or d == 0 or a > b or c > d or a + c in (0, b + d):
        return ChangeTest(math.nan, PROPORTIONS_TEST_METHOD)
    return _p_value(lambda: _two_proportions_score_test(a, b, c, d), PROPORTIONS_TEST_METHOD)


def _compare_poisson(c1: object, d1: object, c2: object, d2: object, method: str) -> ChangeTest:
    """Exact conditional test of two Poisson rates; untested when it cannot be run."""
    first, second = _whole_count(c1), _whole_count(c2)
    exposure1, exposure2 = _positive_number(d1), _positive_number(d2)
    if first is None or second is None or exposure1 is None or exposure2 is None:
        return ChangeTest(math.nan, method)
    if first + second == 0:
        return ChangeTest(math.nan, method)
    # statsmodels' test_poisson_2indep(method="exact-cond"): under equal rates, the first count's
    # share of the total is binomial with p = the first denominator's share.
    share = exposure1 / (exposure1 + exposure2)
    return _p_value(lambda: _binomial_test(first, first + second, share), method)


def compare_rates(c1: object, d1: object, c2: object, d2: object) -> ChangeTest:
    """Is the rate c1/d1 different from c2/d2 beyond chance?

    The exact conditional test, as statsmodels computes it (a binomial test of how the c1 + c2
    events split between the two denominators); chosen over asymptotic tests because Rutland's
    counts are small.
    Untested when a count is missing, negative or fractional, a denominator is not positive, or
    both counts are zero.
    """
    return _compare_poisson(c1, d1, c2, d2, RATES_TEST_METHOD)


def compare_counts(c1: object, c2: object) -> ChangeTest:
    """Is count c1 different from c2 beyond chance, assuming equal exposure (e.g. two years)?"""
    return _compare_poisson(c1, 1, c2, 1, COUNTS_TEST_METHOD)


def proportion_vs_value(x: object, n: object, p0: object) -> ChangeTest:
    """Is x/n different from a benchmark proportion p0 (of 1) beyond chance?

    The exact binomial test, as scipy.stats.binomtest computes it. Untested when a count is
    missing, fractional or out of range, n is zero, or p0 is missing or outside 0-1.
    """
    count, total = _whole_count(x), _whole_count(n)
    try:
        benchmark = float(p0)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        benchmark = math.nan
    if count is None or total is None or total == 0 or count > total or not 0 <= benchmark <= 1:
        return ChangeTest(math.nan, PROPORTION_VALUE_TEST_METHOD)
    return _p_value(lambda: _binomial_test(count, total, benchmark), PROPORTION_VALUE_TEST_METHOD)


def rate_vs_value(
    count: object, denominator: object, multiplier: object, rate0: object
) -> ChangeTest:
    """Is count/denominator x multiplier different from a benchmark rate0 beyond chance?

    The exact Poisson test (central: twice the smaller tail) as statsmodels computes it, the
    test that the exact limits of `rate_ci` invert. Untested when an input is missing, the count
    is negative or fractional, or the denominator, multiplier or benchmark is not positive.
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
        lambda: _poisson_test(events, exposure * (benchmark / scale)), RATE_VALUE_TEST_METHOD
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


def _binomial_quantile(q: float, n: np.ndarray, p: float) -> np.ndarray:
    """scipy.stats.binom.ppf(q, n, p): the smallest whole k with P(X <= k) >= q.

    bdtrik inverts the cdf continuously and iteratively, so its ceiling is checked against the
    neighbouring whole counts.
    """
    if p <= 0 or p >= 1:
        return np.zeros_like(n) if p <= 0 else n.copy()
    k = np.clip(np.where(n > 0, np.ceil(bdtrik(q, n, p)), 0.0), 0, n)  # bdtrik is NaN at n = 0
    k = np.where(_binomial_cdf(k - 1, n, p) >= q, k - 1, k)
    return np.where(_binomial_cdf(k, n, p) < q, k + 1, k)


def _poisson_cdf(k: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """scipy.stats.poisson.cdf(k, mu): P(X <= k), which is 0 below 0."""
    return np.where(k < 0, 0.0, pdtr(np.maximum(k, 0), mu))


def _poisson_quantile(q: float, mu: np.ndarray) -> np.ndarray:
    """scipy.stats.poisson.ppf(q, mu), in scipy's own steps (pdtrik, then check one below)."""
    k = np.ceil(pdtrik(q, mu))
    below = np.maximum(k - 1, 0)
    return np.where(pdtr(below, mu) >= q, below, k)


def _interpolated_quantile(
    r: np.ndarray, cdf: Callable[[np.ndarray], np.ndarray], probability: float
) -> np.ndarray:
    """Spiegelhalter's (2005, appendix A.1.1) continuous version of a discrete quantile.

    r is the discrete quantile; subtracting (F(r) - p) / (F(r) - F(r - 1)) interpolates between
    whole counts so the funnel's limits are smooth curves rather than steps.
    """
    at_r = cdf(r)
    below_r = cdf(r - 1)
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
    trials = np.round(n)

    def cdf(k: np.ndarray) -> np.ndarray:
        return _binomial_cdf(k, trials, p0)

    lower, upper = (
        np.clip(_interpolated_quantile(_binomial_quantile(q, trials, p0), cdf, q) / n, 0, 1)
        for q in (alpha / 2, 1 - alpha / 2)
    )
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
    expected = rate0 * n / multiplier

    def cdf(k: np.ndarray) -> np.ndarray:
        return _poisson_cdf(k, expected)

    scale = multiplier / n
    lower, upper = (
        np.maximum(_interpolated_quantile(_poisson_quantile(q, expected), cdf, q) * scale, 0)
        for q in (alpha / 2, 1 - alpha / 2)
    )
    lower = np.where(valid, lower, np.nan)
    upper = np.where(valid, upper, np.nan)
    return _shaped_like(lower, denominators), _shaped_like(upper, denominators)

"""Confidence limits for every rate and percentage that comes with its counts, and the
judgements made from them: is a change more than chance, is a gap to England real.

Written into the built tables so the app, the slides and the tests read one set of limits: a
percentage's limits in percent (Wilson score), a rate's per 10,000 (exact Poisson below 10
events, Byar's approximation from 10). Rows without a numerator and denominator keep NaN
limits and an empty method; the app says why (`interval_gap`).
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.catalogue import Indicator
from dashboard.formatting import format_change, format_value
from dashboard.stats import (
    ChangeTest,
    compare_counts,
    compare_proportions,
    compare_rates,
    interval_position,
    proportion_ci,
    rate_ci,
)
from dashboard.statuses import lookup_status
from dashboard.units import INTERVAL_UNITS, lookup_unit

INTERVAL_COLUMNS = ("ci95_lower", "ci95_upper", "ci998_lower", "ci998_upper")
PERCENT = "percent"
RATE = "rate_per_10k"
RATE_MULTIPLIER = 10_000
CONFIDENCES = {"ci95": 0.95, "ci998": 0.998}


def limits(
    unit: str, numerator: pd.Series, denominator: pd.Series, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits in the value's unit for one unit's rows."""
    if unit == PERCENT:
        lower, upper = proportion_ci(numerator, denominator, confidence)
        return np.asarray(lower, dtype=float) * 100, np.asarray(upper, dtype=float) * 100
    lower, upper = rate_ci(numerator, denominator, RATE_MULTIPLIER, confidence)
    return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)


def add_intervals(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the interval columns and ci_method filled where counts allow."""
    out = frame.assign(**{column: np.nan for column in INTERVAL_COLUMNS}, ci_method="")
    counted = out["numerator"].notna() & out["denominator"].notna() & (out["denominator"] > 0)
    for unit in INTERVAL_UNITS:
        rows = counted & (out["unit"] == unit)
        if not rows.any():
            continue
        for prefix, confidence in CONFIDENCES.items():
            lower, upper = limits(
                unit, out.loc[rows, "numerator"], out.loc[rows, "denominator"], confidence
            )
            out.loc[rows, f"{prefix}_lower"] = lower
            out.loc[rows, f"{prefix}_upper"] = upper
        out.loc[rows, "ci_method"] = lookup_unit(unit).interval_method
    return out


COUNT_PARTS = ("numerator", "denominator")
SMALL_COUNT = 100  # below this many events, say what one child moves the figure by


def has_counts(row: Mapping[str, object]) -> bool:
    """Whether a row carries a usable numerator and denominator."""
    numerator, denominator = row.get("numerator"), row.get("denominator")
    return (
        numerator is not None
        and denominator is not None
        and not pd.isna(numerator)
        and not pd.isna(denominator)
        and float(denominator) > 0
    )


def interval_gap(row: Mapping[str, object]) -> str:
    """Why a row has no 95% interval, in words a board member can read; "" when it has one."""
    unit, status = str(row.get("unit", "")), str(row.get("status", ""))
    what = "percentage" if unit == PERCENT else "rate"
    if unit not in INTERVAL_UNITS:
        return "no interval: intervals are given for rates and percentages only"
    if status == "suppressed" or pd.isna(row.get("value")):
        return "no interval: no figure published"
    if not pd.isna(row.get("ci95_lower", np.nan)):
        return ""
    if has_counts(row):
        return "no interval: the count behind it is approximate or a lower bound"
    if row.get("source_family") == "partnership_report":
        return f"no interval: the report gives the {what} only"
    if str(row.get("area", "")).startswith("sn_"):
        return "no interval: an average of the neighbours' figures, not a count"
    return f"no interval: the release gives the {what} only"


def interval_text(row: Mapping[str, object]) -> str:
    """'22.1% to 31.9%' or the reason there is none."""
    lower, upper = row.get("ci95_lower", np.nan), row.get("ci95_upper", np.nan)
    if pd.isna(lower) or pd.isna(upper):
        return interval_gap(row)
    unit = str(row["unit"])
    return f"{format_value(float(lower), unit)} to {format_value(float(upper), unit)}"


def interval_line(row: Mapping[str, object]) -> str:
    """'95% interval: 22.1% to 31.9%', the reason there is none, or "" for units without one."""
    if row.get("unit") not in INTERVAL_UNITS:
        return ""
    gap = interval_gap(row)
    return gap or f"95% interval: {interval_text(row)}"


def counts_text(row: Mapping[str, object], indicator: Indicator) -> str:
    """The counts behind a rate or percentage: '7 of 38 plans started', or "" when unknown."""
    if not has_counts(row):
        return ""
    numerator = f"{float(row['numerator']):,.0f}"
    denominator = f"{float(row['denominator']):,.0f}"
    counted = f" {indicator.numerator_label}" if indicator.numerator_label else ""
    out_of = f" {indicator.denominator_label}" if indicator.denominator_label else ""
    if row.get("unit") == PERCENT:
        return f"{numerator} of {denominator}{out_of}"
    return f"{numerator}{counted} among {denominator}{out_of}"


def one_child_text(row: Mapping[str, object]) -> str:
    """For small numbers, what a difference of one in the count does to the figure."""
    if not has_counts(row) or float(row["numerator"]) >= SMALL_COUNT:
        return ""
    denominator = float(row["denominator"])
    if row.get("unit") == PERCENT:
        step = format_change(100 / denominator, PERCENT).lstrip("+")
    else:
        step = format_value(RATE_MULTIPLIER / denominator, RATE)
    return f"Small numbers: one more or one fewer in the count moves this figure by {step}."


def change_test(previous: Mapping[str, object], latest: Mapping[str, object]) -> ChangeTest | None:
    """The test of a change between two figures of one series, or None when it cannot be tested
    (see `untested_reason`)."""
    unit = str(latest.get("unit", ""))
    if untested_reason(previous, latest):
        return None
    if unit in INTERVAL_UNITS:
        counts = [float(row[part]) for row in (previous, latest) for part in COUNT_PARTS]
        return (compare_proportions if unit == PERCENT else compare_rates)(*counts)
    return compare_counts(float(previous["value"]), float(latest["value"]))


def untested_reason(previous: Mapping[str, object], latest: Mapping[str, object]) -> str:
    """Why a change between two figures is not tested; "" when it can be."""
    for row in (latest, previous):
        reason = lookup_status(str(row.get("status", ""))).why_inexact
        if reason:
            return f"not tested: {reason}"
    unit = str(latest.get("unit", ""))
    if unit in INTERVAL_UNITS:
        if has_counts(previous) and has_counts(latest):
            return ""
        source = "report" if latest.get("source_family") == "partnership_report" else "release"
        shape = "percentage" if unit == PERCENT else "rate"
        return f"not tested: the {source} gives the {shape} only, not the counts behind it"
    if unit == "count":
        values = (float(previous["value"]), float(latest["value"]))
        if all(value >= 0 and value.is_integer() for value in values):
            return ""
        return "not tested: the figures are not whole counts"
    return f"not tested: no test applies to {lookup_unit(unit).phrase}"


@dataclass(frozen=True)
class Position:
    """Where an area's figure sits against a benchmark's, judged by its 95% interval."""

    relation: str  # higher | similar | lower | "" (no interval)
    judgement: str  # better | similar | worse | higher | lower | not_tested
    benchmark_name: str
    benchmark_value: float

    @property
    def words(self) -> str:
        """'Worse than England', 'Similar to England', 'Higher than England' ..."""
        if self.judgement == "not_tested":
            return f"Not compared with {self.benchmark_name}: no interval"
        if self.judgement == "similar":
            return f"Similar to {self.benchmark_name}"
        return f"{self.judgement.capitalize()} than {self.benchmark_name}"


def position_against(
    row: Mapping[str, object], benchmark_value: float, benchmark_name: str, polarity: str
) -> Position:
    """An area's figure against a benchmark: by the 95% interval, the polarity naming a side
    better or worse; volumes (no judgement) are only higher, similar or lower."""
    relation = interval_position(
        row.get("ci95_lower", np.nan), row.get("ci95_upper", np.nan), benchmark_value
    )
    relation = str(relation) if relation else ""
    judgement = relation_judgement(relation, polarity) if relation else "not_tested"
    return Position(relation, judgement, benchmark_name, benchmark_value)


def relation_judgement(relation: str, polarity: str) -> str:
    """higher/similar/lower read through the catalogue's polarity."""
    if relation == "similar" or polarity not in {"higher_is_better", "lower_is_better"}:
        return relation
    good = "higher" if polarity == "higher_is_better" else "lower"
    return "better" if relation == good else "worse"

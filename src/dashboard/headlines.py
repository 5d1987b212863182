"""Headline sentences from the data, the catalogue's polarity and a test of each change; never
written per indicator. The one place that words a change for the Overview, slides and packs."""

from collections.abc import Iterable, Mapping

import pandas as pd

from dashboard.catalogue import Indicator
from dashboard.config import FAMILY_IN_SENTENCE
from dashboard.formatting import format_value, period_span
from dashboard.intervals import counts_text, one_child_text
from dashboard.transforms import LatestChange, change_category
from dashboard.units import lookup_unit

BEYOND_CHANCE = "beyond what chance explains"
VERDICTS = {
    "better": f", an improvement {BEYOND_CHANCE}",
    "worse": f", a deterioration {BEYOND_CHANCE}",
    "within_chance": f": no change {BEYOND_CHANCE}",
}
SIGNIFICANCE_LEVEL = "5%"


def sentence_case(name: str) -> str:
    """A name inside a sentence: "Referrals" -> "referrals", but "CSE referrals" stays."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def direction_word(change: float) -> str:
    """What the numbers did, said without judgement."""
    if change > 0:
        return "rose"
    if change < 0:
        return "fell"
    return "did not change"


def verdict(change: LatestChange) -> str:
    """The tested reading of a change: improvement or deterioration only when a test says
    chance does not explain it; volumes (no judgement) get the test's answer without praise."""
    category = change_category(change)
    if category in VERDICTS:
        return VERDICTS[category]
    if category == "changed":
        return f", a change {BEYOND_CHANCE}"
    if category == "not_tested":
        reason = change.untested_reason or "not tested"
        return f"; {reason}, so not called better or worse"
    return ""


def with_counts(value: str, row: dict, indicator: Indicator, measure: str) -> str:
    """'18.4% (7 of 38 plans started)' when the counts are known and the measure is theirs."""
    counts = counts_text(row, indicator) if row.get("unit") == measure else ""
    return f"{value} ({counts})" if counts else value


def headline_sentence(
    indicator: Indicator, area_name: str, change: LatestChange, measure: str
) -> str:
    """e.g. "Rutland's second or subsequent child protection plans fell from 23.1% (9 of 39
    plans started) to 18.4% (7 of 38 plans started) between 2023/24 and 2024/25: no change
    beyond what chance explains (measure: percentages)."

    The direction comes from the two figures; better or worse only from a significant test read
    through the catalogue's polarity, so noise and volumes (e.g. referrals) are never praised.
    """
    what = f"{area_name}'s {sentence_case(indicator.name)}"
    measured = f"(measure: {lookup_unit(measure).phrase})"
    latest = format_value(change.value, measure, change.symbol)
    if change.disputed:
        either = " or ".join(format_value(v, measure) for v in change.values)
        return f"{what} in {change.period} is given as {either}: the sources disagree {measured}."
    if change.change is None or change.previous_value is None:
        return (
            f"{what} stood at {latest} in {change.period}; no earlier figure to compare {measured}."
        )
    before = with_counts(
        format_value(change.previous_value, measure), change.previous_row, indicator, measure
    )
    latest = with_counts(latest, change.latest_row, indicator, measure)
    span = f"between {change.previous_period} and {change.period}"
    if change.change == 0:
        return f"{what} did not change {span}: {latest} {measured}."
    sentence = f"{what} {direction_word(change.change)} from {before} to {latest} {span}"
    small = one_child_text(change.latest_row) if change.test is not None else ""
    return f"{sentence}{verdict(change)} {measured}." + (f" {small}" if small else "")


def method_footnote(changes: Iterable[LatestChange]) -> str:
    """The methods behind 'beyond what chance explains', once per distinct method."""
    methods = list(
        dict.fromkeys(change.test.method for change in changes if change.test is not None)
    )
    if not methods:
        return ""
    return (
        f"Changes tested ({'; '.join(methods)}) at the {SIGNIFICANCE_LEVEL} level: 'beyond what "
        "chance explains' means that, had nothing really changed, a difference this large would "
        "arise by chance less than 1 time in 20."
    )


EXPLAINS_DIFFERENCE = "explains difference:"
REASON_NOT_STATED = "The sources count differently; reason not stated."


def difference_explanations(commentary: pd.DataFrame, indicator_ids: Iterable[str]) -> pd.DataFrame:
    """Commentary rows a document gives as the reason two sources differ (their note starts
    "explains difference:"), for either indicator of a pair."""
    wanted = commentary["indicator_id"].isin(list(indicator_ids))
    return commentary[wanted & commentary["note"].str.startswith(EXPLAINS_DIFFERENCE)]


def difference_reasons(both: pd.DataFrame, explanations: pd.DataFrame) -> list[str]:
    """For each row of transforms.counterpart_comparison: "" where the sources agree, else the
    documents' own reason (verbatim, with its source) or that none is given."""
    reasons = []
    for row in both.itertuples():
        if row.difference == 0:
            reasons.append("")
            continue
        said = explanations[
            (explanations["area"] == row.area) & (explanations["period"] == row.period)
        ]
        explained = [f'"{q.quote}" ({q.source_text})' for q in said.itertuples()]
        reasons.append(" ".join(explained) or REASON_NOT_STATED)
    return reasons


def differences_sentence(
    both: pd.DataFrame, indicator: Indicator, other: Indicator, area_names: Mapping[str, str]
) -> str:
    """One line above the side-by-side table: how often the two sources differ, and the
    largest difference, e.g. "The two sources give different figures for 5 of the 6 years and
    areas below; the largest: Rutland, 2015/16, 369 in the partnership report and 206 in the
    official statistics." "" when they always agree."""
    differ = both[both["difference"] != 0]
    if differ.empty:
        return ""
    largest = differ.loc[differ["difference"].abs().idxmax()]
    return (
        f"The two sources give different figures for {len(differ)} of the {len(both)} years and "
        f"areas below; the largest: {area_names.get(largest['area'], largest['area'])}, "
        f"{largest['period']}, {format_value(largest['value'], indicator.unit)} in "
        f"{FAMILY_IN_SENTENCE[indicator.source_family]} and "
        f"{format_value(largest['counterpart_value'], other.unit)} in "
        f"{FAMILY_IN_SENTENCE[other.source_family]}."
    )


def commentary_lines(
    commentary: pd.DataFrame,
    indicator_id: str,
    areas: Iterable[str],
    periods: Iterable[str],
    area_names: Mapping[str, str],
) -> list[str]:
    """The documents' own explanations of these figures, verbatim with their source:
    'Rutland, 2015/16: "As a result, CSE referrals have increased ..." (LSCB Annual Report).'"""
    said = commentary[
        commentary["indicator_id"].eq(indicator_id)
        & commentary["area"].isin(list(areas))
        & commentary["period"].isin(list(periods))
    ]
    return [
        f'{area_names.get(row.area, row.area)}, {row.period}: "{row.quote}" ({row.source_text}).'
        for row in said.itertuples()
    ]


def years_offered(rows: pd.DataFrame, chosen: Iterable[str], labels: Mapping[str, str]) -> str:
    """Why a year range is what it is: "Years offered are those with figures. Child sexual
    exploitation referrals (partnership report): 2014/15 to 2015/16." """
    spans = []
    for indicator_id in chosen:
        own = rows[rows["indicator_id"] == indicator_id].sort_values("year_end")
        if len(own):
            periods = list(dict.fromkeys(own["period"]))
            spans.append(f"{labels.get(indicator_id, indicator_id)}: {period_span(periods)}")
    return "Years offered are those with figures. " + "; ".join(spans) + "."

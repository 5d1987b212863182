"""Headline sentences from the data and the catalogue's polarity; never written per indicator."""

from dashboard.catalogue import Indicator, unit_phrase
from dashboard.formatting import format_value
from dashboard.transforms import LatestChange

JUDGEMENT_WORDS = {"better": "an improvement", "worse": "a deterioration"}


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


def headline_sentence(
    indicator: Indicator, area_name: str, change: LatestChange, measure: str
) -> str:
    """e.g. "Rutland's Repeat child protection plans fell from 24.0% to 18.0% between 2023/24 and
    2024/25, an improvement (measure: percentages)."

    The direction comes from the two figures; the judgement only from the catalogue's polarity,
    so an indicator marked no_judgement (e.g. referrals) is described but never praised.
    """
    what = f"{area_name}'s {sentence_case(indicator.name)}"
    measured = f"(measure: {unit_phrase(measure)})"
    latest = format_value(change.value, measure, change.symbol)
    if change.disputed:
        either = " or ".join(format_value(v, measure) for v in change.values)
        return f"{what} in {change.period} is given as {either}: the sources disagree {measured}."
    if change.change is None or change.previous_value is None:
        return (
            f"{what} stood at {latest} in {change.period}; no earlier figure to compare {measured}."
        )
    before = format_value(change.previous_value, measure)
    span = f"between {change.previous_period} and {change.period}"
    if change.change == 0:
        return f"{what} did not change {span}: {latest} {measured}."
    sentence = f"{what} {direction_word(change.change)} from {before} to {latest} {span}"
    judgement = JUDGEMENT_WORDS.get(change.judgement)
    if judgement:
        sentence += f", {judgement}"
    return f"{sentence} {measured}."

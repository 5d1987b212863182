"""The units a figure can be published in: one record each, the only place a unit's words,
decimals, axis format and fairness across areas are decided. No Streamlit here."""

import math
from dataclasses import dataclass
from functools import cache

from dashboard.stats import BYAR_METHOD, WILSON_METHOD


@dataclass(frozen=True)
class Unit:
    id: str
    label: str  # axis title and table heading
    phrase: str  # how a measure is named in a sentence ("Showing ... as published")
    decimals: int  # display; rates and percentages are published to one decimal place
    axis_format: str = ",.0f"  # d3-format for chart axes
    # Grows with the size of an area: Rutland has about a twentieth of Leicestershire's
    # children, so raw figures mislead side by side. Rates, percentages, ratios and durations
    # do not.
    size_dependent: bool = False
    interval_method: str = ""  # how a 95% interval is computed from its counts; "" for none
    percentage: bool = False  # written with %, changes in percentage points
    at_most_100: bool = False  # a share of a whole: a value outside 0-100 is a typing error
    prefix: str = ""  # written before the number: "£"
    suffix: str = ""  # written after it: " per 10,000", " days"
    # Sane bounds a value must keep (the build and the data update both check them): larger in
    # size is a typing or export error, never a real figure for Leicestershire, Rutland or
    # England (whose whole population is under 60 million).
    largest: float = 1_000_000
    whole: bool = False  # a count of people or events: 700.5 is a typing error


UNITS: dict[str, Unit] = {
    record.id: record
    for record in (
        Unit(
            "count",
            "Number",
            "numbers (counts)",
            0,
            size_dependent=True,
            largest=100_000_000,
            whole=True,
        ),
        Unit(
            "percent",
            "Percentage (%)",
            "percentages",
            1,
            interval_method=WILSON_METHOD,
            percentage=True,
            at_most_100=True,
            suffix="%",
            largest=100,
        ),
        Unit(
            "percent_change",
            "Change on the previous period (%)",
            "percentage changes",
            1,
            percentage=True,
            suffix="%",
            largest=100_000,
        ),
        Unit(
            "percent_of_budget",
            "Percentage of budget (%)",
            "percentages of budget",
            1,
            percentage=True,
            suffix="%",
            largest=100_000,
        ),
        Unit(
            "rate_per_10k",
            "Rate per 10,000 children aged 0-17",
            "rates per 10,000 children aged 0-17",
            1,
            interval_method=BYAR_METHOD,
            suffix=" per 10,000",
            largest=10_000,
        ),
        Unit(
            "gbp",
            "£",
            "amounts in pounds (£)",
            0,
            size_dependent=True,
            prefix="£",
            largest=10_000_000_000,
        ),
        Unit("days", "Days", "numbers of days", 0, suffix=" days", largest=100_000),
        Unit("weeks", "Weeks", "numbers of weeks", 1, suffix=" weeks", largest=10_000),
        Unit("ratio", "Ratio", "ratios", 2, axis_format=",.1f", largest=100_000),
        Unit(
            "fte",
            "Full-time equivalent (FTE) staff",
            "full-time equivalent staff",
            1,
            size_dependent=True,
            largest=10_000_000,
        ),
    )
}

# Not a published unit: each area's own base-year value = 100, computed by the app.
INDEX = "index"
INDEX_UNIT = Unit(INDEX, "Index", "index", 1)


@cache
def lookup_unit(unit_id: str) -> Unit:
    """The record for a unit; an unknown one is shown as written, not hidden."""
    if unit_id == INDEX:
        return INDEX_UNIT
    return UNITS.get(unit_id) or Unit(
        unit_id, unit_id.replace("_", " ").capitalize(), unit_id.replace("_", " "), 1
    )


def is_size_dependent(unit_id: str) -> bool:
    """Is a raw side-by-side of a big and a small area unfair in this unit? The one answer the
    map, the pages and the slides all ask."""
    return lookup_unit(unit_id).size_dependent


INTERVAL_UNITS: tuple[str, ...] = tuple(
    unit_id for unit_id, record in UNITS.items() if record.interval_method
)


def value_problem(value: float, unit_id: str) -> str | None:
    """Why a published value cannot be right in its unit (not finite, fractional where it counts
    people, or beyond the unit's sane bound), or None. Percentages' 0-100 is checked apart."""
    unit = lookup_unit(unit_id)
    what = "a count" if unit_id == "count" else f"a {unit_id} value"
    if not math.isfinite(value):
        return f"{what} must be a finite number written in digits, like 1234 or 12.5"
    if unit.whole and not float(value).is_integer():
        return f"{what} must be a whole number (got {value:g})"
    if abs(value) > unit.largest:
        return f"{what} cannot be beyond {unit.largest:,.0f} (got {value:g}); check the figure"
    return None

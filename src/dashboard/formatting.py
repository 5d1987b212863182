"""Value, change and text formatting driven by the catalogue's units; no Streamlit here."""

import math
import re

from dashboard.catalogue import UNIT_DECIMALS, unit_phrase
from dashboard.config import STATUS_LABELS, SYMBOL_LABELS

INDEX = "index"
PERCENT_UNITS = {"percent", "percent_change", "percent_of_budget"}


def _number(value: float, unit: str) -> str:
    decimals = UNIT_DECIMALS.get(unit, 1)
    # Counts stated with a fraction (e.g. FTE in a count column) keep one decimal.
    if decimals == 0 and not float(value).is_integer():
        decimals = 1
    return f"{value:,.{decimals}f}"


def format_value(value: float | None, unit: str, symbol: str = "") -> str:
    """'1,234', '38.0%', '45.2 per 10,000', '£326,030'; a DfE symbol is explained in words."""
    if value is None or math.isnan(value):
        if symbol:
            return f"{symbol}: {SYMBOL_LABELS.get(symbol, 'not published')}"
        return "not published"
    if unit == "gbp":
        sign = "-" if value < 0 else ""
        return f"{sign}£{_number(abs(value), unit)}"
    text = _number(value, unit)
    if unit in PERCENT_UNITS:
        return f"{text}%"
    if unit == "rate_per_10k":
        return f"{text} per 10,000"
    if unit in {"days", "weeks"}:
        return f"{text} {unit}"
    if unit == INDEX:
        return f"{value:,.1f}"
    return text


def format_short(value: float | None, unit: str, symbol: str = "") -> str:
    """A tile-sized figure: '458.0', '25.5%', '£1,200'; the unit's words are shown beside it."""
    if value is None or math.isnan(value):
        return SYMBOL_LABELS.get(symbol, "not published").capitalize() if symbol else "—"
    if unit in PERCENT_UNITS or unit == "gbp":
        return format_value(value, unit)
    return _number(value, unit)


def format_change(change: float, unit: str, *, short: bool = False) -> str:
    """Signed difference in the unit's own terms: percentages change in percentage points."""
    sign = "+" if change > 0 else "-" if change < 0 else ""
    size = abs(change)
    if unit in PERCENT_UNITS:
        return f"{sign}{_number(size, unit)} {'pp' if short else 'percentage points'}"
    if short and unit != "gbp":
        return f"{sign}{_number(size, unit)}"
    if unit == "gbp":
        return f"{sign}£{_number(size, unit)}"
    return f"{sign}{format_value(size, unit)}"


def format_status(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def measure_label(measure: str, base_year: int | None = None) -> str:
    """Words for what a chart shows, e.g. 'rates per 10,000 children aged 0-17, as published'."""
    if measure == INDEX:
        return f"an index: each area's own {base_year} value = 100"
    return f"{unit_phrase(measure)}, as published"


def period_span(periods: list[str]) -> str:
    """'2012/13 to 2024/25' from periods already in time order."""
    if not periods:
        return ""
    return periods[0] if periods[0] == periods[-1] else f"{periods[0]} to {periods[-1]}"


def sources_text(releases: list[str], shown: int = 2) -> str:
    """Name a few sources in a caption; the table under the chart names the source of every row."""
    if len(releases) <= shown + 1:
        return "; ".join(releases)
    return (
        "; ".join(releases[:shown])
        + f"; and {len(releases) - shown} more (the table below gives each row's source)"
    )


def year_span(years: list[int]) -> str:
    if not years:
        return ""
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first} to {last}"


# Every character with a meaning in Streamlit's Markdown (including :colour[...] directives,
# $LaTeX$ and HTML), so text from documents always shows as typed.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&])")


def escape_markdown(text: str) -> str:
    """Make text from the data safe to place inside static Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)

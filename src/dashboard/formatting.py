"""Value, change and text formatting driven by the catalogue's units; no Streamlit here."""

import math
import re

from dashboard.config import SYMBOL_LABELS
from dashboard.statuses import lookup_status
from dashboard.units import INDEX, lookup_unit


def _number(value: float, unit_id: str) -> str:
    decimals = lookup_unit(unit_id).decimals
    # Counts stated with a fraction (e.g. FTE in a count column) keep one decimal.
    if decimals == 0 and not float(value).is_integer():
        decimals = 1
    return f"{value:,.{decimals}f}"


def format_value(value: float | None, unit_id: str, symbol: str = "") -> str:
    """'1,234', '38.0%', '45.2 per 10,000', '£326,030'; a DfE symbol is explained in words."""
    if value is None or math.isnan(value):
        return SYMBOL_LABELS.get(symbol, "not published")
    record = lookup_unit(unit_id)
    sign = "-" if value < 0 and record.prefix else ""
    shown = abs(value) if record.prefix else value
    return f"{sign}{record.prefix}{_number(shown, unit_id)}{record.suffix}"


def format_short(value: float | None, unit_id: str, symbol: str = "") -> str:
    """A tile-sized figure: '458.0', '25.5%', '£1,200'; the unit's words are shown beside it."""
    if value is None or math.isnan(value):
        if not symbol:
            return "—"
        words = SYMBOL_LABELS.get(symbol, "not published")
        return words[:1].upper() + words[1:]
    record = lookup_unit(unit_id)
    if record.percentage or record.prefix:
        return format_value(value, unit_id)
    return _number(value, unit_id)


def format_change(change: float, unit_id: str, *, short: bool = False) -> str:
    """Signed difference in the unit's own terms: percentages change in percentage points."""
    sign = "+" if change > 0 else "-" if change < 0 else ""
    size = abs(change)
    record = lookup_unit(unit_id)
    if record.percentage:
        return f"{sign}{_number(size, unit_id)} {'pp' if short else 'percentage points'}"
    if short:
        return f"{sign}{record.prefix}{_number(size, unit_id)}"
    return f"{sign}{format_value(size, unit_id)}"


def format_status(status: str) -> str:
    return lookup_status(status).label


def measure_label(measure: str, base_year: int | None = None) -> str:
    """Words for what a chart shows, e.g. 'rates per 10,000 children aged 0-17, as published'."""
    if measure == INDEX:
        return f"an index: each area's own {base_year} value = 100"
    return f"{lookup_unit(measure).phrase}, as published"


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

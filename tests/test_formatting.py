"""Value and change formatting follows the unit; data text is made Markdown-safe."""

import math

import pytest

from dashboard.formatting import (
    escape_markdown,
    format_change,
    format_short,
    format_status,
    format_value,
    measure_label,
    period_span,
    sources_text,
)
from dashboard.units import INDEX


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234.0, "count", "1,234"),
        (12.5, "count", "12.5"),
        (38.0, "percent", "38.0%"),
        (45.24, "rate_per_10k", "45.2 per 10,000"),
        (326030.0, "gbp", "£326,030"),
        (-1500.0, "gbp", "-£1,500"),
        (112.345, INDEX, "112.3"),
        (7.0, "days", "7 days"),
        (2.5, "mystery_unit", "2.5"),
    ],
)
def test_format_value(value, unit, expected):
    assert format_value(value, unit) == expected


def test_missing_values_say_why():
    assert format_value(math.nan, "count", "c") == "suppressed by DfE because the number is small"
    assert format_value(None, "count") == "not published"


def test_short_values_fit_a_tile():
    assert format_short(458.04, "rate_per_10k") == "458.0"
    assert format_short(25.5, "percent") == "25.5%"
    assert format_short(1200.0, "gbp") == "£1,200"
    assert format_short(math.nan, "count", "c") == "Suppressed by DfE because the number is small"
    assert format_change(1.25, "percent", short=True) == "+1.2 pp"
    assert format_change(-29.7, "rate_per_10k", short=True) == "-29.7"


def test_changes_are_signed_and_percentages_move_in_points():
    assert format_change(2.0, "percent") == "+2.0 percentage points"
    assert format_change(-120.0, "count") == "-120"
    assert format_change(3.25, "rate_per_10k") == "+3.2 per 10,000"
    assert format_change(0.0, "count") == "0"


def test_labels_for_status_and_measure():
    assert format_status("provisional") == "Provisional"
    assert format_status("new_status") == "New status"
    assert "rates per 10,000 children" in measure_label("rate_per_10k")
    assert "2015 value = 100" in measure_label(INDEX, 2015)


def test_escape_markdown_neutralises_formatting_links_and_html():
    text = "**bold** [link](http://x) <b>1</b> :red[alert] $x$"
    escaped = escape_markdown(text)
    assert "\\*\\*bold\\*\\*" in escaped
    assert "\\[link\\]\\(http\\:" in escaped
    assert "\\<b\\>" in escaped
    assert "\\:red\\[alert\\]" in escaped
    assert "\\$x\\$" in escaped


def test_spans_and_source_lists_stay_short():
    assert period_span(["2012/13", "2013/14", "2024/25"]) == "2012/13 to 2024/25"
    assert period_span(["2020"]) == "2020"
    assert sources_text(["A", "B", "C"]) == "A; B; C"
    assert sources_text(["A", "B", "C", "D"]) == (
        "A; B; and 2 more (the table below gives each row's source)"
    )

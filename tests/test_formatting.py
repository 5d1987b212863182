"""Value and change formatting follows the unit; data text is made Markdown-safe."""

import math

import pytest

from dashboard.formatting import (
    INDEX,
    escape_markdown,
    format_change,
    format_status,
    format_value,
    measure_label,
)


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
    assert format_value(math.nan, "count", "c") == "c (suppressed (small number))"
    assert format_value(None, "count") == "not published"


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

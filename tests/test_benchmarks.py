"""Ranks, neighbours' ranges and funnel points on small FIXTURE frames (made-up authorities and
values, never app data), shaped as schema.NATIONAL_COLUMNS."""

import math

import pandas as pd
import pytest

from dashboard.benchmarks import (
    FUNNEL_COLUMNS,
    RANGE_COLUMNS,
    Rank,
    england_value,
    funnel_points,
    national_rank,
    national_years,
    neighbour_range,
)
from dashboard.schema import NATIONAL_COLUMNS

from helpers.frames import fixture_frame, fixture_row

NAN = math.nan
INDICATOR = "fixture_pct"


def national_row(**cells: object) -> dict[str, object]:
    """One FIXTURE row with every NATIONAL_COLUMNS cell, defaults for those not given."""
    defaults = {
        "indicator_id": INDICATOR,
        "year_end": 2025,
        "period": "2024/25",
        "geographic_level": "Local authority",
        "unit": "percent",
        "value_symbol": "",
    }
    return fixture_row(NATIONAL_COLUMNS, **(defaults | cells))


def authorities(values: list[float], year: int = 2025, **cells: object) -> list[dict[str, object]]:
    """FIXTURE authorities "A1", "A2" ... with the given values."""
    return [
        national_row(la_code=f"A{i}", la_name=f"Fixture authority {i}", value=value, year_end=year)
        | cells
        for i, value in enumerate(values, start=1)
    ]


@pytest.fixture
def ranked() -> pd.DataFrame:
    """FIXTURE: eight authorities, a tie at 20, one suppressed, the county at 20, and England."""
    rows = authorities([10, 20, 30, 40, 50, 60, 70])
    rows.append(national_row(la_code="C1", la_name="Fixture county", area="county", value=20))
    rows.append(national_row(la_code="A9", la_name="Suppressed", value=NAN, value_symbol="c"))
    rows.append(
        national_row(geographic_level="National", la_name="England", area="england", value=35.0)
    )
    return fixture_frame(rows, NATIONAL_COLUMNS)


def test_rank_one_is_the_lowest_and_ties_share_the_lowest_rank(ranked):
    assert national_rank(ranked, INDICATOR, 2025, "county") == Rank(2, 8, 1, 20.0)


def test_quartiles_split_the_ranks_into_quarters(ranked):
    rows = ranked.copy()
    rows.loc[rows["la_code"] == "C1", "value"] = 70.0
    assert national_rank(rows, INDICATOR, 2025, "county") == Rank(7, 8, 4, 70.0)
    rows.loc[rows["la_code"] == "C1", "value"] = 35.0
    assert national_rank(rows, INDICATOR, 2025, "county") == Rank(4, 8, 2, 35.0)
    rows.loc[rows["la_code"] == "C1", "value"] = 45.0
    assert national_rank(rows, INDICATOR, 2025, "county") == Rank(5, 8, 3, 45.0)


def test_no_rank_without_a_value(ranked):
    rows = ranked.copy()
    rows.loc[rows["la_code"] == "C1", ["value", "value_symbol"]] = [NAN, "c"]
    assert national_rank(rows, INDICATOR, 2025, "county") is None
    assert national_rank(ranked, INDICATOR, 2024, "county") is None
    assert national_rank(ranked, "other", 2025, "county") is None


def test_england_value_and_years(ranked):
    assert england_value(ranked, INDICATOR, 2025) == 35.0
    assert england_value(ranked, INDICATOR, 2024) is None
    assert national_years(ranked, INDICATOR) == [2025]
    assert national_years(ranked, "other") == []
    earlier = fixture_frame(
        [*ranked.to_dict("records"), *authorities([5], year=2019)], NATIONAL_COLUMNS
    )
    assert national_years(earlier, INDICATOR) == [2019, 2025]


def test_neighbour_range_per_year_and_only_with_five_values():
    """FIXTURE: six neighbours in 2024 (one suppressed: five values) and four in 2023."""
    rows = authorities([10, 20, 30, 40, 50], year=2024, neighbour_of="county")
    rows += [national_row(la_code="A6", year_end=2024, value=NAN, value_symbol="c")]
    rows[-1]["neighbour_of"] = "county"
    rows += authorities([1, 2, 3, 4], year=2023, neighbour_of="other;county")
    rows += authorities([999], year=2024, neighbour_of="other")  # not the county's neighbour
    rows += authorities([999], year=2024)
    for row in rows:
        row["period"] = f"{row['year_end'] - 1}/{row['year_end'] % 100}"
    band = neighbour_range(fixture_frame(rows, NATIONAL_COLUMNS), INDICATOR, "county")
    assert list(band.columns) == RANGE_COLUMNS
    assert band.to_dict("records") == [
        {
            "year_end": 2024,
            "period": "2023/24",
            "low": 10.0,
            "high": 50.0,
            "q1": 20.0,
            "q3": 40.0,
            "neighbours": 5,
        }
    ]


def test_neighbour_range_is_empty_for_an_area_without_neighbours(ranked):
    for area in ("county", ""):
        band = neighbour_range(ranked, INDICATOR, area)
        assert band.empty
        assert list(band.columns) == RANGE_COLUMNS


def test_funnel_points_need_a_numerator_and_denominator():
    """FIXTURE: two counted authorities, one without counts, England and another year."""
    rows = [
        national_row(la_code="B", la_name="Beta", value=25.0, numerator=5, denominator=20,
                    ci95_lower=11.2, ci95_upper=46.9, neighbour_of="county"),
        national_row(la_code="A", la_name="Alpha", area="county", value=10.0, numerator=10,
                    denominator=100, ci95_lower=5.5, ci95_upper=17.4),
        national_row(la_code="C", la_name="Gamma", value=30.0),
        national_row(geographic_level="National", la_name="England", value=20.0, numerator=200,
                    denominator=1000),
        national_row(la_code="A", la_name="Alpha", year_end=2024, value=12.0, numerator=12,
                    denominator=100),
    ]  # fmt: skip
    points = funnel_points(fixture_frame(rows, NATIONAL_COLUMNS), INDICATOR, 2025)
    assert list(points.columns) == FUNNEL_COLUMNS
    assert points["la_name"].tolist() == ["Alpha", "Beta"]
    assert points.iloc[0][["area", "value", "numerator", "denominator"]].tolist() == [
        "county",
        10.0,
        10.0,
        100.0,
    ]
    assert points.iloc[1]["neighbour_of"] == "county"
    assert funnel_points(fixture_frame(rows, NATIONAL_COLUMNS), INDICATOR, 2023).empty

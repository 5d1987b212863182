"""Chart builders, checked through chart.to_dict(): marks, encodings, titles, palette, text."""

from typing import Any

import pandas as pd
import pytest

from dashboard.areas import area_catalogue
from dashboard.charts import (
    build_breakdown_chart,
    build_category_chart,
    build_sparkline,
    build_trend_chart,
)
from dashboard.config import AXIS_LABEL_SIZE, TITLE_SIZE
from dashboard.transforms import (
    annual,
    apply_measure,
    filter_observations,
    name_areas,
    sparkline_series,
)
from dashboard.units import INDEX


def rows_for(observations, area_names, indicator_id, breakdown: str | None = "") -> pd.DataFrame:
    rows = filter_observations(observations, indicator_ids=[indicator_id], breakdown=breakdown)
    return name_areas(annual(rows), area_names)


def layer_with_mark(spec: dict, mark: str) -> dict:
    return next(layer for layer in spec["layer"] if _mark_type(layer) == mark)


def _mark_type(spec: dict) -> str:
    mark = spec["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def dataset(spec: dict, layer: dict) -> list[dict[str, Any]]:
    return spec["datasets"][layer["data"]["name"]]


def line_rows(spec: dict) -> list[dict[str, Any]]:
    """Rows of every line layer (local areas and comparators are drawn as separate layers)."""
    layers = [layer for layer in spec["layer"] if _mark_type(layer) == "line"]
    return [row for layer in layers for row in dataset(spec, layer)]


def assert_readable(spec: dict) -> None:
    assert spec["description"]
    assert spec["config"]["axis"]["labelFontSize"] >= 13
    assert spec["config"]["axis"]["titleFontSize"] >= 13
    assert spec["config"]["legend"]["labelLimit"] == 0  # long area names are never cut
    assert spec["title"]["fontSize"] >= 16
    assert spec["title"]["text"]


@pytest.fixture
def trend(observations, area_names, catalogue) -> dict:
    rows = rows_for(observations, area_names, "fixture_rate")
    return build_trend_chart(rows, catalogue["fixture_rate"]).to_dict()


def test_trend_chart_is_lines_and_points_over_years(trend):
    line = layer_with_mark(trend, "line")
    points = layer_with_mark(trend, "point")
    for layer in (line, points):
        assert layer["encoding"]["x"]["field"] == "year_end"
        assert layer["encoding"]["x"]["type"] == "quantitative"
        assert layer["encoding"]["y"]["field"] == "value"
    assert line["mark"]["invalid"] == "break-paths-filter-domains"
    assert AXIS_LABEL_SIZE >= 13 and TITLE_SIZE >= 16
    assert trend["autosize"] == {"type": "fit-x", "contains": "padding"}


def test_local_areas_are_drawn_bolder_than_comparators(trend):
    widths = {
        tuple(sorted({row["area"] for row in dataset(trend, layer)})): layer["mark"]["strokeWidth"]
        for layer in trend["layer"]
        if _mark_type(layer) == "line"
    }
    assert widths[("leicestershire", "rutland")] > widths[("england",)]


def test_trend_chart_uses_fixed_area_colours_and_dashes(trend):
    line = layer_with_mark(trend, "line")
    colour = line["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Leicestershire", "Rutland", "England"]
    assert colour["range"] == [
        area_catalogue()["leicestershire"].colour,
        area_catalogue()["rutland"].colour,
        area_catalogue()["england"].colour,
    ]
    dashes = line["encoding"]["strokeDash"]["scale"]["range"]
    assert dashes[0] == [1, 0] and dashes[2] == list(area_catalogue()["england"].dash)


def test_trend_chart_gap_years_are_null_not_interpolated(trend):
    leics = {
        row["year_end"]: row["value"]
        for row in line_rows(trend)
        if row["area_name"] == "Leicestershire"
    }
    assert leics[2021] is None
    single = [row for row in dataset(trend, layer_with_mark(trend, "point"))]
    assert any(row["area_name"] == "Rutland" and row["year_end"] == 2020 for row in single)


def test_trend_chart_titles_units_tooltips_and_description(trend):
    assert_readable(trend)
    assert trend["title"]["text"] == ["Fixture rate"]
    subtitle = " ".join(trend["title"]["subtitle"])
    assert "2018/19 to 2021/22" in subtitle and "Official statistics (DfE/ONS)" in subtitle
    y = layer_with_mark(trend, "line")["encoding"]["y"]
    assert y["title"] == "Rate per 10,000 children aged 0-17"
    x_title = layer_with_mark(trend, "line")["encoding"]["x"]["title"]
    assert x_title == "Financial year (April to March)"
    tooltips = {t["title"] for t in layer_with_mark(trend, "point")["encoding"]["tooltip"]}
    assert {"Area", "Period", "Status", "Source"} <= tooltips
    assert "Leicestershire: 40.0 per 10,000 in 2018/19" in trend["description"]


def test_conflicts_and_targets_get_their_own_markers(observations, area_names, catalogue):
    rows = rows_for(observations, area_names, "fixture_count")
    spec = build_trend_chart(rows, catalogue["fixture_count"]).to_dict()
    shape = layer_with_mark(spec, "point")["encoding"]["shape"]
    assert dict(zip(shape["scale"]["domain"], shape["scale"]["range"], strict=True)) == {
        "Figure": "circle",
        "Sources disagree": "diamond",
        "Target (planned, not an outcome)": "triangle-up",
    }
    assert {row["year_end"]: row["value"] for row in line_rows(spec)}[2021] is None


def test_index_chart_has_reference_line_and_index_axis(observations, area_names, catalogue):
    rows = rows_for(observations, area_names, "fixture_rate")
    measured = apply_measure(rows, INDEX, 2019)
    spec = build_trend_chart(
        measured.frame, catalogue["fixture_rate"], measure=INDEX, base_year=2019
    ).to_dict()
    assert layer_with_mark(spec, "line")["encoding"]["y"]["title"] == "Index (2019 = 100)"
    rule = layer_with_mark(spec, "rule")
    assert dataset(spec, rule) == [{"value": 100.0}]
    tooltips = {t["title"] for t in layer_with_mark(spec, "point")["encoding"]["tooltip"]}
    assert "As published" in tooltips


def test_sparkline_is_drawn_in_the_area_colour(observations, catalogue):
    series = sparkline_series(observations, "fixture_rate", "rutland")
    sparkline = build_sparkline(series, catalogue["fixture_rate"], "Rutland")
    # one known point: a marker, no line
    assert f'fill="{area_catalogue()["rutland"].colour}"' in sparkline.svg
    assert "<path" not in sparkline.svg
    assert sparkline.description.startswith("Small trend line of Fixture rate for Rutland")
    assert f"<title>{sparkline.description}</title>" in sparkline.svg


def test_sparkline_breaks_at_a_gap_and_marks_the_latest_point(observations, catalogue):
    # Fixture: Leicestershire has 2019, 2020 and 2022, no 2021: two runs, one of a single point.
    series = sparkline_series(observations, "fixture_rate", "leicestershire")
    svg = build_sparkline(series, catalogue["fixture_rate"], "Leicestershire").svg
    path = svg.split(' d="')[1].split('"')[0]
    assert path.count("M") == 1 and path.count("L") == 1  # 2019-2020 joined; 2022 stands alone
    assert svg.count("<circle") == 1


def test_breakdown_chart_groups_categories_by_area(observations, area_names, catalogue):
    rows = rows_for(observations, area_names, "fixture_pct", breakdown=None)
    spec = build_breakdown_chart(rows, catalogue["fixture_pct"], "2019/20").to_dict()
    assert_readable(spec)
    bars = layer_with_mark(spec, "bar")
    assert bars["encoding"]["y"]["field"] == "breakdown"
    assert bars["encoding"]["yOffset"]["field"] == "area_name"
    assert bars["encoding"]["color"]["scale"]["range"] == [
        area_catalogue()["leicestershire"].colour,
        area_catalogue()["rutland"].colour,
    ]
    assert bars["encoding"]["x"]["title"] == "Percentage (%)"
    assert "Year 9, Rutland: 31.0%" in spec["description"]


def test_money_by_partner_is_stacked(observations, area_names, catalogue):
    rows = rows_for(observations, area_names, "fixture_money", breakdown=None)
    indicator = catalogue["fixture_money"]
    spec = build_category_chart(rows, indicator, "Leicestershire and Rutland", stacked=True)
    spec = spec.to_dict()
    assert_readable(spec)
    assert _mark_type(spec) == "bar"
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert spec["encoding"]["y"]["title"] == "£"
    assert "xOffset" not in spec["encoding"]
    assert "£5,200" in spec["description"]


def test_grouped_categories_sit_side_by_side(observations, area_names, catalogue):
    rows = rows_for(observations, area_names, "fixture_pct", breakdown=None)
    leics = rows[rows["area"] == "leicestershire"]
    spec = build_category_chart(
        leics, catalogue["fixture_pct"], "Leicestershire", stacked=False
    ).to_dict()
    assert spec["encoding"]["xOffset"]["field"] == "breakdown"
    assert spec["encoding"]["y"]["stack"] is None


def test_breakdown_axis_has_room_for_values_on_both_sides(observations, area_names, catalogue):
    rows = rows_for(observations, area_names, "fixture_money", breakdown=None)
    rows = rows[rows["period"] == "2019/20"].assign(value=[-1000.0, 5000.0])
    spec = build_breakdown_chart(rows, catalogue["fixture_money"], "2019/20").to_dict()
    domain = layer_with_mark(spec, "bar")["encoding"]["x"]["scale"]["domain"]
    assert domain[0] < -1000 and domain[1] > 5000

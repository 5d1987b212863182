"""Intervals, the neighbours' band and the funnel plot, checked through chart.to_dict().

Every frame here is a FIXTURE made up for the test: invented counts for invented authorities,
with limits worked out from those counts (Wilson score), never app data.
"""

import math
from typing import Any

import pandas as pd
import pytest

from dashboard.areas import area_catalogue
from dashboard.charts import (
    ABOVE_95,
    ABOVE_998,
    BAND_OPACITY,
    BELOW_998,
    LOCAL_LINE_WIDTH,
    WITHIN_95,
    build_funnel_chart,
    build_trend_chart,
    funnel_limit_lines,
    funnel_position,
)
from dashboard.config import JUDGEMENT_STYLES
from dashboard.transforms import apply_measure
from dashboard.units import INDEX

from helpers.stat_fixtures import Z95, Z998, fixture_indicator, wilson

PERCENT_INDICATOR = fixture_indicator(
    id="fixture_pct", name="Fixture re-referrals", polarity="lower_is_better"
)
RATE_INDICATOR = fixture_indicator(
    id="fixture_rate", name="Fixture rate", unit="rate_per_10k", polarity="lower_is_better"
)
NAMES = {"leicestershire": "Leicestershire", "rutland": "Rutland", "england": "England"}
HIGHLIGHTS = {"leicestershire": "Leicestershire", "rutland": "Rutland"}
BAND_LABEL = "Range of Rutland's 10 statistical neighbours"


def wilson_percent(numerator: float, denominator: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score limits in percent, so the fixture's limits match its counts."""
    lower, upper = wilson(numerator, denominator, z)
    return lower * 100, upper * 100


# FIXTURE counts: area, year_end, numerator, denominator (None = the release gives no counts).
SERIES = [
    ("leicestershire", 2022, 103, 385),
    ("leicestershire", 2023, 110, 420),
    ("leicestershire", 2024, 95, 400),
    ("rutland", 2022, 9, 39),
    ("rutland", 2023, 7, 38),
    ("rutland", 2024, None, None),
    ("england", 2022, 22000, 100000),
    ("england", 2023, 22500, 100000),
    ("england", 2024, 21500, 100000),
]
RUTLAND_2024_VALUE = 20.0  # FIXTURE: a percentage published without its counts


def observation_rows(*, with_intervals: bool = True) -> pd.DataFrame:
    rows = []
    for area, year, numerator, denominator in SERIES:
        counted = numerator is not None
        value = round(numerator / denominator * 100, 1) if counted else RUTLAND_2024_VALUE
        lower, upper = wilson_percent(numerator, denominator) if counted else (math.nan, math.nan)
        lower998, upper998 = (
            wilson_percent(numerator, denominator, Z998) if counted else (math.nan, math.nan)
        )
        row = {
            "indicator_id": "fixture_pct",
            "area": area,
            "area_name": NAMES[area],
            "period": f"{year - 1}/{str(year)[2:]}",
            "period_type": "financial_year",
            "year_end": year,
            "breakdown": "",
            "value": value,
            "value_symbol": "",
            "unit": "percent",
            "status": "published",
            "source_family": "official_statistics",
            "release": "Fixture release",
            "conflict_id": "",
            "numerator": float(numerator) if counted else math.nan,
            "denominator": float(denominator) if counted else math.nan,
        }
        if with_intervals:
            row |= {
                "ci95_lower": lower,
                "ci95_upper": upper,
                "ci998_lower": lower998,
                "ci998_upper": upper998,
                "ci_method": "Wilson score interval" if counted else "",
            }
        rows.append(row)
    return pd.DataFrame(rows)


# FIXTURE: the neighbours' range, one year outside the chart and one year missing.
NEIGHBOUR_BAND = pd.DataFrame(
    {
        "year_end": [2021, 2022, 2024],
        "period": ["2020/21", "2021/22", "2023/24"],
        "low": [14.0, 15.0, 13.5],
        "high": [31.0, 30.0, 29.0],
        "q1": [18.0, 19.0, 18.5],
        "q3": [26.0, 25.0, 24.0],
        "neighbours": [10, 10, 10],
    }
)


def mark_type(layer: dict) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def layers_with(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if mark_type(layer) == mark]


def data_of(spec: dict, layer: dict) -> list[dict[str, Any]]:
    return spec["datasets"][layer["data"]["name"]]


def tooltip_titles(layer: dict) -> list[str]:
    return [t["title"] for t in layer["encoding"]["tooltip"]]


def subtitle(spec: dict) -> str:
    return " ".join(spec["title"].get("subtitle", []))


# --- Intervals on trend charts -----------------------------------------------------------


def test_default_chart_is_unchanged_by_the_interval_columns():
    """Options off: the same spec whether or not the frame carries intervals and counts."""
    with_columns = build_trend_chart(observation_rows(), PERCENT_INDICATOR).to_dict()
    without = build_trend_chart(observation_rows(with_intervals=False), PERCENT_INDICATOR).to_dict()
    assert with_columns == without
    assert not layers_with(with_columns, "errorbar") and not layers_with(with_columns, "area")
    assert "95% interval" not in tooltip_titles(layers_with(with_columns, "point")[0])


def test_intervals_are_error_bars_in_each_area_colour_behind_the_points():
    spec = build_trend_chart(observation_rows(), PERCENT_INDICATOR, show_intervals=True).to_dict()
    bars = layers_with(spec, "errorbar")
    assert len(bars) == 3  # one per area, set a few pixels apart so none hides another
    for layer in bars:
        assert layer["encoding"]["y"]["field"] == "ci95_lower"
        assert layer["encoding"]["y2"]["field"] == "ci95_upper"
        assert layer["mark"]["thickness"] < LOCAL_LINE_WIDTH
        colour = layer["encoding"]["color"]["scale"]
        assert dict(zip(colour["domain"], colour["range"], strict=True)) == {
            "Leicestershire": area_catalogue()["leicestershire"].colour,
            "Rutland": area_catalogue()["rutland"].colour,
            "England": area_catalogue()["england"].colour,
        }
    offsets = [layer["encoding"]["xOffset"]["value"] for layer in bars]
    assert len(set(offsets)) == 3
    kinds = [mark_type(layer) for layer in spec["layer"]]
    assert max(i for i, kind in enumerate(kinds) if kind == "errorbar") < kinds.index("point")
    leics = data_of(spec, bars[0])
    assert {row["area_name"] for row in leics} == {"Leicestershire"}
    assert set(leics[0]) == {"area_name", "year_end", "ci95_lower", "ci95_upper"}
    assert "95% confidence intervals" in subtitle(spec)


def test_a_figure_without_counts_has_no_bar_and_says_why():
    spec = build_trend_chart(observation_rows(), PERCENT_INDICATOR, show_intervals=True).to_dict()
    rutland_bars = [
        row
        for layer in layers_with(spec, "errorbar")
        for row in data_of(spec, layer)
        if row["area_name"] == "Rutland"
    ]
    assert sorted(row["year_end"] for row in rutland_bars) == [2022, 2023]
    points = layers_with(spec, "point")[0]
    rows = {(row["area_name"], row["year_end"]): row for row in data_of(spec, points)}
    assert rows[("Rutland", 2024)]["interval_label"].startswith("no interval")
    assert rows[("Rutland", 2024)]["counts_label"] == "not published"


def test_point_tooltips_gain_the_interval_and_the_counts():
    spec = build_trend_chart(observation_rows(), PERCENT_INDICATOR, show_intervals=True).to_dict()
    points = layers_with(spec, "point")[0]
    assert {"95% interval", "Counts"} <= set(tooltip_titles(points))
    row = next(
        row
        for row in data_of(spec, points)
        if row["area_name"] == "Leicestershire" and row["year_end"] == 2022
    )
    lower, upper = wilson_percent(103, 385)
    assert row["interval_label"] == f"{lower:.1f}% to {upper:.1f}%"
    assert row["counts_label"] == "103 of 385"
    assert "Leicestershire, 2023/24: " in spec["description"]


def test_no_intervals_without_the_columns_nor_on_an_index_or_a_count():
    bare = build_trend_chart(
        observation_rows(with_intervals=False), PERCENT_INDICATOR, show_intervals=True
    ).to_dict()
    assert not layers_with(bare, "errorbar")
    assert "95% interval" not in tooltip_titles(layers_with(bare, "point")[0])
    measured = apply_measure(observation_rows(), INDEX, 2022)
    index = build_trend_chart(
        measured.frame, PERCENT_INDICATOR, measure=INDEX, base_year=2022, show_intervals=True
    ).to_dict()
    assert not layers_with(index, "errorbar")
    counts = observation_rows().assign(value=lambda rows: rows["numerator"], unit="count")
    plain = build_trend_chart(counts, PERCENT_INDICATOR, measure="count").to_dict()
    switched = build_trend_chart(
        counts, PERCENT_INDICATOR, measure="count", show_intervals=True
    ).to_dict()
    assert switched == plain


# --- The statistical neighbours' band ----------------------------------------------------


@pytest.fixture
def banded() -> dict:
    return build_trend_chart(
        observation_rows(),
        PERCENT_INDICATOR,
        neighbour_band=NEIGHBOUR_BAND,
        band_label=BAND_LABEL,
    ).to_dict()


def test_band_is_a_light_grey_area_behind_everything(banded):
    assert mark_type(banded["layer"][0]) == "area"
    area = banded["layer"][0]
    assert area["mark"]["opacity"] == BAND_OPACITY
    assert area["encoding"]["y"]["field"] == "low"
    assert area["encoding"]["y2"]["field"] == "high"
    assert area["encoding"]["fill"]["scale"]["domain"] == [BAND_LABEL]
    assert area["encoding"]["fill"]["legend"]["title"] == "Grey band"
    # Only the chart's years; a missing year is a gap (null), not a straight line across.
    by_year = {row["year_end"]: row["low"] for row in data_of(banded, area)}
    assert by_year == {2022: 15.0, 2023: None, 2024: 13.5}


def test_band_has_a_tooltip_and_is_described(banded):
    hover = layers_with(banded, "rule")[0]
    assert hover["mark"]["opacity"] == 0
    assert tooltip_titles(hover) == ["Period", BAND_LABEL]
    ranges = {row["period"]: row["range_label"] for row in data_of(banded, hover)}
    assert ranges == {"2021/22": "15.0% to 30.0%", "2023/24": "13.5% to 29.0%"}
    assert f"Grey band: {BAND_LABEL}, 13.5% to 29.0% in 2023/24." in banded["description"]
    # The area legend is still there beside the band's.
    line = layers_with(banded, "line")[0]
    assert line["encoding"]["color"]["legend"]["title"] == "Area"


def test_band_and_intervals_together_keep_their_order():
    spec = build_trend_chart(
        observation_rows(),
        PERCENT_INDICATOR,
        show_intervals=True,
        neighbour_band=NEIGHBOUR_BAND,
        band_label=BAND_LABEL,
    ).to_dict()
    kinds = [mark_type(layer) for layer in spec["layer"]]
    assert kinds[:2] == ["area", "rule"]
    assert kinds.index("errorbar") < kinds.index("line") < kinds.index("point")


# --- Funnel plot ------------------------------------------------------------------------

BENCHMARK = 22.0  # FIXTURE: England's value in the funnel tests
# FIXTURE authorities: name, area, neighbour_of, numerator, denominator.
AUTHORITIES = [
    ("Leicestershire", "leicestershire", "", 103, 385),
    ("Rutland", "rutland", "", 7, 38),
    ("Fixtureshire", "", "leicestershire", 300, 1200),
    ("Testborough", "", "rutland", 12, 60),
    ("Sampleton", "", "leicestershire;rutland", 90, 450),
    ("Examplefield", "", "", 400, 1000),  # far above the limits
    ("Mockford", "", "", 20, 300),  # far below
    ("Dummyham", "", "", 1100, 5000),
    ("Placeholder Vale", "", "", 30, 150),
    ("Suppressedshire", "", "", None, 200),  # a suppressed figure: not plotted
]


def funnel_frame() -> pd.DataFrame:
    rows = []
    for name, area, neighbour_of, numerator, denominator in AUTHORITIES:
        counted = numerator is not None
        lower, upper = wilson_percent(numerator, denominator) if counted else (math.nan, math.nan)
        rows.append(
            {
                "la_name": name,
                "area": area,
                "neighbour_of": neighbour_of,
                "value": numerator / denominator * 100 if counted else math.nan,
                "numerator": float(numerator) if counted else math.nan,
                "denominator": float(denominator),
                "ci95_lower": lower,
                "ci95_upper": upper,
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture
def funnel() -> dict:
    return build_funnel_chart(
        funnel_frame(),
        PERCENT_INDICATOR,
        benchmark=BENCHMARK,
        year_label="2024/25",
        denominator_label="Referrals in the year",
        highlight_names=HIGHLIGHTS,
    ).to_dict()


def test_funnel_layers_axes_and_centre_line(funnel):
    assert [mark_type(layer) for layer in funnel["layer"]] == [
        "line",  # the four limit lines
        "rule",  # the centre line
        "text",  # its label
        "circle",  # every other authority
        "point",  # the neighbours' rings
        "circle",  # Leicestershire and Rutland
        "text",  # their labels
    ]
    centre = layers_with(funnel, "rule")[0]
    assert data_of(funnel, centre) == [{"value": BENCHMARK}]
    x = funnel["layer"][0]["encoding"]["x"]
    assert x["field"] == "denominator" and x["scale"]["type"] == "log"
    assert x["title"] == "Referrals in the year (log scale)"
    y = funnel["layer"][0]["encoding"]["y"]
    assert y["field"] == "value" and y["title"] == "Percentage (%)"
    assert "2024/25" in subtitle(funnel) and "narrow" in subtitle(funnel)


def test_funnel_limit_lines_narrow_as_the_base_grows(funnel):
    rows = pd.DataFrame(data_of(funnel, funnel["layer"][0]))
    wide = rows.pivot(index="denominator", columns="line", values="value").sort_index()
    # Exact binomial limits step with whole counts: allow wiggles far below a drawn pixel.
    assert (wide["upper95"].diff().dropna() < 0.1).all()
    assert (wide["lower95"].diff().dropna() > -0.1).all()
    width = wide["upper95"] - wide["lower95"]
    assert width.iloc[-1] < width.iloc[len(width) // 2] < width.iloc[0] / 3
    assert (wide["upper998"] >= wide["upper95"]).all()
    assert (wide["lower998"] <= wide["lower95"]).all()
    assert ((wide["lower95"] <= BENCHMARK) & (wide["upper95"] >= BENCHMARK)).all()
    dashes = funnel["layer"][0]["encoding"]["strokeDash"]["scale"]
    assert dashes["domain"] == ["95% limits", "99.8% limits"]


def test_funnel_highlights_the_counties_in_their_colours(funnel):
    dots = funnel["layer"][5]
    colour = dots["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Leicestershire", "Rutland"]
    assert colour["range"] == [
        area_catalogue()["leicestershire"].colour,
        area_catalogue()["rutland"].colour,
    ]
    assert dots["mark"]["size"] > funnel["layer"][3]["mark"]["size"]
    labels = {row["label"] for row in data_of(funnel, funnel["layer"][6])}
    assert labels == {"Leicestershire 26.8%", "Rutland 18.4%"}


def test_funnel_outlines_the_statistical_neighbours(funnel):
    rings = funnel["layer"][4]
    assert rings["mark"]["filled"] is False and rings["mark"]["strokeWidth"] >= 2
    stroke = rings["encoding"]["stroke"]["scale"]
    assert stroke["domain"] == [
        "Statistical neighbour of Leicestershire",
        "Statistical neighbour of Rutland",
        "Statistical neighbour of Leicestershire and Rutland",
    ]
    assert stroke["range"][:2] == [
        area_catalogue()["sn_leicestershire"].colour,
        area_catalogue()["sn_rutland"].colour,
    ]
    assert {row["la_name"] for row in data_of(funnel, rings)} == {
        "Fixtureshire",
        "Testborough",
        "Sampleton",
    }
    grey = {row["la_name"] for row in data_of(funnel, funnel["layer"][3])}
    assert grey == {"Examplefield", "Mockford", "Dummyham", "Placeholder Vale"}


def test_funnel_tooltips_and_only_the_needed_columns(funnel):
    dots = funnel["layer"][3]
    assert tooltip_titles(dots) == [
        "Authority",
        "Percentage (%)",
        "Counts",
        "95% interval",
        "Against England's limits",
    ]
    row = next(row for row in data_of(funnel, funnel["layer"][5]) if row["la_name"] == "Rutland")
    assert row["count_label"] == "7 of 38"
    lower, upper = wilson_percent(7, 38)
    assert row["interval_label"] == f"{lower:.1f}% to {upper:.1f}%"
    assert set(row) == {
        "la_name",
        "denominator",
        "value",
        "value_label",
        "count_label",
        "interval_label",
        "position",
        "area_name",
    }


def test_funnel_description_places_both_counties(funnel):
    text = funnel["description"]
    assert text.startswith("Funnel plot of Fixture re-referrals, 2024/25: 9 English local")
    assert "England's value, 22.0%, is the centre line" in text
    assert "Leicestershire: 26.8% (103 of 385), above the 95% limits" in text
    assert f"Rutland: 18.4% (7 of 38), {WITHIN_95}." in text
    assert "1 authorities with no published figure are not shown." in text
    positions = {
        row["la_name"]: row["position"]
        for layer in layers_with(funnel, "circle")
        for row in data_of(funnel, layer)
    }
    assert positions["Examplefield"] == ABOVE_998
    assert positions["Mockford"] == BELOW_998


def test_funnel_says_when_a_county_has_no_figure():
    points = funnel_frame()
    points.loc[points["area"] == "rutland", "value"] = math.nan
    spec = build_funnel_chart(
        points,
        PERCENT_INDICATOR,
        benchmark=BENCHMARK,
        year_label="2024/25",
        denominator_label="Referrals in the year",
        highlight_names=HIGHLIGHTS,
    ).to_dict()
    assert "Rutland: no published figure for 2024/25, so not shown." in spec["description"]
    assert {row["label"] for row in data_of(spec, spec["layer"][-1])} == {"Leicestershire 26.8%"}


def test_funnel_of_a_rate_uses_rate_limits():
    # FIXTURE: rates per 10,000 among children aged 0-17.
    points = pd.DataFrame(
        {
            "la_name": ["Leicestershire", "Rutland", "Fixtureshire"],
            "area": ["leicestershire", "rutland", ""],
            "neighbour_of": ["", "", "rutland"],
            "numerator": [5500.0, 300.0, 4000.0],
            "denominator": [140000.0, 8000.0, 100000.0],
            "ci95_lower": [math.nan] * 3,
            "ci95_upper": [math.nan] * 3,
        }
    ).assign(value=lambda rows: rows["numerator"] / rows["denominator"] * 10000)
    spec = build_funnel_chart(
        points,
        RATE_INDICATOR,
        benchmark=400.0,
        year_label="2024/25",
        denominator_label="Children aged 0-17",
        highlight_names=HIGHLIGHTS,
    ).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Children aged 0-17 (log scale)"
    assert "Rutland: 375.0 per 10,000 (300 among 8,000)" in spec["description"]


# --- Funnel limits and positions ---------------------------------------------------------


def test_funnel_limit_lines_for_a_percentage():
    lines = funnel_limit_lines(25.0, "percent", [400.0])
    assert list(lines.columns) == ["denominator", "lower95", "upper95", "lower998", "upper998"]
    row = lines.iloc[0]
    # Normal approximation, 25% of 400: 25 +/- 1.96 x 2.165 (95%), +/- 3.09 x 2.165 (99.8%).
    assert row["lower95"] == pytest.approx(20.76, abs=0.6)
    assert row["upper95"] == pytest.approx(29.24, abs=0.6)
    assert row["lower998"] == pytest.approx(18.31, abs=0.8)
    assert row["upper998"] == pytest.approx(31.69, abs=0.8)


def test_funnel_limit_lines_for_a_rate():
    # 50 per 10,000 among 20,000 children: 100 expected events, Poisson sd 10.
    row = funnel_limit_lines(50.0, "rate_per_10k", [20000.0]).iloc[0]
    assert row["lower95"] == pytest.approx(40.2, abs=1.0)
    assert row["upper95"] == pytest.approx(59.8, abs=1.0)
    assert row["lower998"] < row["lower95"] and row["upper998"] > row["upper95"]


def test_funnel_limit_lines_span_the_bases_on_a_log_grid():
    lines = funnel_limit_lines(25.0, "percent", [50.0, 5000.0, math.nan, 0.0], n=5)
    assert lines["denominator"].tolist() == pytest.approx([50, 158.1, 500, 1581.1, 5000], rel=1e-3)
    assert lines["upper95"].iloc[0] > lines["upper95"].iloc[-1]
    assert funnel_limit_lines(25.0, "percent", []).empty
    with pytest.raises(ValueError, match="only percentages and rates"):
        funnel_limit_lines(25.0, "count", [100.0])


def test_funnel_position_words():
    limits = {"lower95": 20.0, "upper95": 30.0, "lower998": 15.0, "upper998": 35.0}
    assert funnel_position(25.0, limits) == WITHIN_95
    assert funnel_position(30.0, limits) == WITHIN_95  # on the line is inside
    assert funnel_position(32.0, limits) == ABOVE_95
    assert funnel_position(10.0, limits) == BELOW_998
    assert funnel_position(25.0, {**limits, "upper95": math.nan}) == ""


# --- Judgement styles ------------------------------------------------------------------------


def test_judgement_styles_never_reuse_the_area_colours():
    assert set(JUDGEMENT_STYLES) == {
        "better",
        "similar",
        "worse",
        "higher",
        "lower",
        "not_tested",
    }
    area_colours = {style.colour.lower() for style in area_catalogue()}
    assert not area_colours & {style.colour.lower() for style in JUDGEMENT_STYLES.values()}
    symbols = [style.symbol for style in JUDGEMENT_STYLES.values()]
    assert len(set(symbols) - {"▲", "▼"}) == len(symbols) - 2  # only higher/lower share arrows
    assert JUDGEMENT_STYLES["better"].colour != JUDGEMENT_STYLES["worse"].colour
    assert all(style.label for style in JUDGEMENT_STYLES.values())

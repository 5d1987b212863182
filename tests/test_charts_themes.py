"""charts.build_grouped_bars, checked through chart.to_dict(), on the FIXTURE frames of conftest."""

import pandas as pd
import pytest

from dashboard.areas import area_catalogue
from dashboard.charts import (
    BAR_LABEL_HEADROOM,
    NARROW_TITLE_WRAP,
    PLANNED_OPACITY,
    build_grouped_bars,
)
from dashboard.config import AXIS_LABEL_SIZE, CATEGORY_COLOURS, TITLE_SIZE
from dashboard.transforms import collapse_restatements, filter_observations, name_areas


def rows_for(observations, area_names, indicator_id, areas=None, breakdown="") -> pd.DataFrame:
    rows = filter_observations(
        observations, indicator_ids=[indicator_id], areas=areas, breakdown=breakdown
    )
    return name_areas(collapse_restatements(rows), area_names)


def mark_type(layer: dict) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def layers_with(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if mark_type(layer) == mark]


def data_of(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


def subtitle(spec: dict) -> str:
    return " ".join(spec["title"].get("subtitle", []))


@pytest.fixture
def counts(observations, area_names) -> pd.DataFrame:
    """FIXTURE counts for Leicestershire: a provisional figure, a conflict and a lone target."""
    rows = rows_for(observations, area_names, "fixture_count", ["leicestershire"])
    return rows[rows["period_type"] != "quarter"]


@pytest.fixture
def upright(counts) -> dict:
    return build_grouped_bars(
        counts, "count", title="Fixture count", subtitle=["Number · 2019/20 to 2022/23"]
    ).to_dict()


def test_upright_bars_put_periods_along_x_and_values_up_y(upright):
    bars = layers_with(upright, "bar")[0]
    assert bars["encoding"]["x"]["field"] == "period"
    assert bars["encoding"]["x"]["type"] == "nominal"
    assert bars["encoding"]["y"]["field"] == "value"
    assert bars["encoding"]["y"]["title"] == "Number"
    assert bars["encoding"]["x"]["sort"] == ["2019/20", "2020/21", "2021/22", "2022/23"]
    assert bars["encoding"]["y"]["axis"]["tickMinStep"] == 1  # no "1, 1, 2" on small counts


def test_bars_are_readable_on_a_projector(upright):
    assert upright["description"].startswith("Bar chart of Fixture count (number)")
    assert upright["title"]["text"] == ["Fixture count"]
    assert upright["title"]["fontSize"] >= TITLE_SIZE
    assert upright["config"]["axis"]["labelFontSize"] >= 13
    labels = layers_with(upright, "text")[0]
    assert labels["mark"]["fontSize"] == AXIS_LABEL_SIZE


def test_disagreeing_figures_are_diamonds_with_one_shared_label(upright):
    diamonds = layers_with(upright, "point")[0]
    assert diamonds["mark"]["shape"] == "diamond"
    assert sorted(row["value"] for row in data_of(upright, diamonds)) == [120.0, 125.0]
    bar_values = [row["value"] for row in data_of(upright, layers_with(upright, "bar")[0])]
    assert 120.0 not in bar_values and 125.0 not in bar_values  # neither is chosen as a bar
    texts = [row["bar_label"] for row in data_of(upright, layers_with(upright, "text")[0])]
    assert texts.count("125 or 120?") == 1
    assert "? sources disagree (diamonds)" in subtitle(upright)


def test_provisional_figures_are_marked_and_the_mark_explained(upright):
    texts = [row["bar_label"] for row in data_of(upright, layers_with(upright, "text")[0])]
    assert "130*" in texts
    assert "Marks: * provisional" in subtitle(upright)


def test_a_lone_target_is_a_pale_planned_bar_not_an_outcome(upright):
    bars = layers_with(upright, "bar")
    planned = next(layer for layer in bars if layer["mark"].get("opacity") == PLANNED_OPACITY)
    assert [row["value"] for row in data_of(upright, planned)] == [150.0]
    texts = [row["bar_label"] for row in data_of(upright, layers_with(upright, "text")[0])]
    assert "150 planned" in texts
    assert "Pale bars = planned" in subtitle(upright)


def test_a_target_beside_an_outcome_is_a_black_tick(counts):
    target = counts[counts["status"] == "target"].assign(
        period="2021/22", year_end=2022, breakdown="Target"
    )
    frame = pd.concat([counts[counts["status"] != "target"], target], ignore_index=True)
    spec = build_grouped_bars(frame, "count", title="Fixture count").to_dict()
    tick = layers_with(spec, "tick")[0]
    assert tick["mark"]["color"] == "#1a1a1a"
    assert [row["value"] for row in data_of(spec, tick)] == [150.0]
    assert "Black tick = target: 2021/22 150" in subtitle(spec)


def test_room_is_left_above_the_tallest_bar_for_its_label(upright):
    y = layers_with(upright, "bar")[0]["encoding"]["y"]
    assert y["scale"]["domainMax"] == pytest.approx(150.0 * BAR_LABEL_HEADROOM)


def test_areas_side_by_side_keep_their_fixed_colours(observations, area_names):
    rows = rows_for(observations, area_names, "fixture_rate", ["leicestershire", "rutland"])
    spec = build_grouped_bars(rows, "rate_per_10k", title="Fixture rate").to_dict()
    bars = layers_with(spec, "bar")[0]
    scale = bars["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Leicestershire", "Rutland"]
    assert scale["range"] == [
        area_catalogue()["leicestershire"].colour,
        area_catalogue()["rutland"].colour,
    ]
    assert bars["encoding"]["xOffset"]["field"] == "area_name"
    assert bars["encoding"]["y"]["title"] == "Rate per 10,000 children aged 0-17"


def test_an_unpublished_value_is_a_gap_not_a_zero(observations, area_names):
    rows = rows_for(observations, area_names, "fixture_rate", ["leicestershire", "rutland"])
    spec = build_grouped_bars(rows, "rate_per_10k", title="Fixture rate").to_dict()
    drawn = [
        (row["area"], row["period"]) for layer in spec["layer"] for row in data_of(spec, layer)
    ]
    assert ("rutland", "2021/22") not in drawn  # suppressed (c) in the fixture
    assert (
        "2021/22, Rutland: suppressed by DfE" in spec["description"]
    )  # still read out, as unpublished


def test_lying_down_bars_group_categories_in_the_category_palette(observations, area_names):
    rows = rows_for(observations, area_names, "fixture_pct", ["leicestershire"], breakdown=None)
    rows = rows.assign(label="A long FIXTURE question that needs more than one line to be read")
    spec = build_grouped_bars(
        rows,
        "percent",
        title="Fixture survey",
        category="label",
        group="breakdown",
        horizontal=True,
        group_title="Group",
    ).to_dict()
    bars = layers_with(spec, "bar")[0]
    assert bars["encoding"]["x"]["field"] == "value"
    assert bars["encoding"]["x"]["title"] == "Percentage (%)"
    assert bars["encoding"]["yOffset"]["field"] == "breakdown"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Year 6", "Year 9"]
    assert bars["encoding"]["color"]["scale"]["range"] == list(CATEGORY_COLOURS[:2])
    assert "split(datum.value" in bars["encoding"]["y"]["axis"]["labelExpr"]
    assert "\n" in data_of(spec, bars)[0]["label"]  # long row labels wrap, never cut off
    assert spec["padding"]["right"] > 0  # room for the value label past the longest bar
    assert spec["description"].startswith("Horizontal bar chart of Fixture survey")
    assert "Year 9: 35.0%" in spec["description"]


def test_one_group_per_row_needs_no_offset_or_legend(observations, area_names):
    rows = rows_for(observations, area_names, "fixture_money", breakdown=None)
    rows = rows[rows["period"] == "2019/20"]
    spec = build_grouped_bars(
        rows, "gbp", title="Fixture money", category="breakdown", horizontal=True
    ).to_dict()
    bars = layers_with(spec, "bar")[0]
    assert "yOffset" not in bars["encoding"]
    assert bars["encoding"]["color"]["legend"] is None
    assert bars["encoding"]["x"]["title"] == "£"
    labels = {row["bar_label"] for row in data_of(spec, layers_with(spec, "text")[0])}
    assert labels == {"£1,000", "£5,000"}


def test_narrow_charts_wrap_their_title(counts):
    title = "A FIXTURE title long enough to be cut off in half the page width"
    spec = build_grouped_bars(counts, "count", title=title, narrow=True).to_dict()
    assert len(spec["title"]["text"]) > 1
    assert all(len(line) <= NARROW_TITLE_WRAP for line in spec["title"]["text"])


def test_many_periods_get_slanted_labels_so_none_is_dropped(observations, area_names):
    rows = rows_for(observations, area_names, "fixture_rate", ["england"])
    years = pd.concat(
        [rows.assign(period=f"FIXTURE {n}", record_id=f"fixture-year-{n}") for n in range(10)],
        ignore_index=True,
    )
    spec = build_grouped_bars(years.drop_duplicates("period"), "rate_per_10k", title="F").to_dict()
    axis = layers_with(spec, "bar")[0]["encoding"]["x"]["axis"]
    assert axis["labelAngle"] == -40 and axis["labelOverlap"] is False

"""AppTest for the themed pages, run through app.py on the real built data.

Assertions are on facts that survive a data refresh (titles, sections, keyed widgets, charts
drawn with titles and descriptions, links, notes), not on particular figures, except where a
documented conflict of the sources is the point of the test.
"""

import json

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from test_pages import open_page, warnings

from dashboard.catalogue import build_catalogue
from dashboard.data import read_indicators, read_observations
from dashboard.themes import FIGURES, RATE_TREND, THEME_PAGES
from dashboard.transforms import HEADLINE

LOCAL = {"leicestershire", "rutland"}


def chart_specs(at: AppTest) -> list[dict]:
    """Each chart's Vega-Lite spec with its data, which Streamlit sends apart as Arrow."""
    specs = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        spec["datasets"] = {
            dataset.name: pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
            for dataset in chart.proto.datasets
        }
        specs.append(spec)
    return specs


def duration_years() -> list[int]:
    rows = read_observations()
    rows = rows[rows["indicator_id"] == "cpp_at_31_march_by_duration_pct"]
    return sorted(int(year) for year in rows[rows["area"].isin(LOCAL)]["year_end"].unique())


def theme_file(key: str) -> str:
    return f"pages/theme_{key}.py"


def chart_areas(spec: dict) -> set[str]:
    return {
        row["area"] for rows in spec.get("datasets", {}).values() for row in rows if "area" in row
    }


def chart_indicators(spec: dict) -> set[str]:
    return {
        row["indicator_id"]
        for rows in spec.get("datasets", {}).values()
        for row in rows
        if "indicator_id" in row
    }


def titles(spec: dict) -> str:
    return " ".join(spec["title"]["text"])


def subtitle(spec: dict) -> str:
    return " ".join(spec["title"].get("subtitle", []))


def trend_specs(at: AppTest) -> list[dict]:
    """Charts with lines: the official series that carry benchmarks."""
    return [
        spec
        for spec in chart_specs(at)
        if any(layer.get("mark", {}).get("type") == "line" for layer in spec.get("layer", []))
    ]


@pytest.fixture(scope="module")
def pages() -> dict[str, AppTest]:
    """Each themed page opened once with its defaults (shared by the read-only tests)."""
    return {key: open_page(theme_file(key)) for key in THEME_PAGES}


@pytest.mark.parametrize("key", list(THEME_PAGES))
def test_theme_page_renders_every_section_with_titled_described_charts(key, pages):
    at, page = pages[key], THEME_PAGES[key]
    assert not at.exception
    assert at.title[0].value == page.title
    assert [header.value for header in at.header] == [section.title for section in page.sections]
    specs = chart_specs(at)
    assert len(specs) >= sum(section.kind != FIGURES for section in page.sections)
    for spec in specs:
        assert spec["title"]["text"], "every chart states what it shows"
        assert spec["description"], "every chart has a screen-reader description"
    assert len(at.get("download_button")) >= len(specs)  # a CSV behind every chart
    assert not at.warning


@pytest.mark.parametrize("key", list(THEME_PAGES))
def test_every_section_links_to_the_indicator_page_of_its_indicators(key, pages):
    at, page = pages[key], THEME_PAGES[key]
    links = at.get("page_link")
    assert all(link.proto.page == "indicator" for link in links)
    linked = {link.proto.query_string.removeprefix("indicator=") for link in links}
    named = set(page.indicator_ids())
    assert linked <= named
    for section in page.sections:
        assert linked & set(section.indicators), section.key


@pytest.mark.parametrize("key", [key for key, page in THEME_PAGES.items() if page.benchmarked])
def test_benchmark_picker_defaults_to_england(key, pages):
    at = pages[key]
    assert at.multiselect(key=f"{key}_benchmarks").value == ["england"]
    assert at.query_params["benchmarks"] == "england"
    assert any(chart_areas(spec) - LOCAL == {"england"} for spec in trend_specs(at))


def test_pages_without_official_series_have_no_benchmark_picker(pages):
    for key, page in THEME_PAGES.items():
        keys = {widget.key for widget in pages[key].multiselect}
        assert (f"{key}_benchmarks" in keys) is page.benchmarked


def test_choosing_benchmarks_changes_the_trend_charts_and_the_url():
    at = open_page(theme_file("front_door"))
    at.multiselect(key="front_door_benchmarks").set_value(["sn_leicestershire"]).run()
    assert not at.exception
    specs = trend_specs(at)
    assert specs
    assert all(chart_areas(spec) <= LOCAL | {"sn_leicestershire"} for spec in specs)
    assert any("sn_leicestershire" in chart_areas(spec) for spec in specs)
    assert at.query_params["benchmarks"] == "sn_leicestershire"


def test_no_benchmarks_is_a_view_a_link_can_reproduce():
    at = open_page(theme_file("workforce_training"), {"benchmarks": "none"})
    assert not at.exception and not at.warning
    assert at.multiselect(key="workforce_training_benchmarks").value == []
    assert all(chart_areas(spec) <= LOCAL for spec in trend_specs(at))


def test_bad_link_parameters_give_a_note_and_the_default_view():
    at = open_page(
        theme_file("child_protection"), {"benchmarks": "mars,england", "duration_year": "1066"}
    )
    assert not at.exception
    notes = warnings(at)
    assert "benchmarks='mars'" in notes
    assert "duration_year='1066'" in notes
    assert at.multiselect(key="child_protection_benchmarks").value == ["england"]
    assert at.selectbox(key="child_protection_duration_year").value == duration_years()[-1]


def test_choosing_a_year_redraws_plan_length_for_that_year_and_keeps_it_in_the_url():
    at = open_page(theme_file("child_protection"))
    years = duration_years()
    picker = at.selectbox(key="child_protection_duration_year")
    assert picker.value == years[-1]
    picker.set_value(years[0]).run()
    assert not at.exception
    assert at.query_params["duration_year"] == str(years[0])
    duration = [spec for spec in chart_specs(at) if "by length of plan" in titles(spec)]
    assert duration and str(years[0]) in subtitle(duration[0])
    shown = {row["year_end"] for rows in duration[0]["datasets"].values() for row in rows}
    assert shown == {years[0]}


def test_counts_for_the_two_counties_are_drawn_each_on_its_own_scale(pages):
    specs = chart_specs(pages["front_door"])
    panels = [spec for spec in specs if "own scale" in subtitle(spec)]
    assert {titles(spec).rsplit(": ", 1)[-1] for spec in panels} >= {"Leicestershire", "Rutland"}
    assert all(len(chart_areas(spec)) == 1 for spec in panels)
    size_note = " ".join(info.value for info in pages["front_door"].info).replace("\\", "")
    assert "children aged 0-17 in Leicestershire" in size_note


def test_rutland_cse_conflict_shows_both_figures_and_every_passage(pages):
    at = pages["exploitation"]
    metrics = {metric.label: metric.value for metric in at.metric}
    assert {metrics.get("Figure 1 of 2"), metrics.get("Figure 2 of 2")} == {"2", "3"}
    text = " ".join(markdown.value for markdown in at.markdown).replace("\\", "")
    assert "CSE referrals have increased fourfold from 2 in 2014/15" in text
    assert "CSE referrals n/a 3 8" in text
    rutland = next(
        spec
        for spec in chart_specs(at)
        if titles(spec).endswith("Rutland") and "2014/15" in subtitle(spec)
    )
    diamonds = [
        row["value"]
        for layer in rutland["layer"]
        if layer["mark"].get("shape") == "diamond"
        for row in rutland["datasets"][layer["data"]["name"]]
    ]
    assert sorted(diamonds) == [2.0, 3.0]


def test_money_never_joins_the_board_and_the_joint_budget_in_one_series(pages):
    at = pages["money"]
    for spec in chart_specs(at):
        families = chart_indicators(spec) & {"partner_contribution", "scp_sab_partner_contribution"}
        breakdown_rows = [
            row
            for rows in spec["datasets"].values()
            for row in rows
            if row.get("breakdown", HEADLINE) != HEADLINE
        ]
        if breakdown_rows:
            assert len(families) <= 1
    assert any("Pale bars = planned" in subtitle(spec) for spec in chart_specs(at))


def test_online_safety_compares_year_groups_and_states_the_responses(pages):
    at = pages["online_safety"]
    survey = chart_specs(at)[0]
    colour = survey["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Year 6", "Year 9"]
    sentences = " ".join(markdown.value for markdown in at.markdown).replace("\\", "")
    assert "E-safety survey responses" in sentences and "Year 6" in sentences


def test_text_from_the_documents_is_never_rendered_as_html(pages):
    for key, at in pages.items():
        for markdown in at.markdown:
            assert "<b>" not in markdown.value, key


def test_markdown_in_a_quote_is_shown_as_written(pages):
    """The 2022/23 report bolds a priority with ** in a quoted passage: it stays literal."""
    quotes = [m.value for m in pages["workforce_training"].markdown if "353 attendees" in m.value]
    assert quotes and all("\\*\\*Child Mental Health" in quote for quote in quotes)


def test_sections_drawn_as_rates_use_counts_the_catalogue_allows_as_rates():
    catalogue = build_catalogue(read_indicators())
    rate_sections = [
        section
        for page in THEME_PAGES.values()
        for section in page.sections
        if section.kind == RATE_TREND
    ]
    assert rate_sections
    for section in rate_sections:
        for indicator_id in section.indicators:
            assert catalogue[indicator_id].rate_denominator, indicator_id

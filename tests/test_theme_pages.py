"""AppTest for the themed pages, run through app.py on the real built data.

Assertions are on facts that survive a data refresh (titles, sections, keyed widgets, charts
drawn with titles and descriptions, links, notes), not on particular figures, except where a
documented conflict of the sources is the point of the test.
"""

import json
from dataclasses import dataclass

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.catalogue import build_catalogue
from dashboard.data import read_indicators, read_observations
from dashboard.themes import FIGURES, RATE_TREND, THEME_PAGES
from dashboard.transforms import HEADLINE

from helpers.apptest import chart_specs, open_page, warnings

LOCAL = {"leicestershire", "rutland"}


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


@dataclass(frozen=True)
class Opened:
    """A themed page opened once per section tab (only the open tab is drawn)."""

    views: dict[str, AppTest]

    def all(self, kind: str) -> list:
        return [element for at in self.views.values() for element in getattr(at, kind)]

    def specs(self) -> list[dict]:
        return [spec for at in self.views.values() for spec in chart_specs(at)]

    def text(self) -> str:
        return " ".join(markdown.value for markdown in self.all("markdown")).replace("\\", "")


@pytest.fixture(scope="module")
def pages() -> dict[str, Opened]:
    """Each themed page opened on each of its sections, with defaults (read-only tests)."""
    return {
        key: Opened(
            {
                section.key: open_page(theme_file(key), {"section": section.key})
                for section in page.sections
            }
        )
        for key, page in THEME_PAGES.items()
    }


@pytest.mark.parametrize("key", list(THEME_PAGES))
def test_theme_page_draws_the_open_section_with_titled_described_charts(key, pages):
    page = THEME_PAGES[key]
    for section in page.sections:
        at = pages[key].views[section.key]
        assert not at.exception
        assert at.title[0].value == page.title
        assert [tab.label for tab in at.tabs] == [s.title for s in page.sections]
        assert [header.value for header in at.header] == [section.title], "only the open tab"
        assert at.query_params["section"] == section.key
        specs = chart_specs(at)
        assert len(specs) >= (section.kind != FIGURES)
        for spec in specs:
            assert spec["title"]["text"], "every chart states what it shows"
            assert spec["description"], "every chart has a screen-reader description"
        assert len(at.get("download_button")) >= len(specs)  # a CSV behind every chart
        assert not at.warning


def test_a_theme_page_opens_on_its_first_section_and_puts_it_in_the_url():
    at = open_page(theme_file("front_door"))
    first = THEME_PAGES["front_door"].sections[0]
    assert [header.value for header in at.header] == [first.title]
    assert at.query_params["section"] == first.key


def test_an_unknown_section_in_a_link_gives_a_note_and_the_first_section():
    at = open_page(theme_file("money"), {"section": "treasure"})
    assert not at.exception
    assert "section='treasure'" in " ".join(warnings(at))
    assert [header.value for header in at.header] == [THEME_PAGES["money"].sections[0].title]


@pytest.mark.parametrize("key", list(THEME_PAGES))
def test_every_section_links_to_the_indicator_page_of_its_indicators(key, pages):
    page = THEME_PAGES[key]
    named = set(page.indicator_ids())
    for section in page.sections:
        links = pages[key].views[section.key].get("page_link")
        assert all(link.proto.page == "indicator" for link in links)
        linked = {link.proto.query_string.removeprefix("indicator=") for link in links}
        assert linked <= named
        assert linked & set(section.indicators), section.key


@pytest.mark.parametrize("key", [key for key, page in THEME_PAGES.items() if page.benchmarked])
def test_benchmark_picker_defaults_to_england(key, pages):
    for at in pages[key].views.values():
        assert at.multiselect(key=f"{key}_benchmarks").value == ["england"]
        assert at.query_params["benchmarks"] == "england"
    specs = [spec for at in pages[key].views.values() for spec in trend_specs(at)]
    assert any(chart_areas(spec) - LOCAL == {"england"} for spec in specs)


def test_pages_without_official_series_have_no_benchmark_picker(pages):
    for key, page in THEME_PAGES.items():
        keys = {widget.key for widget in pages[key].all("multiselect")}
        assert (f"{key}_benchmarks" in keys) is page.benchmarked


def test_choosing_benchmarks_changes_the_trend_charts_and_the_url():
    at = open_page(theme_file("front_door"), {"section": "referral_rate"})
    at.multiselect(key="front_door_benchmarks").set_value(["sn_leicestershire"]).run()
    assert not at.exception
    specs = trend_specs(at)
    assert specs
    assert all(chart_areas(spec) <= LOCAL | {"sn_leicestershire"} for spec in specs)
    assert any("sn_leicestershire" in chart_areas(spec) for spec in specs)
    assert at.query_params["benchmarks"] == "sn_leicestershire"
    assert at.query_params["section"] == "referral_rate"


def test_no_benchmarks_is_a_view_a_link_can_reproduce():
    at = open_page(
        theme_file("workforce_training"), {"benchmarks": "none", "section": "social_workers"}
    )
    assert not at.exception and not at.warning
    assert at.multiselect(key="workforce_training_benchmarks").value == []
    assert trend_specs(at)
    assert all(chart_areas(spec) <= LOCAL for spec in trend_specs(at))


def test_bad_link_parameters_give_a_note_and_the_default_view():
    at = open_page(
        theme_file("child_protection"),
        {"benchmarks": "mars,england", "duration_year": "1066", "section": "duration"},
    )
    assert not at.exception
    notes = " ".join(warnings(at))
    assert "benchmarks='mars'" in notes
    assert "duration_year='1066'" in notes
    assert at.multiselect(key="child_protection_benchmarks").value == ["england"]
    assert at.selectbox(key="child_protection_duration_year").value == duration_years()[-1]


def test_choosing_a_year_redraws_plan_length_for_that_year_and_keeps_it_in_the_url():
    at = open_page(theme_file("child_protection"), {"section": "duration"})
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
    specs = pages["front_door"].specs()
    panels = [spec for spec in specs if "own scale" in subtitle(spec)]
    assert {titles(spec).rsplit(": ", 1)[-1] for spec in panels} >= {"Leicestershire", "Rutland"}
    assert all(len(chart_areas(spec)) == 1 for spec in panels)
    size_note = " ".join(info.value for info in pages["front_door"].all("info"))
    assert "children aged 0-17 in Leicestershire" in size_note.replace("\\", "")


def test_rutland_cse_conflict_shows_both_figures_and_every_passage(pages):
    opened = pages["exploitation"]
    metrics = {metric.label: metric.value for metric in opened.all("metric")}
    assert {metrics.get("Figure 1 of 2"), metrics.get("Figure 2 of 2")} == {"2", "3"}
    text = opened.text()
    assert "CSE referrals have increased fourfold from 2 in 2014/15" in text
    assert "CSE referrals n/a 3 8" in text
    rutland = next(
        spec
        for spec in opened.specs()
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
    specs = pages["money"].specs()
    for spec in specs:
        families = chart_indicators(spec) & {"partner_contribution", "scp_sab_partner_contribution"}
        breakdown_rows = [
            row
            for rows in spec["datasets"].values()
            for row in rows
            if row.get("breakdown", HEADLINE) != HEADLINE
        ]
        if breakdown_rows:
            assert len(families) <= 1
    assert any("Pale bars = planned" in subtitle(spec) for spec in specs)


def test_online_safety_compares_year_groups_and_states_the_responses(pages):
    at = pages["online_safety"].views["survey"]
    survey = chart_specs(at)[0]
    colour = survey["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Year 6", "Year 9"]
    sentences = " ".join(markdown.value for markdown in at.markdown).replace("\\", "")
    assert "E-safety survey responses" in sentences and "Year 6" in sentences


def test_text_from_the_documents_is_never_rendered_as_html(pages):
    for key, opened in pages.items():
        for markdown in opened.all("markdown"):
            assert "<b>" not in markdown.value, key


def test_markdown_in_a_quote_is_shown_as_written(pages):
    """The 2022/23 report bolds a priority with ** in a quoted passage: it stays literal."""
    quotes = [
        m.value for m in pages["workforce_training"].all("markdown") if "353 attendees" in m.value
    ]
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


def test_interval_switch_is_off_by_default_and_kept_in_the_url():
    pages = [page for page in THEME_PAGES.values() if page.has_trends]
    assert pages
    page = pages[0]
    at = open_page(theme_file(page.key))
    assert not at.exception
    switch = at.toggle(key=f"{page.key}_intervals")
    assert switch.value is False
    assert all("ci95_lower" not in json.dumps(spec) for spec in chart_specs(at))
    switch.set_value(True).run()
    assert not at.exception
    assert at.query_params["intervals"] == "1"
    linked = open_page(theme_file(page.key), {"intervals": "1"})
    assert linked.toggle(key=f"{page.key}_intervals").value is True
    bad = open_page(theme_file(page.key), {"intervals": "maybe"})
    assert not bad.exception
    assert "intervals='maybe'" in " ".join(warnings(bad))


def test_interval_switch_draws_interval_bars_where_counts_are_published():
    drawn = []
    for page in (page for page in THEME_PAGES.values() if page.has_trends):
        at = open_page(theme_file(page.key), {"intervals": "1"})
        assert not at.exception
        drawn += [spec for spec in chart_specs(at) if "ci95_lower" in json.dumps(spec)]
    assert drawn, "some theme page draws 95% intervals when asked"

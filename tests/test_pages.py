"""AppTest for the Dashboard pages (Overview, Compare, Indicator) on the real built data.

Run through app.py as the real app runs them; assertions are on facts that survive a data
refresh (titles, keyed widgets, charts drawn, notes shown), not on particular figures.
"""

import base64
import re
from html import escape, unescape

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.areas import area_catalogue
from dashboard.catalogue import build_catalogue
from dashboard.config import OVERVIEW_INDICATORS
from dashboard.data import read_areas, read_indicators, read_observations
from dashboard.transforms import area_names

from helpers.apptest import chart_specs, open_page, warnings

COMPARE = "pages/compare.py"
INDICATOR = "pages/indicator.py"


PICTURE = re.compile(
    r'<img class="part-picture" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)">'
)


def html_text(at: AppTest) -> str:
    """Every st.html element's HTML (a tile's lines, a row's "Shown as"), one string."""
    return " ".join(html.proto.body for html in at.get("html"))


def chart_titles(at: AppTest) -> list[str]:
    return [" ".join(spec["title"]["text"]) for spec in chart_specs(at) if "title" in spec]


def y_titles(at: AppTest) -> set[str]:
    return {
        layer["encoding"]["y"]["title"]
        for spec in chart_specs(at)
        for layer in spec.get("layer", [])
        if "y" in layer.get("encoding", {}) and "title" in layer["encoding"]["y"]
    }


def marks(spec: dict) -> list[str]:
    """Mark types of a chart and of its layers."""
    found = [layer for layer in [spec, *spec.get("layer", [])] if "mark" in layer]
    return [m["mark"] if isinstance(m["mark"], str) else m["mark"]["type"] for m in found]


@pytest.fixture(scope="module")
def catalogue():
    return build_catalogue(read_indicators())


@pytest.fixture(scope="module")
def observations():
    return read_observations()


@pytest.fixture(scope="module")
def area_names_built() -> dict[str, str]:
    return area_names(read_areas())


# Overview


@pytest.fixture(scope="module")
def overview() -> AppTest:
    return open_page()


def test_overview_shows_tiles_for_leicestershire_and_rutland(overview, catalogue):
    at = overview
    assert not at.exception
    assert at.title[0].value == "Safeguarding at a glance"
    labels = [metric.label for metric in at.metric]
    assert any(label.startswith("Leicestershire, ") for label in labels)
    assert any(label.startswith("Rutland, ") for label in labels)
    shown = [i for i in OVERVIEW_INDICATORS if i in catalogue]
    subheaders = [s.value.replace("\\", "") for s in at.subheader]
    assert subheaders == ["Each indicator in detail"] + [catalogue[i].name for i in shown]
    assert len(at.metric) >= 2 * (len(shown) - 1)
    assert not at.warning


def test_overview_opens_with_every_headline_indicators_verdict(overview, catalogue):
    strip = next(html.proto.body for html in overview.get("html") if "verdicts" in html.proto.body)
    for indicator_id in OVERVIEW_INDICATORS:
        if indicator_id in catalogue:
            assert escape(catalogue[indicator_id].name) in strip
    assert strip.count('class="area"') == 2  # Leicestershire and Rutland


def test_overview_says_which_measure_each_tile_shows(overview):
    text = html_text(overview)
    assert "<strong>Shown as:</strong> rate per 10,000 children aged 0-17" in text
    assert "<strong>Shown as:</strong> number" in text
    assert "<strong>Shown as:</strong> percentage (%)" in text


def test_overview_colours_a_change_only_when_a_test_finds_it_beyond_chance(overview):
    """Whatever the data, a tile's delta is coloured only with 'better/worse, beyond chance';
    every other tile shares the grey of the volumes, and each names what the test said."""
    tiles = [metric for metric in overview.metric if metric.proto.delta]
    grey = {tile.proto.color for tile in tiles if "better" not in tile.proto.delta_description} - {
        tile.proto.color for tile in tiles if "worse" in tile.proto.delta_description
    }
    for tile in tiles:
        words = tile.proto.delta_description
        if "better" in words or "worse" in words:
            assert words.endswith(", beyond chance"), words
        else:
            assert tile.proto.color in grey, words
            assert words.endswith(("within chance", "beyond chance", "not tested", "no change"))


def test_overview_gives_counts_intervals_and_england_for_rates(overview):
    captions = " ".join(re.findall(r'<p class="part-caption">([^<]*)</p>', html_text(overview)))
    assert "95% interval" in captions
    assert " of " in captions  # "103 of 385 referrals"
    lines = " ".join(re.findall(r'<p class="part-text">([^<]*)</p>', html_text(overview)))
    assert "than England" in lines or "Similar to England" in lines


def test_overview_tiles_link_to_their_indicator_page(overview):
    links = overview.get("page_link")
    queries = {link.proto.query_string for link in links}
    assert {f"indicator={i}" for i in OVERVIEW_INDICATORS} & queries
    assert all(link.proto.page == "indicator" for link in links)


def test_overview_draws_a_sparkline_per_tile_in_the_area_colour(overview):
    """Sparklines are drawn on the server as SVG images, each with its screen-reader text."""
    images = PICTURE.findall(html_text(overview))
    assert len(images) == len(overview.metric)
    assert all(unescape(alt).strip() for _, alt in images), "every sparkline has alt text"
    svgs = [base64.b64decode(data).decode() for data, _ in images]
    assert all("<path" in svg or "<circle" in svg for svg in svgs), "every sparkline is drawn"
    for area in area_catalogue().headline:
        assert any(f'stroke="{area_catalogue()[area].colour}"' in svg for svg in svgs), area


# Compare


@pytest.fixture(scope="module")
def compare() -> AppTest:
    return open_page(COMPARE)


def test_compare_defaults_to_a_rate_with_england(compare):
    at = compare
    assert not at.exception
    assert at.title[0].value == "Compare areas over time"
    assert at.selectbox(key="compare_theme").value == "front_door"
    assert at.multiselect(key="compare_indicators").value == ["cin_referral_rate"]
    assert at.radio(key="compare_measure").value == "rate_per_10k"
    assert at.radio(key="compare_measure").options == [
        "Rate per 10,000 children aged 0-17",
        "Index (base year = 100)",
    ]
    assert {"leicestershire", "rutland", "england"} <= set(
        at.multiselect(key="compare_areas").value
    )
    assert y_titles(at) == {"Rate per 10,000 children aged 0-17"}
    assert at.get("download_button")
    assert at.query_params["indicators"] == "cin_referral_rate"


def test_compare_index_measure_changes_the_chart_and_the_url():
    at = open_page(COMPARE)
    at.radio(key="compare_measure").set_value("index").run()
    assert not at.exception
    base = at.selectbox(key="compare_base").value
    assert y_titles(at) == {f"Index ({base} = 100)"}
    assert at.query_params["measure"] == "index"
    assert any("100" in markdown.value for markdown in at.markdown)


def test_compare_count_of_children_defaults_to_a_computed_rate_and_keeps_areas():
    at = open_page(COMPARE)
    areas = at.multiselect(key="compare_areas").value
    at.multiselect(key="compare_indicators").set_value(["cin_referrals"]).run()
    assert not at.exception
    assert at.radio(key="compare_measure").value == "rate_per_10k"
    assert y_titles(at) == {"Rate per 10,000 children aged 0-17"}
    assert any("computed here" in caption.value for caption in at.caption)
    assert at.multiselect(key="compare_areas").value == areas
    at.radio(key="compare_measure").set_value("count").run()
    assert y_titles(at) == {"Number"}
    assert any("population size" in caption.value for caption in at.caption)


def test_compare_url_reproduces_a_view(catalogue):
    query = {
        "theme": "children_in_care",
        "indicators": "cla_rate",
        "measure": "rate_per_10k",
        "areas": "rutland,england",
        "from": "2018",
        "to": "2022",
    }
    at = open_page(COMPARE, query)
    assert not at.exception and not at.warning
    assert (at.selectbox(key="compare_from").value, at.selectbox(key="compare_to").value) == (
        2018,
        2022,
    )
    assert at.multiselect(key="compare_areas").value == ["rutland", "england"]
    assert chart_titles(at) == [catalogue["cla_rate"].name]


def test_compare_bad_parameters_give_a_note_not_an_error():
    at = open_page(COMPARE, {"theme": "nonsense", "areas": "mars,rutland", "from": "1066"})
    assert not at.exception
    text = " ".join(warnings(at))
    assert "theme='nonsense'" in text
    assert "areas='mars'" in text
    assert "from='1066'" in text
    assert at.selectbox(key="compare_theme").value == "front_door"
    assert at.multiselect(key="compare_areas").value == ["rutland"]
    assert chart_specs(at)


# Indicator


@pytest.fixture(scope="module")
def indicator_page() -> AppTest:
    return open_page(INDICATOR)


def test_indicator_defaults_to_the_first_headline_indicator(indicator_page, catalogue):
    at = indicator_page
    assert not at.exception
    assert at.selectbox(key="indicator_id").value == OVERVIEW_INDICATORS[0]
    assert at.title[0].value.replace("\\", "") == catalogue[OVERVIEW_INDICATORS[0]].name
    assert chart_specs(at)
    assert at.get("download_button")


def test_indicator_shows_counterpart_from_the_other_family(indicator_page, catalogue):
    own = catalogue[OVERVIEW_INDICATORS[0]]
    other = catalogue.counterparts(own.id)[0]
    headings = [s.value for s in indicator_page.subheader]
    assert f"The same measure from: {other.family_label}" in headings
    assert other.name in chart_titles(indicator_page)


def test_choosing_another_indicator_changes_title_chart_and_url(catalogue):
    at = open_page(INDICATOR)
    at.selectbox(key="indicator_id").set_value("cpp_subsequent_pct").run()
    assert not at.exception
    name = catalogue["cpp_subsequent_pct"].name
    assert at.title[0].value.replace("\\", "") == name
    assert chart_titles(at)[0] == name
    assert at.query_params["indicator"] == "cpp_subsequent_pct"


def test_indicator_bad_parameter_gives_a_note_not_an_error():
    at = open_page(INDICATOR, {"indicator": "not_a_real_indicator"})
    assert not at.exception
    assert "indicator='not_a_real_indicator'" in " ".join(warnings(at))
    assert at.selectbox(key="indicator_id").value == OVERVIEW_INDICATORS[0]


def test_indicator_link_opens_the_chosen_indicator(catalogue):
    at = open_page(INDICATOR, {"indicator": "cla_rate"})
    assert not at.exception and not at.warning
    assert at.selectbox(key="indicator_id").value == "cla_rate"


def test_indicator_with_conflicts_shows_both_values_and_quotes(observations):
    disputed = observations[observations["conflict_id"] != ""]
    indicator_id = disputed["indicator_id"].iloc[0]
    at = open_page(INDICATOR, {"indicator": indicator_id})
    assert not at.exception
    assert "Where the sources disagree" in [s.value for s in at.subheader]
    quotes = " ".join(markdown.value for markdown in at.markdown)
    group = disputed[disputed["conflict_id"] == disputed["conflict_id"].iloc[0]]
    assert len(group) >= 2
    for quote in group["source_ref"]:
        assert " ".join(quote.split())[:20] in quotes.replace("\\", "")


def test_indicator_computed_rate_shows_numerator_denominator_and_rule():
    at = open_page(INDICATOR, {"indicator": "cla_rate"})
    assert "How computed values were worked out" in [s.value for s in at.subheader]
    assert not at.dataframe, "the rules are drawn when asked for"
    at.toggle(key="indicator_rules_shown").set_value(True).run()
    rules = next(df for df in at.dataframe if "Rule" in df.value.columns).value
    assert (rules["Rule"] != "").all()
    assert (rules["Numerator"] != "").any()
    assert ((rules["Numerator"] != "") == (rules["Denominator"] != "")).all()


def test_indicator_with_breakdowns_draws_category_bars(observations):
    with_breakdowns = observations[observations["breakdown"] != ""]
    indicator_id = with_breakdowns["indicator_id"].iloc[0]
    at = open_page(INDICATOR, {"indicator": indicator_id})
    assert not at.exception
    assert "By category" in [s.value for s in at.subheader]
    assert "bar" in {mark for spec in chart_specs(at) for mark in marks(spec)}


def test_the_table_behind_a_chart_is_one_switch_away_and_downloadable():
    at = open_page(COMPARE)
    assert not at.dataframe, "tables are drawn only when asked for"
    switch = next(toggle for toggle in at.toggle if toggle.key.endswith("_show_table"))
    assert switch.label == "Show the tables behind the charts"
    assert at.get("download_button")
    switch.set_value(True).run()
    assert not at.exception
    figures = at.table[0].value
    # Wide: one row per series, one column per period, no repeated indicator column.
    assert "Period" not in figures and "Indicator" not in figures
    assert figures["Area"].is_unique
    assert len(at.table) in (1, 2)  # the counts behind the figures, when published


def test_indicator_judges_each_county_against_england_and_draws_the_funnel(catalogue):
    at = open_page(INDICATOR, {"indicator": "cpp_subsequent_pct"})
    assert not at.exception and not at.warning
    assert "Against England and every English authority" in [s.value for s in at.subheader]
    cards = " ".join(markdown.value for markdown in at.markdown).replace("\\", "")
    for county in ("Leicestershire", "Rutland"):
        assert f"**{county}, " in cards
    assert "95% interval: " in cards
    assert any(f"{words} England" in cards for words in ("Similar to", "Better than", "Worse than"))
    assert "(rank 1 = the lowest value)" in cards
    funnel = [spec for spec in chart_specs(at) if "log scale" in str(spec)]
    assert funnel, "the funnel plot is drawn"
    years = at.selectbox(key="indicator_funnel_year")
    years.set_value(years.value - 1).run()
    assert not at.exception
    assert "funnel_year" in at.query_params


def test_indicator_intervals_are_on_by_default_and_the_switch_is_in_the_url():
    at = open_page(INDICATOR, {"indicator": "cin_rereferral_pct"})
    assert at.toggle(key="indicator_intervals").value is True
    with_bars = str(chart_specs(at)[0])
    assert "ci95_lower" in with_bars
    at.toggle(key="indicator_intervals").set_value(False).run()
    assert at.query_params["intervals"] == "0"
    assert "ci95_lower" not in str(chart_specs(at)[0])
    off = open_page(INDICATOR, {"indicator": "cin_rereferral_pct", "intervals": "0"})
    assert off.toggle(key="indicator_intervals").value is False
    bad = open_page(INDICATOR, {"indicator": "cin_rereferral_pct", "intervals": "yes"})
    assert not bad.exception
    assert "intervals='yes'" in " ".join(warnings(bad))


def test_indicator_neighbours_range_is_a_choice_kept_in_the_url():
    at = open_page(INDICATOR, {"indicator": "cpp_subsequent_pct", "band": "rutland"})
    assert not at.exception and not at.warning
    assert at.selectbox(key="indicator_band").value == "rutland"
    assert "statistical neighbours" in str(chart_specs(at)[0])
    bad = open_page(INDICATOR, {"indicator": "cpp_subsequent_pct", "band": "nowhere"})
    assert "band='nowhere'" in " ".join(warnings(bad))


def test_indicator_without_national_figures_has_no_funnel():
    at = open_page(INDICATOR, {"indicator": "report_cse_referrals"})
    assert not at.exception
    assert "Against England and every English authority" not in [s.value for s in at.subheader]


def test_indicator_judges_against_the_chosen_benchmark_kept_in_the_url(area_names_built):
    at = open_page(INDICATOR, {"indicator": "cin_rereferral_pct", "against": "neighbours"})
    assert not at.exception and not at.warning
    assert at.radio(key="indicator_against").value == "neighbours"
    cards = " ".join(markdown.value for markdown in at.markdown).replace("\\", "")
    for neighbours in ("sn_leicestershire", "sn_rutland"):
        assert area_names_built[neighbours] in cards
    at.radio(key="indicator_against").set_value("east_midlands").run()
    assert at.query_params["against"] == "east_midlands"
    bad = open_page(INDICATOR, {"indicator": "cin_rereferral_pct", "against": "mars"})
    assert "against='mars'" in " ".join(warnings(bad))

"""AppTest for the Reference pages (Map, Sources), run through app.py as the real app runs them."""

import json
import re
from html import unescape

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.data import read_documents

from helpers.apptest import open_page, warnings

MAP_PAGE = "pages/map.py"
SOURCES_PAGE = "pages/sources.py"


def deck_spec(at: AppTest) -> dict:
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    return json.loads(decks[0].proto.json)


def area_texts(spec: dict) -> dict[str, str]:
    features = next(layer for layer in spec["layers"] if layer["id"] == "areas")["data"]["features"]
    return {f["properties"]["name"]: f["properties"]["value_text"] for f in features}


def table_with(at: AppTest, column: str):
    """The first table showing `column` (AppTest does not expose st.dataframe keys)."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def cards_with(at: AppTest, text: str) -> list[str]:
    """The Sources page's cards (bold title, then named details, as HTML) that contain `text`,
    as text: "title\ndetails"."""
    cards = [
        unescape(re.sub(r"<br>", "\n", re.sub(r"<(?!br>)[^>]+>", "", card)))
        for html in at.get("html")
        for card in re.findall(r'<div class="part-card">(.*?)</div>', html.proto.body)
    ]
    return [card for card in cards if text in card]


def map_figures(at: AppTest) -> list[str]:
    """The map page's figures, one bold line per area ("**Rutland: 34.9 per 10,000 ...**")."""
    return [m.value.strip("*").replace("\\", "") for m in at.markdown if m.value.startswith("**")]


def link_notes(at: AppTest) -> list[str]:
    """Warnings about the URL (components.Link), not about the data shown."""
    return [text for text in warnings(at) if "The link asked for" in text]


@pytest.fixture(scope="module")
def map_page() -> AppTest:
    return open_page(MAP_PAGE)


def test_map_page_renders_with_default_indicator(map_page):
    at = map_page
    assert not at.exception
    assert at.title[0].value.startswith("Map")
    assert at.selectbox(key="map_indicator").value == "cpp_rate"
    assert not any("grows with the size" in text for text in warnings(at))
    assert isinstance(at.selectbox(key="map_year").value, int)
    spec = deck_spec(at)
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert not at.get("vega_lite_chart")  # the colour scale is SVG in the page
    assert any(m.value.startswith("<svg") and "Colour scale for" in m.value for m in at.markdown)
    assert set(area_texts(spec)) == {"Leicestershire", "Rutland", "Leicester"}
    figures = map_figures(at)
    assert [line.split(":")[0] for line in figures] == ["Leicestershire", "Rutland", "Leicester"]
    assert all(area_texts(spec)[line.split(":")[0]] in line for line in figures)
    # Each figure's source names its file and row.
    assert sum(".csv, row " in caption.value for caption in at.caption) == 3
    assert not at.dataframe
    assert at.get("download_button")


def test_changing_year_changes_the_map_and_table(map_page):
    at = map_page
    years = at.selectbox(key="map_year").options
    before = area_texts(deck_spec(at))
    figures_before = map_figures(at)
    other = next(y for y in reversed(years) if str(y) != str(at.selectbox(key="map_year").value))
    at.selectbox(key="map_year").set_value(int(other)).run()
    assert not at.exception
    assert area_texts(deck_spec(at)) != before
    assert map_figures(at) != figures_before
    assert at.query_params["year"] == str(other)


def test_changing_indicator_changes_the_map(map_page):
    at = map_page
    box = at.selectbox(key="map_indicator")
    before = area_texts(deck_spec(at))
    before_id = box.value
    box.select_index(1 if box.index == 0 else 0).run()
    assert not at.exception
    assert at.selectbox(key="map_indicator").value != before_id
    assert area_texts(deck_spec(at)) != before
    assert not link_notes(at), "the page's own URL update must not be reported as a bad link"


def test_map_url_parameters_choose_the_view():
    at = open_page(MAP_PAGE, {"indicator": "cla_rate", "year": "2020"})
    assert not at.exception
    assert at.selectbox(key="map_indicator").value == "cla_rate"
    assert at.selectbox(key="map_year").value == 2020
    assert not link_notes(at)


@pytest.mark.parametrize(
    "query", [{"indicator": "no_such_indicator"}, {"year": "1850"}, {"year": "not-a-year"}]
)
def test_bad_map_url_parameter_gives_a_visible_note(query):
    at = open_page(MAP_PAGE, query)
    assert not at.exception
    assert any(next(iter(query)) in text for text in link_notes(at))
    assert len(at.get("deck_gl_json_chart")) == 1


@pytest.fixture(scope="module")
def sources_page() -> AppTest:
    return open_page(SOURCES_PAGE)


def test_sources_page_renders_documents_releases_and_coverage(sources_page):
    at = sources_page
    assert not at.exception
    assert at.title[0].value == "Sources and coverage"
    documents = cards_with(at, "What it contributes: ")
    assert len(documents) == len(read_documents())
    assert all(re.search(r"File: [\w.-]+\.txt$", card) for card in documents)
    assert cards_with(at, "Values drawn: ")
    assert all("Documented in: data/raw/official/" in card for card in cards_with(at, "Files: "))
    assert at.selectbox(key="sources_theme").value == "child_protection"
    assert at.selectbox(key="sources_area").value == "leicestershire"
    assert at.text_input(key="sources_query").value == ""
    assert len(at.get("vega_lite_chart")) >= 1


def test_sources_page_explains_intervals_and_funnels_in_plain_words(sources_page):
    assert "How to read intervals and funnels" in [h.value for h in sources_page.header]
    guide = " ".join(markdown.value for markdown in sources_page.markdown)
    for words in ("95% interval", "beyond", "Funnel plots", "Rank 1 is the lowest value"):
        assert words in guide


def test_search_finds_operation_encompass(sources_page):
    at = sources_page
    at.text_input(key="sources_query").set_value("Operation Encompass").run()
    assert not at.exception
    passages = [element.value for element in at.text]
    assert any("»Operation Encompass«" in passage for passage in passages)
    assert at.query_params["q"] == "Operation Encompass"


def test_changing_area_changes_the_coverage_table(sources_page):
    at = sources_page
    at.toggle(key="sources_coverage_show_table").set_value(True).run()
    before = table_with(at, "Status")
    at.selectbox(key="sources_area").set_value("rutland").run()
    assert not at.exception
    after = table_with(at, "Status")
    assert not before.equals(after)


def test_search_from_the_url_and_bad_theme_note():
    at = open_page(SOURCES_PAGE, {"q": "Breck", "theme": "nonsense"})
    assert not at.exception
    assert at.text_input(key="sources_query").value == "Breck"
    assert any("Breck" in element.value for element in at.text)
    assert any("theme" in text for text in link_notes(at))
    assert at.selectbox(key="sources_theme").value == "child_protection"


def test_a_count_on_the_map_carries_a_fair_comparison_warning():
    at = open_page(MAP_PAGE, {"indicator": "cpp_at_31_march"})
    assert not at.exception
    assert at.selectbox(key="map_indicator").value == "cpp_at_31_march"
    assert any("grows with the size of an area" in text for text in warnings(at))

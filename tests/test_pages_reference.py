"""AppTest for the Reference pages (Map, Sources), run through app.py as the real app runs them."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.paths import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
MAP_PAGE = "pages/map.py"
SOURCES_PAGE = "pages/sources.py"


def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    """Run the app once (st.navigation registers the pages), then switch to `page` and run it."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.query_params.update(query or {})
    at.switch_page(page)
    return at.run()


def deck_spec(at: AppTest) -> dict:
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    return json.loads(decks[0].proto.json)


def area_texts(spec: dict) -> dict[str, str]:
    features = next(layer for layer in spec["layers"] if layer["id"] == "areas")["data"]["features"]
    return {f["properties"]["name"]: f["properties"]["value_text"] for f in features}


def warnings(at: AppTest) -> list[str]:
    return [element.value for element in at.warning]


@pytest.fixture(scope="module")
def map_page() -> AppTest:
    return open_page(MAP_PAGE)


def test_map_page_renders_with_default_indicator(map_page):
    at = map_page
    assert not at.exception
    assert at.title[0].value.startswith("Map")
    assert at.selectbox(key="map_indicator").value in {"cpp_rate", "cla_rate"}
    assert isinstance(at.selectbox(key="map_year").value, int)
    spec = deck_spec(at)
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert set(area_texts(spec)) == {"Leicestershire", "Rutland", "Leicester"}
    assert len(at.dataframe(key="map_table").value) == 3
    assert at.get("download_button")


def test_changing_year_changes_the_map_and_table(map_page):
    at = map_page
    years = at.selectbox(key="map_year").options
    before = area_texts(deck_spec(at))
    table_before = at.dataframe(key="map_table").value.to_dict()
    other = next(y for y in reversed(years) if str(y) != str(at.selectbox(key="map_year").value))
    at.selectbox(key="map_year").set_value(int(other)).run()
    assert not at.exception
    assert area_texts(deck_spec(at)) != before
    assert at.dataframe(key="map_table").value.to_dict() != table_before
    assert at.query_params["year"] == str(other)


def test_changing_indicator_changes_the_map(map_page):
    at = map_page
    box = at.selectbox(key="map_indicator")
    before = area_texts(deck_spec(at))
    other = next(option for option in box.options if option != box.value)
    box.set_value(other).run()
    assert not at.exception
    assert at.selectbox(key="map_indicator").value == other
    assert area_texts(deck_spec(at)) != before
    assert not warnings(at), "the page's own URL update must not be reported as a bad link"


def test_map_url_parameters_choose_the_view():
    at = open_page(MAP_PAGE, {"indicator": "cla_rate", "year": "2020"})
    assert not at.exception
    assert at.selectbox(key="map_indicator").value == "cla_rate"
    assert at.selectbox(key="map_year").value == 2020
    assert not warnings(at)


@pytest.mark.parametrize(
    "query", [{"indicator": "no_such_indicator"}, {"year": "1850"}, {"year": "not-a-year"}]
)
def test_bad_map_url_parameter_gives_a_visible_note(query):
    at = open_page(MAP_PAGE, query)
    assert not at.exception
    assert any(next(iter(query)) in text for text in warnings(at))
    assert len(at.get("deck_gl_json_chart")) == 1


@pytest.fixture(scope="module")
def sources_page() -> AppTest:
    return open_page(SOURCES_PAGE)


def test_sources_page_renders_documents_releases_and_coverage(sources_page):
    at = sources_page
    assert not at.exception
    assert at.title[0].value == "Sources and coverage"
    assert len(at.dataframe(key="sources_documents").value) == 5
    assert len(at.dataframe(key="sources_releases").value) > 0
    assert at.selectbox(key="sources_theme").value == "child_protection"
    assert at.selectbox(key="sources_area").value == "leicestershire"
    assert at.text_input(key="sources_query").value == ""
    assert len(at.get("arrow_vega_lite_chart")) >= 1


def test_search_finds_operation_encompass(sources_page):
    at = sources_page
    at.text_input(key="sources_query").set_value("Operation Encompass").run()
    assert not at.exception
    passages = [element.value for element in at.text]
    assert any("»Operation Encompass«" in passage for passage in passages)
    assert at.query_params["q"] == "Operation Encompass"


def test_changing_area_changes_the_coverage_table(sources_page):
    at = sources_page
    before = at.dataframe(key="sources_coverage_table").value
    at.selectbox(key="sources_area").set_value("rutland").run()
    assert not at.exception
    after = at.dataframe(key="sources_coverage_table").value
    assert not before.equals(after)


def test_search_from_the_url_and_bad_theme_note():
    at = open_page(SOURCES_PAGE, {"q": "Breck", "theme": "nonsense"})
    assert not at.exception
    assert at.text_input(key="sources_query").value == "Breck"
    assert any("Breck" in element.value for element in at.text)
    assert any("theme" in text for text in warnings(at))
    assert at.selectbox(key="sources_theme").value == "child_protection"

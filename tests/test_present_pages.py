"""AppTest for the Present pages (Presentation, Briefing pack) on the real built data."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.catalogue import build_catalogue
from dashboard.data import read_indicators
from dashboard.indicator_picker import indicators_param

from helpers.apptest import open_page

PRESENT = "pages/present.py"
BRIEFING = "pages/briefing.py"
THREE = ["cpp_subsequent_pct", "cin_rereferral_pct", "cla_rate"]
PICKED = indicators_param("present").key
PACKED = indicators_param("briefing").key


def headers(at: AppTest) -> list[str]:
    return [element.value for element in at.header]


def test_presentation_opens_on_what_changed_since_the_last_meeting():
    at = open_page(PRESENT, {"present": "1", "indicators": ",".join(THREE)})
    assert not at.exception
    assert headers(at) == ["Since the last meeting"]
    text = " ".join(element.value for element in at.markdown).replace("\\", "")
    assert "(indicator and area): " in text
    assert not at.date_input and not at.selectbox  # the date comes from the link while presenting
    assert at.button(key="present_next").disabled is False


def test_presentation_steps_through_the_chosen_indicators_from_a_link():
    at = open_page(PRESENT, {"present": "1", "indicators": ",".join(THREE), "slide": "2"})
    assert not at.exception
    assert at.toggle(key="present_mode").value is True
    assert not at.multiselect  # controls hidden while presenting
    assert at.get("vega_lite_chart")
    first = headers(at)
    at.button(key="present_next").click().run()
    assert at.session_state["present_slide"] == 3
    assert at.query_params["slide"] == "3"
    second = headers(at)
    assert second != first
    at.button(key="present_previous").click().run()
    assert at.session_state["present_slide"] == 2
    assert headers(at) == first


def test_presentation_headlines_say_the_measure_and_the_source():
    at = open_page(PRESENT, {"present": "1", "indicators": "cpp_subsequent_pct", "slide": "2"})
    text = " ".join(element.value for element in at.markdown).replace("\\", "")
    assert "(measure: percentages)" in text
    captions = " ".join(element.value for element in at.caption).replace("\\", "")
    assert "Source:" in captions and "Data built" in captions


def test_presentation_starts_on_the_slide_in_the_link_and_warns_on_a_bad_one():
    at = open_page(PRESENT, {"present": "1", "indicators": ",".join(THREE), "slide": "4"})
    assert at.session_state["present_slide"] == 4
    assert at.button(key="present_next").disabled
    at = open_page(PRESENT, {"indicators": ",".join(THREE), "slide": "9"})
    assert not at.exception
    assert at.session_state["present_slide"] == 1
    assert any("slide" in element.value for element in at.warning)


def test_a_one_period_slide_shows_figures_and_says_its_figure_is_old():
    at = open_page(
        PRESENT, {"present": "1", "indicators": "school_contacts_referred_pct", "slide": "2"}
    )
    assert not at.exception
    assert at.metric and not at.get("vega_lite_chart")
    text = " ".join(element.value for element in at.markdown).replace("\\", "")
    assert "latest figure: " in text


def test_the_frame_adds_no_footer_under_a_slide():
    def footer(at: AppTest) -> bool:
        return any("**Sources.**" in element.value for element in at.caption)

    at = open_page(PRESENT, {"present": "1", "indicators": "cla_rate", "slide": "2"})
    assert not footer(at)
    at.toggle(key="present_mode").set_value(False).run()
    assert footer(at)


def test_presentation_mode_off_shows_an_empty_picker_and_says_what_it_presents():
    at = open_page(PRESENT)
    assert not at.exception
    assert at.toggle(key="present_mode").value is False
    assert at.multiselect(key=PICKED).value == []  # nothing pre-filled in the way of a search
    captions = " ".join(element.value for element in at.caption).replace("\\", "")
    assert "Nothing chosen yet, so the slides show the headline indicators" in captions
    at.toggle(key="present_mode").set_value(True).run()
    assert at.query_params["present"] == "1"


def test_search_finds_indicators_by_a_board_members_words():
    at = open_page(PRESENT)
    at.text_input(key=f"{PICKED}_search").input("repeat plans").run()
    offered = at.multiselect(key=PICKED).options
    assert "Second or subsequent child protection plans (official statistics)" in offered
    assert len(offered) < 10
    at.text_input(key=f"{PICKED}_search").input("CSE").run()
    assert (
        "Child sexual exploitation referrals (partnership report)"
        in at.multiselect(key=PICKED).options
    )


def bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    return deepest


def test_labels_are_unique_and_without_brackets_in_brackets(catalogue_built):
    labels = list(catalogue_built.labels.values())
    assert len(labels) == len(set(labels))
    assert max(bracket_depth(label) for label in labels) == 1


def test_the_choice_is_shared_by_presentation_and_briefing():
    at = open_page(PRESENT, {"indicators": "cla_rate,cpp_subsequent_pct"})
    assert at.multiselect(key=PICKED).value == ["cla_rate", "cpp_subsequent_pct"]
    at.switch_page(BRIEFING).run()
    assert at.multiselect(key=PACKED).value == ["cla_rate", "cpp_subsequent_pct"]
    assert at.query_params["indicators"] == "cla_rate,cpp_subsequent_pct"


@pytest.fixture(scope="module")
def briefing() -> AppTest:
    return open_page(BRIEFING, {"indicators": ",".join(THREE)})


def test_briefing_offers_the_pack_and_previews_each_slide(briefing):
    assert not briefing.exception
    chosen = briefing.multiselect(key=PACKED).value
    assert chosen == THREE
    keys = {button.proto.id for button in briefing.get("download_button")}
    assert any("briefing_pptx" in key for key in keys)
    assert any("briefing_pdf" in key for key in keys)
    assert len(briefing.get("vega_lite_chart")) == len(chosen)
    labels = [button.proto.label for button in briefing.get("download_button")]
    assert f"Download the pack: {1 + 1 + len(THREE) + 1} slides (PowerPoint)" in labels


def test_briefing_starts_empty_and_asks_for_a_choice():
    at = open_page(BRIEFING)
    assert not at.exception
    assert at.multiselect(key=PACKED).value == []
    assert "Choose at least one indicator" in at.info[0].value


def test_briefing_adds_a_whole_theme():
    at = open_page(BRIEFING, {"indicators": "cla_rate"})
    before = at.multiselect(key=PACKED).value
    at.selectbox(key="briefing_theme").select("child_protection").run()
    after = at.multiselect(key=PACKED).value
    assert after[: len(before)] == before and len(after) > len(before)
    assert at.query_params["indicators"].split(",") == after


@pytest.fixture(scope="module")
def catalogue_built():
    return build_catalogue(read_indicators())

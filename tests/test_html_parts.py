"""Tiles, Since lines and Sources cards written as one piece of HTML each: the same words as the
elements they replace, data text shown literally, pictures with their screen-reader text.

Indicators and figures here are made-up FIXTURES.
"""

import base64
import re

import pandas as pd

from dashboard.charts import StaticChart
from dashboard.components import entry_cards, tile_view
from dashboard.html_parts import badge, block, caption, card, paragraph, picture, side_by_side
from dashboard.intervals import Position
from dashboard.meeting_widgets import line_view
from dashboard.since import SinceLine
from dashboard.transforms import latest_change

from helpers.stat_fixtures import fixture_indicator, fixture_rows

ODD = "<b>bold</b> & *stars* [link](http://example.org)"
SPARKLINE = StaticChart('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>', ODD)


def fixture(name: str = "Repeat plans", unit: str = "percent") -> object:
    return fixture_indicator(
        id="fixture",
        name=name,
        theme="child_protection",
        unit=unit,
        polarity="lower_is_better",
        numerator_label="fixture events",
        denominator_label="fixture cases",
    )


def test_text_from_the_data_is_escaped_never_markup():
    for html in (
        paragraph(ODD),
        caption(ODD),
        card(ODD, ODD),
        badge(ODD, icon="info", colour="blue"),
    ):
        assert "<b>bold</b>" not in html
        assert "&lt;b&gt;bold&lt;/b&gt; &amp; *stars* [link](http://example.org)" in html


def test_a_picture_carries_its_svg_and_its_alt_text():
    html = picture(SPARKLINE)
    data, alt = re.search(r'src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"', html).groups()
    assert base64.b64decode(data).decode() == SPARKLINE.svg
    assert alt == "&lt;b&gt;bold&lt;/b&gt; &amp; *stars* [link](http://example.org)"


def test_a_badge_names_its_icon_for_screen_readers_as_streamlit_does():
    html = badge("Provisional", icon="info", colour="orange")
    assert 'role="img" aria-label="info icon"' in html
    assert "Provisional</span>" in html


def test_parts_stack_in_order():
    html = block([paragraph("first"), caption("second")])
    assert html.index("first") < html.index("second")
    pair = side_by_side("words", "trend")
    assert pair.index("words") < pair.index("trend")


def test_a_tile_says_figure_change_counts_england_and_trend():
    plans = fixture()
    change = latest_change(
        fixture_rows(plans, 20.0, 30.0, ((200, 1000), (300, 1000))), plans.polarity
    )
    view = tile_view(
        plans,
        "Rutland",
        change,
        SPARKLINE,
        sparkline_note="Trend, 2022/23 to 2024/25",
        position=Position("higher", "worse", "England", 20.0),
    )
    assert (view.label, view.value) == ("Rutland, 2024/25", "30.0%")
    assert view.delta_colour == "inverse"
    assert view.delta_description.endswith("worse, beyond chance")
    assert "p = " in view.help
    text = view.body
    assert "Worse than England (20.0%)" in text
    assert text.index("Worse than England") < text.index("300 of 1,000") < text.index("<img")
    assert 'class="part-caption">Trend, 2022/23 to 2024/25</p>' in text


def test_a_tile_without_a_figure_says_so():
    view = tile_view(fixture(), "Rutland", None, None)
    assert view.value == "—"
    assert "No figure published for this area." in view.body


def test_a_provisional_figure_gets_its_badge():
    plans = fixture()
    rows = fixture_rows(plans, 20.0, 30.0, statuses=("published", "provisional"))
    view = tile_view(plans, "Rutland", latest_change(rows, plans.polarity), None)
    assert 'aria-label="info icon"' in view.body
    assert "rovisional" in view.body


def test_a_since_line_has_its_sentence_england_new_badge_and_trend():
    plans = fixture(name=ODD)
    rows = fixture_rows(plans, 20.0, 30.0, ((200, 1000), (300, 1000)))
    line = SinceLine(
        indicator=plans,
        area="rutland",
        area_name="Rutland",
        measure="percent",
        change=latest_change(rows, plans.polarity),
        position=None,
        sentence=f"Rutland's {ODD} rose.",
        group="worse",
        series=pd.DataFrame(
            {"area": ["rutland"] * 2, "year_end": [2023, 2025], "value": [20.0, 30.0]}
        ),
        new=True,
    )
    html = line_view(line)
    assert "New since then: 2024/25" in html and 'aria-label="fiber_new icon"' in html
    assert "Rutland&#x27;s &lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert "No England comparison for this figure." in html
    assert "<img" in html and "Trend, Rutland" in html


def test_cards_name_every_column_and_escape_the_data():
    frame = pd.DataFrame({"Document": [ODD], "Figures drawn": [1234], "Note": [None]})
    html = entry_cards(frame, "Document")
    assert html.count('class="part-card"') == 1
    assert "<strong>&lt;b&gt;bold&lt;/b&gt;" in html
    assert "Figures drawn: 1,234" in html and "Note" not in html

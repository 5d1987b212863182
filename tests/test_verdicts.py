"""The Overview's verdict strip: better/worse only from a test and a polarity, volumes never
coloured, judged rows first, old figures apart.

Indicators and figures here are made-up FIXTURES.
"""

import re

from dashboard.catalogue import Indicator
from dashboard.intervals import Position
from dashboard.transforms import change_category, latest_change
from dashboard.verdicts import AreaFigures, order_rows, verdict_row, verdict_table_html

from helpers.stat_fixtures import fixture_indicator, fixture_rows


def fixture(name: str, unit: str, polarity: str) -> Indicator:
    return fixture_indicator(
        id=name.lower().replace(" ", "_"),
        name=name,
        theme="child_protection",
        unit=unit,
        polarity=polarity,
        numerator_label="fixture events",
        denominator_label="fixture cases",
    )


def figures(indicator, before, after, counts=None, position=None, area="Rutland"):
    change = latest_change(fixture_rows(indicator, before, after, counts), indicator.polarity)
    return AreaFigures(area, change, position)


def test_a_significant_rise_in_a_lower_is_better_percentage_is_worse_in_colour():
    plans = fixture("Repeat plans", "percent", "lower_is_better")
    worse_than_england = Position("higher", "worse", "England", 20.0)
    row = verdict_row(
        plans, [figures(plans, 20.0, 30.0, ((200, 1000), (300, 1000)), worse_than_england)]
    )
    area = row.areas[0]
    assert (area.value, area.since_before.judgement, area.since_before.words) == (
        "30.0%",
        "worse",
        "Worse",
    )
    assert area.against_england.judgement == "worse"
    html = verdict_table_html([row], ["Rutland"])
    assert html.count("color:#882255") == 2  # both judgements coloured, in the wine of "worse"
    assert "Worse than England (20.0%), judged by the 95% interval." in html


def test_a_change_within_chance_is_neither_better_nor_worse_and_not_coloured():
    plans = fixture("Repeat plans", "percent", "lower_is_better")
    row = verdict_row(plans, [figures(plans, 30.0, 20.0, ((3, 10), (2, 10)))])
    cell = row.areas[0].since_before
    assert (cell.judgement, cell.words) == ("similar", "Within chance")
    assert "color:" not in verdict_table_html([row], ["Rutland"])


def test_a_volume_that_rose_beyond_chance_is_higher_never_better_or_worse():
    referrals = fixture("Referrals", "count", "no_judgement")
    row = verdict_row(referrals, [figures(referrals, 100.0, 300.0)])
    area = row.areas[0]
    assert area.since_before.words in {"Higher", "Not tested"}
    assert area.since_before.judgement not in {"better", "worse"}
    assert area.against_england.words == "—"  # a count is never set against England's
    assert not row.judged


def test_judged_rows_come_first_and_old_figures_go_under_their_own_heading():
    referrals = fixture("Referrals", "count", "no_judgement")
    plans = fixture("Repeat plans", "percent", "lower_is_better")
    old = fixture("Old count", "count", "no_judgement")
    volume = verdict_row(referrals, [figures(referrals, 100.0, 120.0)])
    judged = verdict_row(plans, [figures(plans, 20.0, 30.0, ((200, 1000), (300, 1000)))])
    stale_change = latest_change(
        fixture_rows(old, 5.0, 8.0).assign(year_end=[2014, 2016], period=["2013/14", "2015/16"]),
        "no_judgement",
    )
    stale = verdict_row(old, [AreaFigures("Rutland", stale_change, None)])
    current, older = order_rows([volume, judged, stale])
    assert [row.indicator.name for row in current] == ["Repeat plans", "Referrals"]
    assert [row.indicator.name for row in older] == ["Old count"]
    html = verdict_table_html([volume, judged, stale], ["Rutland"])
    assert "Older figures: latest 2015/16" in html
    assert html.index("Repeat plans") < html.index("Referrals") < html.index("Old count")


def test_markup_in_names_is_shown_literally_and_a_missing_area_is_said():
    odd = fixture("<b>Odd</b> name", "percent", "lower_is_better")
    row = verdict_row(odd, [figures(odd, 20.0, 30.0, ((200, 1000), (300, 1000)))])
    html = verdict_table_html([row], ["Leicestershire", "Rutland"])
    assert "<b>Odd</b>" not in html and "&lt;b&gt;Odd&lt;/b&gt;" in html
    assert "No figure published" in html
    assert len(re.findall(r'scope="colgroup"', html)) == 2


def test_no_figures_no_row():
    plans = fixture("Repeat plans", "percent", "lower_is_better")
    assert verdict_row(plans, [AreaFigures("Rutland", None, None)]) is None


def category(unit, polarity, before, after, counts=None):
    indicator = fixture(f"Fixture {unit} {polarity}", unit, polarity)
    return change_category(latest_change(fixture_rows(indicator, before, after, counts), polarity))


def test_one_reading_of_a_change_serves_every_page():
    assert category("percent", "lower_is_better", 20.0, 30.0, ((200, 1000), (300, 1000))) == "worse"
    assert category("percent", "lower_is_better", 30.0, 20.0, ((3, 10), (2, 10))) == "within_chance"
    assert category("percent", "lower_is_better", 20.0, 30.0) == "not_tested"  # no counts
    assert category("percent", "lower_is_better", 20.0, 20.0) == "same"
    assert category("count", "no_polarity", 100.0, 200.0) == "changed"  # a Poisson test
    assert category("percent", "no_polarity", 20.0, 30.0) == "untested"

"""Events on time charts and the notes that explain a figure: placement, filtering, the chart
layers and the sentences. Every event, quote and figure here is a TEST FIXTURE."""

import pandas as pd
import pytest

from dashboard.catalogue import Indicator
from dashboard.charts import build_trend_chart, event_layers
from dashboard.headlines import REASON_NOT_STATED, difference_reasons, differences_sentence
from dashboard.transforms import annual, event_position, events_for, filter_observations, name_areas


def fixture_events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["fixture-inspection", "fixture-national", "fixture-city"],
            "date": ["2019-09-23", "2020-03-23", "2021-09-20"],
            "areas": ["leicestershire", "england", "leicester"],
            "title": ["Fixture inspection", "Fixture national event", "Fixture city inspection"],
            "kind": ["inspection", "national_event", "inspection"],
            "source_text": ["Fixture source A", "Fixture source B", "Fixture source C"],
        }
    )


def test_an_event_sits_between_the_years_it_falls_between():
    day = pd.Timestamp("2019-09-23")
    assert 2019 < event_position(day, ["financial_year"]) < 2020
    assert event_position(pd.Timestamp("2019-03-31"), ["financial_year"]) == pytest.approx(2019)
    assert event_position(pd.Timestamp("2019-12-31"), ["calendar_year"]) == pytest.approx(2019)
    assert 2018 < event_position(day, ["calendar_year"]) < 2019.9


def test_events_concern_the_chart_areas_and_years_national_events_every_area():
    events = fixture_events()
    shown = events_for(
        events, ["leicestershire", "rutland"], [2018, 2019, 2020], ["financial_year"]
    )
    assert shown["event_id"].tolist() == ["fixture-inspection", "fixture-national"]
    assert events_for(events, ["rutland"], [2018, 2019], ["financial_year"])["event_id"].empty
    with_city = events_for(events, ["leicester"], range(2015, 2026), ["financial_year"])
    assert with_city["event_id"].tolist() == ["fixture-national", "fixture-city"]


def test_event_rules_are_layered_with_labels_and_sourced_tooltips(
    observations, area_names, catalogue
):
    rows = annual(
        filter_observations(observations, indicator_ids=["fixture_rate"], areas=["leicestershire"])
    )
    rows = name_areas(rows, area_names)
    events = events_for(
        fixture_events(), ["leicestershire"], rows["year_end"], rows["period_type"].unique()
    )
    spec = build_trend_chart(rows, catalogue["fixture_rate"], events=events)
    layers = spec.to_dict()["layer"]
    marks = [layer["mark"]["type"] for layer in layers]
    assert marks[:2] == ["rule", "text"]
    tooltip_titles = [t["title"] for t in layers[0]["encoding"]["tooltip"]]
    assert tooltip_titles == ["Event", "Date", "Kind", "Source"]
    assert "Fixture inspection" in spec.to_dict()["description"]
    assert event_layers(events.iloc[0:0], None) == []
    # Vega-Lite merges the layers' axes: no layer may switch the year axis off.
    assert all(layer["encoding"]["x"].get("axis", {}) is not None for layer in layers)


def fixture_indicator(family: str) -> Indicator:
    return Indicator(
        f"fixture_{family}", "Fixture", "front_door", "count", "no_judgement", "", family, "", ""
    )


def test_differences_between_sources_are_said_with_the_reason_or_that_none_is_given():
    report = fixture_indicator("partnership_report")
    official = fixture_indicator("official_statistics")
    both = pd.DataFrame(
        {
            "area": ["rutland", "leicestershire"],
            "year_end": [2016, 2016],
            "period": ["2015/16", "2015/16"],
            "value": [369.0, 100.0],
            "counterpart_value": [206.0, 100.0],
            "difference": [163.0, 0.0],
        }
    )
    names = {"rutland": "Rutland"}
    assert differences_sentence(both, report, official, names) == (
        "The two sources give different figures for 1 of the 2 years and areas below; the "
        "largest: Rutland, 2015/16, 369 in the partnership report and 206 in the official "
        "statistics."
    )
    no_reason = pd.DataFrame(columns=["area", "period", "quote", "source_text"])
    assert difference_reasons(both, no_reason) == [REASON_NOT_STATED, ""]
    reason = pd.DataFrame(
        {
            "area": ["rutland"],
            "period": ["2015/16"],
            "quote": ["Fixture reason."],
            "source_text": ["Fixture report"],
        }
    )
    assert difference_reasons(both, reason)[0] == '"Fixture reason." (Fixture report)'

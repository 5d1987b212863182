"""The catalogue: typed entries, labels, counterparts; and complete for the built data."""

from dashboard.catalogue import build_catalogue
from dashboard.config import POLARITY_LABELS, THEME_LABELS
from dashboard.data import read_indicators, read_observations
from dashboard.schema import POLARITIES, THEMES
from dashboard.units import UNITS, lookup_unit


def test_entries_are_typed_and_labelled(catalogue):
    rate = catalogue["fixture_rate"]
    assert rate.unit_label == "Rate per 10,000 children aged 0-17"
    assert rate.polarity_label == "Lower is better"
    assert rate.family_label == "Official statistics (DfE/ONS)"
    assert rate.label == "Fixture rate (official statistics)"
    assert "fixture_rate" in catalogue and len(catalogue) == 5


def test_counterparts_are_found_in_both_directions(catalogue):
    assert [i.id for i in catalogue.counterparts("fixture_count")] == ["fixture_official_count"]
    assert [i.id for i in catalogue.counterparts("fixture_official_count")] == ["fixture_count"]
    assert catalogue.counterparts("fixture_rate") == []


def test_themes_follow_the_configured_order(catalogue):
    assert catalogue.themes() == ["front_door", "online_safety", "money"]
    ordered = [i.id for i in catalogue.in_theme_order()]
    assert ordered[-1] == "fixture_money"
    assert [i.id for i in catalogue.restricted_to(["fixture_pct"])] == ["fixture_pct"]


def test_every_schema_unit_theme_and_polarity_has_words():
    assert set(THEMES) <= set(THEME_LABELS)
    assert set(POLARITIES) <= set(POLARITY_LABELS)
    assert lookup_unit("new_unit").label == "New unit"


def test_build_catalogue_reads_missing_text_as_empty(indicators):
    indicators.loc[0, "notes"] = None
    assert build_catalogue(indicators)[indicators.loc[0, "indicator_id"]].notes == ""


def test_built_catalogue_is_complete_for_the_data():
    indicators = read_indicators()
    observations = read_observations()
    assert set(observations["indicator_id"]) <= set(indicators["indicator_id"])
    catalogue = build_catalogue(indicators)
    for indicator in catalogue:
        assert indicator.name and indicator.definition
        assert indicator.unit in UNITS, indicator.id
        assert indicator.polarity in POLARITY_LABELS, indicator.id
        if indicator.counterpart_id:
            assert indicator.counterpart_id in catalogue, indicator.id

"""The vocabularies (units, statuses, areas) are complete for the schema, the data and the pages,
and each question about them has one answer."""

import pandas as pd
import pytest

from dashboard.areas import (
    AREAS_CSV,
    ROLES,
    AreaFileError,
    area_catalogue,
    read_area_catalogue,
)
from dashboard.build.official import la_areas
from dashboard.data import read_areas, read_indicators, read_national, read_observations
from dashboard.exports import default_slide_indicators, fair_measure
from dashboard.maps import mappable_indicators
from dashboard.schema import SOURCE_FAMILIES
from dashboard.statuses import (
    CAVEAT_STATUSES,
    EXACT_REPORT_STATUSES,
    STATUSES,
    caution_rank,
    lookup_status,
)
from dashboard.transforms import collapse_restatements
from dashboard.units import INDEX, INTERVAL_UNITS, UNITS, is_size_dependent, lookup_unit


def test_every_unit_in_the_built_data_has_a_record():
    used = (
        set(read_indicators()["unit"])
        | set(read_observations()["unit"])
        | set(read_national()["unit"])
    )
    assert used <= set(UNITS)


def test_every_unit_has_words_a_format_and_an_answer_on_fairness():
    for unit_id, unit in UNITS.items():
        assert unit.id == unit_id
        assert unit.label and unit.phrase and unit.axis_format.startswith(",")
        assert isinstance(unit.size_dependent, bool)


def test_only_units_with_an_interval_method_get_intervals():
    assert set(INTERVAL_UNITS) == {u for u in UNITS if UNITS[u].interval_method}
    assert all(not UNITS[u].size_dependent for u in INTERVAL_UNITS)


def test_an_unknown_unit_is_shown_as_written():
    assert lookup_unit("new_unit").label == "New unit"
    assert not is_size_dependent("new_unit")
    assert lookup_unit(INDEX).label == "Index" and not is_size_dependent(INDEX)


@pytest.mark.parametrize(
    ("unit_id", "grows_with_size"),
    [("count", True), ("gbp", True), ("fte", True), ("percent", False), ("rate_per_10k", False)],
)
def test_one_answer_to_is_a_raw_side_by_side_fair(unit_id, grows_with_size):
    assert is_size_dependent(unit_id) is grows_with_size


def test_slides_show_money_for_two_areas_as_an_index_like_a_count(catalogue):
    money = catalogue["fixture_money"]
    assert fair_measure(money, ["leicestershire", "rutland"]) == INDEX
    assert fair_measure(money, ["leicestershire"]) == money.unit
    assert fair_measure(catalogue["fixture_rate"], ["leicestershire", "rutland"]) == "rate_per_10k"


def test_default_slides_put_money_with_the_counts_after_fair_measures(catalogue):
    chosen = default_slide_indicators(catalogue, ["fixture_money", "fixture_rate"], count=2)
    assert chosen == ["fixture_rate", "fixture_money"]


def test_the_map_and_the_slides_agree_on_what_is_fair(observations, indicators):
    mappable = mappable_indicators(observations, indicators)
    for row in mappable.itertuples():
        assert row.fair is not is_size_dependent(row.unit)


def test_every_status_in_the_built_data_has_a_record():
    assert set(read_observations()["status"]) <= set(STATUSES)


def test_every_status_belongs_to_a_source_family_and_marks_come_with_their_key():
    for status_id, status in STATUSES.items():
        assert status.id == status_id and status.label
        assert status.family in SOURCE_FAMILIES
        assert bool(status.written.mark) == bool(status.written.key)
        if status.written.key:
            assert status.written.key.startswith(status.written.mark + " ")


def test_a_figure_is_either_exact_or_says_why_not():
    for status in STATUSES.values():
        assert status.exact is not bool(status.why_inexact)
    assert all(STATUSES[s].exact for s in EXACT_REPORT_STATUSES)
    assert set(EXACT_REPORT_STATUSES) < {
        s for s in STATUSES if STATUSES[s].family == "partnership_report"
    }


def test_an_unknown_status_is_shown_as_written_without_a_caveat():
    unknown = lookup_status("new_status")
    assert unknown.label == "New status" and not unknown.caveat and unknown.exact
    assert caution_rank("new_status") == max(caution_rank(s) for s in CAVEAT_STATUSES)


def test_the_most_cautious_passage_is_the_one_a_chart_keeps():
    ranked = sorted((s for s in STATUSES if STATUSES[s].rank is not None), key=caution_rank)
    strongest, weakest = ranked[0], ranked[-1]
    # Test fixture: one figure stated twice, with different statuses.
    restated = pd.DataFrame(
        {
            "indicator_id": ["fixture_count"] * 2,
            "area": ["leicestershire"] * 2,
            "period": ["2020/21"] * 2,
            "breakdown": [""] * 2,
            "value": [10.0, 10.0],
            "status": [weakest, strongest],
            "record_id": ["fixture-1", "fixture-2"],
        }
    )
    assert collapse_restatements(restated)["status"].tolist() == [strongest]


def test_every_area_in_the_built_data_has_a_row_with_a_style():
    areas = area_catalogue()
    used = set(read_observations()["area"]) | set(read_areas()["area"])
    used |= set(read_national()["area"]) - {""}  # "" is an authority the app does not name
    assert used <= set(areas.ids)
    for area in areas:
        assert area.colour.startswith("#") and area.dash and area.role in ROLES


def test_the_pickers_and_the_official_build_derive_from_areas_csv():
    areas = area_catalogue()
    assert set(areas.headline) <= set(areas.local) and set(areas.on_map) <= set(areas.local)
    assert set(areas.default_benchmarks) <= set(areas.comparators)
    assert set(areas.by_dfe_code.values()) == set(la_areas().values())
    assert all(areas[areas[a].neighbours_of] for a in areas.ids if areas[a].neighbours_of)


def test_adding_an_area_is_one_row(tmp_path):
    # Test fixture: the real areas file plus one made-up authority row.
    fixture = tmp_path / "areas.csv"
    made_up = (
        "fixture_shire,Fixture Shire,local_authority,benchmark,999,E99999999,#123456,4 2,99,,yes,,,"
    )
    fixture.write_text(AREAS_CSV.read_text() + made_up + "\n")
    areas = read_area_catalogue(fixture)
    assert areas.ids[-1] == "fixture_shire"
    assert "fixture_shire" in areas.comparators and "fixture_shire" in areas.default_benchmarks
    assert areas.by_dfe_code["999"] == "fixture_shire"
    assert areas.style("fixture_shire").colour == "#123456"
    assert areas.style("fixture_shire").dash == (4, 2)


def test_a_malformed_area_row_names_the_file_row_and_field(tmp_path):
    fixture = tmp_path / "areas.csv"
    header = AREAS_CSV.read_text().splitlines()[0]
    fixture.write_text(f"{header}\nfixture,Fixture,country,benchmark,,,#123456,dotted,1,,,,,\n")
    with pytest.raises(AreaFileError, match=r"areas.csv, row 2, field dash: must be whole"):
        read_area_catalogue(fixture)


def test_an_unknown_area_is_drawn_not_dropped():
    style = area_catalogue().style("fixture_nowhere")
    assert style.comparator and style.colour not in {a.colour for a in area_catalogue()}

"""Pure transforms on the fixture frames."""

import math

import pandas as pd
import pytest

from dashboard.stats import ChangeTest
from dashboard.transforms import (
    MARKER_CONFLICT,
    MARKER_TARGET,
    MARKER_VALUE,
    annual,
    apply_measure,
    area_order,
    areas_with_data,
    available_measures,
    breakdown_rows,
    conflicts,
    counterpart_comparison,
    coverage,
    default_base_year,
    display_table,
    filter_observations,
    judge,
    latest_change,
    name_areas,
    releases,
    shown_in_measure,
    sparkline_series,
    with_markers,
    year_values,
)
from dashboard.units import INDEX

from helpers.stat_fixtures import fixture_indicator


def values_by_year(frame: pd.DataFrame, area: str) -> dict[int, float]:
    rows = frame[frame["area"] == area]
    return dict(zip(rows["year_end"], rows["value"], strict=True))


def test_filter_by_indicator_area_years_and_headline(observations):
    rows = filter_observations(
        observations,
        indicator_ids=["fixture_rate"],
        areas=["leicestershire", "england"],
        year_from=2020,
        year_to=2021,
    )
    assert set(rows["area"]) == {"leicestershire", "england"}
    assert rows["year_end"].between(2020, 2021).all()
    assert (rows["breakdown"] == "").all()


def test_filter_keeps_breakdowns_only_when_asked(observations):
    assert filter_observations(observations, indicator_ids=["fixture_pct"]).empty
    rows = filter_observations(observations, indicator_ids=["fixture_pct"], breakdown=None)
    assert set(rows["breakdown"]) == {"Year 6", "Year 9"}


def test_annual_drops_quarters_of_series_that_have_years(observations):
    rows = annual(observations)
    assert "quarter" not in set(rows["period_type"])
    only_quarters = observations[observations["period_type"] == "quarter"]
    assert len(annual(only_quarters)) == len(only_quarters)


def test_year_values_leave_gaps_for_missing_suppressed_and_disputed_years(observations):
    per_year = year_values(annual(filter_observations(observations)))
    rate = per_year[per_year["indicator_id"] == "fixture_rate"]
    leics = values_by_year(rate, "leicestershire")
    assert list(leics) == [2019, 2020, 2021, 2022]  # 2021 inserted as a gap
    assert math.isnan(leics[2021])
    assert leics[2022] == 45.0
    assert math.isnan(values_by_year(rate, "rutland")[2022])  # suppressed
    counts = values_by_year(per_year[per_year["indicator_id"] == "fixture_count"], "leicestershire")
    assert math.isnan(counts[2021])  # two sources disagree: the line must not pick one
    assert 2023 not in counts  # a target is not an outcome


def test_markers_name_conflicts_and_targets(observations):
    marked = with_markers(filter_observations(observations, indicator_ids=["fixture_count"]))
    assert set(marked["marker"]) == {MARKER_VALUE, MARKER_CONFLICT, MARKER_TARGET}
    assert (marked[marked["conflict_id"] != ""]["marker"] == MARKER_CONFLICT).all()


def test_available_measures_are_the_units_plus_an_index():
    indicators = [
        fixture_indicator(id="fixture_count", unit="count", source_family="partnership_report"),
        fixture_indicator(id="fixture_percent", unit="percent", source_family="partnership_report"),
    ]
    assert available_measures(indicators) == ["count", "percent", INDEX]


def test_counts_of_children_can_also_be_shown_as_a_rate():
    children = fixture_indicator(
        id="fixture_count",
        unit="count",
        source_family="partnership_report",
        rate_denominator="fixture_population",
    )
    assert available_measures([children]) == ["count", "rate_per_10k", INDEX]
    assert shown_in_measure(children, "rate_per_10k")
    assert not shown_in_measure(
        fixture_indicator(id="fixture_count", unit="count", source_family="partnership_report"),
        "rate_per_10k",
    )


def test_rate_measure_divides_counts_by_previous_years_population(observations):
    # FIXTURE population: 20,000 children in mid-2019, none held for mid-2020.
    counts = filter_observations(observations, indicator_ids=["fixture_official_count"])
    population = counts.head(1).assign(
        indicator_id="fixture_population", year_end=2019, value=20000.0, unit="count"
    )
    measured = apply_measure(counts, "rate_per_10k", population=population)
    rates = measured.frame.set_index("year_end")
    assert rates.loc[2020, "value"] == pytest.approx(98 / 20000 * 10000)
    assert (rates.loc[2020, "numerator"], rates.loc[2020, "denominator"]) == (98, 20000)
    assert math.isnan(rates.loc[2022, "value"])
    assert "no ONS population estimate" in rates.loc[2022, "rule"]
    assert "previous" in measured.rule or "before" in measured.rule


def test_published_measure_keeps_values(observations):
    rows = filter_observations(observations, indicator_ids=["fixture_rate"])
    measured = apply_measure(rows, "rate_per_10k")
    assert measured.rule == ""
    assert measured.frame["value"].equals(measured.frame["published_value"])


def test_index_divides_by_each_series_base_year_and_names_what_it_drops(observations):
    rows = filter_observations(observations, indicator_ids=["fixture_rate"])
    measured = apply_measure(rows, INDEX, 2019)
    leics = values_by_year(measured.frame, "leicestershire")
    assert leics[2019] == pytest.approx(100.0)
    assert leics[2022] == pytest.approx(45 / 40 * 100)
    assert values_by_year(measured.frame, "england")[2022] == pytest.approx(53 / 50 * 100)
    assert "rutland" not in set(measured.frame["area"])
    assert measured.dropped == ("fixture_rate rutland",)
    assert "2019" in measured.rule and "100" in measured.rule


def test_index_needs_a_base_year(observations):
    with pytest.raises(ValueError, match="base year"):
        apply_measure(observations, INDEX)


def test_default_base_year_is_first_year_every_series_has(observations):
    rows = filter_observations(observations, indicator_ids=["fixture_rate"])
    assert default_base_year(rows) == 2020
    assert default_base_year(rows.iloc[0:0]) is None


SIGNIFICANT = ChangeTest(0.01, "FIXTURE test")
NOT_SIGNIFICANT = ChangeTest(0.4, "FIXTURE test")


@pytest.mark.parametrize(
    ("change", "polarity", "test", "expected"),
    [
        (3.0, "lower_is_better", SIGNIFICANT, "worse"),
        (-3.0, "lower_is_better", SIGNIFICANT, "better"),
        (3.0, "higher_is_better", SIGNIFICANT, "better"),
        (3.0, "higher_is_better", NOT_SIGNIFICANT, "within_chance"),
        (3.0, "higher_is_better", None, "not_tested"),
        (3.0, "higher_is_better", ChangeTest(float("nan"), "FIXTURE"), "not_tested"),
        (0.0, "higher_is_better", SIGNIFICANT, "same"),
        (3.0, "no_judgement", SIGNIFICANT, "no_judgement"),
    ],
)
def test_judge_needs_a_significant_test_and_follows_polarity(change, polarity, test, expected):
    assert judge(change, polarity, test) == expected


def test_latest_change_skips_missing_years(observations):
    rows = filter_observations(
        observations, indicator_ids=["fixture_rate"], areas=["leicestershire"]
    )
    change = latest_change(rows, "lower_is_better")
    assert change is not None
    assert (change.period, change.value, change.previous_period) == ("2021/22", 45.0, "2019/20")
    assert change.change == pytest.approx(3.0)
    # 2019/20 is computed from counts, 2021/22 published without them: no test, no verdict.
    assert change.judgement == "not_tested"
    assert change.untested_reason.startswith("not tested: the release gives the rate only")


def test_latest_change_ignores_targets_and_disputed_previous_years(observations):
    rows = annual(
        filter_observations(observations, indicator_ids=["fixture_count"], areas=["leicestershire"])
    )
    change = latest_change(rows, "no_judgement")
    assert change is not None
    assert (change.period, change.value, change.status) == ("2021/22", 130.0, "provisional")
    assert change.previous_period == "2019/20"  # 2020/21 has two disagreeing figures
    assert change.judgement == "no_judgement"
    assert (change.skipped_period, change.skipped_values) == ("2020/21", (120.0, 125.0))


def test_latest_change_keeps_the_strongest_caveat_of_restating_passages(observations):
    # FIXTURE: the same latest figure stated by a provisional table and by prose.
    base = annual(
        filter_observations(observations, indicator_ids=["fixture_count"], areas=["leicestershire"])
    )
    latest = base[base["year_end"] == 2022]
    restated = latest.assign(status="reported", record_id="fixture-000a")
    rows = pd.concat([restated, latest], ignore_index=True)
    change = latest_change(rows, "no_judgement")
    assert (change.value, change.status) == (130.0, "provisional")


def test_latest_change_reports_a_suppressed_latest_value(observations):
    rows = filter_observations(observations, indicator_ids=["fixture_rate"], areas=["rutland"])
    change = latest_change(rows, "lower_is_better")
    assert change is not None
    assert change.value is None and change.symbol == "c" and change.change is None
    assert latest_change(rows.iloc[0:0], "lower_is_better") is None


def test_latest_change_lists_both_values_when_disputed(observations):
    rows = filter_observations(
        observations, indicator_ids=["fixture_count"], areas=["leicestershire"], year_to=2021
    )
    change = latest_change(rows, "no_judgement")
    assert change is not None and change.disputed
    assert change.values == (120.0, 125.0)
    assert change.value is None


def test_sparkline_series_is_one_area_with_gaps(observations):
    series = sparkline_series(observations, "fixture_rate", "leicestershire")
    assert list(series["year_end"]) == [2019, 2020, 2021, 2022]
    assert series["value"].isna().sum() == 1


def test_coverage_counts_years_with_a_figure(observations):
    table = coverage(observations).set_index(["indicator_id", "area"])
    assert table.loc[("fixture_rate", "leicestershire")].tolist() == [2019, 2022, 3]
    assert table.loc[("fixture_rate", "rutland")].tolist() == [2020, 2020, 1]


def test_conflicts_return_both_rows(observations):
    rows = conflicts(observations, "fixture_count")
    assert list(rows["value"]) == [120.0, 125.0]
    assert conflicts(observations, "fixture_rate").empty


def test_counterpart_comparison_pairs_years_with_both_values(observations):
    both = counterpart_comparison(observations, "fixture_count", "fixture_official_count")
    assert list(both["year_end"]) == [2020, 2022]
    assert list(both["difference"]) == [2.0, -1.0]
    assert list(both["period"]) == ["2019/20", "2021/22"]


def test_breakdown_rows_and_areas_with_data(observations):
    assert set(breakdown_rows(observations, "fixture_money")["breakdown"]) == {"Police", "Council"}
    assert areas_with_data(observations, "fixture_rate") == ["leicestershire", "rutland", "england"]


def test_area_order_puts_local_areas_before_comparators():
    assert area_order(["england", "rutland", "mystery", "leicestershire"]) == [
        "leicestershire",
        "rutland",
        "england",
        "mystery",
    ]


def test_display_table_has_sources_and_readable_headings(observations, catalogue, area_names):
    rows = filter_observations(observations, indicator_ids=["fixture_rate"])
    table = display_table(rows, {i.id: i.label for i in catalogue}, area_names)
    for heading in ["Area", "Period", "Value shown", "Numerator (count)", "Denominator", "Source"]:
        assert heading in table.columns
    intervals = dict(zip(table["Period"] + " " + table["Area"], table["95% interval"], strict=True))
    assert intervals["2019/20 Leicestershire"] == "33.5 per 10,000 to 52.0 per 10,000"
    assert intervals["2021/22 Leicestershire"] == "no interval: the release gives the rate only"
    assert table["Area"].iloc[0] == "Leicestershire"
    assert "Where in the source (quote or row)" in table.columns
    assert releases(rows) == ["Fixture release"]


def test_name_areas_keeps_unknown_ids(observations, area_names):
    named = name_areas(pd.DataFrame({"area": ["rutland", "nowhere"]}), area_names)
    assert list(named["area_name"]) == ["Rutland", "nowhere"]


def test_restated_figures_still_give_one_value(observations):
    rows = filter_observations(observations, indicator_ids=["fixture_rate"], areas=["england"])
    restated = pd.concat([rows, rows.iloc[[0]].assign(record_id="fixture-restated")])
    assert values_by_year(year_values(restated), "england")[2019] == 50.0

"""The themed-page declarations and their pure helpers (themes.py, transforms additions)."""

import math

import pandas as pd
import pytest

from dashboard.data import read_indicators, read_observations
from dashboard.navigation import PAGES
from dashboard.schema import THEMES
from dashboard.theme_page import SOURCES_NAMED, caption
from dashboard.themes import (
    ANY_AREA,
    ANY_CATEGORY,
    BARS,
    FIGURES,
    HBARS,
    KINDS,
    THEME_PAGES,
    Section,
    latest_sentence,
    matches_breakdown,
    period_span,
    planned_periods,
    section_rows,
    size_sentence,
    stated_sentence,
)
from dashboard.transforms import collapse_restatements, rate_per_10k_children

# Numbers a lead may name: units, dates and sections of definitions, which document it is.
# Figures never.
UNIT_AND_DOCUMENT_WORDS = (
    "10,000",
    "12 months",
    "31 March",
    "30 September",
    "section 47",
    "2008/09 annual report",
    "2018 newsletter",
)


def words(lead: str) -> str:
    for allowed in UNIT_AND_DOCUMENT_WORDS:
        lead = lead.replace(allowed, "")
    return lead


def test_every_theme_page_is_registered_and_every_section_is_well_formed():
    files = {spec.file for spec in PAGES if spec.section == "Themes"}
    assert files == {f"pages/theme_{key}.py" for key in THEME_PAGES}
    for page in THEME_PAGES.values():
        assert set(page.themes) <= set(THEMES)
        keys = [section.key for section in page.sections]
        assert len(keys) == len(set(keys)), page.key
        for section in page.sections:
            assert section.kind in KINDS
            assert section.indicators
            assert not any(char.isdigit() for char in words(section.lead)), section.key


def test_every_indicator_a_theme_page_names_is_in_the_catalogue_and_has_figures():
    catalogue = set(read_indicators()["indicator_id"])
    with_figures = set(read_observations()["indicator_id"])
    for page in THEME_PAGES.values():
        for indicator_id in page.indicator_ids():
            assert indicator_id in catalogue, (page.key, indicator_id)
            assert indicator_id in with_figures, (page.key, indicator_id)


@pytest.mark.parametrize(
    ("breakdown", "patterns", "expected"),
    [
        ("", ("",), True),
        ("Year 6", ("",), False),
        ("Year 6", (ANY_CATEGORY,), True),
        ("", (ANY_CATEGORY,), False),
        ("Priority: Babies", ("Priority: *",), True),
        ("Type: Conference", ("Priority: *",), False),
        ("Target", ("", "Target"), True),
    ],
)
def test_sections_choose_categories_exactly_by_any_or_by_prefix(breakdown, patterns, expected):
    assert matches_breakdown(breakdown, patterns) is expected


def test_section_rows_keep_areas_categories_and_period_order(observations):
    section = Section("s", "T", "Lead.", BARS, ("fixture_count",), areas=("leicestershire",))
    rows = section_rows(observations, section)
    assert set(rows["area"]) == {"leicestershire"}
    assert (rows["breakdown"] == "").all()
    assert list(rows["year_end"]) == sorted(rows["year_end"])
    assert len(rows[rows["conflict_id"] != ""]) == 2  # every passage is kept


def test_section_rows_add_benchmarks_only_to_official_kinds(observations):
    trend = Section("t", "T", "Lead.", "trend", ("fixture_rate",))
    bars = Section("b", "T", "Lead.", BARS, ("fixture_rate",))
    assert "england" in set(section_rows(observations, trend, benchmarks=["england"])["area"])
    assert "england" not in set(section_rows(observations, bars, benchmarks=["england"])["area"])


def test_section_rows_split_years_from_quarters(observations):
    annual = Section("a", "T", "L", BARS, ("fixture_count",), periods="annual")
    quarters = Section("q", "T", "L", BARS, ("fixture_count",), periods="quarter")
    assert "quarter" not in set(section_rows(observations, annual)["period_type"])
    assert set(section_rows(observations, quarters)["period"]) == {"2021/22 Q1"}


def test_section_rows_order_rows_by_the_sections_indicator_order(observations):
    section = Section(
        "h", "T", "L", HBARS, ("fixture_official_count", "fixture_count"), areas=ANY_AREA
    )
    rows = section_rows(observations, section)
    first_year = rows[rows["year_end"] == 2020]
    assert list(dict.fromkeys(first_year["indicator_id"])) == [
        "fixture_official_count",
        "fixture_count",
    ]


def test_restated_figures_collapse_to_one_row_keeping_the_strongest_caveat(observations):
    rows = observations[observations["indicator_id"] == "fixture_count"]
    provisional = rows[rows["status"] == "provisional"]
    restated = provisional.assign(record_id="fixture-restated", status="reported")
    collapsed = collapse_restatements(pd.concat([rows, restated], ignore_index=True))
    year = collapsed[(collapsed["period"] == "2021/22") & (collapsed["breakdown"] == "")]
    assert list(year["status"]) == ["provisional"]
    disputed = collapsed[collapsed["conflict_id"] != ""]
    assert sorted(disputed["value"]) == [120.0, 125.0]  # disagreeing values both stay


@pytest.fixture
def population() -> pd.DataFrame:
    """FIXTURE population estimates (made-up numbers) for rates per 10,000."""
    return pd.DataFrame(
        {
            "indicator_id": ["population_0_17"] * 2,
            "area": ["leicestershire", "leicestershire"],
            "year_end": [2019, 2020],
            "breakdown": ["", ""],
            "value": [20000.0, 25000.0],
            "source": ["fixture/population.csv"] * 2,
            "source_ref": ["row 1", "row 2"],
        }
    )


def test_rates_per_10k_use_the_previous_calendar_years_population(observations, population):
    counts = observations[
        (observations["indicator_id"] == "fixture_official_count")
        & (observations["area"] == "leicestershire")
    ]
    rates = rate_per_10k_children(counts, population)
    by_year = dict(zip(rates["year_end"], rates["value"], strict=True))
    assert by_year[2020] == pytest.approx(98 / 20000 * 10000)  # 2019/20 uses mid-2019
    assert math.isnan(by_year[2022])  # no mid-2021 estimate: a gap, not a guess
    computed = rates[rates["year_end"] == 2020].iloc[0]
    assert (computed["numerator"], computed["denominator"]) == (98.0, 20000.0)
    assert computed["status"] == "computed"
    assert "mid-2019" in computed["rule"] and "fixture/population.csv row 1" in computed["rule"]
    assert "no ONS population estimate for mid-2021" in rates.iloc[-1]["rule"]
    assert set(rates["unit"]) == {"rate_per_10k"}


def test_latest_sentence_names_each_areas_latest_figure_and_disputes(observations, catalogue):
    rate = observations[observations["indicator_id"] == "fixture_rate"]
    names = {"leicestershire": "Leicestershire", "rutland": "Rutland", "england": "England"}
    text = latest_sentence(rate, catalogue["fixture_rate"], names)
    assert text.startswith("Latest figures (2021/22): Leicestershire 45.0 per 10,000;")
    assert "Rutland suppressed by DfE" in text
    counts = observations[
        (observations["indicator_id"] == "fixture_count") & (observations["year_end"] <= 2021)
    ]
    text = latest_sentence(counts, catalogue["fixture_count"], names)
    assert "120 or 125 (sources disagree)" in text


def test_stated_sentence_puts_the_total_last_with_its_caveat(catalogue):
    rows = pd.DataFrame(
        {
            "area": ["leicestershire_and_rutland"] * 3,
            "period": ["2016"] * 3,
            "year_end": [2016] * 3,
            "breakdown": ["", "Year 6", "Year 9"],
            "value": [50.0, 20.0, 35.0],
            "value_symbol": [""] * 3,
            "status": ["lower_bound", "reported", "reported"],
        }
    )
    text = stated_sentence(rows, catalogue["fixture_count"], {})
    assert text.endswith("Year 6 20; Year 9 35; in total at least 50.")


def test_size_sentence_compares_the_counties_children_from_the_estimates():
    population = pd.DataFrame(
        {
            "area": ["leicestershire", "rutland", "leicestershire", "rutland"],
            "period": ["30 June 2023", "30 June 2023", "30 June 2024", "30 June 2024"],
            "year_end": [2023, 2023, 2024, 2024],
            "value": [100000.0, 5000.0, 120000.0, 6000.0],  # FIXTURE numbers
        }
    )
    text = size_sentence(population, {"leicestershire": "Leics", "rutland": "Rut"})
    assert "120,000 children aged 0-17 in Leics and 6,000 in Rut (30 June 2024)" in text
    assert "about 20 times as many" in text


def test_planned_periods_are_labelled_so_plans_never_pass_as_outcomes(observations):
    rows = planned_periods(observations[observations["indicator_id"] == "fixture_count"])
    assert "2022/23 (planned)" in set(rows["period"])
    assert "2021/22" in set(rows["period"])  # a period with an outcome keeps its name


def test_period_span_reads_first_to_last(observations):
    rows = observations[observations["indicator_id"] == "fixture_rate"]
    assert period_span(rows) == "2018/19 to 2021/22"
    assert period_span(rows[rows["period"] == "2019/20"]) == "2019/20"


def test_figure_sections_never_hold_long_series():
    """Tiles suit one-off figures; a series belongs on a chart."""
    observations = read_observations()
    for page in THEME_PAGES.values():
        for section in (s for s in page.sections if s.kind == FIGURES):
            rows = observations[observations["indicator_id"].isin(section.indicators)]
            per_series = rows.groupby(["indicator_id", "area"])["period"].nunique()
            assert per_series.max() <= 2, (page.key, section.key)


def test_captions_name_source_period_measure_caveats_and_polarity(observations, catalogue):
    rows = observations[observations["indicator_id"] == "fixture_count"]
    text = caption("Fixture count", rows, "count", catalogue["fixture_count"])
    assert text.startswith("Fixture count. Shown as numbers (counts). Period: 2019/20 to 2022/23.")
    assert "Source: Fixture report." in text
    assert "Provisional" in text and "Target" in text
    assert text.endswith(f"Which way is better: {catalogue['fixture_count'].polarity_label}.")
    many = pd.concat(
        [rows.assign(release=f"FIXTURE release {n}") for n in range(SOURCES_NAMED + 2)]
    )
    assert "and 2 more (the table names the source of each figure)" in caption("F", many, "count")

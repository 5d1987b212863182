"""The official-statistics build: shape, traceability, release choice, rates and LAIT agreement.

Pinned figures were read by hand from the raw CSVs (data row N is file line N + 1).
"""

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import pandas as pd
import pytest

from dashboard.build.official import (
    CELL_COLUMNS,
    DERIVED,
    Measure,
    Origin,
    Release,
    build_official_observations,
    cell,
    derive,
)
from dashboard.paths import RAW_OFFICIAL_DIR, SOURCES_DIR
from dashboard.schema import OBSERVATION_COLUMNS, OBSERVATION_KEY

C1 = "dfe_cin/c1_children_in_need_referrals_and_rereferrals_2013_to_2025_llr_subset.csv"
CLA_2022 = "dfe_cla/cla_number_and_rate_per_10k_children_2018_to_2022_release2022_llr_subset.csv"
CLA_2025 = "dfe_cla/cla_number_and_rate_per_10k_children_2021_to_2025_llr_subset.csv"
MISSING_2022 = (
    "dfe_cla/la_children_who_were_missing_or_away_from_placement_without_authorisation"
    "_2018_to_2022_llr_subset.csv"
)
MISSING_2024 = (
    "dfe_cla/la_children_who_were_missing_or_away_from_placement_without_authorisation"
    "_2020_to_2024_llr_subset.csv"
)
LAIT_FILES = (
    "lait/lait_bds_long_csc_llr_sn_subset.csv",
    "lait/lait_bds_long_csc_llr_sn_subset_years_only_in_2024-11_vintage.csv",
)
LAIT_AREAS = {"855": "leicestershire", "857": "rutland"}
REF = re.compile(r"^row (\d+): (.*); ([^;=]+)=([^;( ]*)(?: \((.+)\))?$")


@pytest.fixture(scope="module")
def official() -> pd.DataFrame:
    """The real build, run once for the module (it reads only data/raw/official)."""
    return build_official_observations()


@cache
def raw(path: str) -> pd.DataFrame:
    """A raw file as text, indexed by 1-based data row (header excluded)."""
    frame = pd.read_csv(
        RAW_OFFICIAL_DIR / path, dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    frame.columns = frame.columns.str.strip()
    frame.index = range(1, len(frame) + 1)
    return frame


def one(
    frame: pd.DataFrame, indicator_id: str, area: str, year: int, breakdown: str = ""
) -> pd.Series:
    """The single row for a key; fails if there is none or more than one."""
    rows = frame[
        (frame["indicator_id"] == indicator_id)
        & (frame["area"] == area)
        & (frame["year_end"] == year)
        & (frame["breakdown"] == breakdown)
    ]
    assert len(rows) == 1, (indicator_id, area, year, breakdown, len(rows))
    return rows.iloc[0]


def test_columns_and_dtypes_are_the_contract(official: pd.DataFrame) -> None:
    assert list(official.columns) == list(OBSERVATION_COLUMNS)
    assert {name: str(dtype) for name, dtype in official.dtypes.items()} == OBSERVATION_COLUMNS
    assert (official["conflict_id"] == "").all()
    assert (official["source_family"] == "official_statistics").all()


def test_record_ids_and_keys_are_unique(official: pd.DataFrame) -> None:
    assert official["record_id"].is_unique
    assert not official.duplicated(OBSERVATION_KEY).any()


def test_areas_and_years(official: pd.DataFrame) -> None:
    assert set(official["area"]) == {
        "leicestershire",
        "rutland",
        "leicester",
        "east_midlands",
        "england",
        "sn_leicestershire",
        "sn_rutland",
    }
    assert official["year_end"].between(2010, 2025).all()
    cla = official[
        (official["indicator_id"] == "cla_at_31_march") & (official["area"] == "rutland")
    ]
    assert sorted(cla["year_end"]) == list(range(2010, 2026))


@pytest.mark.parametrize(
    ("indicator_id", "area", "year", "value", "source", "row"),
    [
        ("cin_referrals", "leicestershire", 2016, 4461, C1, 241),
        ("cin_rereferral_pct", "leicestershire", 2016, 18.4, C1, 241),
        ("cin_referrals", "rutland", 2025, 385, C1, 9),
        ("cin_referrals", "england", 2025, 632830, C1, 1),
        (
            "cpp_at_31_march",
            "leicestershire",
            2025,
            511,
            "dfe_cin/d5_cpps_at31march_by_duration_2013_to_2025_llr_subset.csv",
            7,
        ),
        (
            "cla_at_31_march",
            "leicestershire",
            2010,
            330,
            "dfe_cla/SFR27_2010_March_llr_subset.csv",
            9,
        ),
        ("cla_at_31_march", "rutland", 2025, 32, CLA_2025, 20),
        ("cla_rate", "rutland", 2025, 40, CLA_2025, 20),
        (
            "sw_fte",
            "leicestershire",
            2025,
            332.6,
            "dfe_workforce/csww_indicators_2017_to_2025_llr_subset.csv",
            7,
        ),
        (
            "population_0_17",
            "rutland",
            2024,
            8012,
            "population/ons_mid-year_population_estimates_2012_to_2024_llr_subset.csv",
            9,
        ),
    ],
)
def test_pinned_published_figures(
    official: pd.DataFrame,
    indicator_id: str,
    area: str,
    year: int,
    value: float,
    source: str,
    row: int,
) -> None:
    found = one(official, indicator_id, area, year)
    assert found["value"] == value
    assert found["status"] == "published"
    assert found["source"] == source
    assert found["source_ref"].startswith(f"row {row}: ")


def test_every_source_ref_points_at_the_quoted_cell(official: pd.DataFrame) -> None:
    """Row N of the named file holds the quoted value; EES rows also hold the year."""
    local = official[~official["area"].str.startswith("sn_")]
    for rec in local[["source", "source_ref", "year_end"]].to_dict("records"):
        row, _, column, quoted, counts = REF.match(rec["source_ref"]).groups()
        source_row = raw(rec["source"]).loc[int(row)]
        assert source_row[column] == quoted, rec
        for count in (counts or "").split(", ") if counts else ():
            name, text = count.split("=")
            assert source_row[name] == text, rec
        if "time_period" in source_row:
            assert int(source_row["time_period"]) == rec["year_end"], rec


def test_published_percentages_carry_the_counts_their_row_gives(official: pd.DataFrame) -> None:
    """Re-referrals and repeat plans: numerator and denominator are the row's own count cells,
    and the published percentage is their ratio to 1 dp."""
    counted = official[
        official["indicator_id"].isin(["cin_rereferral_pct", "cpp_subsequent_pct"])
        & (official["status"] == "published")
    ]
    assert counted[["numerator", "denominator"]].notna().all().all()
    ratio = (counted["numerator"] / counted["denominator"] * 100).round(1)
    # England's counts are rounded to the nearest 10, so its ratio may differ in the last digit.
    assert ((ratio - counted["value"]).abs() <= 0.15).all()
    assert counted["source_ref"].str.contains(r"\((?:rereferral_count|CPP_subsequent)=").all()


def test_rutland_repeat_plans_2025_counts_and_interval(official: pd.DataFrame) -> None:
    """Pinned against d3 row 9: CPP_subsequent=7, CPP_start=38, CPP_subsequent_percent=18.4."""
    row = official[
        (official["indicator_id"] == "cpp_subsequent_pct")
        & (official["area"] == "rutland")
        & (official["year_end"] == 2025)
    ].iloc[0]
    assert (row["value"], row["numerator"], row["denominator"]) == (18.4, 7.0, 38.0)
    assert row["ci95_lower"] == pytest.approx(9.22, abs=0.01)
    assert row["ci95_upper"] == pytest.approx(33.42, abs=0.01)
    assert row["ci998_lower"] < row["ci95_lower"] and row["ci998_upper"] > row["ci95_upper"]
    assert row["ci_method"] == "Wilson score interval"


def test_statuses_values_and_rules_agree(official: pd.DataFrame) -> None:
    suppressed = official["status"] == "suppressed"
    assert official.loc[suppressed, "value"].isna().all()
    assert (official.loc[suppressed, "value_symbol"] != "").all()
    assert official.loc[~suppressed, "value"].notna().all()
    assert (official.loc[~suppressed, "value_symbol"] == "").all()
    published = official[official["status"] == "published"]
    assert (published["rule"] == "").all()
    computed = official[official["status"] == "computed"]
    assert (computed["rule"] != "").all()
    benchmark = computed["area"].str.startswith("sn_")
    assert computed.loc[benchmark, "rule"].str.startswith("mean of ").all()
    assert computed.loc[benchmark, ["numerator", "denominator"]].isna().all().all()
    assert computed.loc[~benchmark, ["numerator", "denominator"]].notna().all().all()


def test_real_suppressed_cells_are_kept(official: pd.DataFrame) -> None:
    d3 = raw("dfe_cin/d3_cpps_subsequent_plan_2013_to_2025_llr_subset.csv").loc[243]
    assert (d3["time_period"], d3["la_name"], d3["CPP_subsequent_percent"]) == (
        "2016",
        "Rutland",
        "c",
    )
    repeat = one(official, "cpp_subsequent_pct", "rutland", 2016)
    assert math.isnan(repeat["value"])
    assert (repeat["value_symbol"], repeat["status"]) == ("c", "suppressed")

    c3 = raw("dfe_cin/c3_factors_identified_at_end_of_assessment_2018_to_2025_llr_subset.csv")
    cells = c3.loc[111, ["time_period", "la_name", "Child_criminal_exploitation"]]
    assert tuple(cells) == ("2021", "Leicestershire", "x")
    cce = one(
        official, "assessment_factor_count", "leicestershire", 2021, "Child criminal exploitation"
    )
    assert math.isnan(cce["value"])
    assert (cce["value_symbol"], cce["status"]) == ("x", "suppressed")


@pytest.mark.parametrize(
    ("indicator_id", "year", "old", "new", "release"),
    [
        (
            "cla_at_31_march",
            2022,
            (CLA_2022, 23, "number", "694"),
            (CLA_2025, 257, "children_count", "696"),
            "DfE Children looked after in England including adoptions, 2025 release "
            "(reporting years 2021 to 2025)",
        ),
        (
            "cla_missing_incidents",
            2020,
            (MISSING_2022, 8, "number", "269"),
            (MISSING_2024, 1454, "number", "270"),
            "DfE Children looked after in England including adoptions, 2024 release "
            "(reporting years 2020 to 2024)",
        ),
    ],
)
def test_latest_release_wins(
    official: pd.DataFrame, indicator_id: str, year: int, old: tuple, new: tuple, release: str
) -> None:
    """Both releases hold the year with different values; the later one is kept, the older noted."""
    for path, row, column, value in (old, new):
        source_row = raw(path).loc[row]
        assert (source_row["old_la_code"], source_row["time_period"]) == ("855", str(year))
        assert source_row[column] == value
    found = one(official, indicator_id, "leicestershire", year)
    assert found["value"] == float(new[3])
    assert found["source"] == new[0]
    assert found["release"] == release
    assert f"gave {old[3]} ({old[0]} row {old[1]})" in found["note"]


def fixture_cells() -> pd.DataFrame:
    """FIXTURE, not real data: made-up counts and populations for an imaginary area 999."""
    counts = Release("fixture/counts.csv", "Fixture counts (test data)")
    population = Release("fixture/population.csv", "Fixture population (test data)")
    referrals = Measure("cin_referrals", "referral_count", "count", "year")
    people = Measure("population_0_17", "population_estimate", "count", "june")
    cells = [
        cell(referrals, Origin(counts, "999", 2016, 1, "fixture"), "1"),
        cell(referrals, Origin(counts, "999", 2017, 2, "fixture"), "c"),
        cell(referrals, Origin(counts, "999", 2019, 3, "fixture"), "5"),
        cell(people, Origin(population, "999", 2015, 1, "fixture"), "8000"),
        cell(people, Origin(population, "999", 2016, 2, "fixture"), "10000"),
    ]
    return pd.DataFrame.from_records(cells, columns=CELL_COLUMNS)


def test_rate_rule_on_fixture() -> None:
    spec = next(spec for spec in DERIVED if spec.indicator_id == "cin_referral_rate")
    rates = derive(fixture_cells(), spec).set_index("year_end")
    assert sorted(rates.index) == [2016, 2017]  # 2019 has no mid-2018 population
    first = rates.loc[2016]
    # 1 / mid-2015 population 8000 × 10,000 = 1.25 -> 1.3 (half up, as DfE rounds)
    assert (first["value"], first["numerator"], first["denominator"]) == (1.3, 1.0, 8000.0)
    assert first["status"] == "computed"
    assert first["rule"].startswith("referral_count / ONS mid-2015 population aged 0-17 (")
    assert first["rule"].endswith("× 10,000, rounded to 1 dp")
    second = rates.loc[2017]
    assert math.isnan(second["value"])
    assert (second["value_symbol"], second["status"], second["denominator"]) == (
        "c",
        "suppressed",
        10000.0,
    )


@cache
def lait() -> dict[tuple[str, str, int], str]:
    """LAIT's published values for Leicestershire and Rutland, both vintages."""
    values = {}
    for path in LAIT_FILES:
        frame = raw(path)
        frame = frame[frame["LA Number"].isin(LAIT_AREAS) & frame["Years"].str.isdigit()]
        for rec in frame.to_dict("records"):
            values[(rec["Short Desc"], LAIT_AREAS[rec["LA Number"]], int(rec["Years"]))] = rec[
                "Values"
            ]
    return values


@pytest.mark.parametrize(
    ("measure", "indicator_id", "years"),
    [
        ("CPP_Total_Rateper10,000", "cin_referral_rate", range(2015, 2026)),
        ("Section_47", "s47_rate", range(2015, 2026)),
        ("ISCP_Conf", "icpc_rate", range(2015, 2026)),
        ("CIN", "cin_rate", range(2015, 2026)),
        ("CPP_rate", "cpp_rate", range(2015, 2026)),
        ("CPP_Total_NumRef", "cin_referrals", range(2015, 2026)),
        ("ReReferral", "cin_rereferral_pct", range(2015, 2026)),
        ("CPP_Num", "cpp_at_31_march", range(2015, 2026)),
        ("CPP_Abuse", "cpp_starts", range(2015, 2026)),
        ("PrevRegCPR", "cpp_subsequent_pct", range(2015, 2026)),
        ("LAC", "cla_rate", range(2018, 2026)),
        ("LACnum", "cla_at_31_march", range(2018, 2026)),
        ("LACnum_Start", "cla_started", range(2018, 2026)),
        ("LACceased", "cla_ceased", range(2018, 2026)),
        ("Children_missing", "cla_missing_pct", range(2015, 2025)),
        ("Children_Away", "cla_away_pct", range(2015, 2025)),
        ("Work_Force_NoSW", "sw_fte", range(2017, 2026)),
        ("Work_Force_TO_Rate", "sw_turnover_pct", range(2017, 2026)),
        ("Work_Force_Agecy_Rate", "sw_agency_pct", range(2017, 2026)),
        ("Work_Force_Vac_Rate", "sw_vacancy_pct", range(2017, 2026)),
        ("Work_Force_AvgNumCase_SW", "sw_caseload", range(2017, 2026)),
    ],
)
@pytest.mark.parametrize("area", ["leicestershire", "rutland"])
def test_matches_lait(
    official: pd.DataFrame, measure: str, indicator_id: str, years: range, area: str
) -> None:
    """Every year both hold agrees within LAIT's rounding (0.05) or is suppressed in both.

    Computed rates use the same ONS estimates as LAIT, so no year is excused; CLA years before
    2018 are left out here and checked in test_sfr_era_cla_differences_are_explained.
    """
    for year in years:
        shown = lait()[(measure, area, year)]
        ours = one(official, indicator_id, area, year)
        if shown == "-":
            assert ours["status"] == "suppressed", (year, ours["value"])
        else:
            assert abs(ours["value"] - float(shown)) <= 0.05 + 1e-9, (year, ours["value"], shown)


def test_sfr_era_cla_differences_are_explained(official: pd.DataFrame) -> None:
    """2015-2017 CLA figures come from the SFRs; LAIT shows later releases' figures.

    Where they differ (e.g. Rutland's rate 2016: 50 here with current ONS estimates, 52 in LAIT)
    the row's note names the LAIT file and row; where they agree there is no such note.
    """
    differing = set()
    for measure, indicator_id in (("LAC", "cla_rate"), ("LACnum", "cla_at_31_march")):
        for area in LAIT_AREAS.values():
            for year in (2015, 2016, 2017):
                ours = one(official, indicator_id, area, year)
                if ours["value"] != float(lait()[(measure, area, year)]):
                    differing.add((indicator_id, area, year))
                assert ("LAIT" in ours["note"]) == ((indicator_id, area, year) in differing)
    assert differing == {
        ("cla_rate", "leicestershire", 2017),
        ("cla_rate", "rutland", 2015),
        ("cla_rate", "rutland", 2016),
        ("cla_rate", "rutland", 2017),
        ("cla_at_31_march", "leicestershire", 2015),
        ("cla_at_31_march", "leicestershire", 2017),
        ("cla_at_31_march", "rutland", 2015),
    }


def test_statistical_neighbour_mean(official: pd.DataFrame) -> None:
    """Recomputed from the raw file and the long neighbour list (Hampshire 2024 is 'u')."""
    sn = raw("statistical_neighbours/sn_leicestershire_rutland_long.csv")
    codes = sn[(sn["la_code"] == "855") & sn["model"].str.contains("2025")]["sn_la_code"]
    c1 = raw(C1)
    cells = c1[(c1["time_period"] == "2024") & c1["old_la_code"].isin(codes)]["rereferral_percent"]
    numbers = [Decimal(v) for v in cells if v not in {"u", "c", "x"}]
    assert len(cells) == 10 and len(numbers) == 9
    expected = float((sum(numbers) / 9).quantize(Decimal("0.1"), ROUND_HALF_UP))
    found = one(official, "cin_rereferral_pct", "sn_leicestershire", 2024)
    assert found["value"] == expected
    assert found["rule"].startswith("mean of 9 statistical neighbours (DfE 2025 model")
    assert "Hampshire (u)" in found["rule"]


def test_no_neighbour_average_of_counts(official: pd.DataFrame) -> None:
    benchmark = official[official["area"].str.startswith("sn_")]
    assert set(benchmark["unit"]) <= {"rate_per_10k", "percent", "ratio"}


def test_period_labels(official: pd.DataFrame) -> None:
    expected = {
        "cin_referrals": ("2015/16", "financial_year"),
        "cpp_at_31_march": ("31 March 2016", "snapshot"),
        "cla_rate": ("31 March 2016", "snapshot"),
        "population_0_17": ("30 June 2016", "snapshot"),
    }
    for indicator_id, labels in expected.items():
        found = one(official, indicator_id, "leicestershire", 2016)
        assert (found["period"], found["period_type"]) == labels
    assert one(official, "sw_fte", "rutland", 2025)["period"] == "30 September 2025"
    assert (
        one(official, "sw_turnover_pct", "rutland", 2025)["period"] == "year to 30 September 2025"
    )


def test_catalogue_lists_exactly_the_indicators(official: pd.DataFrame) -> None:
    catalogue = pd.read_csv(SOURCES_DIR / "indicators.csv", dtype=str, keep_default_na=False)
    catalogue = catalogue[catalogue["source_family"] == "official_statistics"]
    assert set(catalogue["indicator_id"]) == set(official["indicator_id"])
    units = dict(zip(catalogue["indicator_id"], catalogue["unit"], strict=True))
    assert (official["unit"] == official["indicator_id"].map(units)).all()

"""The national build (data/national.parquet): every English authority, traceable to its row,
equal to observations.parquet where they overlap, and boundary changes kept apart.

Pinned figures were read by hand from the raw CSVs in data/raw/national (data row N is file
line N + 1).
"""

import math
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from dashboard.build.national import (
    BOUNDARY_NOTES,
    DERIVED_IDS,
    NATIONAL_INDICATORS,
    NATIONAL_KEY,
    build_national,
    national_problems,
)
from dashboard.paths import OBSERVATIONS_PARQUET, RAW_NATIONAL_DIR
from dashboard.schema import NATIONAL_COLUMNS
from dashboard.stats import BYAR_METHOD, WILSON_METHOD
from dashboard.update.apply import restore
from dashboard.update.common import DataDirs

B1 = "b1_children_in_need_2013_to_2025.csv"
C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
CLA = "cla_number_and_rate_per_10k_children.csv"
CSWW = "csww_indicators_2017_to_2025.csv"
POPULATION = "ons_mid-year_population_estimates_2012_to_2024.csv"
CIN_IDS = (*DERIVED_IDS, "cin_rereferral_pct", "cpp_subsequent_pct")
WORKFORCE_IDS = ("sw_turnover_pct", "sw_agency_pct", "sw_caseload")
DASHBOARD_AREAS = ("england", "leicestershire", "rutland", "leicester")


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    """The real build, run once for the module (it reads only data/raw/national)."""
    return build_national()


def raw(name: str) -> pd.DataFrame:
    frame = pd.read_csv(
        RAW_NATIONAL_DIR / name, dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    frame.index = range(1, len(frame) + 1)
    return frame


def one(national: pd.DataFrame, indicator_id: str, la_code: str, year: int) -> pd.Series:
    rows = national[
        (national["indicator_id"] == indicator_id)
        & (national["la_code"] == la_code)
        & (national["year_end"] == year)
    ]
    assert len(rows) == 1, (indicator_id, la_code, year)
    return rows.iloc[0]


def la_codes(national: pd.DataFrame, indicator_id: str, year: int) -> set[str]:
    rows = national[
        (national["indicator_id"] == indicator_id)
        & (national["year_end"] == year)
        & (national["geographic_level"] == "Local authority")
    ]
    return set(rows["la_code"])


def test_shape_and_checks(national):
    assert list(national.columns) == list(NATIONAL_COLUMNS)
    assert {name: str(dtype) for name, dtype in national.dtypes.items()} == NATIONAL_COLUMNS
    assert set(national["indicator_id"]) == set(NATIONAL_INDICATORS)
    assert national_problems(national) == []
    assert not national.duplicated(NATIONAL_KEY).any()


def test_rutland_repeat_plans_2025_as_in_the_raw_row(national):
    row = one(national, "cpp_subsequent_pct", "857", 2025)
    line = raw(D3).loc[72]
    assert (line["la_name"], line["time_period"]) == ("Rutland", "2025")
    assert (line["CPP_subsequent"], line["CPP_start"], line["CPP_subsequent_percent"]) == (
        "7",
        "38",
        "18.4",
    )
    assert (row["value"], row["numerator"], row["denominator"]) == (18.4, 7.0, 38.0)
    assert (row["period"], row["area"], row["unit"]) == ("2024/25", "rutland", "percent")
    assert row["source"] == D3
    assert row["source_ref"] == (
        "row 72: time_period=2025, geographic_level=Local authority, old_la_code=857, "
        "la_name=Rutland; CPP_subsequent_percent=18.4 (CPP_subsequent=7, CPP_start=38)"
    )
    lower, upper = proportion_confint(7, 38, alpha=0.05, method="wilson")
    assert row["ci95_lower"] == pytest.approx(lower * 100)
    assert row["ci95_upper"] == pytest.approx(upper * 100)
    assert row["ci_method"] == WILSON_METHOD


def test_rutland_referral_rate_2025_uses_the_previous_years_population(national):
    row = one(national, "cin_referral_rate", "857", 2025)
    assert raw(C1).loc[72, "referral_count"] == "385"
    assert (raw(POPULATION).loc[72, "time_period"], raw(POPULATION).loc[72, "la_name"]) == (
        "2024",
        "Rutland",
    )
    assert raw(POPULATION).loc[72, "population_estimate"] == "8012"
    exact = Decimal(385) * 10_000 / Decimal(8012)
    assert row["value"] == float(exact.quantize(Decimal("0.1"), ROUND_HALF_UP)) == 480.5
    assert (row["numerator"], row["denominator"]) == (385.0, 8012.0)
    assert (row["period"], row["ci_method"]) == ("2024/25", BYAR_METHOD)
    assert row["ci95_lower"] < row["value"] < row["ci95_upper"]
    assert row["source"] == C1
    assert row["source_ref"].startswith(
        "row 72: time_period=2025, geographic_level=Local authority, old_la_code=857, "
        "la_name=Rutland; referral_count=385; rate = "
    )
    assert f"{POPULATION} row 72: population_estimate=8012" in row["source_ref"]


def test_looked_after_rate_is_published_with_its_count_and_population(national):
    line = raw(CLA).loc[215]
    assert (line["la_name"], line["time_period"]) == ("Leicestershire", "2025")
    row = one(national, "cla_rate", "855", 2025)
    assert (row["value"], row["numerator"], row["denominator"]) == (47.0, 694.0, 147439.0)
    assert (row["period"], row["source"], row["ci_method"]) == ("31 March 2025", CLA, BYAR_METHOD)
    england = one(national, "cla_rate", "", 2025)
    assert (england["la_name"], england["area"], england["geographic_level"]) == (
        "England",
        "england",
        "National",
    )
    assert (england["value"], england["numerator"], england["denominator"]) == (
        67.0,
        81770.0,
        12183016.0,
    )


def test_workforce_keeps_values_without_intervals(national):
    assert raw(CSWW).loc[72, "la_name"] == "Rutland"
    turnover = one(national, "sw_turnover_pct", "857", 2025)
    assert (turnover["value"], turnover["period"]) == (22.8, "year to 30 September 2025")
    caseload = one(national, "sw_caseload", "857", 2025)
    assert (caseload["value"], caseload["unit"], caseload["period"]) == (
        11.7,
        "ratio",
        "30 September 2025",
    )
    workforce = national[national["indicator_id"].isin(WORKFORCE_IDS)]
    assert workforce["value"].notna().sum() > 1000
    assert workforce[["numerator", "denominator", "ci95_lower", "ci998_upper"]].isna().all().all()
    assert (workforce["ci_method"] == "").all()


def test_intervals_exactly_where_counts_exist(national):
    counted = national["numerator"].notna() & national["denominator"].notna()
    assert counted.sum() > 14_000
    assert (
        national.loc[counted, ["ci95_lower", "ci95_upper", "ci998_lower", "ci998_upper"]]
        .notna()
        .all()
        .all()
    )
    assert set(national.loc[counted, "ci_method"]) == {WILSON_METHOD, BYAR_METHOD}
    assert national.loc[~counted, "ci95_lower"].isna().all()
    assert (national.loc[~counted, "ci_method"] == "").all()
    percent = national[counted & (national["unit"] == "percent")]
    assert (percent["ci_method"] == WILSON_METHOD).all()


def test_suppressed_values_keep_their_symbol(national):
    suppressed = national[national["value"].isna()]
    assert not suppressed.empty
    assert (suppressed["value_symbol"] != "").all()
    assert suppressed["ci95_lower"].isna().all()


def test_dashboard_areas_equal_observations(national):
    """The subsets under data/raw/official are cut from the same releases: every overlapping
    value must be the same (only `value` and `period`, while observations is being rebuilt)."""
    observations = pd.read_parquet(
        OBSERVATIONS_PARQUET,
        columns=["indicator_id", "area", "year_end", "breakdown", "period", "value"],
    )
    observations = observations[
        (observations["breakdown"] == "") & observations["area"].isin(DASHBOARD_AREAS)
    ]
    ours = national[national["area"] != ""]
    merged = ours.merge(
        observations, on=["indicator_id", "area", "year_end"], suffixes=("", "_obs")
    )
    assert len(merged) == len(ours) > 400
    same = (merged["value"] == merged["value_obs"]) | (
        merged["value"].isna() & merged["value_obs"].isna()
    )
    assert merged.loc[~same, ["indicator_id", "area", "year_end"]].empty
    assert (merged["period"] == merged["period_obs"]).all()


def test_area_ids_and_neighbours(national):
    latest = national[(national["indicator_id"] == "cin_rate") & (national["year_end"] == 2025)]
    areas = dict(zip(latest["la_code"], latest["area"], strict=True))
    assert {code: area for code, area in areas.items() if area} == {
        "": "england",
        "855": "leicestershire",
        "856": "leicester",
        "857": "rutland",
    }
    owners = dict(zip(latest["la_code"], latest["neighbour_of"], strict=True))
    for county in ("leicestershire", "rutland"):
        assert sum(county in owner.split(";") for owner in owners.values()) == 10
    assert owners["855"] == "rutland"  # Leicestershire is one of Rutland's neighbours
    assert owners["865"] == "leicestershire;rutland"  # Wiltshire neighbours both
    assert owners["856"] == ""


def test_each_year_has_the_authorities_dfe_published(national):
    b1 = raw(B1)
    b1 = b1[b1["geographic_level"] == "Local authority"]
    csww = raw(CSWW)
    csww = csww[csww["geographic_level"] == "Local authority"]
    for year, group in b1.groupby("time_period"):
        for indicator_id in CIN_IDS:
            assert la_codes(national, indicator_id, int(year)) == set(group["old_la_code"])
        if int(year) >= 2021:
            assert la_codes(national, "cla_rate", int(year)) == set(group["old_la_code"])
    for year, group in csww.groupby("time_period"):
        for indicator_id in WORKFORCE_IDS:
            assert la_codes(national, indicator_id, int(year)) == set(group["old_la_code"])


@pytest.mark.parametrize(
    ("indicator_id", "old", "last", "new"),
    [
        ("cin_rate", ("835", "836", "837"), 2019, ("838", "839")),
        ("cin_rate", ("928",), 2021, ("940", "941")),
        ("cin_rate", ("909",), 2023, ("942", "943")),
        ("cla_rate", ("928",), 2021, ("940", "941")),
        ("cla_rate", ("909",), 2023, ("942", "943")),
        ("sw_agency_pct", ("928",), 2020, ("940 / 941",)),
        ("sw_agency_pct", ("909",), 2022, ("942", "943")),
    ],
)
def test_boundary_changes_are_not_stitched(national, indicator_id, old, last, new):
    rows = national[national["indicator_id"] == indicator_id]
    for code in old:
        years = rows.loc[rows["la_code"] == code, "year_end"]
        assert years.max() == last
    for code in new:
        years = rows.loc[rows["la_code"] == code, "year_end"]
        assert years.min() == last + 1
    touched = rows[rows["la_code"].isin((*old, *new))]
    assert (touched["series_note"] == touched["la_code"].map(BOUNDARY_NOTES)).all()
    assert (touched["series_note"] != "").all()


def test_unbroken_authorities_have_no_series_note(national):
    for code in ("815", "933", "855", "857"):  # North Yorkshire, Somerset: unitary, same area
        rows = national[national["la_code"] == code]
        assert set(rows["year_end"]) == set(range(2013, 2026))
        assert (rows["series_note"] == "").all()


def copied_raw(tmp_path: Path) -> Path:
    copy = tmp_path / "national"
    shutil.copytree(RAW_NATIONAL_DIR, copy)
    return copy


def test_looked_after_figures_for_an_authority_that_did_not_exist_stop_the_build(tmp_path):
    copy = copied_raw(tmp_path)
    path = copy / CLA
    text = path.read_text(encoding="utf-8-sig")
    placeholder = (
        "2024,Reporting year,Local authority,E92000001,England,E12000002,North West,909,"
        "Cumbria,E10000006,Children looked after on 31 March each year,x,z,z"
    )
    assert placeholder in text
    path.write_text(text.replace(placeholder, placeholder[: -len("x,z,z")] + "90000,700,78"))
    with pytest.raises(ValueError, match="909 has figures for 2024"):
        build_national(copy)


def test_a_count_without_its_population_stops_the_build(tmp_path):
    copy = copied_raw(tmp_path)
    population = raw(POPULATION)
    population[population.index != 72].to_csv(copy / POPULATION, index=False)
    with pytest.raises(ValueError, match="no population for 857 in 2024"):
        build_national(copy)


def test_problems_are_named(national):
    broken = national.copy()
    percent = broken.index[broken["unit"] == "percent"][0]
    broken.loc[percent, "value"] = 120.0
    broken = pd.concat([broken, broken.iloc[[0]]], ignore_index=True)
    counted = broken.index[broken["ci95_upper"].notna()][5]
    broken.loc[counted, "value"] = broken.loc[counted, "ci95_upper"] + 10
    reasons = [(problem.field, problem.reason) for problem in national_problems(broken)]
    assert any(field == "value" and "0-100" in reason for field, reason in reasons)
    assert sum(field == "la_code" for field, _ in reasons) == 2
    assert any(field == "ci95_lower" for field, _ in reasons)


def test_rollback_to_a_version_older_than_the_national_table_keeps_it(tmp_path):
    """Servers' update history may predate national.parquet: rolling back must not delete it."""
    dirs = DataDirs(tmp_path)
    for folder in ("sources", "documents", "raw/official"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "sources" / "indicators.csv").write_text("old\n")
    (tmp_path / "observations.parquet").write_bytes(b"old table")
    version = dirs.history / "20260101T000000Z"
    shutil.copytree(tmp_path, version, ignore=shutil.ignore_patterns("history"))
    (tmp_path / "sources" / "indicators.csv").write_text("new\n")
    (tmp_path / "observations.parquet").write_bytes(b"new table")
    (tmp_path / "national.parquet").write_bytes(b"national table")
    (tmp_path / "sources" / "added.csv").write_text("added\n")
    restore(dirs, version.name)
    assert (tmp_path / "sources" / "indicators.csv").read_text() == "old\n"
    assert (tmp_path / "observations.parquet").read_bytes() == b"old table"
    assert not (tmp_path / "sources" / "added.csv").exists()
    assert (tmp_path / "national.parquet").read_bytes() == b"national table"


def test_every_rate_is_rounded_half_up_from_its_counts(national):
    rates = national[national["indicator_id"].isin(DERIVED_IDS) & national["value"].notna()].sample(
        200, random_state=13
    )
    for row in rates.itertuples():
        exact = Decimal(str(row.numerator)) * 10_000 / Decimal(str(row.denominator))
        expected = float(exact.quantize(Decimal("0.1"), ROUND_HALF_UP))
        assert row.value == expected, row.source_ref
        assert not math.isnan(row.ci95_lower)

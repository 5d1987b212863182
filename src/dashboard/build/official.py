"""Official statistics (DfE, ONS) as observation rows, each traceable to its raw CSV and row.

The files under data/raw/official are unchanged downloads. This module only selects cells,
labels them, keeps the latest release where releases overlap, derives rates the way DfE does,
averages statistical neighbours, and records for every value the file, row and rule behind it.
Row numbers in `source_ref` count data rows from 1, the header excluded (file line = row + 1).
"""

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.areas import area_catalogue
from dashboard.intervals import add_intervals
from dashboard.paths import RAW_OFFICIAL_DIR
from dashboard.schema import DFE_SYMBOLS, OBSERVATION_COLUMNS

EAST_MIDLANDS_CODE = "E12000004"
SN_UNITS = ("rate_per_10k", "percent", "ratio")
SN_MIN_VALUES = 5  # a mean of fewer than half the neighbours is not shown
SN_MODEL_FILE = "statistical_neighbours/sn_model_2025_wide.csv"
LA_LOOKUP_FILE = "statistical_neighbours/la_code_lookup_from_b1.csv"
LAIT_FILES = (
    "lait/lait_bds_long_csc_llr_sn_subset.csv",
    "lait/lait_bds_long_csc_llr_sn_subset_years_only_in_2024-11_vintage.csv",
)
LAIT_AREA_KEYS = {"970": "england", "983": "east_midlands"}
# LAIT shows SFR-era CLA figures from later releases; where they differ, say so beside ours.
LAIT_CROSS_CHECK = {"LACnum": "cla_at_31_march", "LAC": "cla_rate"}
LAST_SFR_YEAR = 2017
SYMBOL_MEANINGS = {
    "c": "c = suppressed by DfE to protect confidentiality (small number)",
    "x": "x = not available",
    "z": "z = not applicable",
    "low": "low = rounds to zero",
    "k": "k = fewer than 0.5",
    "-": "- = nil or not applicable",
    "u": "u = low reliability; DfE did not publish a value",
}
# The old SFR tables wrote "not available" as "..", which today's DfE symbol set writes as x.
LEGACY_SYMBOLS = {"..": "x"}
# (label, period_type) for each timing; year_end is the calendar year in which the period ends.
TIMINGS = {
    "year": ("{prev}/{yy}", "financial_year"),
    "march": ("31 March {year}", "snapshot"),
    "september": ("30 September {year}", "snapshot"),
    "year_to_september": ("year to 30 September {year}", "snapshot"),
    "june": ("30 June {year}", "snapshot"),
}
CELL_COLUMNS = [
    "indicator_id",
    "key",
    "year_end",
    "breakdown",
    "raw",
    "unit",
    "timing",
    "source",
    "row",
    "ref",
    "column",
    "release",
    "rank",
    "label",
    "note",
    "count_cells",
]
# Internal rows before shaping: a cell parsed, derived or averaged, still keyed by LA code.
VALUE_COLUMNS = [
    "indicator_id",
    "key",
    "year_end",
    "breakdown",
    "value",
    "value_symbol",
    "unit",
    "timing",
    "status",
    "source",
    "row",
    "source_ref",
    "release",
    "note",
    "numerator",
    "denominator",
    "rule",
]


def la_areas() -> dict[str, str]:
    """DfE's local authority code -> the area's id, from areas.csv."""
    return area_catalogue().by_dfe_code


def output_keys() -> dict[str, str]:
    """The keys of the rows the build keeps (England, the region, the authorities) -> area id."""
    national = {area.id: area.id for area in area_catalogue() if area.kind in ("country", "region")}
    return national | la_areas()


def neighbour_averages() -> dict[str, str]:
    """DfE code of each area whose statistical neighbours are averaged -> the average's id."""
    areas = area_catalogue()
    return {areas[area.neighbours_of].dfe_la_code: area.id for area in areas if area.neighbours_of}


@dataclass(frozen=True)
class Release:
    """A raw file and the official release it belongs to; a higher rank is a later release."""

    path: str
    name: str
    rank: int = 0


@dataclass(frozen=True)
class Measure:
    """One value column of a raw file and the indicator (and breakdown) it feeds."""

    indicator_id: str
    column: str
    unit: str
    timing: str
    breakdown: str = ""
    note: str = ""
    # The numerator and denominator columns of the same row, for a published rate or percentage
    # whose counts the file also gives: they make its confidence interval possible.
    counts: tuple[str, str] | tuple[()] = ()


@dataclass(frozen=True)
class Derived:
    """A value DfE does not publish in these files, computed from two published cells."""

    indicator_id: str
    numerator_id: str
    denominator_ids: tuple[str, ...]
    unit: str
    scale: int
    year_offset: int  # denominator year = year_end + year_offset
    decimals: int
    note: str = ""


CIN = "DfE Characteristics of children in need: reporting year 2024-25"
CIN_FOLDER = "dfe_cin"
CLA_EES = "DfE Children looked after in England including adoptions"
B1 = Release("dfe_cin/b1_children_in_need_2013_to_2025_llr_subset.csv", CIN)
C1 = Release(
    "dfe_cin/c1_children_in_need_referrals_and_rereferrals_2013_to_2025_llr_subset.csv", CIN
)
C3 = Release("dfe_cin/c3_factors_identified_at_end_of_assessment_2018_to_2025_llr_subset.csv", CIN)
C4 = Release("dfe_cin/c4_children_in_need_section_47s_and_icpcs_2013_to_2025_llr_subset.csv", CIN)
D3 = Release("dfe_cin/d3_cpps_subsequent_plan_2013_to_2025_llr_subset.csv", CIN)
D5 = Release("dfe_cin/d5_cpps_at31march_by_duration_2013_to_2025_llr_subset.csv", CIN)
CSWW = Release(
    "dfe_workforce/csww_indicators_2017_to_2025_llr_subset.csv",
    "DfE Children's social work workforce: reporting year 2025 (indicators 2017 to 2025)",
)
POPULATION = Release(
    "population/ons_mid-year_population_estimates_2012_to_2024_llr_subset.csv",
    "ONS mid-year population estimates, children aged 0 to 17, 2012 to 2024 (compiled by DfE)",
)
CLA_NUMBER_RELEASES = (
    Release(
        "dfe_cla/cla_number_and_rate_per_10k_children_2018_to_2022_release2022_llr_subset.csv",
        f"{CLA_EES}: 2021 to 2022 (reporting years 2018 to 2022)",
        2022,
    ),
    Release(
        "dfe_cla/cla_number_and_rate_per_10k_children_2019_llr_subset.csv",
        f"{CLA_EES}, 2023 release (reporting years 2019 to 2023)",
        2023,
    ),
    Release(
        "dfe_cla/cla_number_and_rate_per_10k_children_2020_llr_subset.csv",
        f"{CLA_EES}, 2024 release (reporting years 2020 to 2024)",
        2024,
    ),
    Release(
        "dfe_cla/cla_number_and_rate_per_10k_children_2021_to_2025_llr_subset.csv",
        f"{CLA_EES}, 2025 release (reporting years 2021 to 2025)",
        2025,
    ),
)
MISSING_RELEASES = (
    (
        Release(
            "dfe_cla/la_children_who_were_missing_or_away_from_placement_without_authorisation"
            "_2018_to_2022_llr_subset.csv",
            f"{CLA_EES}: 2021 to 2022 (reporting years 2018 to 2022)",
            2022,
        ),
        "cla_group",
    ),
    (
        Release(
            "dfe_cla/la_children_who_were_missing_or_away_from_placement_without_authorisation"
            "_2020_to_2024_llr_subset.csv",
            f"{CLA_EES}, 2024 release (reporting years 2020 to 2024)",
            2024,
        ),
        "CLA_group",
    ),
)
SFR_CLA_TITLE = "Children looked after in England (including adoption and care leavers)"
# (file, year, SFR number, CLA at 31 March column, CLA during the year column)
SFR_CLA = (
    ("dfe_cla/SFR27_2010_March_llr_subset.csv", 2010, "SFR27/2010", "MarTotal_2010", ""),
    ("dfe_cla/SFR21_CLA_llr_subset.csv", 2011, "SFR21/2011", "CLA_Mar2011", "CLA_2011"),
    ("dfe_cla/SFR20_CLA2012_llr_subset.csv", 2012, "SFR20/2012", "CLA_Mar2012", "CLA_2012"),
    ("dfe_cla/SFR36_CLA2013_llr_subset.csv", 2013, "SFR36/2013", "CLA_Mar2013", "CLA_2013"),
    ("dfe_cla/SFR36_CLA2014_llr_subset.csv", 2014, "SFR36/2014", "CLA_Mar2014", "CLA_2014"),
    ("dfe_cla/SFR34_CLA2015_llr_subset.csv", 2015, "SFR34/2015", "CLA_Mar2015", "CLA_2015"),
    ("dfe_cla/SFR41_CLA2016_llr_subset.csv", 2016, "SFR41/2016", "CLA_Mar2016", "CLA_2016"),
    ("dfe_cla/SFR50_CLA2017_llr_subset.csv", 2017, "SFR50/2017", "CLA_Mar2017", "CLA_2017"),
)
SFR_2010_POPULATION = "Mid2009Pop0-17"
# (file, year, SFR number, column prefix): the 2017 file renamed CLA_Miss* to Miss_Miss_*.
SFR_MISSING = (
    ("dfe_cla/SFR34_Missing2015_llr_subset.csv", 2015, "SFR34/2015", ("CLA_Miss", "CLA_Away")),
    ("dfe_cla/SFR41_Missing2016_llr_subset.csv", 2016, "SFR41/2016", ("CLA_Miss", "CLA_Away")),
    ("dfe_cla/SFR50_Missing_2017_llr_subset.csv", 2017, "SFR50/2017", ("Miss_Miss_", "Miss_Away_")),
)

DURATION_BANDS = {
    "3_months_or_less": "3 months or less",
    "more_than_3_months_6_months": "More than 3 months to 6 months",
    "more_than_6_months_less_than_1_year": "More than 6 months but less than 1 year",
    "1_year_less_than_2_years": "1 year but less than 2 years",
    "2_years_or_more": "2 years or more",
}
ASSESSMENT_FACTORS = {
    "Episodes_with_assessment_factor": "Assessments with any factor recorded",
    "Domestic_Abuse_child": "Domestic abuse: concerns about the child",
    "Domestic_Abuse_parent": "Domestic abuse: concerns about a parent or carer",
    "Domestic_Abuse_person": "Domestic abuse: concerns about another person in the household",
    "Mental_Health_parent": "Mental health: concerns about a parent or carer",
    "Alcohol_Misuse_parent": "Alcohol misuse: concerns about a parent or carer",
    "Drug_Misuse_parent": "Drug misuse: concerns about a parent or carer",
    "Neglect": "Neglect",
    "Emotional_Abuse": "Emotional abuse",
    "Going_missing": "Going missing",
    "Child_sexual_exploitation": "Child sexual exploitation",
    "Child_criminal_exploitation": "Child criminal exploitation",
    "Gangs": "Gangs",
    "Trafficking": "Trafficking",
    "Self_harm": "Self-harm",
}
EES_MEASURES: dict[Release, tuple[Measure, ...]] = {
    C1: (
        Measure("cin_referrals", "referral_count", "count", "year"),
        Measure(
            "cin_rereferral_pct",
            "rereferral_percent",
            "percent",
            "year",
            counts=("rereferral_count", "referral_count"),
        ),
    ),
    C4: (
        Measure("s47_enquiries", "Section47", "count", "year"),
        Measure("icpc_count", "ICPC", "count", "year"),
    ),
    B1: (
        Measure(
            "cin_at_31_march",
            "At31_episodes",
            "count",
            "march",
            note="Children in need episodes open at 31 March (At31_episodes).",
        ),
    ),
    D3: (
        Measure("cpp_starts", "CPP_start", "count", "year"),
        Measure(
            "cpp_subsequent_pct",
            "CPP_subsequent_percent",
            "percent",
            "year",
            counts=("CPP_subsequent", "CPP_start"),
        ),
    ),
    D5: (
        Measure("cpp_at_31_march", "CPP_At31", "count", "march"),
        *(
            Measure("cpp_at_31_march_by_duration", column, "count", "march", band)
            for column, band in DURATION_BANDS.items()
        ),
        *(
            Measure(
                "cpp_at_31_march_by_duration_pct",
                f"{column}_percent",
                "percent",
                "march",
                band,
                counts=(column, "CPP_At31"),
            )
            for column, band in DURATION_BANDS.items()
        ),
    ),
    C3: tuple(
        Measure("assessment_factor_count", column, "count", "year", factor)
        for column, factor in ASSESSMENT_FACTORS.items()
    ),
    CSWW: (
        Measure("sw_fte", "inpost_fte", "fte", "september"),
        Measure("sw_turnover_pct", "turnover_rate_fte", "percent", "year_to_september"),
        Measure("sw_agency_pct", "agency_rate_fte", "percent", "september"),
        Measure("sw_vacancy_pct", "vacancy_rate_fte", "percent", "september"),
        Measure("sw_caseload", "caseload_fte", "ratio", "september"),
    ),
    POPULATION: (Measure("population_0_17", "population_estimate", "count", "june"),),
}
CLA_NUMBER_GROUPS = {
    "Children looked after at 31 March each year": ("cla_at_31_march", "cla_rate", "march"),
    "Children looked after on 31 March each year": ("cla_at_31_march", "cla_rate", "march"),
    "Children starting to be looked after each year": ("cla_started", "", "year"),
    "Children ceasing to be looked after each year": ("cla_ceased", "", "year"),
}
MISSING_GROUPS = {
    "Children who had a missing incident during the year": ("cla_missing_children", "count"),
    "Percentage of children who had a missing incident during the year": (
        "cla_missing_pct",
        "percent",
    ),
    "Number of missing incidents during the year": ("cla_missing_incidents", "count"),
    "Children who were away from placement without authorisation during the year": (
        "cla_away_children",
        "count",
    ),
    "Percentage of children who were away from placement without authorisation during the year": (
        "cla_away_pct",
        "percent",
    ),
    "Number of away from placement without authorisation incidents during the year": (
        "cla_away_incidents",
        "count",
    ),
}
POPULATION_IDS = ("population_0_17", "_population_2009")
CLA_RATE_NOTE = (
    "DfE publishes this rate in these files from 2018; earlier years are computed here. Years "
    "2013-2017 use ONS estimates as revised after the 2021 Census, so they can differ from the "
    "rate DfE published at the time."
)
DERIVED = (
    Derived("cin_referral_rate", "cin_referrals", POPULATION_IDS, "rate_per_10k", 10_000, -1, 1),
    Derived("s47_rate", "s47_enquiries", POPULATION_IDS, "rate_per_10k", 10_000, -1, 1),
    Derived("icpc_rate", "icpc_count", POPULATION_IDS, "rate_per_10k", 10_000, -1, 1),
    Derived("cin_rate", "cin_at_31_march", POPULATION_IDS, "rate_per_10k", 10_000, -1, 1),
    Derived("cpp_rate", "cpp_at_31_march", POPULATION_IDS, "rate_per_10k", 10_000, -1, 1),
    Derived(
        "cla_rate",
        "cla_at_31_march",
        POPULATION_IDS,
        "rate_per_10k",
        10_000,
        -1,
        0,
        CLA_RATE_NOTE,
    ),
    Derived(
        "cla_missing_pct",
        "cla_missing_children",
        ("_cla_during_year",),
        "percent",
        100,
        0,
        0,
        "DfE publishes this percentage in these files from 2018; 2015-2017 are computed here.",
    ),
    Derived(
        "cla_away_pct",
        "cla_away_children",
        ("_cla_during_year",),
        "percent",
        100,
        0,
        0,
        "DfE publishes this percentage in these files from 2018; 2015-2017 are computed here.",
    ),
)


def build_official_observations(raw_dir: Path = RAW_OFFICIAL_DIR) -> pd.DataFrame:
    """Every official value for the dashboard's areas, in the observation table's shape."""
    cells = latest_release(read_cells(raw_dir))
    published = cells[~cells["indicator_id"].str.startswith("_")]
    values = parse_cells(published)
    derived = pd.concat([derive(cells, spec) for spec in DERIVED], ignore_index=True)
    derived = derived[~key_of(derived).isin(key_of(values))]
    values = pd.concat([values, derived], ignore_index=True)
    values = add_lait_notes(values, raw_dir)
    means = statistical_neighbour_means(values, read_neighbours(raw_dir))
    return to_observations(pd.concat([values, means], ignore_index=True))


def read_cells(raw_dir: Path) -> pd.DataFrame:
    """One row per raw cell used, for every area key (including neighbour LA codes)."""
    records: list[dict] = []
    for release, measures in EES_MEASURES.items():
        for each_release, frame in table_releases(raw_dir, release):
            for origin, rec in ees_rows(frame, each_release):
                records += (
                    cell(measure, origin, rec[measure.column], counts=count_cells(measure, rec))
                    for measure in measures
                )
    for release in CLA_NUMBER_RELEASES:
        frame = read_raw(raw_dir, release.path)
        count = "number" if "number" in frame.columns else "children_count"
        for origin, rec in ees_rows(frame, release, ("population_count", "population_type")):
            count_id, rate_id, timing = CLA_NUMBER_GROUPS[
                rec.get("population_count") or rec["population_type"]
            ]
            records.append(cell(Measure(count_id, count, "count", timing), origin, rec[count]))
            if rate_id:
                counts = (count, "population_estimate") if "population_estimate" in rec else ()
                measure = Measure(rate_id, "rate_per_10000", "rate_per_10k", timing, counts=counts)
                records.append(
                    cell(measure, origin, rec["rate_per_10000"], counts=count_cells(measure, rec))
                )
    for release, group in MISSING_RELEASES:
        for origin, rec in ees_rows(read_raw(raw_dir, release.path), release, (group,)):
            if rec[group] in MISSING_GROUPS:
                indicator_id, unit = MISSING_GROUPS[rec[group]]
                records.append(
                    cell(Measure(indicator_id, "number", unit, "year"), origin, rec["number"])
                )
    records += sfr_cells(raw_dir)
    return pd.DataFrame.from_records(records, columns=CELL_COLUMNS)


def sfr_cells(raw_dir: Path) -> Iterator[dict]:
    """Cells of the old wide Statistical First Release tables (2010-2017)."""
    for path, year, number, at_march, during in SFR_CLA:
        release = Release(path, f"DfE {number}: {SFR_CLA_TITLE}, year ending 31 March {year}")
        for origin, rec in sfr_rows(read_raw(raw_dir, path), release, year):
            yield cell(
                Measure("cla_at_31_march", at_march, "count", "march"), origin, rec[at_march]
            )
            if during:
                measure = Measure("_cla_during_year", during, "count", "year")
                yield cell(measure, origin, rec[during], "children looked after during the year")
            else:
                measure = Measure("_population_2009", SFR_2010_POPULATION, "count", "june")
                label = f"ONS mid-{year - 1} population aged 0-17 as given in {number}"
                previous = replace(origin, year=year - 1)
                yield cell(measure, previous, rec[SFR_2010_POPULATION], label)
    for path, year, number, (missing, away) in SFR_MISSING:
        release = Release(path, f"DfE {number}: {SFR_CLA_TITLE}, year ending 31 March {year}")
        columns = {
            "cla_missing_children": f"{missing}DuringYear",
            "cla_missing_incidents": f"{missing}Incs",
            "cla_away_children": f"{away}DuringYear",
            "cla_away_incidents": f"{away}Incs",
        }
        for origin, rec in sfr_rows(read_raw(raw_dir, path), release, year):
            for indicator_id, column in columns.items():
                yield cell(Measure(indicator_id, column, "count", "year"), origin, rec[column])


def cin_release_name(year: int) -> str:
    """The children-in-need release whose latest reporting year ends in March of `year`."""
    return f"DfE Characteristics of children in need: reporting year {year - 1}-{year % 100:02d}"


def table_releases(raw_dir: Path, release: Release) -> list[tuple[Release, pd.DataFrame]]:
    """A children-in-need table's bundled file and any later release of it added by a data
    update (same table prefix, e.g. c1_, in dfe_cin/): the latest reporting year ranks highest,
    so where releases overlap the latest wins. Other releases are read as named."""
    folder, name = release.path.split("/", 1)
    if folder != CIN_FOLDER:
        return [(release, read_raw(raw_dir, release.path))]
    found = []
    for path in sorted((raw_dir / folder).glob(f"{name.split('_', 1)[0]}_*.csv")):
        frame = read_raw(raw_dir, f"{folder}/{path.name}")
        latest = int(frame["time_period"].max())
        found.append((Release(f"{folder}/{path.name}", cin_release_name(latest), latest), frame))
    return found


def read_raw(raw_dir: Path, path: str) -> pd.DataFrame:
    """A raw CSV exactly as text, with its 1-based data row number."""
    frame = pd.read_csv(raw_dir / path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = frame.columns.str.strip()
    frame["_row"] = np.arange(1, len(frame) + 1)
    return frame


@dataclass(frozen=True)
class Origin:
    """Where a raw row is (release, row number, key cells) and which area and year it is about."""

    release: Release
    key: str
    year: int
    row: int
    ref: str


def ees_rows(
    frame: pd.DataFrame, release: Release, extra: tuple[str, ...] = ()
) -> Iterator[tuple[Origin, dict]]:
    """The England, East Midlands and LA rows of an Explore Education Statistics file."""
    for rec in frame.to_dict("records"):
        level = rec["geographic_level"]
        if level == "National":
            key, where = "england", f"country_name={rec['country_name']}"
        elif level == "Regional" and rec["region_code"] == EAST_MIDLANDS_CODE:
            key, where = "east_midlands", f"region_name={rec['region_name']}"
        elif level == "Local authority":
            key = rec["old_la_code"]
            where = f"old_la_code={key}, la_name={rec['la_name']}"
        else:
            continue
        cells = [f"time_period={rec['time_period']}", f"geographic_level={level}", where]
        cells += [f"{name}={rec[name]}" for name in extra if name in rec]
        yield Origin(release, key, int(rec["time_period"]), rec["_row"], ", ".join(cells)), rec


def sfr_rows(frame: pd.DataFrame, release: Release, year: int) -> Iterator[tuple[Origin, dict]]:
    """The England, East Midlands and LA rows of an old single-year SFR table."""
    for rec in frame.to_dict("records"):
        level = rec["geog_l"].upper()
        if level == "NATIONAL":
            key = "england"
        elif level in {"REGION", "GOR"} and rec["geog_n"].upper() == "EAST MIDLANDS":
            key = "east_midlands"
        elif level == "LA":
            key = rec["geog_c"]
        else:
            continue
        ref = f"geog_l={rec['geog_l']}, geog_c={rec['geog_c']}, geog_n={rec['geog_n']}"
        yield Origin(release, key, year, rec["_row"], ref), rec


def count_cells(measure: Measure, rec: dict) -> tuple[tuple[str, str], ...]:
    """The (column, raw text) of the numerator and denominator cells beside a published value."""
    return tuple((column, rec[column].strip()) for column in measure.counts)


def cell(
    measure: Measure,
    origin: Origin,
    raw: str,
    label: str = "",
    counts: tuple[tuple[str, str], ...] = (),
) -> dict:
    """One raw cell with everything needed to trace it back; label names it in derived rules."""
    if measure.indicator_id in POPULATION_IDS and not label:
        label = f"ONS mid-{origin.year} population aged 0-17"
    return {
        "indicator_id": measure.indicator_id,
        "key": origin.key,
        "year_end": origin.year,
        "breakdown": measure.breakdown,
        "raw": raw.strip(),
        "unit": measure.unit,
        "timing": measure.timing,
        "source": origin.release.path,
        "row": int(origin.row),
        "ref": origin.ref,
        "column": measure.column,
        "release": origin.release.name,
        "rank": origin.release.rank,
        "label": label,
        "note": measure.note,
        "count_cells": counts,
    }


def key_of(frame: pd.DataFrame) -> pd.Series:
    """The (indicator, area key, year, breakdown) identity of each row, as one string."""
    parts = [frame["indicator_id"], frame["key"], frame["year_end"].astype(str), frame["breakdown"]]
    return parts[0].str.cat(parts[1:], sep="|")


def latest_release(cells: pd.DataFrame) -> pd.DataFrame:
    """Keep the latest release's cell where releases overlap, noting revised earlier values."""
    cells = cells.assign(ident=key_of(cells)).sort_values(["ident", "rank"], kind="stable")
    clash = cells[cells.duplicated(["ident", "rank"], keep=False)]
    if not clash.empty:
        raise ValueError(f"two cells from one release for {clash['ident'].iloc[0]}")
    superseded = cells[cells.duplicated("ident", keep="last")]
    latest = cells.drop_duplicates("ident", keep="last").set_index("ident")
    for old in superseded.itertuples():
        if old.raw != latest.at[old.ident, "raw"]:
            revision = f"Revised: {old.release} gave {old.raw} ({old.source} row {old.row})."
            latest.at[old.ident, "note"] = join_text(latest.at[old.ident, "note"], revision)
    return latest.reset_index(drop=True)


def parse_value(raw: str, where: str) -> tuple[float, str]:
    """A published cell as (number, "") or (NaN, DfE symbol); anything else is an error."""
    if raw in DFE_SYMBOLS:
        return math.nan, raw
    if raw in LEGACY_SYMBOLS:
        return math.nan, LEGACY_SYMBOLS[raw]
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{where}: unexpected cell {raw!r}") from None
    if not math.isfinite(value):  # inf, NaN, 1e400: never a published figure
        raise ValueError(f"{where}: unexpected cell {raw!r}")
    return value, ""


def parse_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Published cells as values, keeping DfE symbols (suppressed is not zero and not missing).

    A rate or percentage whose row also gives its counts carries them as numerator and
    denominator (a suppressed count leaves both empty), and its source_ref quotes those cells.
    """
    columns = ("raw", "source", "row", "column", "ref", "note", "count_cells")
    records = list(zip(*(cells[name].tolist() for name in columns), strict=True))
    parsed = [parse_value(raw, f"{src} row {row} {col}") for raw, src, row, col, *_ in records]
    symbols = [symbol for _, symbol in parsed]
    counts = [parsed_counts(counted, f"{src} row {row}") for _, src, row, *_, counted in records]
    return cells.assign(
        value=[value for value, _ in parsed],
        value_symbol=symbols,
        status=["suppressed" if symbol else "published" for symbol in symbols],
        source_ref=[
            source_ref(row, ref, col, raw, counted) for raw, _, row, col, ref, _, counted in records
        ],
        note=[
            join_text(note, SYMBOL_MEANINGS.get(symbol, ""), legacy_note(raw))
            for (raw, *_, note, _), symbol in zip(records, symbols, strict=True)
        ],
        numerator=[numerator for numerator, _ in counts],
        denominator=[denominator for _, denominator in counts],
        rule="",
    )


def parsed_counts(counted: tuple[tuple[str, str], ...], where: str) -> tuple[float, float]:
    """(numerator, denominator) from a published value's count cells; NaN for either when
    absent, suppressed or a zero denominator (no interval can be drawn from them)."""
    if len(counted) != 2:
        return math.nan, math.nan
    (num_column, num_raw), (den_column, den_raw) = counted
    numerator, num_symbol = parse_value(num_raw, f"{where} {num_column}")
    denominator, den_symbol = parse_value(den_raw, f"{where} {den_column}")
    if num_symbol or den_symbol or not denominator:
        return math.nan, math.nan
    return numerator, denominator


def legacy_note(raw: str) -> str:
    """Say when a symbol was translated, so the quoted cell and the symbol do not seem to clash."""
    return (
        f"The source cell is {raw!r}, the old SFR notation for not available."
        if raw in LEGACY_SYMBOLS
        else ""
    )


def source_ref(
    row: int, ref: str, column: str, raw: str, counted: tuple[tuple[str, str], ...] = ()
) -> str:
    """Row number, the row's key cells and the cell itself (with the count cells behind a rate
    or percentage): enough to find and check it by eye."""
    counts = ", ".join(f"{name}={text}" for name, text in counted)
    return f"row {row}: {ref}; {column}={raw}" + (f" ({counts})" if counts else "")


def derive(cells: pd.DataFrame, spec: Derived) -> pd.DataFrame:
    """Numerator / denominator × scale for every area and year that has both cells.

    Rates per 10,000 use the ONS mid-year population of the previous calendar year (DfE's
    convention); a suppressed numerator gives a suppressed value with the same symbol.
    """
    numerators = cells[cells["indicator_id"] == spec.numerator_id]
    denominators = cells[cells["indicator_id"].isin(spec.denominator_ids)]
    denominators = denominators.assign(year_end=denominators["year_end"] - spec.year_offset)
    merged = numerators.merge(denominators, on=["key", "year_end"], suffixes=("", "_den"))
    rows = []
    for m in merged.itertuples():
        numerator, symbol = parse_value(m.raw, f"{m.source} row {m.row} {m.column}")
        denominator, den_symbol = parse_value(m.raw_den, f"{m.source_den} row {m.row_den}")
        symbol = symbol or den_symbol
        exact = None if symbol else Decimal(m.raw) * spec.scale / Decimal(m.raw_den)
        value = math.nan if exact is None else round_half_up(exact, spec.decimals)
        rule = (
            f"{m.column} / {m.label_den} ({m.source_den} row {m.row_den}: "
            f"{m.column_den}={m.raw_den}) × {spec.scale:,}, rounded to {spec.decimals} dp"
        )
        note = spec.note
        if symbol:
            note = join_text(f"Not computed: an input is {SYMBOL_MEANINGS[symbol]}.", note)
        rows.append(
            {
                "indicator_id": spec.indicator_id,
                "key": m.key,
                "year_end": m.year_end,
                "breakdown": m.breakdown,
                "value": value,
                "value_symbol": symbol,
                "unit": spec.unit,
                "timing": m.timing,
                "status": "suppressed" if symbol else "computed",
                "source": m.source,
                "row": m.row,
                "source_ref": source_ref(m.row, m.ref, m.column, m.raw),
                "release": m.release,
                "note": note,
                "numerator": numerator,
                "denominator": denominator,
                "rule": rule,
            }
        )
    return pd.DataFrame.from_records(rows, columns=VALUE_COLUMNS)


def round_half_up(value: Decimal, decimals: int) -> float:
    """Round exact decimal arithmetic as DfE publishes (x.x5 -> up), not half-to-even on floats."""
    return float(value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))


def decimal_mean(values: list[float]) -> Decimal:
    """Mean of published decimals without binary float error (each float is read back exactly)."""
    return sum(Decimal(str(float(v))) for v in values) / len(values)


@dataclass(frozen=True)
class Neighbours:
    """One LA's statistical neighbours in DfE's 2025 model."""

    area: str
    codes: tuple[str, ...]
    names: dict[str, str]
    model_row: int


def read_neighbours(raw_dir: Path) -> list[Neighbours]:
    """Leicestershire's and Rutland's ten neighbours, with names from the LA code lookup."""
    model = read_raw(raw_dir, SN_MODEL_FILE)
    lookup = read_raw(raw_dir, LA_LOOKUP_FILE)
    names = dict(zip(lookup["old_la_code"], lookup["la_name"], strict=True))
    neighbours = []
    for code, area in neighbour_averages().items():
        rec = model[model["old_la_code"] == code].iloc[0]
        codes = tuple(rec[f"SN_{rank}"] for rank in range(1, 11))
        neighbours.append(Neighbours(area, codes, {c: names[c] for c in codes}, int(rec["_row"])))
    return neighbours


def statistical_neighbour_means(values: pd.DataFrame, groups: list[Neighbours]) -> pd.DataFrame:
    """Simple mean of the neighbours' values for rates, percentages and averages (not counts)."""
    found: dict[tuple, dict[str, dict]] = {}
    for rec in values.loc[values["unit"].isin(SN_UNITS), VALUE_COLUMNS].to_dict("records"):
        ident = (rec["indicator_id"], rec["year_end"], rec["breakdown"])
        found.setdefault(ident, {})[rec["key"]] = rec
    means = (neighbour_mean(group, found[ident]) for group in groups for ident in sorted(found))
    return pd.DataFrame.from_records([m for m in means if m], columns=VALUE_COLUMNS)


def neighbour_mean(group: Neighbours, by_code: dict[str, dict]) -> dict | None:
    """One benchmark row, or None when fewer than SN_MIN_VALUES neighbours have a value."""
    present = [c for c in group.codes if c in by_code and not math.isnan(by_code[c]["value"])]
    if len(present) < SN_MIN_VALUES:
        return None
    lacking = [
        f"{group.names[c]} ({by_code[c]['value_symbol'] if c in by_code else 'no data'})"
        for c in group.codes
        if c not in present
    ]
    computed = any(by_code[c]["status"] == "computed" for c in present)
    rule = (
        f"mean of {len(present)} statistical neighbours (DfE 2025 model, "
        f"{SN_MODEL_FILE} row {group.model_row}) with a value: "
        + ", ".join(group.names[c] for c in present)
        + (f"; without a value: {', '.join(lacking)}" if lacking else "")
        + ("; neighbour values computed by the same rule as LA rows" if computed else "")
        + "; rounded to 1 dp"
    )
    first = by_code[present[0]]
    return {
        **first,
        "key": group.area,
        "value": round_half_up(decimal_mean([by_code[c]["value"] for c in present]), 1),
        "value_symbol": "",
        "status": "computed",
        "source": "; ".join(dict.fromkeys(by_code[c]["source"] for c in present)),
        "row": 0,
        "source_ref": "rows "
        + ", ".join(f"{by_code[c]['row']} ({c} {group.names[c]})" for c in present),
        "release": "; ".join(dict.fromkeys(by_code[c]["release"] for c in present)),
        "note": "Benchmark: average of the statistical neighbours, not an LA figure.",
        "numerator": math.nan,
        "denominator": math.nan,
        "rule": rule,
    }


def add_lait_notes(values: pd.DataFrame, raw_dir: Path) -> pd.DataFrame:
    """Point SFR-era CLA values to LAIT where it shows a different (revised) figure."""
    lait = {}
    for path in LAIT_FILES:
        frame = read_raw(raw_dir, path)
        frame = frame[frame["Short Desc"].isin(LAIT_CROSS_CHECK) & frame["Years"].str.isdigit()]
        for rec in frame.to_dict("records"):
            la_code = rec["LA Number"].removesuffix(".0")
            ident = (LAIT_CROSS_CHECK[rec["Short Desc"]], LAIT_AREA_KEYS.get(la_code, la_code))
            lait[(*ident, int(rec["Years"]))] = (rec["Values"], path, rec["_row"])
    notes = []
    for rec in values[["indicator_id", "key", "year_end", "value", "note"]].to_dict("records"):
        found = lait.get((rec["indicator_id"], rec["key"], rec["year_end"]))
        note = rec["note"]
        if found and rec["year_end"] <= LAST_SFR_YEAR and found[0] != "-":
            shown, path, row = found
            if float(shown) != rec["value"]:
                note = join_text(
                    note,
                    f"DfE's LAIT, which takes this measure from a later release "
                    f"(cla_number_and_rate_per_10k_children), shows {shown} ({path} row {row}).",
                )
        notes.append(note)
    return values.assign(note=notes)


def period_label(timing: str, year: int) -> str:
    """The period as a person reads it, e.g. 2015/16 or 31 March 2016."""
    template, _ = TIMINGS[timing]
    return template.format(prev=year - 1, yy=f"{year % 100:02d}", year=year)


def join_text(*parts: str) -> str:
    """Sentences joined, skipping empty ones, so notes never start or end with a space."""
    return " ".join(part for part in parts if part)


def slug(text: str) -> str:
    """A breakdown as a record_id part (record ids must stay unique across breakdowns)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def to_observations(values: pd.DataFrame) -> pd.DataFrame:
    """Keep the dashboard's areas and shape the rows as OBSERVATION_COLUMNS."""
    areas = output_keys() | {group: group for group in neighbour_averages().values()}
    out = values[values["key"].isin(areas)].copy()
    out["area"] = out["key"].map(areas)
    out["period"] = [
        period_label(t, y) for t, y in zip(out["timing"], out["year_end"], strict=True)
    ]
    out["period_type"] = out["timing"].map(lambda timing: TIMINGS[timing][1])
    out["record_id"] = [
        "-".join(["off", i, a, str(y), *([slug(b)] if b else [])])
        for i, a, y, b in zip(
            out["indicator_id"], out["area"], out["year_end"], out["breakdown"], strict=True
        )
    ]
    out["source_family"] = "official_statistics"
    out["conflict_id"] = ""
    out = out.sort_values(["indicator_id", "area", "year_end", "breakdown"], ignore_index=True)
    return add_intervals(out)[list(OBSERVATION_COLUMNS)].astype(OBSERVATION_COLUMNS)

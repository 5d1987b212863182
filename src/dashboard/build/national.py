"""Every English local authority's official series (data/national.parquet): the ranks, funnel
plots and statistical neighbours' ranges need all ~150 authorities, not only the dashboard's.

The files under data/raw/national are unchanged DfE downloads for all authorities. Cells are read,
parsed, derived and traced with the functions of `official` (the same releases, cut down, feed
observations.parquet), so an area's value here equals its value there.

Boundary changes. Each authority code keeps the years DfE published it for, and no series is
stitched across a change:
- the children-in-need tables and the ONS estimates list, for each year, the authorities that
  existed (old codes end, new ones start), so a code appears only in its own years;
- the looked-after file lists every code in every year, writing `x`/`z` where an authority did
  not exist; those placeholder rows are dropped (a year's authorities are those of the
  children-in-need table for that year), and any other row outside those years is an error;
- the workforce file reports two jointly run services as one row with a joint code
  ("940 / 941", "314 / 318"); that row is kept as published, under its joint code.
Predecessors and successors keep their own codes; `series_note` names the change on each of
their rows (BOUNDARY_NOTES). North Yorkshire (815) and Somerset (933) became unitary councils in
April 2023 over the same area, already their children's services authority: series unbroken.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.build.official import (
    B1,
    C1,
    C4,
    CELL_COLUMNS,
    CLA_NUMBER_GROUPS,
    CLA_NUMBER_RELEASES,
    CSWW,
    D3,
    D5,
    DERIVED,
    EES_MEASURES,
    POPULATION,
    SN_MODEL_FILE,
    Derived,
    Measure,
    Release,
    cell,
    count_cells,
    derive,
    ees_rows,
    la_areas,
    neighbour_averages,
    parse_cells,
    period_label,
    read_raw,
)
from dashboard.build.validation import FLOAT_NOISE, INTERVAL_ROUNDING, Problem
from dashboard.intervals import add_intervals
from dashboard.paths import RAW_NATIONAL_DIR
from dashboard.schema import DFE_SYMBOLS, NATIONAL_COLUMNS

NATIONAL_KEY = ["indicator_id", "la_code", "year_end"]
NATIONAL = "National"
LOCAL_AUTHORITY = "Local authority"
NATIONAL_UNITS = ("rate_per_10k", "percent", "ratio")
ENGLAND = "england"
TABLE_NAME = "national (built)"

# Each file here is the full-England version of the cut-down file `official` reads.
FILES: dict[str, Release] = {
    "b1_children_in_need_2013_to_2025.csv": B1,
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv": C1,
    "c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv": C4,
    "d3_cpps_subsequent_plan_2013_to_2025.csv": D3,
    "d5_cpps_at31march_by_duration_2013_to_2025.csv": D5,
    "csww_indicators_2017_to_2025.csv": CSWW,
    "ons_mid-year_population_estimates_2012_to_2024.csv": POPULATION,
}
CLA_FILE = "cla_number_and_rate_per_10k_children.csv"
CLA_RELEASE = CLA_NUMBER_RELEASES[-1]  # the 2025 release, reporting years 2021 to 2025
AUTHORITY_LIST_FILE = "b1_children_in_need_2013_to_2025.csv"
SN_FILE = SN_MODEL_FILE.rsplit("/", 1)[-1]
# The cells read from each file: the published values kept, and the counts rates are made from.
FILE_MEASURES: dict[str, tuple[str, ...]] = {
    "b1_children_in_need_2013_to_2025.csv": ("cin_at_31_march",),
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv": (
        "cin_referrals",
        "cin_rereferral_pct",
    ),
    "c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv": ("s47_enquiries", "icpc_count"),
    "d3_cpps_subsequent_plan_2013_to_2025.csv": ("cpp_subsequent_pct",),
    "d5_cpps_at31march_by_duration_2013_to_2025.csv": ("cpp_at_31_march",),
    "csww_indicators_2017_to_2025.csv": ("sw_turnover_pct", "sw_agency_pct", "sw_caseload"),
    "ons_mid-year_population_estimates_2012_to_2024.csv": ("population_0_17",),
}
PUBLISHED_IDS = (
    "cin_rereferral_pct",
    "cpp_subsequent_pct",
    "cla_rate",
    "sw_turnover_pct",
    "sw_agency_pct",
    "sw_caseload",
)
DERIVED_IDS = ("cin_referral_rate", "s47_rate", "icpc_rate", "cin_rate", "cpp_rate")
NATIONAL_INDICATORS = (*DERIVED_IDS, *PUBLISHED_IDS)
# The cells official.ees_rows reads to place a row (plus _row, read_raw's row number).
ROW_KEY_COLUMNS = [
    "time_period",
    "geographic_level",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "la_name",
    "_row",
]
CLA_RATE_COUNTS = ("children_count", "population_estimate")
# What an authority that did not exist in a year looks like in the looked-after file.
NOT_AN_AUTHORITY_YET = {"x", "z"}

DORSET_2019 = (
    "Dorset reorganised on 1 April 2019: Dorset Council (838, the old county without "
    "Christchurch) and Bournemouth, Christchurch and Poole (839) replaced Dorset County Council "
    "(835), Bournemouth (837) and Poole (836); workforce figures change at 30 September 2019. "
    "Not comparable across the change."
)
NORTHAMPTONSHIRE_2021 = (
    "Northamptonshire (928) was split on 1 April 2021 into North (940) and West "
    "Northamptonshire (941); workforce figures change at 30 September 2021. Not comparable "
    "across the change."
)
CUMBRIA_2023 = (
    "Cumbria (909) was split on 1 April 2023 into Cumberland (942) and Westmorland and Furness "
    "(943); workforce figures change at 30 September 2023. Not comparable across the change."
)
BOUNDARY_NOTES: dict[str, str] = {
    **dict.fromkeys(("835", "836", "837", "838", "839"), DORSET_2019),
    **dict.fromkeys(("928", "940", "941"), NORTHAMPTONSHIRE_2021),
    "940 / 941": (
        f"{NORTHAMPTONSHIRE_2021} Northamptonshire Children's Trust employs both councils' "
        "social workers, so DfE reports them as one."
    ),
    **dict.fromkeys(("909", "942", "943"), CUMBRIA_2023),
    "314 / 318": (
        "Kingston upon Thames and Richmond upon Thames share one children's services provider "
        "(Achieving for Children), so DfE reports their social workers as one."
    ),
}


def build_national(raw_dir: Path = RAW_NATIONAL_DIR) -> pd.DataFrame:
    """One row per indicator, authority (or England) and year, shaped as NATIONAL_COLUMNS."""
    frames = {name: read_raw(raw_dir, name) for name in (*FILES, CLA_FILE)}
    cells = pd.DataFrame.from_records(
        [*ees_cells(frames), *cla_cells(frames)], columns=[*CELL_COLUMNS, "la_name"]
    )
    names = dict(
        zip(zip(cells["source"], cells["row"], strict=True), cells["la_name"], strict=True)
    )
    published = parse_cells(cells[cells["indicator_id"].isin(PUBLISHED_IDS)])
    derived = pd.concat([derived_rates(cells, spec) for spec in derived_specs()])
    values = pd.concat([published, derived], ignore_index=True)
    values["la_name"] = [
        names[ident] for ident in zip(values["source"], values["row"], strict=True)
    ]
    return to_national(values, read_neighbour_codes(raw_dir))


def official_measure(indicator_id: str) -> Measure:
    """The headline measure `official` reads for this indicator: same column, timing, counts."""
    for measures in EES_MEASURES.values():
        for measure in measures:
            if measure.indicator_id == indicator_id and not measure.breakdown:
                return measure
    raise KeyError(f"official.EES_MEASURES has no measure {indicator_id!r}")


def derived_specs() -> list[Derived]:
    """official's rules for the rates DfE does not publish in these files."""
    return [spec for spec in DERIVED if spec.indicator_id in DERIVED_IDS]


def ees_cells(frames: dict[str, pd.DataFrame]) -> list[dict]:
    """England's and every authority's cells of the children-in-need, workforce and ONS files."""
    records = []
    for name, release in FILES.items():
        measures = [official_measure(indicator_id) for indicator_id in FILE_MEASURES[name]]
        frame = frames[name]
        used = [column for measure in measures for column in (measure.column, *measure.counts)]
        frame = frame[[*ROW_KEY_COLUMNS, *dict.fromkeys(used)]]  # to_dict is slow on wide text
        for origin, rec in ees_rows(frame, Release(name, release.name)):
            if origin.key == "east_midlands":
                continue
            for measure in measures:
                counts = count_cells(measure, rec)
                records.append(
                    {**cell(measure, origin, rec[measure.column], counts=counts), **named(rec)}
                )
    return records


def cla_cells(frames: dict[str, pd.DataFrame]) -> list[dict]:
    """The looked-after rate at 31 March with its count and population, for the authorities
    that existed that year (the file writes x/z for the others; see the module docstring)."""
    existing = authorities_by_year(frames[AUTHORITY_LIST_FILE])
    release = Release(CLA_FILE, CLA_RELEASE.name)
    records = []
    for origin, rec in ees_rows(frames[CLA_FILE], release, ("population_type",)):
        _, rate_id, timing = CLA_NUMBER_GROUPS[rec["population_type"]]
        if origin.key == "east_midlands" or not rate_id:
            continue
        if origin.key != ENGLAND and origin.key not in existing[origin.year]:
            published = {rec["rate_per_10000"], rec["children_count"]}
            if not published <= NOT_AN_AUTHORITY_YET:
                raise ValueError(
                    f"{CLA_FILE} row {origin.row}: {origin.key} has figures for "
                    f"{origin.year}, a year DfE's children-in-need table does not list it"
                )
            continue
        measure = Measure(rate_id, "rate_per_10000", "rate_per_10k", timing, counts=CLA_RATE_COUNTS)
        counts = count_cells(measure, rec)
        records.append(
            {**cell(measure, origin, rec["rate_per_10000"], counts=counts), **named(rec)}
        )
    return records


def named(rec: dict) -> dict[str, str]:
    """The authority's name as the row gives it; England's rows leave la_name empty."""
    return {"la_name": rec["la_name"] or "England"}


def authorities_by_year(frame: pd.DataFrame) -> dict[int, set[str]]:
    """The authority codes DfE published in a year's children-in-need table."""
    rows = frame[frame["geographic_level"] == LOCAL_AUTHORITY]
    return {int(year): set(group["old_la_code"]) for year, group in rows.groupby("time_period")}


def derived_rates(cells: pd.DataFrame, spec: Derived) -> pd.DataFrame:
    """official.derive for every authority, checking that no count lost its rate for want of a
    population (a new authority's first year needs the ONS estimate for its own area)."""
    rates = derive(cells, spec)
    counts = cells[cells["indicator_id"] == spec.numerator_id]
    lost = set(zip(counts["key"], counts["year_end"], strict=True)) - set(
        zip(rates["key"], rates["year_end"], strict=True)
    )
    if lost:
        key, year = sorted(lost)[0]
        raise ValueError(f"{spec.indicator_id}: no population for {key} in {year - 1}")
    # The population cell is in the rule; kept in source_ref so the rate can be checked by eye.
    return rates.assign(source_ref=rates["source_ref"] + "; rate = " + rates["rule"])


def read_neighbour_codes(raw_dir: Path) -> dict[str, set[str]]:
    """Each county's ten statistical neighbours in DfE's 2025 model, by dashboard area."""
    model = read_raw(raw_dir, SN_FILE).set_index("old_la_code")
    return {
        la_areas()[code]: {model.at[code, f"SN_{rank}"] for rank in range(1, 11)}
        for code in neighbour_averages()
    }


def neighbour_of(la_code: str, neighbours: dict[str, set[str]]) -> str:
    """The counties this authority neighbours; a joint workforce row ("940 / 941") counts when
    either of its authorities does."""
    codes = set(la_code.split(" / "))
    return ";".join(area for area, group in neighbours.items() if codes & group)


def to_national(values: pd.DataFrame, neighbours: dict[str, set[str]]) -> pd.DataFrame:
    """Shape parsed and derived rows as NATIONAL_COLUMNS, with intervals where counts allow."""
    out = values.copy()
    england = out["key"] == ENGLAND
    out["la_code"] = out["key"].where(~england, "")
    out["geographic_level"] = np.where(england, NATIONAL, LOCAL_AUTHORITY)
    out["area"] = out["key"].map({**la_areas(), ENGLAND: ENGLAND}).fillna("")
    out["neighbour_of"] = [
        neighbour_of(code, neighbours) if code else "" for code in out["la_code"]
    ]
    out["period"] = [
        period_label(timing, year)
        for timing, year in zip(out["timing"], out["year_end"], strict=True)
    ]
    out["series_note"] = out["la_code"].map(BOUNDARY_NOTES).fillna("")
    out = add_intervals(out).sort_values(["indicator_id", "year_end", "la_code"], ignore_index=True)
    return out[list(NATIONAL_COLUMNS)].astype(NATIONAL_COLUMNS)


def national_problems(national: pd.DataFrame) -> list[Problem]:
    """What the app relies on: one row per key, known ids and units, percentages within 0-100,
    a symbol wherever a value is missing, and each value inside its own (nested) intervals."""
    value, unit = national["value"], national["unit"]
    lower, upper = national["ci95_lower"], national["ci95_upper"]
    nested = (
        (national["ci998_lower"] <= lower + FLOAT_NOISE)
        & (lower <= value + INTERVAL_ROUNDING)
        & (value - INTERVAL_ROUNDING <= upper)
        & (upper <= national["ci998_upper"] + FLOAT_NOISE)
    )
    checks = [
        ("indicator_id", ~national["indicator_id"].isin(NATIONAL_INDICATORS), "unknown indicator"),
        ("unit", ~unit.isin(NATIONAL_UNITS), f"must be one of {', '.join(NATIONAL_UNITS)}"),
        (
            "geographic_level",
            ~national["geographic_level"].isin((NATIONAL, LOCAL_AUTHORITY)),
            "must be National or Local authority",
        ),
        (
            "la_code",
            national.duplicated(NATIONAL_KEY, keep=False),
            "more than one row for the same indicator, authority and year",
        ),
        (
            "value",
            (unit == "percent") & value.notna() & ~value.between(0, 100),
            "a percentage must lie within 0-100",
        ),
        (
            "value_symbol",
            ~national["value_symbol"].isin(("", *DFE_SYMBOLS)),
            "must be empty or a DfE symbol",
        ),
        (
            "value_symbol",
            value.isna() & (national["value_symbol"] == ""),
            "a value without a number must carry its DfE symbol",
        ),
        (
            "ci95_lower",
            lower.notna() & ~nested,
            "the value must lie within its 95% limits, and those within the 99.8% limits",
        ),
    ]
    problems = []
    for field, failed, reason in checks:
        for index in np.flatnonzero(failed.to_numpy(dtype=bool)):
            rec = national.iloc[index]
            where = f"{rec['indicator_id']} {rec['la_code'] or 'England'} {rec['year_end']}"
            problems.append(Problem(TABLE_NAME, int(index) + 1, field, f"{where}: {reason}"))
    return problems

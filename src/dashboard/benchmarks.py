"""Where a county stands among every English authority: national rank and quartile, the
statistical neighbours' range, the points of a funnel plot and England's value.

Pure pandas over data/national.parquet (schema.NATIONAL_COLUMNS), no Streamlit, so pages and
tests share one reading of it. Only "Local authority" rows with a value take part in ranks and
ranges: England is the benchmark, not a competitor, and a suppressed figure has no place.
"""

from dataclasses import dataclass

import pandas as pd

from dashboard.build.official import SN_MIN_VALUES

LOCAL_AUTHORITY = "Local authority"
NATIONAL = "National"
RANGE_COLUMNS = ["year_end", "period", "low", "high", "q1", "q3", "neighbours"]
FUNNEL_COLUMNS = [
    "la_name",
    "area",
    "neighbour_of",
    "value",
    "numerator",
    "denominator",
    "ci95_lower",
    "ci95_upper",
]
QUARTILES = 4


@dataclass(frozen=True)
class Rank:
    """An authority's place among all authorities with a value; rank 1 = the lowest value."""

    rank: int
    of: int
    quartile: int  # 1 = the quarter with the lowest values
    value: float


def _authorities(national: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The indicator's authority rows that have a value."""
    rows = national[
        (national["indicator_id"] == indicator_id)
        & (national["geographic_level"] == LOCAL_AUTHORITY)
    ]
    return rows[rows["value"].notna()]


def national_rank(
    national: pd.DataFrame, indicator_id: str, year_end: int, area: str
) -> Rank | None:
    """The area's rank among the year's authorities (ties share the lowest rank), or None
    when the area has no value that year."""
    rows = _authorities(national, indicator_id)
    rows = rows[rows["year_end"] == year_end]
    own = rows[rows["area"] == area]
    if own.empty:
        return None
    value = float(own["value"].iloc[0])
    rank = int((rows["value"] < value).sum()) + 1
    of = len(rows)
    return Rank(rank, of, (rank - 1) * QUARTILES // of + 1, value)


def neighbour_range(national: pd.DataFrame, indicator_id: str, area: str) -> pd.DataFrame:
    """Per year, the lowest, highest and interquartile range of the area's ten statistical
    neighbours' values; only years where at least SN_MIN_VALUES of them have a value (the rule
    of the neighbours' average in observations.parquet)."""
    rows = _authorities(national, indicator_id)
    rows = rows[rows["neighbour_of"].str.split(";").map(lambda owners: area in owners)]
    if rows.empty or not area:
        return pd.DataFrame(columns=RANGE_COLUMNS)
    by_year = rows.groupby("year_end")
    values = by_year["value"]
    out = pd.DataFrame(
        {
            "period": by_year["period"].first(),
            "low": values.min(),
            "high": values.max(),
            "q1": values.quantile(0.25),
            "q3": values.quantile(0.75),
            "neighbours": values.size(),
        }
    ).reset_index()
    out = out[out["neighbours"] >= SN_MIN_VALUES]
    return out[RANGE_COLUMNS].sort_values("year_end", ignore_index=True)


def funnel_points(national: pd.DataFrame, indicator_id: str, year_end: int) -> pd.DataFrame:
    """The year's authorities with a numerator and denominator: one funnel-plot point each."""
    rows = national[
        (national["indicator_id"] == indicator_id)
        & (national["geographic_level"] == LOCAL_AUTHORITY)
        & (national["year_end"] == year_end)
        & national["numerator"].notna()
        & national["denominator"].notna()
    ]
    return rows[FUNNEL_COLUMNS].sort_values("la_name", ignore_index=True)


def england_value(national: pd.DataFrame, indicator_id: str, year_end: int) -> float | None:
    """England's published (or computed) value for the year, or None when there is none."""
    rows = national[
        (national["indicator_id"] == indicator_id)
        & (national["geographic_level"] == NATIONAL)
        & (national["year_end"] == year_end)
        & national["value"].notna()
    ]
    return None if rows.empty else float(rows["value"].iloc[0])


def national_years(national: pd.DataFrame, indicator_id: str) -> list[int]:
    """The years in which at least one authority has a value, oldest first."""
    return sorted(int(year) for year in _authorities(national, indicator_id)["year_end"].unique())

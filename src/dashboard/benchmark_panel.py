"""The Indicator page's comparison with England and every English authority: each county's
latest figure with its counts, interval, place against England and national rank, then a funnel
plot of all authorities. Streamlit helpers only; the numbers come from benchmarks and intervals."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import chart_cache
from dashboard.areas import area_catalogue
from dashboard.benchmarks import (
    Rank,
    england_value,
    funnel_points,
    national_rank,
    national_years,
    neighbour_range,
)
from dashboard.catalogue import Indicator
from dashboard.components import (
    DashboardData,
    Link,
    csv_download,
    position_line,
)
from dashboard.data import load_national
from dashboard.formatting import escape_markdown, format_value
from dashboard.intervals import (
    counts_text,
    interval_line,
    one_child_text,
    position_against,
)
from dashboard.url_state import YEAR, UrlParam

FUNNEL = UrlParam("funnel_year", "indicator_funnel_year", YEAR, omit_default=True)
AGAINST = UrlParam("against", "indicator_against", describe="benchmark", omit_default=True)
ENGLAND = "england"
NEIGHBOURS = "neighbours"
BENCHMARK_CHOICES = {
    ENGLAND: "England",
    "east_midlands": "East Midlands",
    NEIGHBOURS: "Each county's statistical neighbours (average)",
}
QUARTER_WORDS = {
    1: "among the lowest quarter of authorities",
    2: "in the second quarter from the lowest",
    3: "in the third quarter from the lowest",
    4: "among the highest quarter of authorities",
}
FUNNEL_NOTE = (
    "Each grey dot is an English local authority; ringed dots are Leicestershire's or Rutland's "
    "statistical neighbours. A county outside the 99.8% lines is very unlikely to differ from "
    "England by chance; inside the 95% lines, its difference may be chance."
)


@dataclass(frozen=True)
class NationalSeries:
    """One indicator's rows for every authority, and the years it can be shown for."""

    rows: pd.DataFrame
    years: list[int]
    funnel_years: list[int]  # years in which authorities' counts allow a funnel plot
    band_areas: list[str]  # counties whose neighbours' range can be drawn


@st.cache_resource(show_spinner=False, max_entries=64)
def national_series(version: str, indicator_id: str) -> NationalSeries:
    """Worked out once per data version and indicator, shared by every session and rerun."""
    national = load_national(version)
    rows = national[national["indicator_id"] == indicator_id]
    years = national_years(rows, indicator_id)
    funnel_years = [year for year in years if not funnel_points(rows, indicator_id, year).empty]
    band_areas = [
        area
        for area in area_catalogue().headline
        if not neighbour_range(rows, indicator_id, area).empty
    ]
    return NationalSeries(rows, years, funnel_years, band_areas)


def rank_words(rank: Rank, indicator: Indicator) -> str:
    """'Rank 64 of 152 (rank 1 = lowest value), in the second quarter from the lowest.'"""
    words = (
        f"Rank {rank.rank} of {rank.of} English authorities (rank 1 = the lowest value), "
        f"{QUARTER_WORDS[rank.quartile]}"
    )
    if indicator.polarity == "lower_is_better":
        words += "; for this indicator lower is better"
    elif indicator.polarity == "higher_is_better":
        words += "; for this indicator higher is better"
    return words + "."


def benchmark_for(
    data: DashboardData,
    rows: pd.DataFrame,
    indicator: Indicator,
    against: str,
    area: str,
    year: int,
) -> tuple[float | None, str]:
    """The chosen benchmark's figure for the year, and its name: England's from the national
    table, the region's or the county's own neighbours' average from the observations."""
    if against == ENGLAND:
        return england_value(rows, indicator.id, year), data.area_names.get(ENGLAND, "England")
    benchmark = f"sn_{area}" if against == NEIGHBOURS else against
    same = data.observations[
        (data.observations["indicator_id"] == indicator.id)
        & (data.observations["area"] == benchmark)
        & (data.observations["year_end"] == year)
        & (data.observations["breakdown"] == "")
        & data.observations["value"].notna()
    ]
    value = float(same["value"].iloc[0]) if same["value"].nunique() == 1 else None
    return value, data.area_names.get(benchmark, benchmark)


def county_summary(
    rows: pd.DataFrame,
    indicator: Indicator,
    area: str,
    area_name: str,
    year: int,
    benchmark: tuple[float | None, str],
) -> list[str]:
    """Lines for one county's card: figure and counts, interval, against the benchmark, rank."""
    own = rows[(rows["area"] == area) & (rows["year_end"] == year)]
    if own.empty:
        return []
    row = own.iloc[0].to_dict()
    figure = format_value(row["value"], indicator.unit, row["value_symbol"])
    counts = counts_text(row, indicator)
    lines = [f"{area_name}, {row['period']}: {figure}" + (f" ({counts})" if counts else "")]
    lines.append(interval_line(row))
    value, name = benchmark
    if value is not None:
        position = position_against(row, value, name, indicator.polarity)
        lines.append(position_line(position, indicator))
    else:
        lines.append(f"No figure for {name} in {row['period']} to compare with.")
    rank = national_rank(rows, indicator.id, year, area)
    if rank is not None:
        lines.append(rank_words(rank, indicator))
    small = one_child_text(row)
    if small:
        lines.append(small)
    return lines


def render_national_comparison(data: DashboardData, indicator: Indicator, link: Link) -> None:
    """The section, when the indicator is one of the national series; its choices join the
    page's link."""
    series = national_series(data.version, indicator.id)
    rows, years, funnel_years = series.rows, series.years, series.funnel_years
    if not years:
        return
    st.subheader("Against England and every English authority", anchor=False)
    link.seed(AGAINST, list(BENCHMARK_CHOICES), ENGLAND)
    against = st.radio(
        "Judge each county against",
        list(BENCHMARK_CHOICES),
        format_func=BENCHMARK_CHOICES.get,
        key=AGAINST.key,
        horizontal=True,
        help="Better, similar or worse when the county's 95% interval lies wholly on one side "
        "of the benchmark's figure, or includes it.",
    )
    latest = years[-1]
    cards = st.columns(len(area_catalogue().headline))
    for column, area in zip(cards, area_catalogue().headline, strict=True):
        benchmark = benchmark_for(data, rows, indicator, against, area, latest)
        name = data.area_names.get(area, area)
        lines = county_summary(rows, indicator, area, name, latest, benchmark)
        if lines:
            with column, st.container(border=True, key=f"indicator_national_{area}"):
                first, *rest = (escape_markdown(line) for line in lines)
                st.markdown("  \n".join([f"**{first}**", *rest]))
    if not funnel_years:
        st.caption(
            "No funnel plot: DfE publishes this figure without the counts behind it, so no "
            "authority's interval can be drawn."
        )
        return
    link.seed(FUNNEL, funnel_years, funnel_years[-1])
    year = st.selectbox(
        "Year of the funnel plot",
        funnel_years[::-1],
        format_func=lambda y: str(rows.loc[rows["year_end"] == y, "period"].iloc[0]),
        key=FUNNEL.key,
    )
    render_funnel(data, rows, indicator, year)


def render_funnel(data: DashboardData, rows: pd.DataFrame, indicator: Indicator, year: int) -> None:
    points = funnel_points(rows, indicator.id, year)
    benchmark = england_value(rows, indicator.id, year)
    if benchmark is None:
        st.caption("No funnel plot for this year: England's figure is not published.")
        return
    period = str(rows.loc[rows["year_end"] == year, "period"].iloc[0])
    denominator = indicator.denominator_label or "cases"
    chart = chart_cache.funnel_chart(
        points,
        indicator,
        benchmark=benchmark,
        year_label=period,
        denominator_label=denominator.capitalize(),
        highlight_names={
            area: data.area_names.get(area, area) for area in area_catalogue().headline
        },
    )
    st.vega_lite_chart(chart.spec, width="stretch", key=f"indicator_funnel_{indicator.id}")
    st.caption(escape_markdown(FUNNEL_NOTE))
    csv_download(
        points.merge(
            rows.loc[rows["year_end"] == year, ["la_name", "source", "source_ref"]], on="la_name"
        )
        .rename(
            columns={
                "la_name": "Authority",
                "value": "Value",
                "numerator": "Numerator (count)",
                "denominator": "Denominator",
                "ci95_lower": "95% interval, lower",
                "ci95_upper": "95% interval, upper",
                "source": "Source file (data/raw/national)",
                "source_ref": "Where in the file (row and cells)",
            }
        )
        .drop(columns=["area", "neighbour_of"], errors="ignore"),
        "Every authority's figure (CSV)",
        file_name=f"{indicator.id}_{year}_all_authorities.csv",
        key=f"indicator_funnel_download_{indicator.id}",
    )

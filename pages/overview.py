"""Overview: the latest figures that matter most, Leicestershire and Rutland side by side."""

import streamlit as st

from dashboard.catalogue import Indicator
from dashboard.charts import build_sparkline
from dashboard.components import (
    DashboardData,
    indicator_link,
    load_dashboard_data,
    render_kpi_tile,
)
from dashboard.config import HEADLINE_AREAS, LOCAL_AREAS, OVERVIEW_INDICATORS
from dashboard.formatting import escape_markdown, format_value
from dashboard.transforms import (
    annual,
    areas_with_data,
    filter_observations,
    latest_change,
    sparkline_series,
)

COLUMNS = 2


def tile_areas(data: DashboardData, indicator: Indicator) -> list[str]:
    """Leicestershire and Rutland when they have figures; else the partnership area(s)."""
    present = areas_with_data(data.observations, indicator.id)
    headline = [area for area in HEADLINE_AREAS if area in present]
    return headline or [area for area in present if area in LOCAL_AREAS]


def england_line(data: DashboardData, indicator: Indicator) -> str:
    """England's latest figure as context, when the indicator has one."""
    rows = annual(filter_observations(data.observations, indicator_ids=[indicator.id]))
    change = latest_change(rows[rows["area"] == "england"], indicator.polarity)
    if change is None or change.value is None:
        return ""
    england = data.area_names.get("england", "England")
    return f"{england}: {format_value(change.value, indicator.unit)} ({change.period})."


def render_card(data: DashboardData, indicator: Indicator) -> None:
    with st.container(border=True, key=f"overview_card_{indicator.id}"):
        st.subheader(escape_markdown(indicator.name), anchor=False)
        st.caption(
            escape_markdown(
                f"Shown as: {indicator.unit_label.lower()}. {indicator.family_label}. "
                f"{indicator.polarity_label}. {england_line(data, indicator)}"
            )
        )
        areas = tile_areas(data, indicator)
        headline = annual(
            filter_observations(data.observations, indicator_ids=[indicator.id], areas=areas)
        )
        for column, area in zip(st.columns(max(len(areas), 1)), areas, strict=False):
            name = data.area_names.get(area, area)
            series = sparkline_series(data.observations, indicator.id, area)
            with column:
                render_kpi_tile(
                    indicator,
                    name,
                    latest_change(headline[headline["area"] == area], indicator.polarity),
                    build_sparkline(series, indicator, name) if len(series) > 1 else None,
                    key=f"overview_tile_{indicator.id}_{area}",
                )
        indicator_link(indicator, label="Open the indicator page: all years, areas and sources")


data = load_dashboard_data()
st.title("Safeguarding overview: Leicestershire and Rutland")
st.markdown(
    "The latest published figure for each headline indicator, with the change since the "
    "previous figure. Green or red means better or worse, judged by whether a higher value is "
    "good; grey means no judgement (volumes such as referrals). Each tile says whether it shows "
    "a number, a rate per 10,000 children or a percentage."
)

shown = [data.catalogue[i] for i in OVERVIEW_INDICATORS if i in data.catalogue]
absent = [i for i in OVERVIEW_INDICATORS if i not in data.catalogue]
if absent:
    st.info(
        escape_markdown("Not in the data yet, so not shown: " + ", ".join(absent) + "."),
        icon=":material/info:",
    )
for start in range(0, len(shown), COLUMNS):
    for column, indicator in zip(
        st.columns(COLUMNS, gap="medium"), shown[start : start + COLUMNS], strict=False
    ):
        with column:
            render_card(data, indicator)

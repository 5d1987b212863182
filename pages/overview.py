"""Overview: the latest figures that matter most, Leicestershire and Rutland side by side."""

import pandas as pd
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
from dashboard.formatting import escape_markdown, format_value, period_span
from dashboard.frame import ensure_app_frame
from dashboard.transforms import (
    LatestChange,
    annual,
    areas_with_data,
    filter_observations,
    latest_change,
    sparkline_series,
)

ensure_app_frame()


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


@st.cache_data(show_spinner=False)
def tile_inputs(
    _observations: pd.DataFrame, indicator_id: str, polarity: str, areas: tuple[str, ...]
) -> list[tuple[str, LatestChange | None, pd.DataFrame, list[str]]]:
    """Per area: latest change, sparkline series and periods. The data never changes while the
    app runs (it is loaded once), so each row is computed once, not on every rerun."""
    headline = annual(
        filter_observations(_observations, indicator_ids=[indicator_id], areas=list(areas))
    )
    inputs = []
    for area in areas:
        own = headline[headline["area"] == area]
        periods = list(
            dict.fromkeys(own[own["status"] != "target"].sort_values("year_end")["period"])
        )
        change = latest_change(own, polarity)
        inputs.append((area, change, sparkline_series(_observations, indicator_id, area), periods))
    return inputs


def render_row(data: DashboardData, indicator: Indicator) -> None:
    """One indicator across the page: what it is on the left, one tile per area beside it."""
    areas = tile_areas(data, indicator)
    with st.container(border=True, key=f"overview_row_{indicator.id}"):
        about, *tiles = st.columns([4] + [5] * len(HEADLINE_AREAS), gap="medium")
        with about:
            st.subheader(escape_markdown(indicator.name), anchor=False)
            st.markdown(f"**Shown as:** {escape_markdown(indicator.unit_label.lower())}")
            st.caption(
                escape_markdown(
                    f"{indicator.family_label}. {indicator.polarity_label}. "
                    f"{england_line(data, indicator)}"
                )
            )
            indicator_link(indicator, label="Details and sources")
        inputs = tile_inputs(data.observations, indicator.id, indicator.polarity, tuple(areas))
        for column, (area, change, series, periods) in zip(tiles, inputs, strict=False):
            name = data.area_names.get(area, area)
            with column:
                render_kpi_tile(
                    indicator,
                    name,
                    change,
                    build_sparkline(series, indicator, name) if len(series) > 1 else None,
                    key=f"overview_tile_{indicator.id}_{area}",
                    sparkline_note=f"Trend, {period_span(periods)}",
                )


data = load_dashboard_data()
st.title("Safeguarding overview: Leicestershire and Rutland")
st.markdown(
    "The latest published figure for each headline indicator, with the change since the "
    "previous figure. Green or red, with the words better or worse, follows whether a higher "
    "value is good; grey means no judgement (volumes such as referrals). Each row says whether "
    "it shows a number, a rate per 10,000 children or a percentage."
)

shown = [data.catalogue[i] for i in OVERVIEW_INDICATORS if i in data.catalogue]
absent = [i for i in OVERVIEW_INDICATORS if i not in data.catalogue]
if absent:
    st.info(
        escape_markdown("Not in the data yet, so not shown: " + ", ".join(absent) + "."),
        icon=":material/info:",
    )
for indicator in shown:
    render_row(data, indicator)

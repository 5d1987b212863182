"""Overview: the latest figures that matter most, Leicestershire and Rutland side by side."""

import pandas as pd
import streamlit as st

from dashboard.areas import area_catalogue
from dashboard.catalogue import Indicator
from dashboard.charts import build_sparkline
from dashboard.components import (
    DashboardData,
    indicator_link,
    load_dashboard_data,
    memo,
    per_version,
    render_kpi_tile,
    tile_view,
)
from dashboard.config import OVERVIEW_INDICATORS
from dashboard.formatting import escape_markdown, format_value, period_span
from dashboard.frame import ensure_app_frame
from dashboard.html_parts import block, caption, label_and_text
from dashboard.transforms import (
    annual,
    areas_with_data,
    filter_observations,
    latest_change,
    position_for,
    sparkline_series,
)
from dashboard.verdicts import (
    VERDICT_CSS,
    AreaFigures,
    verdict_phone_html,
    verdict_row,
    verdict_table_html,
)
from dashboard.views import RowView, TileInputs

ensure_app_frame()


def tile_areas(data: DashboardData, indicator: Indicator) -> list[str]:
    """Leicestershire and Rutland when they have figures; else the partnership area(s)."""

    def areas() -> list[str]:
        present = areas_with_data(data.observations, indicator.id)
        headline = [area for area in area_catalogue().headline if area in present]
        return headline or [area for area in present if area in area_catalogue().local]

    return memo(data, ("tile_areas", indicator.id), areas)


def england_rows(data: DashboardData, indicator: Indicator) -> pd.DataFrame:
    return annual(
        filter_observations(data.observations, indicator_ids=[indicator.id], areas=["england"])
    )


def england_line(data: DashboardData, indicator: Indicator) -> str:
    """England's latest figure as context, when the indicator has one."""
    change = latest_change(england_rows(data, indicator), indicator.polarity)
    if change is None or change.value is None:
        return ""
    england = data.area_names.get("england", "England")
    return f"{england}: {format_value(change.value, indicator.unit)} ({change.period})."


@per_version
def row_view(data: DashboardData, indicator_id: str, areas: tuple[str, ...]) -> RowView:
    """What the row says about the indicator, and per area the latest change, its place
    against England and the tile drawn from them. Computed once per data version and shared by
    every session (nothing here is changed after it is built)."""
    indicator = data.catalogue[indicator_id]
    england = england_rows(data, indicator)
    england_name = data.area_names.get("england", "England")
    headline = annual(
        filter_observations(data.observations, indicator_ids=[indicator_id], areas=list(areas))
    )
    tiles = []
    for area in areas:
        own = headline[headline["area"] == area]
        periods = list(
            dict.fromkeys(own[own["status"] != "target"].sort_values("year_end")["period"])
        )
        series = sparkline_series(data.observations, indicator_id, area)
        name = data.area_names.get(area, area)
        sparkline = build_sparkline(series, indicator, name) if len(series) > 1 else None
        change = latest_change(own, indicator.polarity)
        position = position_for(change, england, england_name, indicator.polarity)
        view = tile_view(
            indicator,
            name,
            change,
            sparkline,
            sparkline_note=f"Trend, {period_span(periods)}",
            position=position,
        )
        tiles.append(TileInputs(area, change, position, view))
    about = block(
        [
            label_and_text("Shown as:", indicator.unit_label.lower()),
            caption(
                f"{indicator.family_label}. {indicator.polarity_label}. "
                f"{england_line(data, indicator)}"
            ),
        ]
    )
    return RowView(about, tuple(tiles))


def render_row(data: DashboardData, indicator: Indicator) -> None:
    """One indicator across the page: what it is on the left, one tile per area beside it."""
    row = row_view(data, indicator.id, tuple(tile_areas(data, indicator)))
    with st.container(border=True, key=f"overview_row_{indicator.id}"):
        # Each column bordered, a tile without a container of its own (OVERVIEW_CSS takes the
        # border off the first, which says what the indicator is).
        about, *tiles = st.columns(
            [4] + [5] * len(area_catalogue().headline), gap="medium", border=True
        )
        with about:
            st.subheader(escape_markdown(indicator.name), anchor=False)
            st.html(row.about)
            indicator_link(indicator, label="Details and sources")
        for column, tile in zip(tiles, row.tiles, strict=False):
            with column:
                render_kpi_tile(tile.view)


def render_verdicts(data: DashboardData, indicators: list[Indicator]) -> None:
    """The first screen: every headline indicator, both counties against England and against
    the year before, in one table."""
    names = [data.area_names.get(area, area) for area in area_catalogue().headline]
    rows = []
    for indicator in indicators:
        view = row_view(data, indicator.id, tuple(tile_areas(data, indicator)))
        figures = [
            AreaFigures(data.area_names.get(tile.area, tile.area), tile.change, tile.position)
            for tile in view.tiles
        ]
        row = verdict_row(indicator, figures)
        if row is not None:
            rows.append(row)
    st.html(VERDICT_CSS + verdict_table_html(rows, names) + verdict_phone_html(rows, names))
    st.caption(
        "✓ Better and ✗ worse (in colour) only where a statistical test says chance does not "
        "explain the difference; ▲ higher, ▼ lower and ● similar for numbers that are neither good "
        "nor bad in themselves; counts (—) are not compared with England, whose size decides them. "
        "Against England: by the 95% interval of the county's figure. Hover over a judgement for "
        "the figures behind it; each indicator follows in detail below."
    )
    st.markdown("Words explained: the [Glossary](sources#glossary) on the Sources page.")


data = load_dashboard_data()
st.title("Safeguarding at a glance")

shown = [data.catalogue[i] for i in OVERVIEW_INDICATORS if i in data.catalogue]
absent = [i for i in OVERVIEW_INDICATORS if i not in data.catalogue]
if absent:
    st.info(
        escape_markdown("Not in the data yet, so not shown: " + ", ".join(absent) + "."),
        icon=":material/info:",
    )
render_verdicts(data, shown)
st.subheader("Each indicator in detail", anchor=False)
st.markdown(
    "The latest figure for each headline indicator and the change since the one before: green "
    "or red, with the words better or worse, only when a statistical test says chance does not "
    "explain the change; grey otherwise. Each row says whether it shows a number, a rate per "
    "10,000 children or a percentage; rates and percentages show their 95% interval and how "
    "they stand against England."
)
for indicator in shown:
    render_row(data, indicator)

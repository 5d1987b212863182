"""Map: Leicestershire (with its districts), Rutland and Leicester coloured by one indicator."""

import pandas as pd
import streamlit as st

from dashboard.components import (
    DashboardData,
    Link,
    csv_download,
    indicator_link,
    load_dashboard_data,
    per_version,
)
from dashboard.data import load_areas, load_indicators
from dashboard.formatting import escape_markdown
from dashboard.frame import ensure_app_frame
from dashboard.maps import (
    DRAWING_TOLERANCE_M,
    MAP_HEIGHT_PX,
    PreparedDeck,
    build_area_map,
    build_legend_svg,
    describe_values,
    drawing_boundaries,
    map_values,
    mappable_indicators,
)
from dashboard.units import lookup_unit
from dashboard.url_state import YEAR, UrlParam

ensure_app_frame()

# Child protection plans and children in care, as rates per 10,000: the board's usual opener.
PREFERRED_DEFAULTS = ("cpp_rate", "cla_rate")
INDICATOR = UrlParam(
    "indicator", "map_indicator", describe="indicator with figures for these areas"
)
YEAR_ENDING = UrlParam("year", "map_year", YEAR)


@per_version
def candidate_indicators(data: DashboardData) -> pd.DataFrame:
    """Indicators with figures for the mapped areas, fair measures first (once per version)."""
    return mappable_indicators(data.observations, load_indicators())


@per_version
def drawn_map(
    data: DashboardData, indicator_id: str, year: int
) -> tuple[pd.DataFrame, PreparedDeck, str | None]:
    """Values, map and colour legend (SVG) for one indicator and year; built once, shared."""
    indicator = data.catalogue[indicator_id]
    values = map_values(data.observations, load_areas(), indicator_id, year)
    deck = build_area_map(values, *drawing_boundaries())
    legend = None
    if values["value"].notna().any():
        legend = build_legend_svg(
            values,
            indicator.unit_label,
            f"Colour scale for {indicator.name}: {describe_values(values)}",
            lookup_unit(indicator.unit).axis_format,
        )
    return values, PreparedDeck(deck), legend


data = load_dashboard_data()
st.title("Map: Leicestershire, Rutland and Leicester")
st.markdown(
    "Each area is coloured by the chosen indicator: darker means a higher value. "
    "**Rates and percentages compare fairly; numbers do not.** Rutland has about one twentieth "
    "of Leicestershire's children, so a count is always far smaller in Rutland whatever is "
    "happening there. The list puts rates per 10,000 children and percentages first."
)

candidates = candidate_indicators(data)
if candidates.empty:
    st.info("No indicator has figures for these areas yet, so there is nothing to map.")
    st.stop()

options = candidates["indicator_id"].tolist()
by_id = candidates.set_index("indicator_id")
default_indicator = next((i for i in PREFERRED_DEFAULTS if i in by_id.index), options[0])
link = Link()
link.seed(INDICATOR, options, default_indicator)


def indicator_label(option: str) -> str:
    indicator = data.catalogue[option]
    fair = "" if by_id.loc[option, "fair"] else " — depends on area size"
    return f"{indicator.label}: {indicator.unit_label.lower()}{fair}"


left, right = st.columns([3, 1])
with left:
    chosen = st.selectbox("Indicator", options, key=INDICATOR.key, format_func=indicator_label)
years: list[int] = by_id.loc[chosen, "years"]
best_year = int(by_id.loc[chosen, "best_year"])
link.seed(YEAR_ENDING, years, best_year)
with right:
    chosen_year = st.selectbox("Year ending", years, key=YEAR_ENDING.key)

link.write()

indicator = data.catalogue[chosen]
values, deck, legend = drawn_map(data, chosen, chosen_year)
if not by_id.loc[chosen, "fair"]:
    st.warning(
        "This indicator is a number that grows with the size of an area, not a rate: differences "
        "between the areas mostly reflect how many children live there. Choose a rate or "
        "percentage to compare fairly.",
        icon=":material/warning:",
    )

st.subheader(escape_markdown(f"{indicator.name}, year ending {chosen_year}"), anchor=False)
st.caption(
    escape_markdown(
        f"{indicator.unit_label}. {indicator.family_label}. {indicator.polarity_label}. "
        f"{indicator.definition}"
    )
)
st.pydeck_chart(
    deck,  # type: ignore[arg-type]  # a PreparedDeck: a pdk.Deck already turned into JSON
    height=MAP_HEIGHT_PX,
    key="map_deck",
    alt=f"Map of {indicator.name}, year ending {chosen_year}. {describe_values(values)}",
)
if legend is not None:
    # Inline SVG (our own markup, every text in it escaped), so it takes the page's font; st.html
    # would strip it.
    st.markdown(legend, unsafe_allow_html=True)
st.caption(
    "Colour scale: from zero to the highest value shown, not a judgement of good or bad. "
    "Grey: no single published figure. White lines inside Leicestershire are its seven districts "
    "(Blaby, Charnwood, Harborough, Hinckley and Bosworth, Melton, North West Leicestershire, "
    "Oadby and Wigston); figures are for the county as a whole. Boundaries: ONS local authority "
    "districts (December 2013), contains OS data © Crown copyright and database right, OGL v3.0; "
    "GeoJSON by Martin Chorley (UK-GeoJSON), CC BY 4.0; lines drawn simplified to within "
    f"{DRAWING_TOLERANCE_M:.0f} m. No background map is loaded."
)

# Three areas: a short list, which wraps long passages, rather than a data grid (the grid is
# 1.2 MB of script that each first visit to this page would fetch and compile).
st.subheader("The figures on the map and where each comes from", anchor=False)
for row in values.itertuples():
    period = f" ({row.period})" if row.period else ""
    st.markdown(f"**{escape_markdown(f'{row.name}: {row.value_text}{period}')}**")
    if row.source:
        st.caption(escape_markdown(f"{row.source}. {row.source_file}, {row.source_ref}"))
csv_download(
    values,
    "Download these figures (CSV)",
    file_name=f"map_{chosen}_{chosen_year}.csv",
    key="map_download",
)
indicator_link(indicator, label="Open the indicator page: all years, areas and sources")

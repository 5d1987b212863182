"""Compare: indicators of one theme across areas and years, in a measure that suits them."""

import pandas as pd
import streamlit as st

from dashboard import chart_cache
from dashboard.areas import area_catalogue
from dashboard.components import (
    DashboardData,
    Link,
    forget,
    indicator_link,
    load_dashboard_data,
    per_version,
    pick_many,
    render_chart_with_table,
)
from dashboard.config import OVERVIEW_INDICATORS
from dashboard.context_widgets import render_events
from dashboard.formatting import escape_markdown, measure_label, period_span, sources_text
from dashboard.frame import ensure_app_frame
from dashboard.headlines import years_offered
from dashboard.transforms import (
    RATE,
    RATE_TABLE_NOTE,
    annual,
    apply_measure,
    area_order,
    available_measures,
    default_base_year,
    display_table,
    events_for,
    filter_observations,
    name_areas,
    releases,
    shown_in_measure,
)
from dashboard.units import INDEX, is_size_dependent, lookup_unit
from dashboard.url_state import FLAG, INTERVALS_PARAM, MANY, YEAR, UrlParam
from dashboard.views import ChartView

ensure_app_frame()

THEME = UrlParam("theme", "compare_theme", describe="theme")
INDICATORS = UrlParam("indicators", "compare_indicators", MANY, "indicator in this theme")
MEASURE = UrlParam("measure", "compare_measure", describe="measure for these indicators")
AREAS = UrlParam("areas", "compare_areas", MANY, "area")
FROM = UrlParam("from", "compare_from", YEAR)
TO = UrlParam("to", "compare_to", YEAR)
BASE = UrlParam("base", "compare_base", YEAR)
INTERVALS = UrlParam(INTERVALS_PARAM, "compare_intervals", FLAG)
EVENTS = UrlParam("events", "compare_events", FLAG)
TABLES = UrlParam("table", "compare_show_table", FLAG)
# Which choices start again from their defaults when another changes.
RESETS = {
    THEME.key: (INDICATORS, MEASURE, FROM, TO, BASE),
    INDICATORS.key: (MEASURE, FROM, TO, BASE),
    MEASURE.key: (BASE,),
    FROM.key: (BASE,),
    TO.key: (BASE,),
}


def reset_after(widget: str) -> None:
    forget(*RESETS[widget])


def measure_name(measure: str) -> str:
    return "Index (base year = 100)" if measure == INDEX else lookup_unit(measure).label


@per_version
def chosen_rows(
    data: DashboardData, chosen: tuple[str, ...]
) -> tuple[pd.DataFrame, list[int], str]:
    """The chosen indicators' headline rows (yearly where both are published), their years, and
    the sentence saying which years each offers."""
    headline = annual(filter_observations(data.observations, indicator_ids=chosen))
    years = sorted(int(year) for year in headline["year_end"].unique())
    return headline, years, years_offered(headline, list(chosen), data.catalogue.labels)


@per_version
def shown_rows(
    data: DashboardData, chosen: tuple[str, ...], areas: tuple[str, ...], years: tuple[int, int]
) -> pd.DataFrame:
    selected = chosen_rows(data, chosen)[0]
    return filter_observations(selected, areas=areas, year_from=years[0], year_to=years[1])


@per_version
def compare_view(
    data: DashboardData,
    indicator_id: str,
    rows_key: tuple,
    measure: str,
    base_year: int | None,
    intervals: bool,
    show_events: bool,
) -> ChartView | str:
    """The chart of one indicator for the areas and years in `rows_key` (shown_rows' arguments),
    or why there is none."""
    indicator = data.catalogue[indicator_id]
    shown = shown_rows(data, *rows_key)
    rows = name_areas(shown[shown["indicator_id"] == indicator_id], data.area_names)
    if rows.empty:
        return f"{indicator.label}: no figures for these areas and years."
    population = filter_observations(data.observations, indicator_ids=[indicator.rate_denominator])
    measured = apply_measure(rows, measure, base_year, population)
    if measured.frame.empty:
        return f"{indicator.label}: no area has a figure for {base_year}."
    events = events_for(
        data.events if show_events else data.events.iloc[0:0],
        measured.frame["area"].unique(),
        measured.frame["year_end"],
        measured.frame["period_type"].unique(),
    )
    chart = chart_cache.trend_chart(
        measured.frame,
        indicator,
        measure=measure,
        base_year=base_year,
        show_intervals=intervals,
        events=events,
    )
    periods = list(dict.fromkeys(measured.frame.sort_values("year_end")["period"]))
    caption = (
        f"{indicator.label}. Measure: {measure_label(measure, base_year)}. "
        f"Period: {period_span(periods)}. Source: {sources_text(releases(rows))}."
    )
    if measured.rule:
        caption += f" {measured.rule}"
    if measure == RATE:
        caption += f" {RATE_TABLE_NOTE}"
    if measured.dropped:
        caption += f" Left out (no {base_year} figure): {', '.join(measured.dropped)}."
    names = {item.id: item.label for item in data.catalogue}
    return ChartView(chart, display_table(measured.frame, names, data.area_names), caption, events)


data = load_dashboard_data()
catalogue = data.catalogue
link = Link()

st.title("Compare areas over time")
st.markdown(
    "Pick a theme, one or more of its indicators, the areas and the years. Leicestershire and "
    "Rutland keep the same colours on every chart; England, the East Midlands and statistical "
    "neighbours are grey dashed lines."
)

# Theme
themes = catalogue.themes()
default_theme = next((catalogue[i].theme for i in OVERVIEW_INDICATORS if i in catalogue), themes[0])
link.seed(THEME, themes, default_theme)
controls = st.columns([2, 3])
with controls[0]:
    theme = st.selectbox(
        "Theme",
        themes,
        format_func=lambda t: catalogue.in_theme(t)[0].theme_label,
        key=THEME.key,
        on_change=reset_after,
        args=(THEME.key,),
    )

# Indicators within the theme
in_theme = [indicator.id for indicator in catalogue.in_theme(theme)]
# Rates first: they compare areas of different sizes fairly.
preferred = sorted(
    (i for i in OVERVIEW_INDICATORS if i in in_theme),
    key=lambda i: catalogue[i].unit != "rate_per_10k",
)
link.seed(INDICATORS, in_theme, preferred[:1] or in_theme[:1])
with controls[1]:
    chosen = pick_many(
        "Indicators",
        in_theme,
        catalogue.labels,
        INDICATORS.key,
        on_change=reset_after,
        args=(INDICATORS.key,),
        placeholder="Choose one or more indicators",
    )
if not chosen:
    link.write()
    st.info("Choose at least one indicator to see a chart.", icon=":material/touch_app:")
    st.stop()

selected, years, offered = chosen_rows(data, tuple(chosen))

# Measure: only the units of the chosen indicators, plus an index
measures = available_measures(catalogue[i] for i in chosen)
default_measure = "rate_per_10k" if "rate_per_10k" in measures else measures[0]
link.seed(MEASURE, measures, default_measure)
measure = st.radio(
    "Measure",
    measures,
    format_func=measure_name,
    key=MEASURE.key,
    horizontal=True,
    on_change=reset_after,
    args=(MEASURE.key,),
    help="Only the measures the chosen indicators are published in, plus an index.",
)

# Areas: defaults leave out England and the region for counts, which would dwarf the local lines
with_data = area_order(selected["area"])
all_areas = area_order(data.area_names)
default_areas = [area for area in area_catalogue().defaults if area in with_data]
if is_size_dependent(measure):
    default_areas = [area for area in default_areas if area in area_catalogue().local]
default_areas = default_areas or with_data[:3]
link.seed(AREAS, all_areas, default_areas)
areas = pick_many("Areas", all_areas, data.area_names, AREAS.key, placeholder="Choose areas")
filters = st.columns([1, 1, 1, 2])

# Years: two plain pickers, easier to set precisely on a projector than a range slider; a note
# says why the range is what it is (an indicator published for two years offers two years).
link.seed(FROM, years, years[0])
link.seed(TO, years, years[-1])
with filters[0]:
    year_from = st.selectbox(
        "From (year ending)",
        years,
        key=FROM.key,
        on_change=reset_after,
        args=(FROM.key,),
    )
with filters[1]:
    year_to = st.selectbox(
        "To (year ending)", years, key=TO.key, on_change=reset_after, args=(TO.key,)
    )
if year_from > year_to:
    year_from, year_to = year_to, year_from
    link.keep(FROM, year_from)
    link.keep(TO, year_to)
with filters[3]:
    st.caption(escape_markdown(offered))

rows_key = (tuple(chosen), tuple(areas), (year_from, year_to))
shown = shown_rows(data, *rows_key)

# Base year for an index
base_year = None
if measure == INDEX:
    base_years = sorted(int(year) for year in shown["year_end"].unique()) or years
    fallback = default_base_year(shown) or base_years[0]
    link.seed(BASE, base_years, fallback)
    with filters[2]:
        base_year = st.selectbox("Base year (= 100)", base_years, key=BASE.key)

link.seed(INTERVALS, default=False)
link.seed(EVENTS, default=False)
link.seed(TABLES, default=False)
with st.container(horizontal=True, gap="large"):
    intervals = st.toggle(
        "Show 95% intervals",
        key=INTERVALS.key,
        disabled=measure not in {"percent", "rate_per_10k"},
        help="Drawn for rates and percentages whose counts are published: the range within which "
        "the underlying figure probably lies. An index has none.",
    )
    show_events = st.toggle(
        "Show events",
        key=EVENTS.key,
        help="Ofsted inspections, changes of structure and national events, as dotted vertical "
        "lines; hover one for what it was and where it is stated.",
    )
    show_tables = st.toggle(
        "Show the tables behind the charts",
        key=TABLES.key,
        help="Each chart's figures as a table: areas down, years across, then the counts and "
        "95% intervals behind them. Every passage and source is in the CSV download.",
    )

link.write()

st.markdown(
    escape_markdown(f"Measure shown: {measure_label(measure, base_year)}."),
    help="Counts, rates and percentages are shown exactly as published. An index is computed "
    "here from those values.",
)

if not areas:
    st.info("Choose at least one area to see a chart.", icon=":material/touch_app:")
    st.stop()
if is_size_dependent(measure) and len(areas) > 1:
    st.caption(
        "Numbers follow population size: Rutland has about one child for every twenty in "
        "Leicestershire, and England far more. To compare areas fairly, choose a rate "
        "indicator or the index."
    )

other_unit = [i for i in chosen if not shown_in_measure(catalogue[i], measure)]
if other_unit:
    st.info(
        escape_markdown(
            "Not shown in this measure: "
            + "; ".join(
                f"{catalogue[i].label} ({lookup_unit(catalogue[i].unit).label})" for i in other_unit
            )
            + ". Choose its measure above to see it."
        ),
        icon=":material/info:",
    )

for indicator_id in [i for i in chosen if i not in other_unit]:
    indicator = catalogue[indicator_id]
    view = compare_view(data, indicator_id, rows_key, measure, base_year, intervals, show_events)
    if isinstance(view, str):
        st.info(escape_markdown(view), icon=":material/info:")
        continue
    render_chart_with_table(
        view.chart,
        view.table,
        key=f"compare_{indicator_id}",
        caption=view.caption,
        file_name=f"{indicator_id}_{measure}_{year_from}-{year_to}.csv",
        show_table=show_tables,
    )
    render_events(view.events, key=f"compare_events_{indicator_id}")
    indicator_link(indicator, label=f"Everything about {indicator.name}: sources, quotes, tables")

"""Compare: indicators of one theme across areas and years, in a measure that suits them."""

import streamlit as st

from dashboard import chart_cache
from dashboard.areas import area_catalogue
from dashboard.components import (
    drop_invalid,
    forget_params,
    indicator_link,
    load_dashboard_data,
    render_chart_with_table,
    seed_widget,
    show_param_problems,
    url_params,
    write_params,
)
from dashboard.config import OVERVIEW_INDICATORS
from dashboard.formatting import escape_markdown, measure_label, period_span, sources_text
from dashboard.frame import ensure_app_frame
from dashboard.transforms import (
    annual,
    apply_measure,
    area_order,
    available_measures,
    default_base_year,
    display_table,
    filter_observations,
    name_areas,
    releases,
    shown_in_measure,
)
from dashboard.units import INDEX, is_size_dependent, lookup_unit
from dashboard.url_state import (
    INTERVALS_PARAM,
    encode,
    encode_flag,
    read_choice,
    read_flag,
    read_many,
    read_year,
)

ensure_app_frame()

# Which choices start again from their defaults when another changes, and their URL parameters.
RESETS = {
    "compare_theme": (
        "compare_indicators",
        "compare_measure",
        "compare_from",
        "compare_to",
        "compare_base",
    ),
    "compare_indicators": ("compare_measure", "compare_from", "compare_to", "compare_base"),
    "compare_measure": ("compare_base",),
    "compare_from": ("compare_base",),
    "compare_to": ("compare_base",),
}
PARAMS = {
    "compare_indicators": ("indicators",),
    "compare_measure": ("measure",),
    "compare_from": ("from",),
    "compare_to": ("to",),
    "compare_base": ("base",),
}


def reset_after(widget: str) -> None:
    """Choices that depend on a changed widget go back to their defaults, URL included."""
    for key in RESETS[widget]:
        st.session_state.pop(key, None)
        forget_params(*PARAMS[key])


def measure_name(measure: str) -> str:
    return "Index (base year = 100)" if measure == INDEX else lookup_unit(measure).label


data = load_dashboard_data()
catalogue = data.catalogue
headline = annual(filter_observations(data.observations))
params = url_params()
problems = []

st.title("Compare areas over time")
st.markdown(
    "Pick a theme, one or more of its indicators, the areas and the years. Leicestershire and "
    "Rutland keep the same colours on every chart; England, the East Midlands and statistical "
    "neighbours are grey dashed lines."
)

# Theme
themes = catalogue.themes()
default_theme = next((catalogue[i].theme for i in OVERVIEW_INDICATORS if i in catalogue), themes[0])
theme, problem = read_choice(params, "theme", themes, default_theme, describe="theme")
problems.append(problem)
seed_widget("compare_theme", theme, params.get("theme"))
controls = st.columns([2, 3])
with controls[0]:
    theme = st.selectbox(
        "Theme",
        themes,
        format_func=lambda t: catalogue.in_theme(t)[0].theme_label,
        key="compare_theme",
        on_change=reset_after,
        args=("compare_theme",),
    )

# Indicators within the theme
in_theme = [indicator.id for indicator in catalogue.in_theme(theme)]
# Rates first: they compare areas of different sizes fairly.
preferred = sorted(
    (i for i in OVERVIEW_INDICATORS if i in in_theme),
    key=lambda i: catalogue[i].unit != "rate_per_10k",
)
chosen, many = read_many(
    params,
    "indicators",
    in_theme,
    preferred[:1] or in_theme[:1],
    describe="indicator in this theme",
)
problems += many
drop_invalid("compare_indicators", in_theme)
seed_widget("compare_indicators", chosen, params.get("indicators"))
with controls[1]:
    chosen = st.multiselect(
        "Indicators",
        in_theme,
        format_func=lambda i: catalogue[i].label,
        key="compare_indicators",
        on_change=reset_after,
        args=("compare_indicators",),
        placeholder="Choose one or more indicators",
    )
if not chosen:
    show_param_problems(problems)
    st.info("Choose at least one indicator to see a chart.", icon=":material/touch_app:")
    write_params(encode({"theme": theme}))
    st.stop()

selected = headline[headline["indicator_id"].isin(chosen)]

# Measure: only the units of the chosen indicators, plus an index
measures = available_measures(catalogue[i] for i in chosen)
default_measure = "rate_per_10k" if "rate_per_10k" in measures else measures[0]
measure, problem = read_choice(
    params, "measure", measures, default_measure, describe="measure for these indicators"
)
problems.append(problem)
drop_invalid("compare_measure", measures)
seed_widget("compare_measure", measure, params.get("measure"))
measure = st.radio(
    "Measure",
    measures,
    format_func=measure_name,
    key="compare_measure",
    horizontal=True,
    on_change=reset_after,
    args=("compare_measure",),
    help="Only the measures the chosen indicators are published in, plus an index.",
)

# Areas: defaults leave out England and the region for counts, which would dwarf the local lines
with_data = area_order(selected["area"])
all_areas = area_order(data.area_names)
default_areas = [area for area in area_catalogue().defaults if area in with_data]
if is_size_dependent(measure):
    default_areas = [area for area in default_areas if area in area_catalogue().local]
default_areas = default_areas or with_data[:3]
areas, many = read_many(params, "areas", all_areas, default_areas, describe="area")
problems += many
seed_widget("compare_areas", areas, params.get("areas"))
areas = st.multiselect(
    "Areas",
    all_areas,
    format_func=lambda a: data.area_names.get(a, a),
    key="compare_areas",
    placeholder="Choose areas",
)
filters = st.columns([1, 1, 1, 2])

# Years: two plain pickers, easier to set precisely on a projector than a range slider
years = sorted(int(year) for year in selected["year_end"].unique())
year_from, problem = read_year(params, "from", years, years[0])
problems.append(problem)
year_to, problem = read_year(params, "to", years, years[-1])
problems.append(problem)
for key, year, param in (("compare_from", year_from, "from"), ("compare_to", year_to, "to")):
    drop_invalid(key, years)
    seed_widget(key, year, params.get(param))
with filters[0]:
    year_from = st.selectbox(
        "From (year ending)",
        years,
        key="compare_from",
        on_change=reset_after,
        args=("compare_from",),
    )
with filters[1]:
    year_to = st.selectbox(
        "To (year ending)", years, key="compare_to", on_change=reset_after, args=("compare_to",)
    )
if year_from > year_to:
    year_from, year_to = year_to, year_from

shown = filter_observations(selected, areas=areas, year_from=year_from, year_to=year_to)

# Base year for an index
base_year = None
if measure == INDEX:
    base_years = sorted(int(year) for year in shown["year_end"].unique()) or years
    fallback = default_base_year(shown) or base_years[0]
    base_year, problem = read_year(params, "base", base_years, fallback)
    problems.append(problem)
    drop_invalid("compare_base", base_years)
    seed_widget("compare_base", base_year, params.get("base"))
    with filters[2]:
        base_year = st.selectbox("Base year (= 100)", base_years, key="compare_base")

intervals, problem = read_flag(params, INTERVALS_PARAM, False)
problems.append(problem)
seed_widget("compare_intervals", intervals, params.get(INTERVALS_PARAM))
intervals = st.toggle(
    "Show 95% intervals",
    key="compare_intervals",
    disabled=measure not in {"percent", "rate_per_10k"},
    help="Drawn for rates and percentages whose counts are published: the range within which "
    "the underlying figure probably lies. An index has none.",
)

show_param_problems(problems)
write_params(
    encode(
        {
            "theme": theme,
            "indicators": chosen,
            "measure": measure,
            "areas": areas,
            "from": year_from,
            "to": year_to,
            "base": base_year,
            INTERVALS_PARAM: encode_flag(intervals, False),
        }
    )
)

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

names = {indicator.id: indicator.label for indicator in catalogue}
for indicator_id in [i for i in chosen if i not in other_unit]:
    indicator = catalogue[indicator_id]
    rows = name_areas(shown[shown["indicator_id"] == indicator_id], data.area_names)
    if rows.empty:
        st.info(
            escape_markdown(f"{indicator.label}: no figures for these areas and years."),
            icon=":material/info:",
        )
        continue
    population = filter_observations(data.observations, indicator_ids=[indicator.rate_denominator])
    measured = apply_measure(rows, measure, base_year, population)
    if measured.frame.empty:
        st.info(
            escape_markdown(f"{indicator.label}: no area has a figure for {base_year}."),
            icon=":material/info:",
        )
        continue
    chart = chart_cache.trend_chart(
        measured.frame, indicator, measure=measure, base_year=base_year, show_intervals=intervals
    )
    periods = list(dict.fromkeys(measured.frame.sort_values("year_end")["period"]))
    caption = (
        f"{indicator.label}. Measure: {measure_label(measure, base_year)}. "
        f"Period: {period_span(periods)}. Source: {sources_text(releases(rows))}."
    )
    if measured.rule:
        caption += f" {measured.rule}"
    if measured.dropped:
        caption += f" Left out (no {base_year} figure): {', '.join(measured.dropped)}."
    render_chart_with_table(
        chart,
        display_table(measured.frame, names, data.area_names),
        key=f"compare_{indicator_id}",
        caption=caption,
        file_name=f"{indicator_id}_{measure}_{year_from}-{year_to}.csv",
    )
    indicator_link(indicator, label=f"Everything about {indicator.name}: sources, quotes, tables")

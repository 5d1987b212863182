"""Indicator: everything about one indicator: meaning, trend, table, sources, conflicts."""

import pandas as pd
import streamlit as st

from dashboard import chart_cache
from dashboard.areas import area_catalogue
from dashboard.benchmark_panel import (
    FUNNEL,
    national_series,
    render_national_comparison,
)
from dashboard.benchmarks import neighbour_range
from dashboard.catalogue import Indicator
from dashboard.components import (
    DashboardData,
    Link,
    csv_download,
    drop_invalid,
    forget,
    glossary_entries,
    indicator_link,
    load_dashboard_data,
    memo,
    per_version,
    pick_many,
    render_chart_with_table,
    render_glossary,
    render_quote,
)
from dashboard.config import OVERVIEW_INDICATORS
from dashboard.context_widgets import render_commentary, render_events
from dashboard.formatting import (
    escape_markdown,
    format_status,
    format_value,
    period_span,
    sources_text,
)
from dashboard.frame import ensure_app_frame
from dashboard.glossary import entries_in
from dashboard.headlines import (
    commentary_lines,
    difference_explanations,
    difference_reasons,
    differences_sentence,
)
from dashboard.transforms import (
    annual,
    area_order,
    breakdown_rows,
    conflicts,
    counterpart_comparison,
    display_table,
    events_for,
    filter_observations,
    name_areas,
    releases,
)
from dashboard.units import is_size_dependent
from dashboard.url_state import FLAG, INTERVALS_PARAM, MANY, UrlParam
from dashboard.views import TrendView

ensure_app_frame()

# The trend's plotting height: with the page's title and picker, the whole chart (axes and
# legend) fits a 1280x720 projector's screen.
TREND_HEIGHT = 220
# Over the years, more categories than this make grouped bars unreadable on a projector.
MAX_CATEGORIES_OVER_YEARS = 8
NO_BAND = "none"
# What the page itself shows for every indicator, explained under "Words used here".
PAGE_TERMS = "95% interval, beyond chance, statistical neighbours, England, funnel plot"
INDICATOR = UrlParam("indicator", "indicator_id", describe="indicator")
AREAS = UrlParam("areas", "indicator_areas", MANY, "area", omit_default=True)
INTERVALS = UrlParam(INTERVALS_PARAM, "indicator_intervals", FLAG)
BAND = UrlParam("band", "indicator_band", describe="neighbour range", omit_default=True)
EVENTS = UrlParam("events", "indicator_events", FLAG)
TABLE = UrlParam("table", "indicator_show_table", FLAG)
RULES = UrlParam("rules", "indicator_rules_shown", FLAG)


def render_about(indicator: Indicator) -> None:
    """What the indicator counts and how to read it: under the chart, so the chart opens the
    page on a projector."""
    st.subheader("About this indicator", anchor=False)
    st.markdown(escape_markdown(indicator.definition))
    st.markdown(
        f"**Theme:** {escape_markdown(indicator.theme_label)}  \n"
        f"**Measured as:** {escape_markdown(indicator.unit_label)}  \n"
        f"**Which way is better:** {escape_markdown(indicator.polarity_label)}  \n"
        f"**Source:** {escape_markdown(indicator.family_label)}"
    )
    if indicator.notes:
        st.info(escape_markdown(indicator.notes), icon=":material/info:")
    used = entries_in(
        glossary_entries()[0],
        indicator.name,
        indicator.definition,
        indicator.notes,
        indicator.unit_label,
        indicator.family_label,
        PAGE_TERMS,
    )
    if used:
        st.markdown("**Words used here**")
        render_glossary(used, spellings=False)
        st.caption("Every term: the Glossary on the Sources page.")


@per_version
def trend_view(
    data: DashboardData,
    indicator_id: str,
    areas: tuple[str, ...],
    show_intervals: bool = False,
    band_area: str = "",
    show_events: bool = False,
) -> TrendView | None:
    """The trend of `indicator_id` for `areas`, with 95% intervals, a neighbours' range and the
    events in its years when asked; all its areas when it has none of them (a counterpart may be
    published for the partnership area only)."""
    indicator = data.catalogue[indicator_id]
    rows = indicator_rows(data, indicator_id)[0]
    if rows["area"].isin(areas).any():
        rows = rows[rows["area"].isin(areas)]
    if rows.empty:
        return None
    names = {item.id: item.label for item in data.catalogue}
    periods = list(dict.fromkeys(rows.sort_values("year_end")["period"]))
    caption = (
        f"{indicator.label}, {indicator.unit_label.lower()} as published. "
        f"Period: {period_span(periods)}. Source: {sources_text(releases(rows))}."
    )
    band = None
    if band_area:
        band = neighbour_range(
            national_series(data.version, indicator_id).rows, indicator_id, band_area
        )
    band_label = ""
    if band is not None and not band.empty:
        owner = data.area_names.get(band_area, band_area)
        band_label = f"Range of {owner}'s 10 statistical neighbours"
        caption += f" Grey band: {band_label.lower()} (lowest to highest)."
    else:
        band = None
    if show_intervals and rows["ci95_lower"].notna().any():
        caption += " Vertical lines: 95% intervals."
    events = events_for(
        data.events if show_events else data.events.iloc[0:0],
        rows["area"].unique(),
        rows["year_end"],
        rows["period_type"].unique(),
    )
    if not events.empty:
        caption += " Dotted lines: events (listed below the chart)."
    return TrendView(
        rows=rows,
        computed=rows[rows["rule"] != ""],
        chart=chart_cache.trend_chart(
            rows,
            indicator,
            show_intervals=show_intervals,
            neighbour_band=band,
            band_label=band_label,
            events=events,
            height=TREND_HEIGHT,
        ),
        table=display_table(rows, names, data.area_names),
        caption=caption,
        events=events,
    )


@per_version
def compared_with_counterpart(
    data: DashboardData, indicator_id: str, other_id: str
) -> tuple[pd.DataFrame, str]:
    """Years and areas where both families have a figure, as the page's table (with why they
    differ, where a document says), and the line above it; built once per data version."""
    indicator, other = data.catalogue[indicator_id], data.catalogue[other_id]
    both = counterpart_comparison(data.observations, indicator_id, other_id)
    explanations = difference_explanations(data.commentary, (indicator_id, other_id))
    table = pd.DataFrame(
        {
            "Area": [data.area_names.get(a, a) for a in both["area"]],
            "Period": both["period"],
            indicator.family_label: [format_value(v, indicator.unit) for v in both["value"]],
            other.family_label: [format_value(v, other.unit) for v in both["counterpart_value"]],
            "Difference": [format_value(v, indicator.unit) for v in both["difference"]],
            "Why they differ": difference_reasons(both, explanations),
        }
    )
    return table, differences_sentence(both, indicator, other, data.area_names)


def render_trend(
    indicator: Indicator, view: TrendView, table_key: str | None = None, events: bool = True
) -> None:
    """The chart and its table; the events listed under it unless the page lists them later
    (the Indicator page puts its controls first, next to the chart they change)."""
    render_chart_with_table(
        view.chart,
        view.table,
        key=f"indicator_trend_{indicator.id}",
        caption=view.caption,
        file_name=f"{indicator.id}.csv",
        table_key=table_key,
    )
    if events:
        render_events(view.events, key=f"indicator_events_{indicator.id}")


def render_computed(indicator: Indicator, computed: pd.DataFrame) -> None:
    """Numerator, denominator and rule for every value this dashboard's build computed: one
    switch away, as the tables behind charts are (a long rule table on every visit made the page
    slow to open and is read only when a number is queried)."""
    if computed.empty:
        return
    st.subheader("How computed values were worked out", anchor=False)
    st.markdown(
        f"{len(computed)} of the values on this chart were worked out by this dashboard from "
        "published figures (rates from counts and ONS population estimates, or averages of "
        "statistical neighbours). Each one's numerator, denominator and rule, naming the file "
        "and row it used, is in the table."
    )
    shown = st.toggle("Show how each computed value was worked out", key=RULES.key)
    if not shown:
        return
    table = pd.DataFrame(
        {
            "Area": computed["area_name"],
            "Period": computed["period"],
            "Category": computed["breakdown"],
            "Value": [format_value(v, indicator.unit) for v in computed["value"]],
            "Numerator": [_plain_number(v) for v in computed["numerator"]],
            "Denominator": [_plain_number(v) for v in computed["denominator"]],
            "Rule": computed["rule"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key=f"indicator_rules_{indicator.id}",
        column_config={"Rule": st.column_config.TextColumn(width="large")},
    )
    csv_download(
        table,
        "Download these values and rules (CSV)",
        file_name=f"{indicator.id}_computed_values.csv",
        key=f"indicator_rules_{indicator.id}_download",
    )


def _plain_number(value: float) -> str:
    """Numerators and denominators are counts; blank where the rule has none (e.g. averages)."""
    return "" if pd.isna(value) else f"{value:,.0f}"


def render_conflicts(data: DashboardData, indicator: Indicator) -> None:
    """Both values and both quotes, side by side, wherever two passages disagree."""
    rows = memo(
        data,
        ("conflicts", indicator.id),
        lambda: name_areas(conflicts(data.observations, indicator.id), data.area_names),
    )
    if rows.empty:
        return
    st.subheader("Where the sources disagree", anchor=False)
    st.markdown(
        "The documents state different figures for the same area and period. Both are kept; "
        "neither is drawn on the line (they show as diamonds)."
    )
    for conflict_id, group in rows.groupby("conflict_id", sort=False):
        first = group.iloc[0]
        with st.container(border=True, key=f"indicator_conflict_{conflict_id}"):
            heading = f"{first['area_name']}, {first['period']}"
            if first["breakdown"]:
                heading += f", {first['breakdown']}"
            st.markdown("**" + escape_markdown(heading) + "**")
            for column, row in zip(st.columns(len(group)), group.itertuples(), strict=True):
                with column:
                    # The document title can be long: shown in full above the figure.
                    st.markdown("**" + escape_markdown(row.release or row.source) + "**")
                    st.metric(
                        "Figure stated",
                        format_value(row.value, indicator.unit, row.value_symbol),
                    )
                    render_quote(row.source_ref)
                    if row.note:
                        st.caption(escape_markdown(row.note))


def area_categories(rows: pd.DataFrame, area: str) -> tuple[pd.DataFrame, list[str]]:
    """One area's category rows, and its periods, newest first."""
    own = rows[rows["area"] == area]
    return own, list(dict.fromkeys(own.sort_values("year_end")["period"]))[::-1]


@per_version
def indicator_rows(data: DashboardData, indicator_id: str) -> tuple[pd.DataFrame, list[str]]:
    """The indicator's headline rows (yearly where both are published) and its areas."""
    headline = name_areas(
        annual(filter_observations(data.observations, indicator_ids=[indicator_id])),
        data.area_names,
    )
    return headline, area_order(headline["area"])


@per_version
def every_row(data: DashboardData, indicator_id: str) -> pd.DataFrame:
    """Every figure of the indicator, categories included, by year and area."""
    rows = filter_observations(data.observations, indicator_ids=[indicator_id], breakdown=None)
    return name_areas(rows, data.area_names).sort_values(["year_end", "area"])


def render_breakdowns(data: DashboardData, indicator: Indicator) -> None:
    """Categories (partners, school years, outcomes): over the years when there are few, and
    for one period beside England when a share or rate can be compared."""
    rows = memo(
        data,
        ("breakdowns", indicator.id),
        lambda: name_areas(breakdown_rows(data.observations, indicator.id), data.area_names),
    )
    if rows.empty:
        return
    names = {item.id: item.label for item in data.catalogue}
    st.subheader("By category", anchor=False)
    areas = area_order(rows["area"])
    pickers = st.columns(2)
    drop_invalid("indicator_breakdown_area", areas)
    with pickers[0]:
        area = st.selectbox(
            "Area",
            areas,
            format_func=lambda a: data.area_names.get(a, a),
            key="indicator_breakdown_area",
        )
    own, periods = memo(
        data, ("breakdowns", indicator.id, area), lambda: area_categories(rows, area)
    )
    drop_invalid("indicator_breakdown_period", periods)
    with pickers[1]:
        period = st.selectbox("Period", periods, key="indicator_breakdown_period")
    area_name = data.area_names.get(area, area)
    if len(periods) > 1 and own["breakdown"].nunique() <= MAX_CATEGORIES_OVER_YEARS:
        render_chart_with_table(
            chart_cache.category_chart(own, indicator, area_name, stacked=indicator.unit == "gbp"),
            display_table(own, names, data.area_names),
            key=f"indicator_categories_{indicator.id}",
            caption=f"{indicator.label} by category, {area_name}. "
            f"Source: {sources_text(releases(own))}.",
            file_name=f"{indicator.id}_{area}_categories.csv",
        )
    # Shares and rates can be set beside England's; counts of a county and a country cannot.
    compared = [area]
    if indicator.unit in {"percent", "rate_per_10k"} and area != "england":
        compared.append("england")
    one = memo(
        data,
        ("breakdown period", indicator.id, period, *compared),
        lambda: rows[(rows["period"] == period) & rows["area"].isin(compared)],
    )
    render_chart_with_table(
        chart_cache.breakdown_chart(one, indicator, period),
        display_table(one, names, data.area_names),
        key=f"indicator_breakdown_{indicator.id}",
        caption=f"{indicator.label} by category, {period}. Source: {sources_text(releases(one))}.",
        file_name=f"{indicator.id}_{area}_{period.replace('/', '-').replace(' ', '_')}.csv",
    )


def render_counterparts(
    data: DashboardData, indicator: Indicator, areas: list[str], show_events: bool
) -> None:
    """The same thing measured by the other family (e.g. report vs DfE child protection plans)."""
    for other in data.catalogue.counterparts(indicator.id):
        st.subheader(f"The same measure from: {other.family_label}", anchor=False)
        view = trend_view(data, other.id, tuple(areas), show_events=show_events)
        if view is not None:
            render_trend(other, view)
        table, differences = compared_with_counterpart(data, indicator.id, other.id)
        if not table.empty:
            st.markdown("Years where both have a figure:")
            if differences:
                st.markdown(escape_markdown(differences))
            # A few rows: a plain table, which also prints and projects better than a grid.
            st.table(table, hide_index=True)
        indicator_link(other, label=f"Open {other.label}")


def render_quotes(indicator: Indicator, rows: pd.DataFrame) -> None:
    """For report figures, each value with the exact passage it was read from."""
    if indicator.source_family != "partnership_report":
        return
    with st.expander(f"Every figure with its passage from the documents ({len(rows)})"):
        for row in rows.itertuples():
            label = (
                f"{row.area_name}, {row.period}: "
                f"{format_value(row.value, indicator.unit, row.value_symbol)} "
                f"({format_status(row.status)}), {row.release}"
            )
            st.markdown("**" + escape_markdown(label) + "**")
            render_quote(row.source_ref)


def starting_areas(with_data: list[str], indicator: Indicator) -> list[str]:
    """The two counties and England: the comparison a board member asks first. Counts start
    without England, whose size dwarfs a county's; others are one click away."""
    catalogue = area_catalogue()
    wanted = list(catalogue.headline)
    if not is_size_dependent(indicator.unit):
        wanted.append("england")
    chosen = [area for area in with_data if area in wanted]
    if chosen:
        return chosen
    local = [area for area in with_data if area not in catalogue.comparators]
    return local or with_data


def reset_choices() -> None:
    """A new indicator starts from its own default areas and categories."""
    for key in ("indicator_breakdown_area", "indicator_breakdown_period"):
        st.session_state.pop(key, None)
    forget(AREAS, BAND, FUNNEL)


data = load_dashboard_data()
catalogue = data.catalogue
link = Link()
ordered = [indicator.id for indicator in catalogue.in_theme_order()]
default = next((i for i in OVERVIEW_INDICATORS if i in catalogue), ordered[0])
link.seed(INDICATOR, ordered, default)
chosen = st.selectbox(
    "Indicator",
    ordered,
    format_func=lambda i: f"{catalogue[i].theme_label}: {catalogue[i].label}",
    key=INDICATOR.key,
    on_change=reset_choices,
    help="Type to search. Report and DfE indicators that share a name are told apart by source.",
)
indicator = catalogue[chosen]
headline, with_data = indicator_rows(data, indicator.id)
default_areas = starting_areas(with_data, indicator)
areas = link.seed(AREAS, with_data, default_areas)
intervals_wanted = link.seed(INTERVALS, default=True)
events_wanted = link.seed(EVENTS, default=True)
link.seed(TABLE, default=False)
link.seed(RULES, default=False)
national = national_series(data.version, indicator.id)
band_options = [NO_BAND, *national.band_areas]
band_area = link.seed(BAND, band_options, NO_BAND)
link.show_problems()

st.title(escape_markdown(indicator.name), anchor=False)
if headline.empty:
    st.info("This indicator has figures only by category (below).", icon=":material/info:")
else:
    chart_slot = st.container()
    with st.container(border=True, key="indicator_controls"):
        st.markdown("**Change the chart**")
        areas = pick_many(
            "Areas on the chart",
            with_data,
            data.area_names,
            AREAS.key,
            placeholder="Choose areas",
            help="Only areas with figures for this indicator are offered. The chart starts "
            "with Leicestershire, Rutland and England (counts without England).",
        )
        switches = st.columns(3)
        has_intervals = memo(
            data, ("has intervals", indicator.id), lambda: headline["ci95_lower"].notna().any()
        )
        with switches[0]:
            intervals_wanted = st.toggle(
                "Show 95% intervals",
                key=INTERVALS.key,
                disabled=not has_intervals,
                help="The range within which the underlying figure probably lies, drawn where "
                "the source gives the counts behind a rate or percentage."
                + ("" if has_intervals else " This indicator has none: no counts are published."),
            )
        with switches[1]:
            band_area = st.selectbox(
                "Statistical neighbours' range",
                band_options,
                format_func=lambda a: (
                    "Not shown" if a == NO_BAND else f"{data.area_names.get(a, a)}'s 10 neighbours"
                ),
                key=BAND.key,
                disabled=len(band_options) == 1,
                help="A grey band from the lowest to the highest value among the county's ten "
                "statistical neighbours (DfE 2025 model).",
            )
        with switches[2]:
            events_wanted = st.toggle(
                "Show events",
                key=EVENTS.key,
                help="Ofsted inspections, changes of structure and national events, as dotted "
                "vertical lines; hover one for what it was and where it is stated.",
            )
    view = (
        trend_view(
            data,
            indicator.id,
            tuple(areas),
            intervals_wanted and has_intervals,
            "" if band_area == NO_BAND else band_area,
            events_wanted,
        )
        if areas
        else None
    )
    with chart_slot:
        if view is None:
            st.info("Choose at least one area to see the chart.", icon=":material/touch_app:")
        else:
            render_trend(indicator, view, TABLE.key, events=False)
    if view is not None:
        render_events(view.events, key=f"indicator_events_{indicator.id}")
        render_commentary(
            memo(
                data,
                ("commentary", indicator.id, tuple(areas)),
                lambda: commentary_lines(
                    data.commentary,
                    indicator.id,
                    view.rows["area"],
                    view.rows["period"],
                    data.area_names,
                ),
            ),
            key=f"indicator_commentary_{indicator.id}",
        )
render_about(indicator)
if not headline.empty and view is not None:
    render_computed(indicator, view.computed)
render_national_comparison(data, indicator, link)
link.write()
render_conflicts(data, indicator)
render_breakdowns(data, indicator)
render_counterparts(data, indicator, areas, events_wanted)
render_quotes(indicator, every_row(data, indicator.id))

"""Render a themed page from its declaration in themes.py: benchmarks, sections, charts, notes.

Every page in pages/theme_*.py is one call to render_theme_page; the stories live in themes.py,
the shaping in transforms.py and the drawing in charts.py.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
import streamlit as st

from dashboard import chart_cache
from dashboard.areas import area_catalogue
from dashboard.catalogue import Indicator
from dashboard.components import (
    DashboardData,
    Link,
    indicator_link,
    load_dashboard_data,
    memo,
    pick_many,
    render_chart_with_table,
    render_quote,
)
from dashboard.context_widgets import render_events
from dashboard.formatting import escape_markdown, format_status, format_value
from dashboard.statuses import CAVEAT_STATUSES
from dashboard.themes import (
    ANY_CATEGORY,
    BARS,
    BY_AREA,
    BY_BREAKDOWN,
    BY_INDICATOR,
    BY_PERIOD,
    FIGURES,
    HBARS,
    RATE_TREND,
    THEME_PAGES,
    TREND,
    YEAR_BREAKDOWN,
    Section,
    ThemePage,
    latest_sentence,
    period_span,
    planned_periods,
    section_rows,
    size_sentence,
    stated_sentence,
)
from dashboard.transforms import (
    HEADLINE,
    RATE_RULE,
    RATE_TABLE_NOTE,
    annual,
    area_order,
    collapse_restatements,
    display_table,
    events_for,
    filter_observations,
    name_areas,
    rate_per_10k_children,
    releases,
)
from dashboard.units import is_size_dependent, lookup_unit
from dashboard.url_state import FLAG, INTERVALS_PARAM, MANY, YEAR, UrlParam

SECTION_PARAM = "section"
NO_BENCHMARKS = "none"  # URL value for "no benchmark lines", so an empty choice survives a link
POPULATION = "population_0_17"
PERIOD_AXIS_TITLES = {
    "financial_year": "Financial year (April to March)",
    "quarter": "Quarter of the financial year",
    "snapshot": "Date of the count",
    "calendar_year": "Calendar year",
    "academic_year": "Academic year",
    "survey": "Year of the survey",
}
CHART_COLUMNS = 2
LINKS_SHOWN = 4  # more indicator links than this go into an expander
SOURCES_NAMED = 3  # a caption names this many releases; the table names every one
ALL_ROWS = (HEADLINE, ANY_CATEGORY)  # a headline figure and its categories
# What the colours of lying-down bars stand for: the frame column and the legend title.
GROUPS = {
    BY_AREA: ("area_name", "Area"),
    BY_BREAKDOWN: ("breakdown", "Group"),
    BY_INDICATOR: ("series", "Figure"),
    BY_PERIOD: ("period", "Year"),
}


@dataclass(frozen=True)
class Conflict:
    """Where the documents disagree: what and where, then each value with its passages."""

    indicator: Indicator
    where: str
    values: tuple[tuple[float, tuple[tuple[str, str], ...]], ...]  # value, (release, passage)s


@dataclass(frozen=True)
class SectionContent:
    """A section's rows and what is drawn from them without a chart, worked out once per data
    version and choices (memo): a rerun only draws."""

    rows: pd.DataFrame  # every passage
    by_indicator: dict[str, pd.DataFrame]  # the rows of each indicator that has any
    sentences: tuple[str, ...]  # stating the section's one-off figures
    conflicts: tuple[Conflict, ...]


@dataclass
class PageState:
    """What a page gathers while it renders: the choices that shape every section, and its link."""

    link: Link
    benchmarks: list[str] = field(default_factory=list)
    intervals: bool = False
    events: bool = False

    @property
    def choices(self) -> tuple[str, ...]:
        """What besides the data decides a section's rows: part of every memo key."""
        return (*self.benchmarks, f"intervals={self.intervals}", f"events={self.events}")


def render_theme_page(key: str) -> None:
    """The whole page for one theme: title, benchmarks, context, then each section in order."""
    page = THEME_PAGES[key]
    data = load_dashboard_data()
    st.title(page.title, anchor=False)
    st.markdown(page.intro)
    notes = st.container()
    state = PageState(Link())
    if page.benchmarked:
        state.benchmarks = render_benchmark_picker(page, data, state)
    if page.has_trends:
        with st.container(horizontal=True, gap="large"):
            state.intervals = render_interval_switch(page, state)
            state.events = render_events_switch(page, state)
    if page.size_note:
        sentence = memo(data, ("size_sentence",), lambda: population_sentence(data))
        if sentence:
            st.info(escape_markdown(sentence), icon=":material/straighten:")
    absent = [i for i in page.indicator_ids() if i not in data.catalogue]
    if absent:
        st.info(
            escape_markdown("Not in the data, so not shown: " + ", ".join(absent) + "."),
            icon=":material/info:",
        )
    render_section_tabs(data, page, state)
    with notes:
        state.link.write()


def population_sentence(data: DashboardData) -> str:
    population = filter_observations(data.observations, indicator_ids=[POPULATION])
    return size_sentence(population, data.area_names)


def render_section_tabs(data: DashboardData, page: ThemePage, state: PageState) -> None:
    """One tab per section, kept in the URL as ?section=. Only the open tab is drawn: a whole
    theme is some thirty charts, too many to draw (or to take in) at once."""
    keys = [section.key for section in page.sections]
    titles = {section.key: section.title for section in page.sections}
    param = UrlParam(SECTION_PARAM, f"{page.key}_section", describe="section of this page")
    state.link.seed(
        param, keys, keys[0], widget_options=list(titles.values()), widget_value=titles.get
    )
    tabs = st.tabs(list(titles.values()), key=param.key, on_change="rerun")
    for section, tab in zip(page.sections, tabs, strict=True):
        if tab.open:
            state.link.keep(param, section.key)
            with tab:
                render_section(data, page, section, state)


def anchor(section: Section) -> str:
    """The section heading's id, so a section can be linked to within its tab."""
    return section.key.replace("_", "-")


def render_benchmark_picker(page: ThemePage, data: DashboardData, state: PageState) -> list[str]:
    """Which grey benchmark areas the official charts show; kept in the URL as ?benchmarks=."""
    options = [area for area in area_catalogue().comparators if area in data.area_names]
    defaults = [area for area in area_catalogue().default_benchmarks if area in options]
    param = UrlParam("benchmarks", f"{page.key}_benchmarks", MANY, "benchmark area")
    state.link.seed(
        param,
        [*options, NO_BENCHMARKS],
        defaults,
        widget_options=options,
        widget_value=lambda areas: [area for area in areas if area != NO_BENCHMARKS],
    )
    chosen = pick_many(
        "Benchmarks on the official-statistics charts (grey lines and bars)",
        options,
        data.area_names,
        param.key,
        placeholder="No benchmarks: Leicestershire and Rutland only",
        help="England, the East Midlands region, and the average of each county's ten "
        "statistical neighbours (similar councils, as chosen by the Department for Education).",
    )
    state.link.keep(param, ",".join(chosen) or NO_BENCHMARKS)  # none chosen is not the default
    return chosen


def render_interval_switch(page: ThemePage, state: PageState) -> bool:
    """Whether trend charts draw 95% intervals; off by default here (a page of charts reads
    more easily without them), kept in the URL as ?intervals=1."""
    return page_switch(
        page,
        state,
        INTERVALS_PARAM,
        "Show 95% intervals on the line charts",
        "Vertical lines through each rate or percentage whose counts are published: the range "
        "within which the underlying figure probably lies.",
    )


def render_events_switch(page: ThemePage, state: PageState) -> bool:
    """Whether line charts mark dated events; off by default here, ?events=1 in the URL."""
    return page_switch(
        page,
        state,
        "events",
        "Show events on the line charts",
        "Ofsted inspections, changes of structure and national events, as dotted vertical "
        "lines; hover one for what it was and where it is stated.",
    )


def page_switch(page: ThemePage, state: PageState, name: str, label: str, explanation: str) -> bool:
    """A switch off by default, kept in the URL as ?<name>=1."""
    param = UrlParam(name, f"{page.key}_{name}", FLAG)
    state.link.seed(param, default=False)
    return st.toggle(label, key=param.key, help=explanation)


def chart_events(data: DashboardData, frame: pd.DataFrame, state: PageState) -> pd.DataFrame:
    """The events a line chart of `frame` marks when the switch is on."""
    return events_for(
        data.events if state.events else data.events.iloc[0:0],
        frame["area"].unique(),
        frame["year_end"],
        frame["period_type"].unique(),
    )


def render_section(
    data: DashboardData, page: ThemePage, section: Section, state: PageState
) -> None:
    """Heading, lead, the section's charts, any disagreeing sources, and indicator links."""
    st.header(section.title, anchor=anchor(section), divider="gray")
    st.markdown(section.lead)
    prefix = f"{page.key}_{section.key}"
    content = memo(
        data, ("section", prefix, state.choices), lambda: section_content(data, section, state)
    )
    for sentence in content.sentences:
        st.markdown(escape_markdown(sentence))
    if content.rows.empty:
        st.info("No figures for this section in the data.", icon=":material/info:")
        return
    indicators = [data.catalogue[i] for i in content.by_indicator]
    stated = [data.catalogue[i] for i in section.stated if i in data.catalogue]
    renderers = {
        TREND: render_trends,
        RATE_TREND: render_rate_trends,
        BARS: render_bars,
        HBARS: render_hbars,
        YEAR_BREAKDOWN: render_year_breakdown,
        FIGURES: render_figures,
    }
    renderers[section.kind](data, section, indicators, content, prefix, state)
    render_conflicts(content.conflicts, prefix)
    if section.kind != FIGURES:  # figure tiles carry their own links
        render_links([*indicators, *stated])


def section_content(data: DashboardData, section: Section, state: PageState) -> SectionContent:
    """The section's rows (every passage), split by indicator, the sentences stating its one-off
    figures, and where its documents disagree."""
    present = [i for i in section.indicators if i in data.catalogue]
    rows = section_rows(data.observations, section, present, state.benchmarks)
    by_indicator = {i: rows[rows["indicator_id"] == i] for i in present}
    whole = replace(section, breakdowns=ALL_ROWS)
    sentences = [
        stated_sentence(
            section_rows(data.observations, whole, [indicator_id]),
            data.catalogue[indicator_id],
            data.area_names,
        )
        for indicator_id in section.stated
        if indicator_id in data.catalogue
    ]
    return SectionContent(
        rows,
        {i: own for i, own in by_indicator.items() if not own.empty},
        tuple(sentence for sentence in sentences if sentence),
        conflicts(data, rows),
    )


# Sections by kind. Each takes the section's rows (every passage) and draws one or more charts;
# what a chart needs is worked out once per data version (memo), keyed by the choices behind it.


def render_trends(
    data: DashboardData,
    section: Section,
    indicators: list[Indicator],
    content: SectionContent,
    prefix: str,
    state: PageState,
) -> None:
    """A line per area over the years, benchmarks included; one full-width chart each."""
    for indicator in indicators:

        def parts(indicator: Indicator = indicator) -> tuple:
            own = content.by_indicator[indicator.id]
            frame = name_areas(collapse_restatements(annual(own)), data.area_names)
            events = chart_events(data, frame, state)
            return (
                latest_sentence(frame, indicator, data.area_names),
                chart_cache.trend_chart(
                    frame, indicator, show_intervals=state.intervals, events=events
                ),
                table(data, own),
                caption(indicator.label, own, indicator.unit, indicator),
                events,
            )

        key = f"{prefix}_{indicator.id}"
        sentence, chart, shown_table, text, events = memo(
            data, ("trend", key, state.choices), parts
        )
        st.markdown(escape_markdown(sentence))
        render_chart_with_table(chart, shown_table, key=key, caption=text, file_name=f"{key}.csv")
        render_events(events, key=f"{key}_events")


def render_rate_trends(
    data: DashboardData,
    section: Section,
    indicators: list[Indicator],
    content: SectionContent,
    prefix: str,
    state: PageState,
) -> None:
    """Counts by category as rates per 10,000 children, computed here with a visible rule."""
    for indicator in indicators:

        def parts(indicator: Indicator = indicator) -> list[tuple]:
            population = filter_observations(
                data.observations, indicator_ids=[indicator.rate_denominator]
            )
            own_rows = content.by_indicator[indicator.id]
            drawn = []
            for category in dict.fromkeys(own_rows["breakdown"]):
                own = own_rows[own_rows["breakdown"] == category]
                rates = name_areas(rate_per_10k_children(own, population), data.area_names)
                shown = replace(indicator, name=f"{category}: {indicator.name.lower()}")
                events = chart_events(data, rates, state)
                drawn.append(
                    (
                        latest_sentence(rates, shown, data.area_names, "rate_per_10k"),
                        chart_cache.trend_chart(
                            rates,
                            shown,
                            measure="rate_per_10k",
                            show_intervals=state.intervals,
                            events=events,
                        ),
                        table(data, rates),
                        caption(shown.label, rates, "rate_per_10k")
                        + f" {RATE_RULE} {RATE_TABLE_NOTE}",
                        events,
                    )
                )
            return drawn

        drawn = memo(data, ("rates", prefix, indicator.id, state.choices), parts)
        for n, (sentence, chart, shown_table, text, events) in enumerate(drawn):
            st.markdown(escape_markdown(sentence))
            render_chart_with_table(
                chart,
                shown_table,
                key=f"{prefix}_{indicator.id}_{n}",
                caption=text,
                file_name=f"{prefix}_{indicator.id}_{n}_per_10k.csv",
            )
            render_events(events, key=f"{prefix}_{indicator.id}_{n}_events")


def render_bars(
    data: DashboardData,
    section: Section,
    indicators: list[Indicator],
    content: SectionContent,
    prefix: str,
    state: PageState,
) -> None:
    """Upright bars by period: areas side by side, or each area alone on its own scale."""
    panels, together = memo(
        data,
        ("bar layout", prefix, state.choices),
        lambda: bar_layout(section, indicators, content),
    )
    for row in panels:
        for column, bars in zip(st.columns(len(row), gap="large"), row, strict=True):
            with column:
                render_bar_chart(data, bars, prefix, state, panel=True)
    for column, bars in laid_out(together):
        with column:
            render_bar_chart(data, bars, prefix, state, narrow=len(together) > 1)


@dataclass(frozen=True)
class Bars:
    """One bar chart's indicator and rows, and the areas it draws (part of its key)."""

    indicator: Indicator
    rows: pd.DataFrame
    area_key: str


def bar_layout(
    section: Section, indicators: Sequence[Indicator], content: SectionContent
) -> tuple[list[list[Bars]], list[Bars]]:
    """Counts drawn one area per chart (a row of panels each), then the rest side by side."""
    panels, together = [], []
    for indicator in indicators:
        own = content.by_indicator[indicator.id]
        areas = area_order(own["area"])
        if needs_panels(section, indicator, own):
            panels.append([Bars(indicator, own[own["area"] == area], area) for area in areas])
        else:
            together.append(Bars(indicator, own, "_".join(areas)))
    return panels, together


def render_bar_chart(
    data: DashboardData,
    bars: Bars,
    prefix: str,
    state: PageState,
    *,
    panel: bool = False,
    narrow: bool = False,
) -> None:
    """One indicator by period; a panel is one area drawn alone on its own scale."""
    indicator, own = bars.indicator, bars.rows

    def parts() -> tuple:
        frame = planned_periods(prepared(data, own))
        areas = list(dict.fromkeys(frame["area_name"]))
        title = f"{indicator.name}: {areas[0]}" if panel else indicator.name
        subtitle = [f"{indicator.unit_label} · {period_span(frame)} · {indicator.family_label}"]
        if panel:
            subtitle.append("On its own scale: compare the shape, not the height")
        elif len(areas) == 1:
            subtitle.append(f"Area: {areas[0]}")
        chart = chart_cache.grouped_bars(
            frame,
            indicator.unit,
            title=title,
            subtitle=subtitle,
            category_title=period_axis_title(frame),
            narrow=panel or narrow,
        )
        return chart, table(data, own), caption(indicator.label, own, indicator.unit, indicator)

    key = f"{prefix}_{indicator.id}_{bars.area_key}"
    chart, shown_table, text = memo(data, ("bars", key, panel, narrow, state.choices), parts)
    render_chart_with_table(chart, shown_table, key=key, caption=text, file_name=f"{key}.csv")


def render_hbars(
    data: DashboardData,
    section: Section,
    indicators: list[Indicator],
    content: SectionContent,
    prefix: str,
    state: PageState,
) -> None:
    """Rows of bars (indicators, categories or periods), one chart per unit, or per indicator
    (and per area, for counts that each area draws on its own scale)."""
    group, group_title = GROUPS[section.group_by]
    rows = content.rows
    charts = memo(
        data,
        ("hbar charts", prefix, state.choices),
        lambda: hbar_charts(section, indicators, content),
    )
    for unit, members, area in charts:

        def parts(unit: str = unit, members: list[Indicator] = members, area: str = area) -> tuple:
            own = rows[rows["indicator_id"].isin([i.id for i in members])]
            if area:
                own = own[own["area"] == area]
            frame = labelled_rows(section, planned_periods(prepared(data, own)), members)
            single = members[0] if len(members) == 1 else None
            title = single.name if single and section.rows_by == BY_BREAKDOWN else section.title
            families = ", ".join(dict.fromkeys(member.family_label for member in members))
            subtitle = [f"{lookup_unit(unit).label} · {period_span(frame)} · {families}"]
            if area:
                title = f"{title}: {data.area_names.get(area, area)}"
                subtitle.append("Each area on its own scale: compare the pattern, not the length")
            elif group != "area_name":
                subtitle.append(bodies(frame))
            chart = chart_cache.grouped_bars(
                frame,
                unit,
                title=title,
                subtitle=subtitle,
                category="label",
                group=group,
                horizontal=True,
                group_title=group_title,
            )
            return chart, table(data, own), caption(title, own, unit, single)

        key = f"{prefix}_{'_'.join(i.id for i in members)}_{area}"
        chart, shown_table, text = memo(data, ("hbars", key, state.choices), parts)
        render_chart_with_table(chart, shown_table, key=key, caption=text, file_name=f"{key}.csv")


def hbar_charts(
    section: Section, indicators: Sequence[Indicator], content: SectionContent
) -> list[tuple[str, list[Indicator], str]]:
    """(unit, indicators, area) of each chart: one per unit, or per indicator and area."""
    if section.rows_by == BY_BREAKDOWN and section.group_by != BY_INDICATOR:
        return [
            (indicator.unit, [indicator], area)
            for indicator in indicators
            for area in panel_areas(section, indicator, content.by_indicator[indicator.id])
        ]
    return [(unit, members, "") for unit, members in by_unit(indicators)]


def labelled_rows(
    section: Section, frame: pd.DataFrame, members: Sequence[Indicator]
) -> pd.DataFrame:
    """Add `series` (indicator name) and `label` (what each row of bars is), in display order."""
    frame = series_names(frame, members)
    if section.rows_by == BY_PERIOD:
        labels = frame["period"] + " · " + frame["series"]
    else:
        labels = frame["series"] if section.rows_by == BY_INDICATOR else frame["breakdown"]
        labels = labels.map(lambda text: strip_prefix(text, section.breakdowns))
        if frame["period"].nunique() > 1 and section.group_by != BY_PERIOD:
            labels = labels + " (" + frame["period"] + ")"
    frame = frame.assign(label=labels)
    if section.largest_first:
        latest = frame[frame["year_end"] == frame["year_end"].max()]
        size = latest.groupby("label")["value"].max()
        rank = frame["label"].map(lambda label: -size.get(label, float("-inf")))
        frame = frame.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")
    return frame


def strip_prefix(text: str, patterns: Sequence[str]) -> str:
    """'Priority: Safeguarding Babies' -> 'Safeguarding Babies' when the section asks for
    'Priority: *' (the chart title already says what the rows are)."""
    for pattern in patterns:
        prefix = pattern.removesuffix(ANY_CATEGORY)
        if pattern.endswith(ANY_CATEGORY) and prefix and text.startswith(prefix):
            return text.removeprefix(prefix)
    return text


def render_year_breakdown(
    data: DashboardData,
    section: Section,
    indicators: list[Indicator],
    content: SectionContent,
    prefix: str,
    state: PageState,
) -> None:
    """Categories by area for one year, chosen with a keyed selectbox kept in the URL."""
    rows = content.rows
    years, labels = memo(
        data, ("years", prefix, state.choices), lambda: breakdown_years(section, rows)
    )
    param = UrlParam(f"{section.key}_year", f"{prefix}_year", YEAR)
    state.link.seed(param, years, years[-1])
    with st.columns([1, 3])[0]:
        year = st.selectbox(
            "Year to show",
            years[::-1],
            format_func=lambda y: str(labels.get(y, y)),
            key=param.key,
        )
    for indicator in indicators:

        def parts(indicator: Indicator = indicator) -> tuple:
            own = rows[(rows["indicator_id"] == indicator.id) & (rows["year_end"] == year)]
            frame = prepared(data, own)
            period = str(frame["period"].iloc[0])
            return (
                chart_cache.breakdown_chart(frame, indicator, period),
                table(data, own),
                caption(indicator.label, own, indicator.unit, indicator),
            )

        key = f"{prefix}_{indicator.id}"
        chart, shown_table, text = memo(data, ("breakdown", key, year, state.choices), parts)
        render_chart_with_table(
            chart, shown_table, key=key, caption=text, file_name=f"{key}_{year}.csv"
        )


def breakdown_years(section: Section, rows: pd.DataFrame) -> tuple[list[int], dict[int, str]]:
    """The years the section's areas have figures for, and each year's period label."""
    local = rows[rows["area"].isin(section.area_ids) & rows["value"].notna()]
    years = sorted(int(year) for year in local["year_end"].unique())
    return years, dict(zip(local["year_end"], local["period"], strict=False))


def render_figures(
    data: DashboardData,
    section: Section,
    indicators: list[Indicator],
    content: SectionContent,
    prefix: str,
    state: PageState,
) -> None:
    """One-off figures of different kinds: a tile each, with the passage that states it."""
    tiles = memo(data, ("tiles", prefix, state.choices), lambda: figure_tiles(indicators, content))
    columns = st.columns(3)
    for n, (indicator, own) in enumerate(tiles):
        with columns[n % 3], st.container(border=True, key=f"{prefix}_tile_{n}"):
            render_figure_tile(data, indicator, own)


def figure_tiles(
    indicators: Sequence[Indicator], content: SectionContent
) -> list[tuple[Indicator, pd.DataFrame]]:
    """Each indicator's rows for each of its areas, one tile each."""
    return [
        (indicator, own[own["area"] == area])
        for indicator in indicators
        for own in [content.by_indicator[indicator.id]]
        for area in area_order(own["area"])
    ]


def render_figure_tile(data: DashboardData, indicator: Indicator, own: pd.DataFrame) -> None:
    """Name, area and period, the value (both values if sources disagree), caveats, passages."""
    shown = collapse_restatements(own)
    latest = shown[shown["year_end"] == shown["year_end"].max()]
    first = latest.iloc[0]
    values = list(dict.fromkeys(latest["value"].dropna()))
    value = " or ".join(format_value(v, indicator.unit) for v in values) or format_value(
        float("nan"), indicator.unit, str(first["value_symbol"])
    )
    area_name = data.area_names.get(str(first["area"]), str(first["area"]))
    st.markdown(f"**{escape_markdown(indicator.name)}**")
    st.metric(
        escape_markdown(f"{area_name}, {first['period']}"),
        value,
        help=escape_markdown(indicator.definition),
    )
    for status in [s for s in CAVEAT_STATUSES if (latest["status"] == s).any()]:
        st.badge(format_status(status), icon=":material/info:", color="orange")
    with st.expander("Where this figure comes from"):
        for row in own.itertuples():
            st.caption(escape_markdown(f"{row.release}, {row.period}"))
            render_quote(row.source_ref)
    indicator_link(indicator, label="Indicator page")


# Shared pieces.


def conflicts(data: DashboardData, rows: pd.DataFrame) -> tuple[Conflict, ...]:
    """Each disagreement among `rows`: what and where, each value and the passages giving it."""
    disputed = name_areas(rows[rows["conflict_id"] != ""], data.area_names)
    found = []
    for _, group in disputed.groupby("conflict_id", sort=False):
        first = group.iloc[0]
        where = ", ".join(
            part for part in (first["area_name"], first["period"], first["breakdown"]) if part
        )
        values = tuple(
            (
                value,
                tuple(
                    (row.release, row.source_ref)
                    for row in group[group["value"] == value].itertuples()
                ),
            )
            for value in dict.fromkeys(group["value"])
        )
        found.append(Conflict(data.catalogue[str(first["indicator_id"])], where, values))
    return tuple(found)


def render_conflicts(disagreements: Sequence[Conflict], prefix: str) -> None:
    """Both values and every passage, side by side, wherever the documents disagree."""
    for n, conflict in enumerate(disagreements):
        indicator = conflict.indicator
        with st.container(border=True, key=f"{prefix}_conflict_{n}"):
            st.markdown(
                f":material/warning: **The documents disagree: {escape_markdown(indicator.name)}, "
                f"{escape_markdown(conflict.where)}.** Both figures are kept and drawn as "
                "diamonds; neither is chosen."
            )
            count = len(conflict.values)
            for number, (column, (value, passages)) in enumerate(
                zip(st.columns(count), conflict.values, strict=True), start=1
            ):
                with column:
                    st.metric(f"Figure {number} of {count}", format_value(value, indicator.unit))
                    for release, passage in passages:
                        st.caption(escape_markdown(release))
                        render_quote(passage)


def render_links(indicators: Sequence[Indicator]) -> None:
    """A link to the Indicator page for each indicator in the section (many: folded away)."""
    unique = list({indicator.id: indicator for indicator in indicators}.values())
    if len(unique) <= LINKS_SHOWN:
        for indicator in unique:
            indicator_link(indicator, label=f"Indicator page: {indicator.label}")
        return
    with st.expander(f"Indicator pages for this section ({len(unique)})"):
        for indicator in unique:
            indicator_link(indicator, label=indicator.label)


def laid_out(items: Sequence, columns: int = CHART_COLUMNS) -> Iterator[tuple]:
    """Pair each item with a column, `columns` to a row; a lone item gets the full width."""
    if len(items) == 1:
        yield st.container(), items[0]
        return
    for start in range(0, len(items), columns):
        row = st.columns(columns, gap="large")
        yield from zip(row, items[start : start + columns], strict=False)


def by_unit(indicators: Sequence[Indicator]) -> list[tuple[str, list[Indicator]]]:
    """Indicators grouped by unit, first-seen order: one chart never mixes units."""
    groups: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        groups.setdefault(indicator.unit, []).append(indicator)
    return list(groups.items())


def needs_panels(section: Section, indicator: Indicator, own: pd.DataFrame) -> bool:
    """Counts for more than one area get a panel each, so Rutland is not flattened."""
    return section.split_areas and is_size_dependent(indicator.unit) and own["area"].nunique() > 1


def panel_areas(section: Section, indicator: Indicator, own: pd.DataFrame) -> list[str]:
    """The areas drawn one per chart, or [''] for one chart of every area."""
    return area_order(own["area"]) if needs_panels(section, indicator, own) else [""]


def prepared(data: DashboardData, rows: pd.DataFrame) -> pd.DataFrame:
    """One row per figure, with area names: what a chart draws."""
    return name_areas(collapse_restatements(rows), data.area_names)


def series_names(frame: pd.DataFrame, indicators: Sequence[Indicator]) -> pd.DataFrame:
    """Add `series`: the catalogue name of each row's indicator, for legends and row labels."""
    names = {indicator.id: indicator.name for indicator in indicators}
    return frame.assign(series=frame["indicator_id"].map(names))


def table(data: DashboardData, rows: pd.DataFrame) -> pd.DataFrame:
    """Every passage behind a chart, with readable headings and its source."""
    labels = {indicator.id: indicator.label for indicator in data.catalogue}
    return display_table(rows, labels, data.area_names)


def bodies(frame: pd.DataFrame) -> str:
    """Which area (or body) the figures are for, period by period when that changes."""
    by_areas: dict[str, list[str]] = {}
    for period, group in frame.groupby("period", sort=False):
        names = ", ".join(dict.fromkeys(group["area_name"]))
        by_areas.setdefault(names, []).append(str(period))
    if len(by_areas) == 1:
        return f"Area: {next(iter(by_areas))}"
    return "Areas: " + "; ".join(f"{names} ({', '.join(p)})" for names, p in by_areas.items())


def period_axis_title(frame: pd.DataFrame) -> str:
    """What kind of period the bars stand on; mixed kinds are as the documents give them."""
    kinds = set(frame["period_type"])
    if len(kinds) == 1:
        return PERIOD_AXIS_TITLES.get(kinds.pop(), "Period")
    return "Period (as each document gives it)"


def caption(what: str, rows: pd.DataFrame, unit: str, indicator: Indicator | None = None) -> str:
    """Source, period, measure, caveats and (for one indicator) which way is better."""
    sources = releases(rows)
    if len(sources) > SOURCES_NAMED:
        named = "; ".join(sources[:SOURCES_NAMED])
        more = len(sources) - SOURCES_NAMED
        sources = [f"{named}; and {more} more (the table names the source of each figure)"]
    parts = [
        f"{what}. Shown as {lookup_unit(unit).phrase}.",
        f"Period: {period_span(rows)}.",
        f"Source: {'; '.join(sources)}.",
    ]
    caveats = [format_status(s) for s in CAVEAT_STATUSES if (rows["status"] == s).any()]
    if caveats:
        parts.append(f"Includes figures marked: {', '.join(caveats)} (see labels and table).")
    if indicator is not None:
        parts.append(f"Which way is better: {indicator.polarity_label}.")
    return " ".join(parts)

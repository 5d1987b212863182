"""Small Streamlit helpers shared by pages: tiles, chart + table + CSV, cards + CSV, URL <->
widget state."""

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.catalogue import Catalogue, Indicator, build_catalogue
from dashboard.cells import csv_bytes
from dashboard.chart_cache import PreparedChart, prepare_chart
from dashboard.charts import StaticChart
from dashboard.config import JUDGEMENT_STYLES, POLARITY_DELTA_COLOURS
from dashboard.data import (
    DataFileError,
    data_generation,
    load_areas,
    load_build_info,
    load_commentary,
    load_events,
    load_indicators,
    load_observations,
    reload_if_rebuilt,
)
from dashboard.export_widgets import render_export_buttons
from dashboard.formatting import (
    escape_markdown,
    format_change,
    format_short,
    format_status,
    format_value,
)
from dashboard.frame import link_target
from dashboard.glossary import GLOSSARY_CSV, Entry, GlossaryError, lookup, read_glossary
from dashboard.html_parts import badge, block, caption, card, paragraph, picture
from dashboard.intervals import Position, counts_text, interval_line, one_child_text
from dashboard.navigation import PAGES
from dashboard.transforms import (
    LatestChange,
    area_names,
    change_category,
    latest_figure_text,
    wide_tables,
)
from dashboard.url_state import DATE, FLAG, TEXT, ParamProblem, UrlParam, encode
from dashboard.views import TileView

PAGE_INDICATOR = next(page for page in PAGES if page.url_path == "indicator")
_WRITTEN = "_url_written"


@dataclass(frozen=True)
class DashboardData:
    """What every page reads: observations, the catalogue of indicators with data, area names."""

    observations: pd.DataFrame
    catalogue: Catalogue
    area_names: dict[str, str]
    version: str  # when the data was built: part of every cache key, so new data is never stale
    events: pd.DataFrame  # schema.EVENT_COLUMNS
    commentary: pd.DataFrame  # schema.COMMENTARY_COLUMNS


# The tables as last put together, with the data generation they were loaded in.
_assembled: list[tuple[int, DashboardData]] = []


def load_dashboard_data() -> DashboardData:
    """Load the built tables (cached), or stop the page with a plain message if they are missing.

    Put together once per data generation and shared: six cached loaders cost ~0.5 ms of
    Streamlit's argument inspection each, on every rerun of every page.
    """
    reload_if_rebuilt()
    generation = data_generation()
    if _assembled and _assembled[0][0] == generation:
        return _assembled[0][1]
    try:
        observations = load_observations()
        version = load_build_info().built_at.isoformat()
        catalogue = catalogue_with_data(version)
        names = area_names(load_areas())
        events = load_events()
        commentary = load_commentary()
    except DataFileError as error:
        st.error(
            "The dashboard's data has not been built or is damaged, so nothing can be shown. "
            "Run `python -m dashboard.build`.",
            icon=":material/database_off:",
        )
        st.text(str(error))
        st.stop()
    data = DashboardData(observations, catalogue, names, version, events, commentary)
    _assembled[:] = [(generation, data)]
    return data


@st.cache_resource(show_spinner=False, max_entries=4)
def catalogue_with_data(version: str) -> Catalogue:
    """The catalogue, restricted to indicators that have data; built once per data version."""
    observations = load_observations()
    return build_catalogue(load_indicators()).restricted_to(observations["indicator_id"].unique())


T = TypeVar("T")


# What memo keeps, per data version: far more than the pages' choices need (a few hundred
# sections and charts), a bound only against links made up to fill the memory.
MEMO_ENTRIES = 4096
_memo_lock = threading.Lock()
_memo_stores: dict[str, dict[tuple, object]] = {}


def memo(data: DashboardData, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()` once per data version for `key`, then shared by every rerun and session.

    For what a page derives from the data and a few choices (a section's rows, a chart with its
    table and caption): the key names the choices, so no DataFrame is hashed on each rerun,
    and a lookup is a dictionary's (a Streamlit cache call costs ~0.5 ms of inspection each).
    The key must hold every input besides the data; results are never changed after they are
    built. Two sessions asking at once may both compute it: same result, no harm. Only the
    newest two data versions are kept, and at most MEMO_ENTRIES results of each.
    """
    store = _memo_stores.get(data.version)
    if store is None:
        with _memo_lock:
            store = _memo_stores.setdefault(data.version, {})
            for old in list(_memo_stores)[:-2]:
                del _memo_stores[old]
    if key in store:
        return store[key]  # type: ignore[return-value]
    value = store[key] = compute()
    if len(store) > MEMO_ENTRIES:
        with _memo_lock:
            while len(store) > MEMO_ENTRIES:
                del store[next(iter(store))]
    return value


def per_version(compute: Callable[..., T]) -> Callable[..., T]:
    """`compute(data, *args, **options)` through memo, keyed by the function and its arguments
    (which must be hashable): for a page's own cached views, where st.cache_resource would
    inspect the function's source again on every run of the page."""
    name = (compute.__code__.co_filename, compute.__qualname__)

    def cached(data: DashboardData, *args: object, **options: object) -> T:
        key = (*name, *args, *sorted(options.items()))
        return memo(data, key, lambda: compute(data, *args, **options))

    return cached


def _url_params() -> dict[str, str]:
    """The current query parameters (last value of each)."""
    return st.query_params.to_dict()


def _seed_widget(key: str, value: object, url_value: str | None) -> None:
    """Give a keyed widget its value from the URL on first render, or when a link changed it.

    Widgets are created without a default argument, so Session State is their only source.
    A URL that is exactly what _write_params last wrote is the page's own echo and never
    overrides a choice; any other URL (a link to this page with new parameters) does.
    """
    seen = f"_url_seen_{key}"
    from_link = _url_params() != st.session_state.get(_WRITTEN)
    if key not in st.session_state or (from_link and st.session_state.get(seen) != url_value):
        st.session_state[key] = value
    st.session_state[seen] = url_value


def drop_invalid(key: str, options: Sequence[object]) -> None:
    """Forget a widget value that is no longer among its options (options changed upstream)."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if isinstance(value, list):
        kept = [item for item in value if item in options]
        if kept != value:
            st.session_state[key] = kept
    elif value not in options:
        del st.session_state[key]


def _write_params(values: dict[str, str]) -> None:
    """Make the URL reproduce the current view (only when it changed, to avoid history noise)."""
    st.session_state[_WRITTEN] = dict(values)
    if _url_params() != values:
        st.query_params.from_dict(values)


def _forget_params(*names: str) -> None:
    """Remove parameters from the URL from within the page (e.g. a callback resetting a choice),
    without that looking like a new link to _seed_widget."""
    written = st.session_state.get(_WRITTEN, {})
    for name in names:
        written.pop(name, None)
        if name in st.query_params:
            del st.query_params[name]


def _link_problems(
    problems: Sequence[ParamProblem | None], params: dict[str, str]
) -> list[ParamProblem]:
    """Only a link the user opened can be wrong: a parameter equal to what _write_params last
    wrote is the page's own echo and never warns."""
    written = st.session_state.get(_WRITTEN, {})
    return [p for p in problems if p is not None and written.get(p.param) != params.get(p.param)]


def _show_param_problems(problems: Sequence[ParamProblem | None]) -> None:
    """A visible note for each URL parameter that could not be used; never an exception."""
    for problem in problems:
        if problem is not None:
            st.warning(escape_markdown(problem.message()), icon=":material/link_off:")


def pick_many(
    label: str, options: Sequence[str], names: Mapping[str, str], key: str, **widget: Any
) -> list[str]:
    """A multiselect of ids shown by name: the ids stay the widget's value and the link's."""
    return st.multiselect(label, options, format_func=lambda i: names.get(i, i), key=key, **widget)


class Link:
    """A page's widgets bound to its URL: each is seeded from the link as the page builds it,
    then `write` shows what the link could not use and makes the URL reproduce the view."""

    def __init__(self) -> None:
        self.params = _url_params()
        self.problems: list[ParamProblem] = []
        self._bound: dict[str, tuple[UrlParam, object]] = {}
        self._values: dict[str, object] = {}

    def seed(
        self,
        param: UrlParam,
        options: Sequence = (),
        default: object = None,
        *,
        widget_options: Sequence | None = None,
        widget_value: Callable[[Any], object] | None = None,
    ) -> object:
        """Put the link's value (or the default) into the widget's state before it is drawn;
        returns what the link asked for. A widget that shows values differently from the link
        (a tab shows a section's title) gives its own options and the conversion."""
        value, problems = param.read(self.params, options, default)
        self.problems += problems
        if param.kind not in (FLAG, TEXT, DATE):
            drop_invalid(param.key, options if widget_options is None else widget_options)
        shown = value if widget_value is None else widget_value(value)
        _seed_widget(param.key, shown, self.params.get(param.name))
        self._bound[param.name] = (param, default)
        return value

    def keep(self, param: UrlParam, value: object) -> None:
        """The value the link carries when it is not the widget's own (e.g. a swapped range)."""
        self._values[param.name] = value

    def show_problems(self) -> None:
        """Say, where the page wants it, what the link asked for that could not be used."""
        _show_param_problems(_link_problems(self.problems, self.params))
        self.problems = []

    def write(self) -> None:
        self.show_problems()
        values = {
            name: param.encode(self._values.get(name, st.session_state.get(param.key)), default)
            for name, (param, default) in self._bound.items()
        }
        _write_params(encode(values))


def forget(*params: UrlParam) -> None:
    """Choices that depend on a changed one start again from their defaults, URL included."""
    for param in params:
        st.session_state.pop(param.key, None)
        _forget_params(param.name)


CHANGE_WORDS = {
    "better": ": better, beyond chance",
    "worse": ": worse, beyond chance",
    "changed": ": beyond chance",
    "within_chance": ": within chance",
    "not_tested": ": not tested",
    "same": ": no change",
    "untested": "",
}


def change_words(change: LatestChange) -> str:
    """'since 2023/24: better (beyond chance)', '... no change beyond chance', '... not tested'."""
    category = change_category(change)
    if category == "no_earlier":
        return "no earlier figure to compare with"
    return f"since {change.previous_period}{CHANGE_WORDS[category]}"


def delta_colour(indicator: Indicator, change: LatestChange) -> str:
    """Green or red only for a change a test found beyond chance; grey otherwise."""
    if change.judgement not in {"better", "worse"}:
        return "off"
    return POLARITY_DELTA_COLOURS.get(indicator.polarity, "off")


def tile_view(
    indicator: Indicator,
    area_name: str,
    change: LatestChange | None,
    sparkline: StaticChart | None,
    *,
    sparkline_note: str = "",
    position: Position | None = None,
) -> TileView:
    """Latest figure for one area: value, change coloured only when a test finds it beyond
    chance, the counts and 95% interval behind it, where it sits against England, sparkline.
    Worked out once per data version; everything under the figure is one piece of HTML."""
    if change is None:
        none = "No figure published for this area."
        return TileView(escape_markdown(area_name), "—", help=none, body=caption(none))
    delta = None
    if change.change is not None:
        delta = format_change(change.change, indicator.unit, short=True)
    parts = []
    if position is not None:
        parts.append(paragraph(position_line(position, indicator)))
    details = figure_details(change, indicator)
    if details:
        parts.append(caption(details))
    if change.status not in {"reported", "published", "computed"}:
        parts.append(badge(format_status(change.status), icon="info", colour="orange"))
    if change.disputed:
        parts.append(
            badge("Sources disagree: see the indicator page", icon="info", colour="orange")
        )
    if change.skipped_period:
        either = " or ".join(format_short(v, indicator.unit) for v in change.skipped_values)
        parts.append(
            caption(f"Not compared with {change.skipped_period}: the sources disagree ({either}).")
        )
    if sparkline is not None:
        parts += [picture(sparkline), caption(sparkline_note)]
    return TileView(
        label=escape_markdown(f"{area_name}, {change.period}"),
        value=latest_figure_text(change, indicator.unit),
        delta=delta,
        delta_colour=delta_colour(indicator, change),
        delta_description=change_words(change) if delta else None,
        help=" ".join(
            part
            for part in (
                f"{indicator.polarity_label}.",
                change_help(change),
                glossary_tip("percentage points") if delta and " pp" in delta else "",
            )
            if part
        ),
        body=block(parts) if parts else "",
    )


def render_kpi_tile(view: TileView) -> None:
    """A tile's content, in a bordered column: the figure as a metric (its tooltip tells the
    test), the rest as one element."""
    st.metric(
        view.label,
        view.value,
        delta=view.delta,
        delta_color=view.delta_colour,  # type: ignore[arg-type]
        delta_description=view.delta_description,
        help=view.help,
    )
    if view.body:
        st.html(view.body)


def change_help(change: LatestChange) -> str:
    """The tooltip's account of the test behind the change words."""
    if change.test is not None and change.test.tested:
        return (
            f"Change tested with a {change.test.method}: p = {change.test.p_value:.2f} "
            "(beyond chance when below 0.05)."
        )
    return change.untested_reason.capitalize() + "." if change.untested_reason else ""


def position_line(position: Position, indicator: Indicator) -> str:
    """'▼ Worse than England (22.6%)' with the symbol that does not rely on colour."""
    style = JUDGEMENT_STYLES.get(position.judgement)
    symbol = f"{style.symbol} " if style else ""
    benchmark = format_value(position.benchmark_value, indicator.unit)
    return f"{symbol}{position.words} ({benchmark})"


def figure_details(change: LatestChange, indicator: Indicator) -> str:
    """'7 of 38 plans started; 95% interval: 9.2% to 33.4%', plus what one child moves."""
    row = change.latest_row
    if change.disputed or not row:
        return ""
    parts = [counts_text(row, indicator), interval_line(row)]
    small = one_child_text(row)
    text = "; ".join(part for part in parts if part)
    return f"{text}. {small}" if small and text else text


def render_chart_with_table(
    chart: alt.TopLevelMixin | PreparedChart,
    table: pd.DataFrame,
    *,
    key: str,
    caption: str,
    file_name: str,
    alt_text: str | None = None,
    table_key: str | None = None,
    show_table: bool | None = None,
) -> None:
    """Chart, a caption naming source and period, then the table behind it and downloads: the
    table as CSV, the chart as PNG/SVG with that caption drawn in.

    Charts from charts.py carry their screen-reader text in `description`; `alt_text` is only
    for charts that do not. The table is drawn when the reader asks for it (a page of charts
    with a live table under each took the browser seconds to draw); files are made on click.
    """
    prepared = chart if isinstance(chart, PreparedChart) else prepare_chart(chart)
    st.vega_lite_chart(prepared.spec, width="stretch", key=f"{key}_chart", alt=alt_text)
    st.caption(escape_markdown(caption))
    show, download = st.columns([3, 2], vertical_alignment="center")
    shown = show_table
    if shown is None:
        with show:
            shown = st.toggle(
                "Show the table behind this chart", key=table_key or f"{key}_show_table"
            )
    with download, st.popover("Download", icon=":material/download:", width="stretch"):
        csv_download(table, "Table (CSV)", file_name=file_name, key=f"{key}_download")
        render_export_buttons(prepared.chart, table, caption=caption, file_name=file_name, key=key)
    if shown:
        render_wide_table(table, key=key)


def render_wide_table(table: pd.DataFrame, *, key: str) -> None:
    """The table behind a chart as people read it: areas down, periods across; the counts and
    intervals in a second table; every column of every passage stays in the CSV."""
    wide = wide_tables(table)
    if wide is None:
        st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_table")
        return
    if wide.units:
        st.markdown(f"**Figures:** {escape_markdown(wide.units)}")
    # Plain HTML tables: a few rows that print whole with their values and read aloud by row
    # and column, where a data grid is a canvas that prints clipped and empty.
    st.table(wide.figures, hide_index=True)
    if wide.counts is not None:
        st.markdown("**Counts behind each figure and its 95% interval**")
        st.table(wide.counts, hide_index=True)
    st.caption(
        "Where each figure comes from (document and passage, or file and row) is in the CSV "
        "download and on the Indicator page."
    )


def entry_cards(frame: pd.DataFrame, title: str) -> str:
    """The rows as bordered cards, one piece of HTML: the `title` column in bold, then every
    other column named."""
    cards = []
    for row in frame.to_dict("records"):
        heading = str(row.pop(title))
        details = " · ".join(
            f"{name}: {text}" for name, value in row.items() if (text := _entry_text(value))
        )
        cards.append(card(heading, details))
    return block(cards)


def render_entries(frame: pd.DataFrame, cards: str, *, key: str, file_name: str) -> None:
    """Rows as bordered cards (entry_cards, one element), then the same rows as CSV.

    For a few rows of long text (documents, releases, file names): cards wrap, print and project
    whole, where a data grid cuts cells short and costs the page its 1.2 MB of script.
    """
    if not frame.empty:
        st.html(cards)
    csv_download(frame, "Download this list (CSV)", file_name=file_name, key=f"{key}_download")


def csv_download(frame: pd.DataFrame, label: str, *, file_name: str, key: str) -> None:
    """A CSV of `frame`, made on click (not on every run) and without rerunning the page; text
    that a spreadsheet would run as a formula is neutralised (cells.formula_safe)."""
    st.download_button(
        label,
        data=lambda: csv_bytes(frame),
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/table:",
        on_click="ignore",
    )


def _entry_text(value: object) -> str:
    """Counts with thousands separators; nothing for a blank."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, int | float):
        return f"{value:,.0f}"
    return str(value)


def render_quote(text: str) -> None:
    """A verbatim passage from a document, shown exactly as written."""
    st.markdown("> " + escape_markdown(" ".join(text.split())))


@st.cache_resource(show_spinner=False)
def glossary_entries() -> tuple[tuple[Entry, ...], str]:
    """The glossary once per server, with the reason if the file could not be used (pages then
    say so and go on without it)."""
    try:
        return read_glossary(GLOSSARY_CSV), ""
    except (OSError, GlossaryError) as error:
        return (), f"The glossary could not be read: {error}"


def glossary_tip(term: str) -> str:
    """'percentage points: The difference between ...' for a tooltip; "" when not defined."""
    entry = lookup(glossary_entries()[0], term)
    return entry.tooltip if entry else ""


def render_glossary(entries: Sequence[Entry], *, spellings: bool = True) -> None:
    """Terms in bold with their meaning (and other spellings, in the full list): one item each,
    so they print and read aloud."""
    st.markdown(
        "\n".join(
            f"- **{escape_markdown(entry.term)}**"
            + (
                f" ({escape_markdown(', '.join(entry.also_written))})"
                if spellings and entry.also_written
                else ""
            )
            + f": {escape_markdown(entry.definition)}"
            for entry in entries
        )
    )


def indicator_link(indicator: Indicator, *, label: str = "") -> None:
    """Open the Indicator page for this indicator (the URL carries ?indicator=...)."""
    st.page_link(
        link_target(PAGE_INDICATOR),
        label=escape_markdown(label or f"Open the {indicator.name} page"),
        icon=":material/arrow_forward:",
        query_params={"indicator": indicator.id},
    )

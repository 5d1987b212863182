"""Sources: the documents and official releases behind every figure, coverage gaps, and search."""

import pandas as pd
import streamlit as st

from dashboard.chart_cache import PreparedChart, prepare_chart
from dashboard.components import (
    DashboardData,
    Link,
    csv_download,
    entry_cards,
    glossary_entries,
    load_dashboard_data,
    per_version,
    render_chart_with_table,
    render_entries,
    render_glossary,
)
from dashboard.config import THEME_LABELS
from dashboard.data import DataFileError, load_build_info, load_documents, load_indicators
from dashboard.formatting import escape_markdown
from dashboard.frame import ensure_app_frame
from dashboard.sources import (
    COVERAGE_STATES,
    MIN_QUERY_LENGTH,
    build_coverage_chart,
    coverage_counts,
    coverage_grid,
    document_summary,
    files_not_drawn,
    passage_text,
    read_provenance,
    reading_guide,
    release_summary,
    search_documents,
)
from dashboard.transforms import area_order
from dashboard.update.apply import history_table, read_history
from dashboard.url_state import TEXT, UrlParam

ensure_app_frame()

ALL_THEMES = "all"
DEFAULT_THEME = "child_protection"
DEFAULT_AREA = "leicestershire"
FIRST_HITS = 5  # shown open; the rest wait in an expander so the page stays short
MAX_HITS_SHOWN = 40
QUERY = UrlParam("q", "sources_query", TEXT)
THEME = UrlParam("theme", "sources_theme", describe="theme")
AREA = UrlParam("area", "sources_area", describe="area")


@per_version
def summaries(data: DashboardData) -> dict[str, tuple[pd.DataFrame, str]]:
    """Documents, releases and reference files, each with its cards: the same for every reader
    of one data version."""
    provenance = read_provenance()
    lists = {
        "Document": document_summary(load_documents(), data.observations),
        "Release": release_summary(data.observations, provenance),
        "File": files_not_drawn(data.observations, provenance),
    }
    return {title: (frame, entry_cards(frame, title)) for title, frame in lists.items()}


@per_version
def coverage_choices(data: DashboardData) -> tuple[list[str], list[str]]:
    """The themes and areas the coverage grid can show."""
    themes = set(load_indicators()["theme"])
    return (
        [theme for theme in THEME_LABELS if theme in themes],
        area_order(data.observations["area"].unique()),
    )


@per_version
def coverage(
    data: DashboardData, area: str, theme: str | None
) -> tuple[pd.DataFrame, PreparedChart | None, dict[str, int], pd.DataFrame]:
    """The coverage grid for one area and theme, its chart, cells per state and the table
    behind the chart; built once, shared."""
    grid = coverage_grid(data.observations, load_indicators(), area, theme)
    if grid.empty:
        return grid, None, {}, grid
    table = grid.rename(
        columns={
            "indicator": "Indicator",
            "year_end": "Year ending",
            "status": "Status",
            "values": "Figures",
            "periods": "Periods",
        }
    ).drop(columns=["theme", "indicator_id"])
    return grid, prepare_chart(build_coverage_chart(grid)), coverage_counts(grid), table


@per_version
def found(data: DashboardData, query: str) -> pd.DataFrame:
    """The passages a query finds, once per data version and query (an empty search too)."""
    return search_documents(load_documents(), query)


@st.cache_data(show_spinner=False)
def cached_history() -> pd.DataFrame:
    """Cleared after each change (data.forget_loaded_data): a rollback returns to an earlier
    data version, whose history is not the one kept with it."""
    return history_table(read_history())


def render_hits(hits: pd.DataFrame, first_number: int) -> None:
    """Each passage as plain text under the document it is from: nothing from it is markup."""
    for number, hit in enumerate(hits.itertuples(index=False), start=first_number):
        with st.container(border=True, key=f"sources_hit_{number}"):
            st.caption(escape_markdown(f"{hit.title} ({hit.document})"))
            st.text(passage_text(hit._asdict()))


data = load_dashboard_data()
link = Link()

st.title("Sources and coverage")
st.markdown(
    "Every figure in this dashboard comes from one of the partnership's five published documents "
    "or from an official statistics release of the Department for Education or the Office for "
    "National Statistics. This page lists them, shows which years each indicator has figures for, "
    "and searches the documents' text."
)
try:
    st.caption(f"Data last built {load_build_info().built_on}.")
except DataFileError:
    st.caption("The date of the last data build is not recorded.")

st.header("Partnership documents", anchor=False)
lists = summaries(data)
render_entries(*lists["Document"], key="sources_documents", file_name="partnership_documents.csv")
st.caption(
    "Figures drawn: values in the dashboard read from the document, each kept with the passage "
    "that states it. The text files are in data/documents/."
)

st.header("Search the documents", anchor=False)
link.seed(QUERY, default="")
query = st.text_input(
    "Word or phrase",
    key=QUERY.key,
    placeholder="for example: Operation Encompass",
    help="Finds the exact words, ignoring capitals and line breaks.",
)
hits = found(data, query)
if query.strip() and len(query.strip()) < MIN_QUERY_LENGTH:
    st.info(f"Type at least {MIN_QUERY_LENGTH} characters to search.")
elif query.strip() and hits.empty:
    st.info(escape_markdown(f"No passage in the five documents contains “{query.strip()}”."))
elif not hits.empty:
    per_document = hits.groupby("title", sort=False).size()
    st.markdown(
        escape_markdown(
            f"{len(hits)} passage(s) in {len(per_document)} document(s): "
            + "; ".join(f"{title} ({count})" for title, count in per_document.items())
        )
    )
    st.caption("» « mark the words found. Passages are shown as plain text, exactly as published.")
    shown = hits.head(MAX_HITS_SHOWN)
    render_hits(shown.head(FIRST_HITS), first_number=1)
    if len(shown) > FIRST_HITS:
        with st.expander(f"{len(shown) - FIRST_HITS} more passage(s)"):
            render_hits(shown.iloc[FIRST_HITS:], first_number=FIRST_HITS + 1)
    if len(hits) > MAX_HITS_SHOWN:
        st.info(f"Showing the first {MAX_HITS_SHOWN}; make the search more specific to see others.")

st.header("Official statistics", anchor=False)
render_entries(*lists["Release"], key="sources_releases", file_name="official_releases.csv")
st.caption(
    "Each folder's SOURCE.md names the repository, commit and file each CSV was taken from; the "
    "files are unchanged subsets (rows for these areas only). DfE and ONS data: Open Government "
    "Licence v3.0. Values drawn: values in the dashboard read from the release; rates per 10,000 "
    "computed here also use the ONS population estimates (each value's rule is on the Indicator "
    "page)."
)
reference_files = lists["File"][0]
if not reference_files.empty:
    with st.expander(
        f"Files kept for checks and lookups, with no value drawn from them directly "
        f"({len(reference_files)})"
    ):
        render_entries(
            *lists["File"],
            key="sources_reference_files",
            file_name="reference_files.csv",
        )

st.header("Coverage: which years have figures", anchor=False)
themes, area_options = coverage_choices(data)
theme_options = [ALL_THEMES, *themes]
link.seed(THEME, theme_options, DEFAULT_THEME)
link.seed(AREA, area_options, DEFAULT_AREA)
left, right = st.columns(2)
with left:
    chosen_theme = st.selectbox(
        "Theme",
        theme_options,
        key=THEME.key,
        format_func=lambda t: "All themes" if t == ALL_THEMES else THEME_LABELS.get(t, t),
    )
with right:
    chosen_area = st.selectbox(
        "Area", area_options, key=AREA.key, format_func=lambda a: data.area_names.get(a, a)
    )
link.write()

grid, coverage_chart, counts, table = coverage(
    data, chosen_area, None if chosen_theme == ALL_THEMES else chosen_theme
)
area_name = data.area_names.get(chosen_area, chosen_area)
if coverage_chart is None:
    st.info(escape_markdown(f"No indicator in this theme has figures for {area_name}."))
else:
    summary = ", ".join(f"{counts[state]} {state.lower()}" for state in COVERAGE_STATES)
    st.markdown(
        escape_markdown(
            f"{grid['indicator_id'].nunique()} indicators with figures for {area_name}, "
            f"years ending {grid['year_end'].min()} to {grid['year_end'].max()}: {summary} "
            "(cells = indicator x year)."
        )
    )
    render_chart_with_table(
        coverage_chart,
        table,
        key="sources_coverage",
        caption=(
            f"Coverage for {area_name}: a cell is a figure for that indicator in the year ending "
            "shown (any period, any breakdown). Suppressed: DfE withheld or did not publish it."
        ),
        file_name=f"coverage_{chosen_area}_{chosen_theme}.csv",
        alt_text=f"Coverage grid of indicators by year for {area_name}: {summary}.",
    )

st.header("How to read intervals and funnels", anchor=False)
st.markdown(reading_guide())

st.header("Glossary", anchor="glossary")
st.markdown("The words this dashboard uses, in plain English. Other spellings in brackets.")
entries, glossary_problem = glossary_entries()
if glossary_problem:
    st.warning(escape_markdown(glossary_problem), icon=":material/error:")
render_glossary(entries)

st.header("Updates", anchor=False)
history = cached_history()
if history.empty:
    st.caption("No figures have been added through the Data update page since the data was built.")
else:
    st.dataframe(history, hide_index=True, width="stretch", key="sources_history")
    csv_download(
        history, "Download the updates (CSV)", file_name="updates.csv", key="sources_history_csv"
    )
    st.caption("Each update adds rows to the source files; its version keeps the data as before.")

"""The one indicator picker of the Presentation and the Briefing pack: search by name, theme,
source family or a board member's own words, one selection shared by both pages (and kept in
the link as ?indicators=)."""

import streamlit as st

from dashboard.catalogue import Catalogue
from dashboard.components import Link
from dashboard.formatting import escape_markdown
from dashboard.page_styles import PICKER_CSS
from dashboard.search import (
    SEARCH_TERMS_CSV,
    SearchTerm,
    SearchTermsError,
    read_search_terms,
    search_indicators,
)
from dashboard.url_state import MANY, UrlParam

# Streamlit forgets a widget's value when another page is shown; the choice is kept here too,
# and each page's picker starts from it, so opening the Briefing pack after the Presentation
# (or back) finds the same indicators.
SHARED = "shared_indicators"
PICKER_CLASS = "indicator_picker"  # every picker's key starts with it (PICKER_CSS finds them)
EXAMPLES = "e.g. repeat plans, CSE, online safety, looked after, LADO"


@st.cache_resource(show_spinner=False, max_entries=2)
def search_terms(version: str, _catalogue: Catalogue) -> tuple[tuple[SearchTerm, ...], str]:
    """The synonyms once per data version, with the reason if the file could not be used."""
    try:
        return read_search_terms(SEARCH_TERMS_CSV, _catalogue.ids, _catalogue.themes()), ""
    except (OSError, SearchTermsError) as error:
        return (), str(error)


def indicators_param(page: str) -> UrlParam:
    """A page's picker, bound to ?indicators= like every other page's."""
    return UrlParam("indicators", f"{PICKER_CLASS}_{page}", MANY, "indicator")


def seed_indicators(link: Link, catalogue: Catalogue, param: UrlParam) -> None:
    """Bind the choice to the link; nothing is chosen until someone chooses (a pre-filled
    list would stand between a board member and the search)."""
    order = [indicator.id for indicator in catalogue.in_theme_order()]
    link.seed(param, order, list(st.session_state.get(SHARED, [])))


def pick_indicators(
    catalogue: Catalogue, version: str, param: UrlParam, *, label: str
) -> list[str]:
    """A search box that narrows the list, and the chosen indicators as whole chips."""
    st.html(PICKER_CSS)
    terms, problem = search_terms(version, catalogue)
    if problem:
        st.warning(escape_markdown(f"Searching by synonyms is off: {problem}"))
    order = [indicator.id for indicator in catalogue.in_theme_order()]
    query = st.text_input(
        "Search indicators",
        key=f"{param.key}_search",
        placeholder=EXAMPLES,
        help="Finds words of an indicator's name, its theme and its source (partnership report "
        "or official statistics), and the words people use for them: 'repeat plans', 'CSE', "
        "'online safety', 'LAC'.",
    )
    found = search_indicators(query, catalogue, terms, order)
    chosen = list(st.session_state.get(param.key, []))
    options = list(dict.fromkeys([*chosen, *found]))
    labels = catalogue.labels
    picked = st.multiselect(
        label,
        options,
        format_func=lambda i: labels.get(i, i),
        key=param.key,
        placeholder="Choose from the list, or search above",
    )
    if query:
        st.caption(escape_markdown(f"{len(found)} indicators match '{query}'."))
    st.session_state[SHARED] = picked
    return picked

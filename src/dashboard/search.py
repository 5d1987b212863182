"""Finding indicators the way a board member asks for them: words of the name, the theme or the
source family, and the synonyms in data/sources/search_terms.csv ("repeat plans", "CSE",
"online safety"). No Streamlit here."""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dashboard.catalogue import Catalogue
from dashboard.config import FAMILY_IN_LABEL
from dashboard.paths import SOURCES_DIR

SEARCH_TERMS_CSV = SOURCES_DIR / "search_terms.csv"
TERM_COLUMNS = ["term", "matches", "note"]


class SearchTermsError(ValueError):
    """search_terms.csv breaks its rules: names the file, row and field."""


@dataclass(frozen=True)
class SearchTerm:
    term: str  # normalised: lower case, single spaces
    matches: tuple[str, ...]  # indicator ids or theme ids


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s-]", " ", text.lower()).split())


def read_search_terms(
    path: Path, indicator_ids: Iterable[str], themes: Iterable[str]
) -> tuple[SearchTerm, ...]:
    """Every synonym; an id that is neither an indicator nor a theme is an error."""
    known = set(indicator_ids) | set(themes)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != TERM_COLUMNS:
            found = ", ".join(reader.fieldnames or [])
            raise SearchTermsError(
                f"{path.name}, row 1: the columns must be {', '.join(TERM_COLUMNS)}; found {found}"
            )
        terms = []
        for row, record in enumerate(reader, 2):
            term = normalise(record["term"] or "")
            if not term:
                raise SearchTermsError(f"{path.name}, row {row}, field term: is empty")
            matches = tuple(item.strip() for item in (record["matches"] or "").split(";"))
            unknown = [item for item in matches if item not in known]
            if unknown or not matches:
                raise SearchTermsError(
                    f"{path.name}, row {row}, field matches: {', '.join(unknown) or '(empty)'} "
                    "is not an indicator id or a theme"
                )
            terms.append(SearchTerm(term, matches))
    return tuple(terms)


def haystack(catalogue: Catalogue, indicator_id: str) -> str:
    """What a query is matched against: name, theme and source family, in words."""
    indicator = catalogue[indicator_id]
    family = FAMILY_IN_LABEL.get(indicator.source_family, indicator.source_family)
    return normalise(f"{indicator.name} {indicator.theme_label} {family} {indicator.id}")


def search_indicators(
    query: str, catalogue: Catalogue, terms: Iterable[SearchTerm], order: Iterable[str]
) -> list[str]:
    """Ids that the query finds: every word of it in the name, theme or family, or a synonym
    that contains the query (or that the query contains). Names that match come first, then
    the rest, each in `order`."""
    wanted = normalise(query)
    if not wanted:
        return list(order)
    words = wanted.split()
    expanded: set[str] = set()
    for term in terms:
        if wanted in term.term or (len(term.term) > 2 and term.term in wanted):
            expanded |= set(term.matches)
    by_name, others = [], []
    for indicator_id in order:
        name = normalise(catalogue[indicator_id].name)
        if all(word in name for word in words):
            by_name.append(indicator_id)
            continue
        text = haystack(catalogue, indicator_id)
        theme = catalogue[indicator_id].theme
        if all(word in text for word in words) or {indicator_id, theme} & expanded:
            others.append(indicator_id)
    return by_name + others

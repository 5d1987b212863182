"""Finding indicators by name, theme, family and synonyms; the synonyms file's rules. The
FIXTURE catalogue comes from conftest.py; fixture synonym files are written to tmp_path."""

import pytest

from dashboard.catalogue import build_catalogue
from dashboard.data import read_indicators
from dashboard.search import (
    SEARCH_TERMS_CSV,
    SearchTerm,
    SearchTermsError,
    read_search_terms,
    search_indicators,
)


def test_words_of_the_name_come_first_then_theme_and_family(catalogue):
    order = [indicator.id for indicator in catalogue.in_theme_order()]
    assert search_indicators("percentage", catalogue, (), order)[0] == "fixture_pct"
    found = search_indicators("official statistics", catalogue, (), order)
    assert set(found) == {"fixture_rate", "fixture_official_count"}
    assert search_indicators("", catalogue, (), order) == order


def test_a_synonym_finds_what_the_name_does_not(catalogue):
    order = [indicator.id for indicator in catalogue.in_theme_order()]
    terms = (SearchTerm("cash", ("money",)), SearchTerm("fixture tally", ("fixture_count",)))
    assert search_indicators("cash", catalogue, terms, order) == ["fixture_money"]
    assert search_indicators("tally", catalogue, terms, order) == ["fixture_count"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("term,matches,note\nrepeat,not_an_id,\n", "row 2, field matches: not_an_id is not"),
        ("term,matches,note\n,money,\n", "row 2, field term: is empty"),
        ("words,ids\nrepeat,money\n", "row 1: the columns must be term, matches, note"),
    ],
)
def test_bad_synonym_rows_are_named(tmp_path, catalogue, text, expected):
    path = tmp_path / "search_terms.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SearchTermsError) as caught:
        read_search_terms(path, catalogue.ids, catalogue.themes())
    assert expected in str(caught.value)


def test_the_real_synonyms_find_what_board_members_ask_for():
    real = build_catalogue(read_indicators())
    terms = read_search_terms(SEARCH_TERMS_CSV, real.ids, real.themes())
    order = [indicator.id for indicator in real.in_theme_order()]
    assert "cpp_subsequent_pct" in search_indicators("repeat plans", real, terms, order)
    assert "report_cse_referrals" in search_indicators("CSE", real, terms, order)
    assert "esafety_felt_unsafe_online_pct" in search_indicators(
        "online safety", real, terms, order
    )
    assert "cla_rate" in search_indicators("LAC", real, terms, order)
    assert "lado_referrals" in search_indicators("lado", real, terms, order)

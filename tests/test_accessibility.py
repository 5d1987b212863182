"""The allow-list of Streamlit's own accessibility failures
(data/sources/accessibility_known_issues.csv) and the Accessibility statement page built on it."""

import pytest

from dashboard.accessibility import (
    KNOWN_ISSUE_COLUMNS,
    KNOWN_ISSUES_CSV,
    KnownIssue,
    KnownIssuesFileError,
    allowed_issue,
    parse_known_issues,
    read_known_issues,
)
from dashboard.navigation import PAGES

from helpers.apptest import open_page

PAGE = "pages/accessibility.py"
HEADER = ",".join(KNOWN_ISSUE_COLUMNS)
GOOD_ROW = "list,stSidebarNavItems,1.3.1 Info and Relationships,Menu list,Streamlit's menu,Links"


def problems_of(text: str) -> list[str]:
    with pytest.raises(KnownIssuesFileError) as raised:
        parse_known_issues(text, "known.csv")
    return [str(problem) for problem in raised.value.problems]


def test_the_shipped_allow_list_reads_and_lists_only_streamlit_components():
    issues = read_known_issues()
    assert issues, f"{KNOWN_ISSUES_CSV.name} lists nothing"
    for issue in issues:
        assert issue.component.startswith("st"), issue
        assert issue.criterion_tag.startswith("wcag"), issue


def test_a_good_row_reads_with_its_criterion_as_axe_tags_it():
    [issue] = parse_known_issues(f"{HEADER}\n{GOOD_ROW}\n", "known.csv")
    assert issue == KnownIssue(
        "list", "stSidebarNavItems", "1.3.1 Info and Relationships", "Menu list",
        "Streamlit's menu", "Links",
    )  # fmt: skip
    assert issue.criterion_tag == "wcag131"
    assert KnownIssue("a", "stX", "2.5.8 Target Size (Minimum)", "", "", "").criterion_tag == (
        "wcag258"
    )


def test_a_wrong_header_is_named_with_the_columns_expected():
    assert problems_of("rule,component\nlist,stSidebarNavItems\n") == [
        f"known.csv, row 1: the columns must be {', '.join(KNOWN_ISSUE_COLUMNS)}; found "
        "rule, component"
    ]


def test_each_bad_row_is_named_by_file_row_field_and_reason():
    text = "\n".join(
        [
            HEADER,
            GOOD_ROW,
            "List Rule,stSidebarNavItems,1.3.1 Info,a,b,c",  # row 3: rule
            "list,.st-emotion-cache-1x,1.3.1 Info,a,b,c",  # row 4: not a data-testid
            "list,stTable,WCAG 1.3.1,a,b,c",  # row 5: criterion
            "list,stTable,1.3.1 Info,,b,c",  # row 6: what_fails empty
            GOOD_ROW,  # row 7: the same pair again
            "list,stTable,1.3.1 Info,a,b,c,extra",  # row 8: too many cells
        ]
    )
    found = problems_of(text)
    assert found[0].startswith("known.csv, row 3, field rule: 'List Rule' is not an axe-core")
    assert found[1].startswith("known.csv, row 4, field component: '.st-emotion-cache-1x' is not")
    assert "only Streamlit's own markup" in found[1]
    assert found[2].startswith("known.csv, row 5, field criterion: 'WCAG 1.3.1' is not a WCAG")
    assert found[3] == "known.csv, row 6, field what_fails: is empty"
    assert found[4] == (
        "known.csv, row 7, field rule: list in stSidebarNavItems is already listed in row 2"
    )
    assert found[5] == "known.csv, row 8: has more cells than the header"
    assert len(found) == 6


def test_a_multi_line_cell_is_refused():
    row = 'list,stTable,1.3.1 Info,"two\nlines",b,c'
    assert problems_of(f"{HEADER}\n{row}\n") == [
        "known.csv, row 2, field what_fails: must be one line of at most 400 characters"
    ]


def test_a_missing_file_allows_nothing(tmp_path):
    assert read_known_issues(tmp_path / "absent.csv") == ()


def test_a_violation_is_allowed_only_by_its_rule_inside_the_listed_component():
    issues = parse_known_issues(f"{HEADER}\n{GOOD_ROW}\n", "known.csv")
    inside_menu = ["stSidebarNavItems", "stSidebarNav", "stSidebar", "stApp"]
    assert allowed_issue(issues, "list", inside_menu) == issues[0]
    assert allowed_issue(issues, "listitem", inside_menu) is None
    assert allowed_issue(issues, "list", ["stMarkdownContainer", "stMain", "stApp"]) is None
    assert allowed_issue(issues, "list", []) is None


# The page


@pytest.fixture(scope="module")
def statement():
    return open_page(PAGE)


def test_the_statement_page_is_in_the_reference_menu_after_sources():
    files = [page.file for page in PAGES if page.section == "Reference"]
    assert files[files.index("pages/sources.py") + 1] == PAGE


def test_the_statement_follows_the_public_sector_model(statement):
    at = statement
    assert not at.exception
    assert not at.error
    assert at.title[0].value == "Accessibility statement"
    headers = [header.value for header in at.header]
    for heading in [
        "How accessible this dashboard is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Technical information about this dashboard's accessibility",
        "How we tested this dashboard",
    ]:
        assert heading in headers
    text = " ".join(markdown.value.replace("\\", "") for markdown in at.markdown)
    assert "Equality Advisory and Support Service (EASS)" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "partially compliant" in text and "version 2.2" in text
    assert "Business Office" in text and "lrsb.org.uk" in text
    assert "axe-core 4." in text and "1280 x 720" in text and "390 x 844" in text
    assert "on every change" in text


def test_the_statement_lists_every_known_issue_with_why_and_workaround(statement):
    text = " ".join(markdown.value.replace("\\", "") for markdown in statement.markdown)
    for issue in read_known_issues():
        assert issue.what_fails in text
        assert issue.why in text
        assert issue.workaround in text
        assert f"success criterion {issue.criterion}" in text


def test_the_footer_links_to_the_statement(statement):
    # A relative link: it works however deep the server's own path is.
    assert any("tab)](accessibility)" in c.value for c in statement.caption)

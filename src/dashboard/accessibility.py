"""What the automated accessibility check (axe-core, WCAG 2.2 A and AA) still finds, one row each
in data/sources/accessibility_known_issues.csv: only failures of Streamlit's own markup, each with
the success criterion, why it fails and what a reader can do instead. The browser test allows
exactly these rule and component pairs; the Accessibility statement page publishes them. No
Streamlit here."""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.paths import SOURCES_DIR
from dashboard.problems import Problem

KNOWN_ISSUES_CSV = SOURCES_DIR / "accessibility_known_issues.csv"
KNOWN_ISSUE_COLUMNS = ("rule", "component", "criterion", "what_fails", "why", "workaround")
# The WCAG tags the check runs (2.0, 2.1 and 2.2 at levels A and AA).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# What the browser test (tests/test_browser_axe.py) checks, as the statement page says it: the
# axe-core release that axe-playwright-python (requirements-dev.txt) bundles, and the widths.
AXE_CORE_VERSION = "4.12.1"
CHECKED_WIDTHS = {"desktop": (1280, 720), "phone": (390, 844)}
TEXT_LIMIT = 400

RULE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # an axe-core rule id, e.g. listitem
# A Streamlit element's data-testid: Streamlit's own components are named st + CamelCase.
COMPONENT = re.compile(r"st[A-Z][A-Za-z]*")
CRITERION = re.compile(r"(\d)\.(\d)\.(\d{1,2}) \S.*")  # e.g. "1.3.1 Info and Relationships"


@dataclass(frozen=True)
class KnownIssue:
    """One failure of Streamlit's own markup: the axe rule, the component it is found in (its
    data-testid), the WCAG success criterion, and the statement's three sentences."""

    rule: str
    component: str
    criterion: str
    what_fails: str
    why: str
    workaround: str

    @property
    def criterion_tag(self) -> str:
        """The criterion as axe-core tags it: "1.3.1 Info and Relationships" -> "wcag131"."""
        match = CRITERION.fullmatch(self.criterion)
        return "wcag" + "".join(match.groups()) if match else ""


class KnownIssuesFileError(ValueError):
    """An allow-list file that breaks the rules; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _row_problems(record: dict[str, str], row: int, file: str) -> list[Problem]:
    problems = []
    for name in KNOWN_ISSUE_COLUMNS:
        value = record[name]
        if not value:
            problems.append(Problem(file, row, name, "is empty"))
        elif len(value) > TEXT_LIMIT or any(ord(char) < 32 for char in value):
            problems.append(
                Problem(file, row, name, f"must be one line of at most {TEXT_LIMIT} characters")
            )
    rule, component, criterion = record["rule"], record["component"], record["criterion"]
    if rule and not RULE.fullmatch(rule):
        problems.append(
            Problem(file, row, "rule", f"{rule!r} is not an axe-core rule id (e.g. list)")
        )
    if component and not COMPONENT.fullmatch(component):
        problems.append(
            Problem(
                file,
                row,
                "component",
                f"{component!r} is not a Streamlit data-testid (e.g. stSidebarNavItems): only "
                "Streamlit's own markup may be listed",
            )
        )
    if criterion and not CRITERION.fullmatch(criterion):
        problems.append(
            Problem(
                file,
                row,
                "criterion",
                f"{criterion!r} is not a WCAG success criterion written like "
                "'1.3.1 Info and Relationships'",
            )
        )
    return problems


def parse_known_issues(text: str, file: str) -> tuple[KnownIssue, ...]:
    """Every row of an allow-list CSV, in file order; raises KnownIssuesFileError naming each
    bad row and field (row numbers as a spreadsheet shows them: the header is row 1)."""
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    if header != KNOWN_ISSUE_COLUMNS:
        found = ", ".join(header) or "none"
        reason = f"the columns must be {', '.join(KNOWN_ISSUE_COLUMNS)}; found {found}"
        raise KnownIssuesFileError([Problem(file, 1, None, reason)])
    issues, problems, seen = [], [], {}
    for row, raw in enumerate(reader, 2):
        if None in raw:
            problems.append(Problem(file, row, None, "has more cells than the header"))
            continue
        record = {name: (raw.get(name) or "").strip() for name in KNOWN_ISSUE_COLUMNS}
        found = _row_problems(record, row, file)
        pair = (record["rule"], record["component"])
        if not found and pair in seen:
            reason = f"{pair[0]} in {pair[1]} is already listed in row {seen[pair]}"
            found.append(Problem(file, row, "rule", reason))
        problems += found
        if not found:
            seen[pair] = row
            issues.append(KnownIssue(**record))
    if problems:
        raise KnownIssuesFileError(problems)
    return tuple(issues)


def read_known_issues(path: Path = KNOWN_ISSUES_CSV) -> tuple[KnownIssue, ...]:
    """The allow-list; none when the file is absent (nothing is allowed then)."""
    if not path.exists():
        return ()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise KnownIssuesFileError(
            [Problem(path.name, None, None, "is not UTF-8 text; save it as CSV UTF-8")]
        ) from None
    return parse_known_issues(text, path.name)


def allowed_issue(
    issues: tuple[KnownIssue, ...], rule: str, components: list[str]
) -> KnownIssue | None:
    """The row allowing a violation of `rule` found in an element inside `components` (the
    data-testids of the element and its ancestors), or None: then the violation is ours."""
    inside = set(components)
    return next(
        (issue for issue in issues if issue.rule == rule and issue.component in inside), None
    )

"""axe-core on every page, at a desktop and a phone width, with the WCAG 2.2 A and AA rules: no
violation from the dashboard's own content. A violation inside Streamlit's own markup passes
only when data/sources/accessibility_known_issues.csv lists its rule and component (the
Accessibility statement page publishes that file)."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from dashboard.accessibility import (
    AXE_CORE_VERSION,
    CHECKED_WIDTHS,
    WCAG_TAGS,
    KnownIssue,
    allowed_issue,
    read_known_issues,
)
from dashboard.navigation import DEFAULT_PAGE, PAGES

from helpers.browser import wait_rendered

pytestmark = pytest.mark.browser

WIDTHS = CHECKED_WIDTHS  # the statement page names them
DASHBOARD_PAGES = [page for page in PAGES if not page.admin]  # admin pages: test_browser_update
# Pages that open empty (slide 1 is words only; the pack starts with nothing chosen) are checked
# with an indicator chosen, so their charts and tables are checked too.
CHOSEN = {"present": "?indicators=cla_rate&slide=2", "briefing": "?indicators=cla_rate"}
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}, "resultTypes": ["violations"]}
# The data-testids of the element a selector finds and of its ancestors (Streamlit names its
# components so): what the allow-list's component is matched against.
COMPONENTS_JS = """(selector) => {
  const found = document.querySelector(selector);
  const ids = [];
  for (let node = found; node; node = node.parentElement) {
    const id = node.getAttribute('data-testid');
    if (id) ids.push(id);
  }
  return ids;
}"""


@dataclass(frozen=True)
class Finding:
    """One element that breaks one rule, as axe reports it."""

    rule: str
    impact: str
    target: str
    help: str
    help_url: str
    tags: tuple[str, ...]
    components: tuple[str, ...]

    def __str__(self) -> str:
        inside = " < ".join(self.components[:3]) or "no Streamlit component"
        return (
            f"{self.rule} ({self.impact}) at {self.target} [in {inside}]: {self.help} "
            f"({self.help_url})"
        )


class Sweep:
    """One browser tab, reused page after page: each page is loaded once, checked at the desktop
    width, then narrowed to the phone width (the layout follows the window) and checked again."""

    def __init__(self, browser, base_url: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.base_url, self.axe = base_url, Axe()
        self.context = browser.new_context(viewport=size(next(iter(WIDTHS))))
        self.page = self.context.new_page()
        self.loaded = ""
        self.results: dict[tuple[str, str], list[Finding]] = {}
        self.engine = ""

    def findings(self, url_path: str, width: str) -> list[Finding]:
        if (url_path, width) not in self.results:
            self.show(url_path, width)
            self.results[url_path, width] = self.check()
        return self.results[url_path, width]

    def show(self, url_path: str, width: str) -> None:
        self.page.set_viewport_size(size(width))
        if self.loaded != url_path:
            path = "/" if url_path == DEFAULT_PAGE.url_path else f"/{url_path}"
            self.page.goto(self.base_url + path + CHOSEN.get(url_path, ""), wait_until="commit")
            self.loaded = url_path
        wait_rendered(self.page, timeout_s=90, settle_ms=500)

    def check(self) -> list[Finding]:
        response = self.axe.run(self.page, options=AXE_OPTIONS).response
        self.engine = response.get("testEngine", {}).get("version", "")
        found = []
        for violation in response["violations"]:
            for node in violation["nodes"]:
                # A list of several selectors points into a frame or shadow root: not matched.
                selectors = node["target"]
                components = (
                    self.page.evaluate(COMPONENTS_JS, selectors[0]) if len(selectors) == 1 else []
                )
                found.append(
                    Finding(
                        rule=violation["id"],
                        impact=violation.get("impact") or "",
                        target=" >>> ".join(map(str, selectors)),
                        help=violation["help"],
                        help_url=violation.get("helpUrl", ""),
                        tags=tuple(violation.get("tags", ())),
                        components=tuple(components),
                    )
                )
        return found

    def close(self) -> None:
        self.context.close()


def size(width: str) -> dict[str, int]:
    return dict(zip(("width", "height"), WIDTHS[width], strict=True))


@pytest.fixture(scope="module")
def sweep(browser, base_url) -> Iterator[Sweep]:
    checked = Sweep(browser, base_url)
    try:
        yield checked
    finally:
        checked.close()


@pytest.fixture(scope="module")
def known_issues() -> tuple[KnownIssue, ...]:
    return read_known_issues()


# Page by page, both widths of a page together: one load each.
CASES = [(page.url_path, width) for page in DASHBOARD_PAGES for width in WIDTHS]


@pytest.mark.parametrize(("url_path", "width"), CASES, ids=[f"{p}-{w}" for p, w in CASES])
def test_no_accessibility_violation_outside_the_known_streamlit_ones(
    url_path, width, sweep, known_issues
):
    findings = sweep.findings(url_path, width)
    ours = [f for f in findings if allowed_issue(known_issues, f.rule, f.components) is None]
    assert not ours, f"{len(ours)} axe violation(s) on {url_path} at {width} width:\n" + "\n".join(
        f"- {finding}" for finding in ours
    )
    # Each allowed failure is of the criterion the statement names for it.
    for finding in findings:
        issue = allowed_issue(known_issues, finding.rule, finding.components)
        assert issue.criterion_tag in finding.tags, (issue, finding.tags)


def test_every_known_issue_is_still_found(sweep, known_issues):
    """A row nothing fails any more is a failure the statement claims wrongly: remove it."""
    seen = {
        (issue.rule, issue.component)
        for url_path, width in CASES
        for finding in sweep.findings(url_path, width)
        if (issue := allowed_issue(known_issues, finding.rule, finding.components))
    }
    stale = [issue for issue in known_issues if (issue.rule, issue.component) not in seen]
    assert not stale, "no longer found, remove from the allow-list: " + "; ".join(
        f"{issue.rule} in {issue.component}" for issue in stale
    )
    # The statement names the checker's version: it must be the one that ran.
    assert sweep.engine == AXE_CORE_VERSION

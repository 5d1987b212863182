"""The keyboard alone: from the top of a page, the Tab key reaches every control in the page's
content (switches, buttons, selects, links), each shows a visible focus outline (FOCUS_CSS), and
a chart's table is one key press away."""

from collections.abc import Iterator

import pytest

from helpers.browser import wait_rendered

pytestmark = pytest.mark.browser

MAX_TABS = 400  # far more than any page has controls; the walk stops once every one is reached
MIN_RING_PX = 2  # FOCUS_CSS draws 3px; Streamlit's own ring on a switch is none at all

# Every control in the page's content a keyboard user should reach: enabled, drawn, and in the
# tab order (Streamlit keeps e.g. a chip's remove button and a select's arrow out of it on
# purpose: Backspace and the arrow keys do those). Each is marked so the walk can tick it off.
MARK_CONTROLS_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const selector = 'input[role="switch"], input[type="checkbox"], button, '
    + 'input[role="combobox"], a[href]';
  const drawn = (element) => {
    const box = (element.closest('label') || element).getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const controls = Array.from(main.querySelectorAll(selector)).filter((element) =>
    !element.disabled && element.getAttribute('tabindex') !== '-1'
    && !element.closest('template, [inert], [aria-hidden="true"]') && drawn(element));
  return controls.map((element, index) => {
    element.setAttribute('data-keyboard-check', String(index));
    const name = element.getAttribute('aria-label') || element.innerText || element.href || '';
    return `${element.getAttribute('role') || element.tagName.toLowerCase()}: ${name.trim()}`
      .replace(/\\s+/g, ' ').slice(0, 80);
  });
}"""

# Where the focus is, and the ring a sighted user sees: round a switch's label (its input is
# hidden), round a select's box, else round the control itself.
FOCUSED_JS = """() => {
  const element = document.activeElement;
  const mark = element && element.getAttribute('data-keyboard-check');
  if (mark === null || mark === undefined) return null;
  const role = element.getAttribute('role') || element.tagName.toLowerCase();
  const ring = role === 'switch' || element.type === 'checkbox' ? element.closest('label')
    : role === 'combobox' ? element.closest('[role="group"][data-rac]') : element;
  const style = getComputedStyle(ring || element);
  return {
    mark: Number(mark), role, label: element.getAttribute('aria-label') || '',
    ring: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth) || 0,
  };
}"""


@pytest.fixture(scope="module")
def tab(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        yield context.new_page()
    finally:
        context.close()


def walk(page, url: str) -> tuple[list[str], dict[int, dict]]:
    """Open url, then press Tab from the top until every control has had the focus."""
    page.goto(url, wait_until="commit")
    wait_rendered(page, timeout_s=90, settle_ms=500)
    controls = page.evaluate(MARK_CONTROLS_JS)
    reached: dict[int, dict] = {}
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is not None:
            reached.setdefault(focused["mark"], focused)
        if len(reached) == len(controls):
            break
    return controls, reached


@pytest.mark.parametrize("path", ["/", "/indicator"], ids=["overview", "indicator"])
def test_tab_reaches_every_control_and_shows_where_the_focus_is(path, tab, base_url):
    controls, reached = walk(tab, base_url + path)
    assert controls, "no control found in the page's content"
    missing = [name for index, name in enumerate(controls) if index not in reached]
    assert not missing, "never reached with Tab: " + "; ".join(missing)
    faint = [
        f"{controls[index]} ({focus['ring']}px)"
        for index, focus in reached.items()
        if focus["ring"] < MIN_RING_PX
    ]
    assert not faint, "focus outline missing or thinner than 2px: " + "; ".join(faint)


def test_a_switch_shows_a_clear_ring_and_turns_the_chart_into_its_table(tab, base_url):
    controls, reached = walk(tab, base_url + "/indicator")
    switches = [focus for focus in reached.values() if focus["role"] == "switch"]
    assert switches, "the Indicator page has no switch in the tab order"
    assert all(focus["ring"] >= MIN_RING_PX for focus in switches), switches
    # The chart's table alternative, by keyboard: Tab to its switch, then Space.
    tables_before = tab.locator('[data-testid="stDataFrame"], [data-testid="stTable"]').count()
    table_switch = next(f for f in switches if f["label"].startswith("Show the table"))
    tab.locator(f'[data-keyboard-check="{table_switch["mark"]}"]').focus()
    tab.keyboard.press("Space")
    tab.wait_for_timeout(300)
    wait_rendered(tab, timeout_s=60, settle_ms=500)
    tables_after = tab.locator('[data-testid="stDataFrame"], [data-testid="stTable"]').count()
    assert tables_after > tables_before

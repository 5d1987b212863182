"""Accessibility statement, after the UK public-sector model: how accessible the dashboard is,
what fails and why (each row of data/sources/accessibility_known_issues.csv, the list the axe
browser test allows), how it is tested, how to report a problem, and the enforcement procedure."""

import streamlit as st

from dashboard.accessibility import (
    AXE_CORE_VERSION,
    CHECKED_WIDTHS,
    KnownIssuesFileError,
    read_known_issues,
)
from dashboard.formatting import escape_markdown
from dashboard.frame import ensure_app_frame
from dashboard.navigation import PAGES

ensure_app_frame()

PARTNERSHIP_SITE = "https://lrsb.org.uk/lrscp"  # as the 2022-23 annual report gives it

st.title("Accessibility statement")
st.markdown(
    "This statement applies to the Leicestershire & Rutland Safeguarding Dashboard, which "
    "shows published figures about safeguarding children in Leicestershire and Rutland. The "
    "Leicestershire and Rutland Safeguarding Children Partnership wants as many people as "
    "possible to be able to use it. For example, you should be able to:\n"
    "- zoom in: the pages rearrange into one column down to the width of a phone screen;\n"
    "- reach every control (menus, switches, buttons, links) with the keyboard alone, and see "
    "where you are: the control in focus has a thick blue outline;\n"
    "- read every chart with a screen reader: each has a text description, the table behind it "
    "is one switch away, and its figures download as a CSV file;\n"
    "- tell the areas apart without colour: changes are described in words (better, worse, "
    "similar) as well as by colour, and benchmarks are grey dashed lines."
)

st.header("How accessible this dashboard is", anchor=False)
try:
    issues = read_known_issues()
except KnownIssuesFileError as error:
    issues = None
    st.error(
        "The list of known accessibility problems cannot be read: "
        + escape_markdown(str(error))
        + ". Please report this (see below)."
    )
if issues:
    st.markdown(
        "Some parts of the dashboard are not fully accessible. They come from the software it "
        "is built with (Streamlit), not from the dashboard's own content:"
    )
    st.markdown("\n".join(f"- {escape_markdown(issue.what_fails)}" for issue in issues))
elif issues is not None:
    st.markdown("The automated checks find no part of the dashboard that fails.")

st.header("Feedback and contact information", anchor=False)
st.markdown(
    "If you need the information on this dashboard in a different format, such as a "
    "spreadsheet, large print or a document a screen reader can read, or if you find a "
    "problem not listed on this page, contact the Leicestershire & Rutland Safeguarding "
    "Partnerships Business Office, which supports the partnership, through the partnership's "
    f"website: [{PARTNERSHIP_SITE.removeprefix('https://')}]({PARTNERSHIP_SITE}). Say which "
    "page you were on, what you were trying to do and what assistive technology you use, if any."
)

st.header("Enforcement procedure", anchor=False)
st.markdown(
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
    "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 "
    "(the 'accessibility regulations'). If you are not happy with how we respond to your "
    "complaint, contact the [Equality Advisory and Support Service (EASS)]"
    "(https://www.equalityadvisoryservice.com/)."
)

st.header("Technical information about this dashboard's accessibility", anchor=False)
st.markdown(
    "The partnership is committed to making this dashboard accessible, in accordance with the "
    "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations "
    "2018."
)
st.subheader("Compliance status", anchor=False)
if issues:
    st.markdown(
        "This dashboard is partially compliant with the [Web Content Accessibility Guidelines "
        "version 2.2](https://www.w3.org/TR/WCAG22/) AA standard, due to the non-compliances "
        "listed below."
    )
elif issues is not None:
    st.markdown(
        "The automated checks find no failure of the [Web Content Accessibility Guidelines "
        "version 2.2](https://www.w3.org/TR/WCAG22/) AA standard."
    )

if issues:
    st.subheader("Non-compliance with the accessibility regulations", anchor=False)
    for issue in issues:
        st.markdown(
            f"**{escape_markdown(issue.what_fails)}** This fails WCAG 2.2 success criterion "
            f"{escape_markdown(issue.criterion)}.\n\n"
            f"*Why:* {escape_markdown(issue.why)}\n\n"
            f"*What you can do instead:* {escape_markdown(issue.workaround)}"
        )
    st.caption(
        "We will fix these when Streamlit does, or work around them in the dashboard where we "
        "can; each is checked again on every change."
    )

st.header("How we tested this dashboard", anchor=False)
checked = [page.title for page in PAGES if not page.admin]
widths = " and ".join(
    f"{width} x {height} pixels ({name})" for name, (width, height) in CHECKED_WIDTHS.items()
)
st.markdown(
    f"Every page of the dashboard ({escape_markdown(', '.join(checked))}) is checked with "
    f"axe-core {AXE_CORE_VERSION}, an automated accessibility checker, against the rules of "
    f"WCAG 2.2 levels A and AA, at {widths}. The check is run automatically by the dashboard's "
    "test suite on every change: a change that adds a failure of the dashboard's own content "
    "is not accepted, and a failure of Streamlit's own markup is accepted only once it is "
    "listed on this page with its reason and workaround. Keyboard use is also tested "
    "automatically: every control on the Overview and Indicator pages is reached with the "
    "Tab key and shows its focus outline."
)
st.caption(
    "Automated checks find only some accessibility problems; if you meet one, please tell us "
    "(see Feedback and contact information above)."
)

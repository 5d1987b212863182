"""Since the last meeting: what arrived since the board met, and where each indicator stands,
real deteriorations first."""

from datetime import date

import streamlit as st

from dashboard.components import Link, csv_download, load_dashboard_data
from dashboard.formatting import escape_markdown
from dashboard.frame import ensure_app_frame
from dashboard.headlines import method_footnote
from dashboard.meeting_widgets import pick_since, render_lines, since_summary

ensure_app_frame()

data = load_dashboard_data()
link = Link()
st.title("Since the last meeting")
st.markdown(
    "What is new in the dashboard since the board last met, and for each indicator its latest "
    "change: deteriorations and improvements only where a statistical test says chance does not "
    "explain them, then changes chance does explain, then figures that could not be tested. "
    "Each line compares the figure with England where both have an interval."
)
day, named = pick_since(link, data, date.today())
link.write()
summary = since_summary(data, day)

st.subheader("What arrived", anchor=False)
if summary.changes.empty:
    st.info(
        escape_markdown(
            f"No figures have been added or revised since {named}: the data has not been updated "
            "since then (see the update history on the Sources page)."
        ),
        icon=":material/event_available:",
    )
else:
    st.markdown(escape_markdown(f"{len(summary.changes)} update(s) to the data since {named}:"))
    st.dataframe(summary.changes, hide_index=True, key="since_changes")
    csv_download(
        summary.changes,
        "Download the updates (CSV)",
        file_name="updates_since.csv",
        key="since_changes_csv",
    )
    st.markdown("Values each release brought:")
    st.dataframe(summary.releases, hide_index=True, key="since_releases")
    csv_download(
        summary.releases,
        "Download the values by release (CSV)",
        file_name="values_by_release.csv",
        key="since_releases_csv",
    )

if summary.arrived:
    st.subheader("Indicators with new figures", anchor=False)
else:
    st.subheader("Where the headline indicators stand", anchor=False)
    st.caption(
        "Nothing new arrived, so this is the latest change on record for each headline indicator."
    )
render_lines(summary, "since_line")
footnote = method_footnote(line.change for line in summary.lines)
if footnote:
    st.caption(escape_markdown(footnote))

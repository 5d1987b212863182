"""What explains a figure, beside it: the events in a chart's years, the documents' own
commentary on a movement, and where a report figure and its official counterpart differ."""

import pandas as pd
import streamlit as st

from dashboard.areas import area_catalogue
from dashboard.charts import KIND_LABELS
from dashboard.formatting import escape_markdown


def event_areas(listed: str) -> str:
    """';'-separated area ids as names: "Leicestershire, Rutland"."""
    catalogue = area_catalogue()
    return ", ".join(
        catalogue[area].name if area in catalogue else area for area in listed.split(";")
    )


def render_events(events: pd.DataFrame, *, key: str) -> None:
    """The events a chart draws, numbered as on the chart, with their sources, so the lines can
    be read on paper (one block: a long list of small elements made the page slower)."""
    if events.empty:
        return
    lines = []
    for event in events.itertuples():
        day = pd.Timestamp(event.date)
        kind = KIND_LABELS.get(event.kind, event.kind).lower()
        lines.append(
            escape_markdown(
                f"{event.number}. {day.day} {day:%B %Y} · {event_areas(event.areas)} · "
                f"{event.title} ({kind}). Source: {event.source_text}"
            )
        )
    with st.container(key=key):
        st.markdown(f"**Events in this period ({len(events)})**  \n" + "  \n".join(lines))


def render_commentary(said: list[str], *, key: str) -> None:
    """The documents' own explanations of the figures on a chart (headlines.commentary_lines),
    verbatim with their source."""
    if not said:
        return
    with st.container(key=key):
        st.markdown("**What the documents say about these figures**")
        for line in said:
            st.markdown("> " + escape_markdown(line))

"""The "since the last meeting" choice and summary as widgets: one date picker bound to the link
(?since=YYYY-MM-DD), shared by the Since page, the Presentation and the Briefing pack, and the
summary computed once per data version and date."""

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard.charts import StaticChart, build_sparkline
from dashboard.components import DashboardData, Link, indicator_link, memo
from dashboard.config import OVERVIEW_INDICATORS
from dashboard.formatting import escape_markdown
from dashboard.html_parts import badge, block, caption, paragraph, picture, side_by_side
from dashboard.meetings import Meeting, MeetingFileError, last_meeting_before, read_meetings
from dashboard.since import (
    GROUP_NOTES,
    SinceLine,
    after_meeting,
    arrivals,
    arrived_indicators,
    changes_since,
    counts_sentence,
    grouped,
    observations_as_at,
    ranked_summary,
    releases_arrived,
    slide_lines,
)
from dashboard.update.apply import history_table
from dashboard.url_state import CHOICE, DATE, UrlParam

MEETING = UrlParam("since", "since_meeting", CHOICE, "meeting date")
DAY = UrlParam("since", "since_day", DATE)
QUARTER = timedelta(days=91)  # the board meets quarterly: the fallback when no meeting is recorded


@st.cache_data(show_spinner=False)
def load_meetings(version: str) -> tuple[tuple[Meeting, ...], str]:
    """The meetings file once per data version (an update that changes it rebuilds the data),
    with the reason it could not be read, if any."""
    try:
        return read_meetings(), ""
    except MeetingFileError as error:
        return (), str(error)


def pick_since(
    link: Link, data: DashboardData, today: date, *, widget: bool = True
) -> tuple[date, str]:
    """The date the summary starts from, and how to name it: a recorded meeting (the most recent
    before today by default), or, while no meeting is recorded, a date a quarter ago. Without
    `widget` (a slide being presented) the choice comes from the link or the session."""
    meetings, problem = load_meetings(data.version)
    if not widget:
        if meetings:
            by_day = {meeting.when.isoformat(): meeting for meeting in meetings}
            default = last_meeting_before(meetings, today) or meetings[0]
            link.seed(MEETING, list(by_day), default.when.isoformat())
            meeting = by_day[st.session_state[MEETING.key]]
            return meeting.when, f"the {meeting.label}"
        link.seed(DAY, [today], today - QUARTER)
        day = st.session_state[DAY.key]
        return day, f"{day.day} {day:%B %Y}"
    if problem:
        st.error(
            escape_markdown(f"The meeting dates could not be read, so none are offered: {problem}"),
            icon=":material/event_busy:",
        )
    column = st.columns([1, 2])[0]
    if meetings:
        by_day = {meeting.when.isoformat(): meeting for meeting in reversed(meetings)}
        default = last_meeting_before(meetings, today) or meetings[0]
        link.seed(MEETING, list(by_day), default.when.isoformat())
        chosen = column.selectbox(
            "Since the meeting of",
            list(by_day),
            format_func=lambda day: by_day[day].label,
            key=MEETING.key,
            help="Meeting dates come from data/sources/meetings.csv; the default is the most "
            "recent meeting before today.",
        )
        meeting = by_day[chosen]
        return meeting.when, f"the {meeting.label}"
    link.seed(DAY, [today], today - QUARTER)
    chosen_day = column.date_input(
        "Since",
        key=DAY.key,
        max_value=today,
        format="DD/MM/YYYY",
        help="No meeting dates are recorded yet (data/sources/meetings.csv), so the default is a "
        "quarter ago. Add the board's meetings there, or through Data update.",
    )
    return chosen_day, f"{chosen_day.day} {chosen_day:%B %Y}"


@dataclass(frozen=True)
class SinceSummary:
    changes: pd.DataFrame  # the update log since the date
    releases: pd.DataFrame  # per release, the values it brought
    lines: list[SinceLine]
    arrived: bool  # False: nothing new, so the lines are the headline indicators' latest change
    views: list[str]  # one per line: its words and trend as HTML (line_view)


def since_summary(data: DashboardData, day: date) -> SinceSummary:
    """Computed once per data version and date, shared by every session."""

    def compute() -> SinceSummary:
        moment = after_meeting(day)
        arrived = arrivals(data.observations, observations_as_at(moment))
        ids = arrived_indicators(arrived, data.catalogue)
        lines = ranked_summary(
            data.observations, data.catalogue, ids or OVERVIEW_INDICATORS, data.area_names, arrived
        )
        return SinceSummary(
            history_table(changes_since(moment)[::-1]),
            releases_arrived(arrived),
            lines,
            bool(ids),
            [line_view(line) for line in lines],
        )

    return memo(data, ("since_summary", day.isoformat()), compute)


def line_sparkline(line: SinceLine) -> StaticChart | None:
    if line.series["value"].notna().sum() < 2:
        return None
    return build_sparkline(line.series, line.indicator, line.area_name, measure=line.measure)


def line_view(line: SinceLine) -> str:
    """A line as drawn: "new" when it arrived, its sentence and place against England, with its
    trend beside it; one element, written once per data version and date."""
    words = []
    if line.new:
        words.append(
            badge(f"New since then: {line.change.period}", icon="fiber_new", colour="blue")
        )
    words += [paragraph(line.sentence), caption(f"{line.england_words}.")]
    sparkline = line_sparkline(line)
    trend = ""
    if sparkline is not None:
        trend = block([picture(sparkline), caption(f"Trend, {line.area_name}")])
    return side_by_side(block(words), trend)


def render_lines(summary: SinceSummary, key: str) -> None:
    """A count per group first (the answer at a glance), then the ranked lines under their
    group headings, each linking to its indicator page."""
    lines = summary.lines
    # grouped() hands back the same line objects, in another order: their view by identity.
    views = {id(line): view for line, view in zip(lines, summary.views, strict=True)}
    st.markdown(escape_markdown(counts_sentence(lines)))
    for group_number, (title, members) in enumerate(grouped(lines)):
        st.markdown("#### " + escape_markdown(f"{title}: {len(members)}"))
        if members[0].group in GROUP_NOTES:
            st.caption(escape_markdown(GROUP_NOTES[members[0].group]))
        for number, line in enumerate(members):
            with st.container(border=True, key=f"{key}_{group_number}_{number}"):
                st.html(views[id(line)])
                indicator_link(line.indicator, label=f"{line.indicator.label}: details")


def render_summary_slide(summary: SinceSummary, named: str) -> None:
    """The first slide of a presentation: what arrived since the meeting and the ranked lines,
    short enough for one screen (the page has them all)."""
    with st.container(key="present_slide_heading"):
        st.header("Since the last meeting", anchor=False)
        st.markdown(f":blue-badge[:material/event_repeat: Since {escape_markdown(named)}]")
    with st.container(key="present_slide_text"):
        if summary.changes.empty:
            st.markdown(
                escape_markdown(
                    f"No figures have been added or revised since {named}. The latest change on "
                    "record for each headline indicator:"
                )
            )
        else:
            new = int(summary.releases["New values"].sum())
            revised = int(summary.releases["Revised values"].sum())
            st.markdown(
                escape_markdown(
                    f"Since {named}: {new} new and {revised} revised values "
                    f"from {len(summary.releases)} release(s)."
                )
            )
        counts, *lines = slide_lines(summary.lines)
        st.markdown(escape_markdown(counts))
        st.markdown("\n".join(f"- {escape_markdown(text)}" for text in lines))

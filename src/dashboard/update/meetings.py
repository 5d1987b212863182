"""A meetings upload (columns date, title): the board's meeting dates, checked by the same rules
as the build, merged into data/sources/meetings.csv (a new date is added, a known date with a
new title revises it). Nothing is written here (see apply.py)."""

import pandas as pd

from dashboard.build.validation import Problem
from dashboard.meetings import (
    MEETING_COLUMNS,
    Meeting,
    MeetingFileError,
    parse_meetings,
    read_meetings,
)
from dashboard.update.common import ChangePlan, DataDirs, csv_bytes, refused
from dashboard.update.parse import Upload

MEETINGS_FILE = "sources/meetings.csv"
SHOWN = ["Meeting date", "Title"]


def is_meetings_header(header: tuple[str, ...]) -> bool:
    return tuple(column.strip().lower() for column in header) == MEETING_COLUMNS


def _shown(meetings: list[Meeting]) -> pd.DataFrame:
    return pd.DataFrame(
        [[meeting.when.isoformat(), meeting.title] for meeting in meetings], columns=SHOWN
    )


def plan_meetings(upload: Upload, dirs: DataDirs) -> ChangePlan:
    """What the upload adds to or changes in the meeting dates; refused rows named by the row
    a person sees in the file."""
    sheet = upload.figures
    text = csv_bytes([list(MEETING_COLUMNS), *map(list, sheet.rows)], "\n").decode("utf-8")
    try:
        uploaded = parse_meetings(text, upload.name)
        current = read_meetings(dirs.sources / "meetings.csv")
    except MeetingFileError as error:
        rows = {number: seen for number, seen in enumerate(sheet.row_numbers, 2)}
        problems = [
            Problem(p.file, rows.get(p.row, p.row) if p.row else p.row, p.field, p.reason)
            for p in error.problems
        ]
        return refused(upload.name, problems)
    known = {meeting.when: meeting for meeting in current}
    new = [meeting for meeting in uploaded if meeting.when not in known]
    revised = [m for m in uploaded if m.when in known and known[m.when].title != m.title]
    plan = ChangePlan(upload.name, kind="meetings", new=_shown(new), revised=_shown(revised))
    if new or revised:
        merged = sorted({**known, **{m.when: m for m in uploaded}}.values(), key=lambda m: m.when)
        rows = [[meeting.when.isoformat(), meeting.title] for meeting in merged]
        plan.file_writes = {MEETINGS_FILE: csv_bytes([list(MEETING_COLUMNS), *rows], "\n")}
    return plan

"""The board's meeting dates, one row each in data/sources/meetings.csv (date, title): what
"since the last meeting" is measured from. The partnership keeps the file; the build and the
data-update flow check it with the rules here. No Streamlit here."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dashboard.paths import SOURCES_DIR
from dashboard.problems import Problem

MEETINGS_CSV = SOURCES_DIR / "meetings.csv"
MEETING_COLUMNS = ("date", "title")
TITLE_LIMIT = 120


@dataclass(frozen=True)
class Meeting:
    when: date
    title: str

    @property
    def label(self) -> str:
        """e.g. "Board meeting, 12 September 2026"."""
        return f"{self.title}, {self.when.day} {self.when:%B %Y}"


class MeetingFileError(ValueError):
    """A meetings file that breaks the rules; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def _row_problems(
    record: dict[str, str | None], row: int, file: str, seen: dict[date, int]
) -> tuple[Meeting | None, list[Problem]]:
    problems = []
    raw_date = (record.get("date") or "").strip()
    title = (record.get("title") or "").strip()
    when = None
    try:
        when = date.fromisoformat(raw_date)
        if len(raw_date) != len("2026-09-12"):
            raise ValueError
    except ValueError:
        reason = "is empty" if not raw_date else f"{raw_date!r} is not a date written YYYY-MM-DD"
        problems.append(Problem(file, row, "date", reason))
        when = None
    if when is not None and when in seen:
        problems.append(
            Problem(file, row, "date", f"{when} is already the date of row {seen[when]}")
        )
    if not title:
        problems.append(Problem(file, row, "title", "is empty; say what the meeting was"))
    elif len(title) > TITLE_LIMIT or any(ord(char) < 32 for char in title):
        problems.append(
            Problem(file, row, "title", f"must be one line of at most {TITLE_LIMIT} characters")
        )
    if problems or when is None:
        return None, problems
    seen[when] = row
    return Meeting(when, title), []


def parse_meetings(text: str, file: str) -> tuple[Meeting, ...]:
    """Every meeting in a meetings CSV, oldest first; raises MeetingFileError naming each bad
    row and field (row numbers as a spreadsheet shows them: the header is row 1)."""
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    if header != MEETING_COLUMNS:
        raise MeetingFileError(
            [
                Problem(
                    file,
                    1,
                    None,
                    f"the columns must be {', '.join(MEETING_COLUMNS)}; found "
                    f"{', '.join(header) or 'none'}",
                )
            ]
        )
    meetings, problems, seen = [], [], {}
    for row, record in enumerate(reader, 2):
        if None in record:
            problems.append(Problem(file, row, None, "has more cells than the header"))
            continue
        meeting, found = _row_problems(record, row, file, seen)
        problems += found
        if meeting is not None:
            meetings.append(meeting)
    if problems:
        raise MeetingFileError(problems)
    return tuple(sorted(meetings, key=lambda meeting: meeting.when))


def read_meetings(path: Path = MEETINGS_CSV) -> tuple[Meeting, ...]:
    """The meetings file, or none when the partnership has not started one."""
    if not path.exists():
        return ()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise MeetingFileError(
            [Problem(path.name, None, None, "is not UTF-8 text; save it as CSV UTF-8")]
        ) from None
    return parse_meetings(text, path.name)


def last_meeting_before(meetings: tuple[Meeting, ...], today: date) -> Meeting | None:
    """The default comparison: the most recent meeting before today."""
    earlier = [meeting for meeting in meetings if meeting.when < today]
    return earlier[-1] if earlier else None

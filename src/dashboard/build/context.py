"""What explains a figure, read with the data: dated events (data/sources/events.csv) and the
documents' own commentary on a movement (data/sources/commentary.csv). Every row names its
source, and the build checks it is there: a quote in its document, an official file's row that
holds the event's date, or a named public source with its date. No event without a source."""

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.build.report import display_path, read_text_csv
from dashboard.build.validation import Problem, normalise_whitespace
from dashboard.schema import COMMENTARY_COLUMNS, EVENT_COLUMNS

EVENT_FILE_COLUMNS = [
    "event_id",
    "date",
    "areas",
    "title",
    "kind",
    "document",
    "quote",
    "official_file",
    "official_row",
    "publisher",
    "source_title",
    "source_date",
    "note",
]
COMMENTARY_FILE_COLUMNS = ["commentary_id", "indicator_id", "area", "period", "document", "quote"]
COMMENTARY_FILE_COLUMNS += ["note"]
EVENT_KINDS = ("inspection", "structure", "policy", "national_event", "definition_change")
SOURCE_FORMS = {
    "a quote from a document": ("document", "quote"),
    "an official file and row": ("official_file", "official_row"),
    "a named public source": ("publisher", "source_title", "source_date"),
}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TITLE_LIMIT = 120
SHEET_ROW = "sheet_row"  # an official subset's column giving each row's number in the original


class Rows:
    """Problems of one file, located by the row a person sees (the header is row 1)."""

    def __init__(self, path: Path) -> None:
        self.file = display_path(path)
        self.problems: list[Problem] = []

    def add(self, index: int, field: str | None, reason: str) -> None:
        self.problems.append(Problem(self.file, index + 2, field, reason))


def _read(path: Path, columns: list[str], rows: Rows) -> pd.DataFrame | None:
    if not path.exists():
        rows.problems.append(Problem(rows.file, None, None, "file not found"))
        return None
    frame = read_text_csv(path)
    if list(frame.columns) != columns:
        reason = f"the columns must be {', '.join(columns)}; found {', '.join(frame.columns)}"
        rows.problems.append(Problem(rows.file, 1, None, reason))
        return None
    return frame


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == len("2019-09-23") else None
    except ValueError:
        return None


def _document_maps(documents: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """Each document's title, and its text with whitespace normalised (quotes are matched so)."""
    titles = dict(zip(documents["document"], documents["title"], strict=True))
    texts = {
        name: normalise_whitespace(text)
        for name, text in zip(documents["document"], documents["text"], strict=True)
    }
    return titles, texts


def _check_ids(frame: pd.DataFrame, column: str, rows: Rows) -> None:
    for index, value in frame[column].items():
        if not ID_PATTERN.match(value):
            rows.add(index, column, f"{value!r} must be lower-case letters, digits and hyphens")
    for index in frame.index[frame[column].duplicated()]:
        rows.add(index, column, f"{frame.at[index, column]!r} is used by an earlier row")


def _quote_problem(document: str, quote: str, texts: dict[str, str]) -> tuple[str, str] | None:
    if document not in texts:
        return "document", f"{document!r} is not listed in documents.csv"
    if not quote.strip():
        return "quote", "is empty; copy the sentence that states it"
    if normalise_whitespace(quote) not in texts[document]:
        return "quote", f"not found verbatim in {document}"
    return None


def _official_row(data_dir: Path, file: str, row: str) -> tuple[dict[str, str] | None, str]:
    """The named row of an official file under data/raw/ (by its original sheet row where the
    subset keeps one, else the 1-based data row), or why it cannot be found."""
    path = (data_dir / file).resolve()
    if not file.startswith("raw/") or data_dir.resolve() not in path.parents or not path.is_file():
        return None, f"{file!r} is not a file under data/raw/"
    if not row.isdigit():
        return None, f"{row!r} is not a row number"
    table = read_text_csv(path)
    if SHEET_ROW in table.columns:
        found = table[table[SHEET_ROW] == row]
    else:
        found = table.iloc[int(row) - 1 : int(row)] if int(row) >= 1 else table.iloc[0:0]
    if found.empty:
        return None, f"row {row} is not in {file}"
    return found.iloc[0].to_dict(), ""


def _release_name(data_dir: Path, file: str) -> str:
    """The release as its folder's SOURCE.md titles it."""
    source = (data_dir / file).parent / "SOURCE.md"
    if source.is_file():
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line.removeprefix("# ").strip()
    return file


def read_events(
    path: Path,
    areas: set[str],
    documents: pd.DataFrame,
    data_dir: Path,
    today: date,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The events table (schema.EVENT_COLUMNS) and every problem found."""
    rows = Rows(path)
    frame = _read(path, EVENT_FILE_COLUMNS, rows)
    if frame is None:
        return pd.DataFrame(columns=list(EVENT_COLUMNS)), rows.problems
    titles, texts = _document_maps(documents)
    _check_ids(frame, "event_id", rows)
    sources = []
    for index, event in frame.iterrows():
        day = _day(event["date"])
        if day is None:
            rows.add(index, "date", f"{event['date']!r} is not a date written YYYY-MM-DD")
        elif day > today:
            rows.add(index, "date", f"{event['date']} is in the future")
        listed = event["areas"].split(";") if event["areas"] else []
        for area in listed or [""]:
            if area not in areas:
                rows.add(index, "areas", f"{area!r} is not an area in areas.csv")
        if not event["title"].strip() or len(event["title"]) > TITLE_LIMIT:
            rows.add(index, "title", f"must be one line of 1 to {TITLE_LIMIT} characters")
        if event["kind"] not in EVENT_KINDS:
            rows.add(index, "kind", f"{event['kind']!r} is not one of {', '.join(EVENT_KINDS)}")
        sources.append(_event_source(index, event, day, rows, texts, titles, data_dir))
    if rows.problems:
        return pd.DataFrame(columns=list(EVENT_COLUMNS)), rows.problems
    table = frame.assign(source_text=sources)[list(EVENT_COLUMNS)]
    return table.sort_values(["date", "event_id"], ignore_index=True), []


def _event_source(
    index: int,
    event: pd.Series,
    day: date | None,
    rows: Rows,
    texts: dict[str, str],
    titles: dict[str, str],
    data_dir: Path,
) -> str:
    """Check the event's one source and say it as a reader sees it."""
    given = [form for form, fields in SOURCE_FORMS.items() if any(event[field] for field in fields)]
    if len(given) != 1:
        reason = "has no source" if not given else f"mixes sources ({' and '.join(given)})"
        forms = "; or ".join(f"{form} ({', '.join(f)})" for form, f in SOURCE_FORMS.items())
        rows.add(index, "source", f"{reason}: give exactly one of {forms}")
        return ""
    form = given[0]
    missing = [field for field in SOURCE_FORMS[form] if not event[field].strip()]
    if missing:
        rows.add(index, missing[0], f"is empty; {form} needs {', '.join(SOURCE_FORMS[form])}")
        return ""
    checks: dict[str, Callable[[], str]] = {
        "a quote from a document": lambda: _document_source(index, event, rows, texts, titles),
        "an official file and row": lambda: _official_source(index, event, day, rows, data_dir),
        "a named public source": lambda: _named_source(index, event, rows),
    }
    return checks[form]()


def _document_source(
    index: int, event: pd.Series, rows: Rows, texts: dict[str, str], titles: dict[str, str]
) -> str:
    problem = _quote_problem(event["document"], event["quote"], texts)
    if problem:
        rows.add(index, *problem)
        return ""
    return f'{titles[event["document"]]}: "{normalise_whitespace(event["quote"])}"'


def _official_source(
    index: int, event: pd.Series, day: date | None, rows: Rows, data_dir: Path
) -> str:
    found, reason = _official_row(data_dir, event["official_file"], event["official_row"])
    if found is None:
        rows.add(index, "official_row" if "row " in reason else "official_file", reason)
        return ""
    if day is not None and day.isoformat() not in found.values():
        rows.add(
            index,
            "date",
            f"{day} is not a date in {event['official_file']} row {event['official_row']}",
        )
        return ""
    release = _release_name(data_dir, event["official_file"])
    return f"{release}: data/{event['official_file']}, row {event['official_row']}"


def _named_source(index: int, event: pd.Series, rows: Rows) -> str:
    if _day(event["source_date"]) is None:
        rows.add(index, "source_date", f"{event['source_date']!r} is not a date YYYY-MM-DD")
        return ""
    published = _day(event["source_date"])
    when = f"{published.day} {published:%B %Y}"
    return f"{event['publisher']}, {event['source_title']} (published {when})"


def read_commentary(
    path: Path,
    catalogue: pd.DataFrame,
    observations: pd.DataFrame,
    documents: pd.DataFrame,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The commentary table (schema.COMMENTARY_COLUMNS) and every problem found: each sentence
    must be in its document and linked to an indicator, area and period that has a figure."""
    rows = Rows(path)
    frame = _read(path, COMMENTARY_FILE_COLUMNS, rows)
    if frame is None:
        return pd.DataFrame(columns=list(COMMENTARY_COLUMNS)), rows.problems
    titles, texts = _document_maps(documents)
    known = set(catalogue["indicator_id"])
    figures = set(
        zip(observations["indicator_id"], observations["area"], observations["period"], strict=True)
    )
    _check_ids(frame, "commentary_id", rows)
    for index, said in frame.iterrows():
        if said["indicator_id"] not in known:
            rows.add(index, "indicator_id", f"{said['indicator_id']!r} is not in indicators.csv")
        elif (said["indicator_id"], said["area"], said["period"]) not in figures:
            rows.add(
                index,
                "period",
                f"{said['indicator_id']} has no figure for {said['area']!r} in "
                f"{said['period']!r}: link the sentence to a figure the data holds",
            )
        problem = _quote_problem(said["document"], said["quote"], texts)
        if problem:
            rows.add(index, *problem)
    if rows.problems:
        return pd.DataFrame(columns=list(COMMENTARY_COLUMNS)), rows.problems
    table = frame.assign(
        quote=frame["quote"].map(normalise_whitespace),
        source_text=frame["document"].map(titles),
    )
    return table[list(COMMENTARY_COLUMNS)], []

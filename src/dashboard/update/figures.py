"""Partnership figures from the template: validated by the build's own schema and rules.

Rows are checked by figure_schema and figure_rule_problems (as the build checks the source
CSVs), then by rules only an addition needs (example row, negative count, period written as
the dashboard sorts it, an existing value needing a revision note), then the whole data set is
built from a staged copy with the rows added, so an accepted plan is one the real build accepts.
"""

import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from dashboard.build.report import (
    figure_rule_problems,
    read_catalogue,
    read_document_list,
    read_text_csv,
)
from dashboard.build.validation import (
    DOCUMENT_SCHEMA,
    FIGURE_COLUMNS,
    BuildError,
    Problem,
    bounded_schema_problems,
    figure_schema,
    normalise_whitespace,
    schema_problems,
)
from dashboard.problems import ProblemList
from dashboard.units import value_problem
from dashboard.update.common import (
    ChangePlan,
    DataDirs,
    appended,
    conflicts_of,
    refused,
    shown,
    staged,
    staged_build,
)
from dashboard.update.parse import (
    CONTROL,
    LIMITS,
    Sheet,
    Upload,
    control_problem,
    megabytes,
    plain,
)

REVISION_PREFIX = "revision:"
EXAMPLE_PREFIX = "example"
SIGNED_UNITS = ("percent_change",)
DOCUMENT_COLUMNS = tuple(DOCUMENT_SCHEMA.columns)
YEAR_PAIR = r"(\d{4})/(\d{2})"
PERIOD_PATTERNS = {
    "financial_year": (rf"^{YEAR_PAIR}$", "a financial year written like 2025/26"),
    "academic_year": (rf"^{YEAR_PAIR}$", "an academic year written like 2025/26"),
    "quarter": (rf"^{YEAR_PAIR} Q[1-4]$", "a quarter written like 2025/26 Q1"),
    "calendar_year": (r"^(\d{4})$", "a calendar year written like 2025"),
}


class CellValues(Mapping):
    """The text of the cell at (row number, column), looked up when a problem is shown: no
    second copy of every cell of a large file."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.rows = {number: index for index, number in enumerate(sheet.row_numbers)}
        self.columns = {column: index for index, column in enumerate(sheet.header)}

    def __getitem__(self, key: tuple[int, str]) -> str:
        number, column = key
        if number not in self.rows or column not in self.columns:
            raise KeyError(key)
        row = self.sheet.rows[self.rows[number]]
        position = self.columns[column]
        return row[position] if position < len(row) else ""

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return ((n, c) for n in self.rows for c in self.columns)

    def __len__(self) -> int:
        return len(self.rows) * len(self.columns)


def cell_values(sheet: Sheet) -> CellValues:
    return CellValues(sheet)


def figure_frame(sheet: Sheet, catalogue: pd.DataFrame, used: set[str]) -> pd.DataFrame:
    """The figures as text, in FIGURE_COLUMNS order, indexed so index + 1 is the row number;
    a blank unit comes from the catalogue, a blank figure_id is made from the key. The columns
    hold the sheet's own str objects (dtype object): a str-dtype copy of a 50 MB upload costs
    over 100 MB more, and the schema makes them str columns, a chunk of rows at a time."""
    frame = pd.DataFrame(list(sheet.rows), columns=list(sheet.header), dtype=object)
    frame = frame[list(FIGURE_COLUMNS)]
    frame.index = [number - 1 for number in sheet.row_numbers]
    units = catalogue.set_index("indicator_id")["unit"]
    blank_unit = frame["unit"].eq("") & frame["indicator_id"].isin(units.index)
    frame.loc[blank_unit, "unit"] = frame.loc[blank_unit, "indicator_id"].map(units)
    taken = used | set(frame["figure_id"])
    last: dict[str, int] = {}  # the last number tried for each base, so n rows cost n steps
    blank = frame[frame["figure_id"].eq("")]
    made = []
    for rec in blank[["indicator_id", "area", "period", "breakdown"]].itertuples(index=False):
        base = "upd-" + slug("-".join(rec))
        number = last.get(base, 1)
        figure_id = base if number == 1 else f"{base}-{number}"
        while figure_id in taken:
            number += 1
            figure_id = f"{base}-{number}"
        last[base] = number
        taken.add(figure_id)
        made.append(figure_id)
    frame.loc[blank.index, "figure_id"] = made
    return frame


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def first_checks(frame: pd.DataFrame, file: str, catalogue: pd.DataFrame) -> Iterator[Problem]:
    """Refusals that need a plainer message than the schema's: example row, missing source,
    an official indicator typed in by hand, a value that is not a finite number, a control
    character in a cell. Yielded one by one, so a collector can stop keeping them."""
    families = dict(zip(catalogue["indicator_id"], catalogue["source_family"], strict=True))
    columns = ["figure_id", "value", "unit", "document", "quote", "indicator_id"]
    lists = [frame[column].tolist() for column in columns]
    for index, *cells in zip(frame.index, *lists, strict=True):
        rec = dict(zip(columns, cells, strict=True))
        row = index + 1
        if rec["figure_id"].lower().startswith(EXAMPLE_PREFIX):
            yield (
                Problem(
                    file,
                    row,
                    "figure_id",
                    "this is the template's example row; delete it, or clear its figure_id if "
                    "you typed your own figure over it",
                )
            )
            continue
        if reason := value_text_problem(rec["value"], rec["unit"]):
            yield Problem(file, row, "value", reason)
        for column in ("document", "quote"):
            if not rec[column]:
                yield (
                    Problem(
                        file,
                        row,
                        column,
                        "missing source: every figure names its document (a file in "
                        "documents.csv or on the documents sheet) and quotes the sentence that "
                        "states it, word for word",
                    )
                )
        if families.get(rec["indicator_id"]) == "official_statistics":
            yield (
                Problem(
                    file,
                    row,
                    "indicator_id",
                    f"{rec['indicator_id']} comes from official statistics; upload the DfE file "
                    "itself instead of typing its figures",
                )
            )


def value_text_problem(text: str, unit: str) -> str | None:
    """A value typed as inf, Infinity, NaN or 1e400: Python reads it as a number, a person
    would not write it for a figure."""
    try:
        number = float(text)
    except ValueError:
        return None  # the schema says it cannot be read as a number
    if math.isfinite(number):
        return None
    return f"{value_problem(number, unit or 'count')} (got {text!r})"


def value_checks(figures: pd.DataFrame, file: str) -> Iterator[Problem]:
    """Rules on coerced rows the build leaves to the documents: no negative counts, periods
    written the way the dashboard sorts them and agreeing with year_end."""
    for index, rec in figures.iterrows():
        row = index + 1
        if rec["value"] < 0 and rec["unit"] not in SIGNED_UNITS:
            what = "a count" if rec["unit"] == "count" else f"a {rec['unit']} value"
            yield Problem(file, row, "value", f"{what} cannot be negative (got {rec['value']:g})")
        yield from period_problems(rec, file, row)


def period_problems(rec: pd.Series, file: str, row: int) -> list[Problem]:
    period, year_end = rec["period"], int(rec["year_end"])
    pattern, description = PERIOD_PATTERNS.get(rec["period_type"], (None, ""))
    if pattern is None:
        if str(year_end) in period:
            return []
        reason = f"bad period: {period!r} does not contain its year_end {year_end}"
        return [Problem(file, row, "period", reason)]
    match = re.match(pattern, period)
    if not match:
        return [Problem(file, row, "period", f"bad period: {period!r} is not {description}")]
    start = int(match.group(1))
    if len(match.groups()) == 2:
        if int(match.group(2)) != (start + 1) % 100:
            reason = f"bad period: {period!r} is not two consecutive years (like 2025/26)"
            return [Problem(file, row, "period", reason)]
        start += 1
    if start != year_end:
        reason = f"bad period: year_end {year_end} does not match period {period!r} ({start})"
        return [Problem(file, row, "year_end", reason)]
    return []


def new_documents(
    upload: Upload, listed: pd.DataFrame, texts: Mapping[str, bytes]
) -> tuple[pd.DataFrame, dict[str, str], list[Problem]]:
    """Documents added with this upload (documents sheet + their text files), validated."""
    if upload.documents is None:
        return pd.DataFrame(columns=DOCUMENT_COLUMNS), {}, []
    sheet = upload.documents
    file = f"{upload.name} (sheet documents)"
    if tuple(sheet.header[: len(DOCUMENT_COLUMNS)]) != DOCUMENT_COLUMNS:
        header = ",".join(DOCUMENT_COLUMNS)
        return pd.DataFrame(), {}, [Problem(file, 1, None, f"header must be exactly: {header}")]
    frame = pd.DataFrame(
        [row[: len(DOCUMENT_COLUMNS)] for row in sheet.rows], columns=list(DOCUMENT_COLUMNS)
    )
    frame.index = [number - 1 for number in sheet.row_numbers]
    documents, problems = schema_problems(frame, DOCUMENT_SCHEMA, file, row_offset=0)
    if documents is None:
        return pd.DataFrame(), {}, problems
    decoded = {}
    for index, name in documents["document"].items():
        if name in set(listed["document"]):
            problems.append(
                Problem(file, index + 1, "document", f"{name} is already in documents.csv")
            )
        elif name not in texts:
            problems.append(
                Problem(
                    file,
                    index + 1,
                    "document",
                    f"missing source: add the text file {name} with the upload, so each quote "
                    "can be checked against it",
                )
            )
        elif reason := text_file_problem(texts[name]):
            problems.append(Problem(name, None, None, reason))
        else:
            text = texts[name].removeprefix(b"\xef\xbb\xbf").decode("utf-8")
            if found := CONTROL.search(text):
                line = text.count("\n", 0, found.start()) + 1
                start = text.rfind("\n", 0, found.start()) + 1
                problems.append(control_problem(name, line, None, text[start : found.end()]))
            else:
                decoded[name] = text
    return documents, decoded, problems


def text_file_problem(content: bytes) -> str | None:
    """A report's text file: plain UTF-8 of at most the upload limit."""
    if len(content) > LIMITS.bytes:
        return (
            f"the text file is {megabytes(len(content))}; the limit is "
            f"{megabytes(LIMITS.bytes)}: keep the report's text only"
        )
    try:
        content.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return "wrong encoding: save the text file as UTF-8"
    return None


def plan_figures(upload: Upload, dirs: DataDirs, texts: Mapping[str, bytes]) -> ChangePlan:
    """Partnership figures: validate with the build's schema and rules, then diff."""
    sheet, name = upload.figures, upload.name
    file = name if upload.kind == "csv" else f"{name} (sheet figures)"
    if not sheet.rows:
        return refused(name, [Problem(file, None, None, "the file has a header but no figures")])
    too_large = size_problem(sheet, file)
    if too_large:
        return refused(name, [too_large])
    values = cell_values(sheet)
    catalogue = read_catalogue(dirs.sources / "indicators.csv")
    areas = read_text_csv(dirs.sources / "areas.csv")
    listed = read_document_list(dirs.sources / "documents.csv", dirs.documents)
    added_docs, added_texts, document_problems = new_documents(upload, listed, texts)
    # The first problems are listed in full; past MAX_LISTED they are only counted.
    problems = ProblemList()
    problems.extend(document_problems)
    all_texts = dict(zip(listed["document"], listed["text"], strict=True)) | added_texts
    used = used_ids(dirs)
    frame = figure_frame(sheet, catalogue, used)
    flagged = set()
    for problem in first_checks(frame, file, catalogue):
        problems.add(problem)
        flagged.add(problem.row)
    frame = frame[[index + 1 not in flagged for index in frame.index]]
    schema = figure_schema(catalogue["indicator_id"], areas["area"], list(all_texts))
    figures = bounded_schema_problems(frame, schema, file, problems, row_offset=0)
    del frame  # the checked rows are in figures now; the staged build below needs the memory
    if figures is not None:
        normalised = {doc: normalise_whitespace(text) for doc, text in all_texts.items()}
        problems.extend(figure_rule_problems(figures, file, catalogue, normalised, row_offset=0))
        problems.extend(value_checks(figures, file))
        problems.extend(id_problems(figures, file, used))
    if problems:
        return refused(name, problems.problems(file), values)
    current = pd.read_parquet(dirs.root / "observations.parquet")
    revised, diff_problems = diff_figures(figures, current, file)
    if diff_problems:
        return refused(name, diff_problems, values)
    writes = figure_writes(figures, added_docs, added_texts, dirs)
    plan = ChangePlan(name, "figures", file_writes=writes)
    try:
        tables = staged_build(dirs, writes)
    except BuildError as error:
        found = ProblemList()
        found.extend(plain(staged(p)) for p in error.problems)
        return refused(name, found.problems(name), values)
    built = tables["observations"]
    ids = set(figures["figure_id"])
    plan.new = shown(built[built["record_id"].isin(ids - set(revised["record_id"]))])
    plan.revised = revised.drop(columns="record_id")
    plan.conflicts = conflicts_of(built, ids)
    return plan


def size_problem(sheet: Sheet, file: str) -> Problem | None:
    """More figures, or more text, than one full check can hold within its memory budget."""
    if len(sheet.rows) > LIMITS.figure_rows:
        found, limit, what = len(sheet.rows), LIMITS.figure_rows, "figures"
    elif sheet.text_chars > LIMITS.figure_chars:
        found, limit, what = sheet.text_chars, LIMITS.figure_chars, "characters of text"
    else:
        return None
    return Problem(
        file,
        None,
        None,
        f"the file holds {found:,} {what}; the limit for one upload of figures is {limit:,} "
        "(the reports of 2008 to 2025 hold about 600 figures in all): upload a year's figures at "
        "a time",
    )


def used_ids(dirs: DataDirs) -> set[str]:
    used: set[str] = set()
    for path in dirs.figures.glob("*.csv"):
        used |= set(read_text_csv(path)["figure_id"])
    return used


def id_problems(figures: pd.DataFrame, file: str, used: set[str]) -> list[Problem]:
    """figure_ids are unique across all figure files, including within the upload."""
    problems = []
    seen: set[str] = set()
    for index, figure_id in figures["figure_id"].items():
        if figure_id in used or figure_id in seen:
            reason = f"figure_id {figure_id!r} is already used; choose another or leave it blank"
            problems.append(Problem(file, index + 1, "figure_id", reason))
        seen.add(figure_id)
    return problems


def is_revision(note: str) -> bool:
    return note.strip().lower().startswith(REVISION_PREFIX)


def diff_figures(
    figures: pd.DataFrame, current: pd.DataFrame, file: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Uploaded figures whose key already has a value must carry a revision note."""
    keyed = current.set_index(["indicator_id", "area", "period", "breakdown"]).sort_index()
    rows, problems = [], []
    for index, rec in figures.iterrows():
        key = (rec["indicator_id"], rec["area"], rec["period"], rec["breakdown"])
        if key not in keyed.index:
            continue
        existing = keyed.loc[[key]]
        if not is_revision(rec["note"]):
            first = existing.iloc[0]
            problems.append(
                Problem(
                    file,
                    index + 1,
                    "value",
                    f"duplicate of an existing value without a revision note: {first['source']} "
                    f"gives {first['value']:g} for this indicator, area, period and breakdown "
                    f"(record {first['record_id']}). If this corrects or updates it, start the "
                    "note with 'Revision:' and say why; otherwise delete the row",
                )
            )
            continue
        for old in existing.itertuples():
            rows.append(
                {
                    "record_id": rec["figure_id"],
                    "Indicator": rec["indicator_id"],
                    "Area": rec["area"],
                    "Period": rec["period"],
                    "Breakdown": rec["breakdown"],
                    "Old value": old.value,
                    "Old source": old.source,
                    "New value": rec["value"],
                    "New source": rec["document"],
                    "Revision note": rec["note"],
                }
            )
    columns = ["record_id", "Indicator", "Area", "Period", "Breakdown", "Old value"]
    columns += ["Old source", "New value", "New source", "Revision note"]
    return pd.DataFrame(rows, columns=columns), problems


def figure_writes(
    figures: pd.DataFrame, documents: pd.DataFrame, texts: Mapping[str, str], dirs: DataDirs
) -> dict[str, bytes]:
    """New bytes of each changed source file, keyed by path relative to the data directory:
    figures go to figures/<document>.csv, one file per document as the sources already are."""
    writes = {}
    header = list(FIGURE_COLUMNS)
    for document, group in figures.groupby("document", sort=True):
        target = dirs.figures / f"{Path(str(document)).stem}.csv"
        # Column by column, not to_dict("records"): no dict per row of a large upload.
        columns = [group[column].tolist() for column in header]
        rows = [[format_cell(value) for value in rec] for rec in zip(*columns, strict=True)]
        writes[str(target.relative_to(dirs.root))] = appended(target, header, rows)
    if not documents.empty:
        target = dirs.sources / "documents.csv"
        rows = [[str(rec[c]) for c in DOCUMENT_COLUMNS] for rec in documents.to_dict("records")]
        writes[str(target.relative_to(dirs.root))] = appended(target, list(DOCUMENT_COLUMNS), rows)
    for name, text in texts.items():
        writes[str((dirs.documents / name).relative_to(dirs.root))] = text.encode("utf-8")
    return writes


def format_cell(value: object) -> str:
    """A coerced cell back as text: 4.0 -> "4", 0.1 -> "0.1" (shortest exact form)."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)

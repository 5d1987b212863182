"""Uploaded bytes -> rows of text, refusing what is too big, empty, not UTF-8 or not CSV/Excel.

Nothing here executes or interprets the content: cells stay strings, formulas are read as
their cached values (openpyxl data_only), and the format is judged by the bytes, not the name.

Every limit (LIMITS) is checked before or while reading, never after: the file's size first, an
.xlsx's unzipped size from its zip directory before openpyxl opens it, and rows, columns and
cells while they stream past, so a crafted file is refused in a moment whatever it declares.

A CSV is decoded a line at a time as it is read, never as one string: the decoded text of a
50 MB file, and the four bytes a character that io.StringIO keeps for every character of it,
would cost more than the rows themselves.
"""

import codecs
import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from openpyxl import load_workbook

from dashboard.build.validation import Problem

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """What one upload may hold. Far above any real year's figures (a few hundred rows), far
    below what would stall the server that every board member shares."""

    bytes: int = 50 * 1024 * 1024  # = .streamlit/config.toml server.maxUploadSize (MiB)
    rows: int = 100_000  # data rows of one sheet or CSV, after the header
    columns: int = 60  # columns holding values
    # Cells in a row, even empty ones kept only for their formatting: openpyxl makes a list
    # of this length for each row, so it is capped too.
    used_columns: int = 1_000
    # Blank rows (often formatting only, below the data) are skipped, but not a million of
    # them: reading one costs as much as reading a row of figures.
    blank_rows: int = 10_000
    sheets: int = 10
    cell_chars: int = 10_000  # a quote or a documents-sheet cell; a whole report is a .txt
    # One CSV row, over all its lines: 60 full cells with room to spare. The csv module builds a
    # whole row before its cells can be counted, so a row is measured while it is read.
    row_chars: int = 1_000_000
    # All the cells of one sheet: an .xlsx stores a repeated text once, so its size on disk does
    # not bound the text it unpacks into (a CSV at the byte limit holds at most this much).
    sheet_chars: int = 50 * 1024 * 1024
    # Partnership figures are checked by a full build of all the data with them added, which
    # holds several copies of every row: these keep that under 300 MB. The reports of 2008-2025
    # hold about 600 figures and 0.3 MB of text in all.
    figure_rows: int = 20_000
    figure_chars: int = 10_000_000
    unzipped_bytes: int = 200 * 1024 * 1024  # an .xlsx's members together, uncompressed
    # An .xlsx member above this size may shrink at most `ratio` times in the zip: a sheet of
    # real figures compresses 5-20 times, a zip bomb thousands of times.
    ratio_checked_from: int = 1024 * 1024
    ratio: int = 100
    members: int = 1_000


LIMITS = Limits()
MAX_BYTES = LIMITS.bytes
FIGURES_SHEET = "figures"
DOCUMENTS_SHEET = "documents"
BOM = b"\xef\xbb\xbf"
# A CSV's bytes are checked as UTF-8 this much at a time.
DECODE_CHUNK = 1024 * 1024
# Magic numbers of files people pick by mistake, so the message can say what the file is.
KNOWN_BINARIES = {
    b"%PDF": "a PDF",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word (.doc) file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a zip archive that is not an Excel workbook",
}
FIX_ENCODING = "in Excel use Save As > 'CSV UTF-8 (Comma delimited)'"
FIX_FORMAT = "upload the template filled in, saved as .xlsx or 'CSV UTF-8'"
FIX_SIZE = "upload only the new rows (for DfE files, the published CSV of one table)"
# Control characters cannot be shown or printed; tab and line breaks are ordinary text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters in UTF-8 bytes: each is one byte, never part of a longer character.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Cells up to this long are shared between rows when they repeat (see `shared`).
SHARED_CHARS = 64
SHARED_TEXTS = 50_000
# Every byte as "a" but the line breaks, as "\n": b"a\n" then counts the lines holding text.
LINE_MARKS = bytes(10 if byte in (10, 13) else 97 for byte in range(256))


class UploadError(Exception):
    """The file as a whole cannot be read; nothing has been changed."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class Sheet:
    """A table of text cells; row_numbers[i] is the line or Excel row a person sees for rows[i]."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...]
    text_chars: int  # in the rows' cells, counted as they were read

    def record(self, index: int) -> dict[str, str]:
        """rows[index] by column name; made when asked, as a dict per row of a large file would
        cost more than its cells."""
        return dict(zip(self.header, self.rows[index], strict=False))


@dataclass(frozen=True)
class Upload:
    """An uploaded file's tables: figures (or a DfE table), and new documents from Excel."""

    name: str
    kind: str  # "workbook" or "csv"
    figures: Sheet
    documents: Sheet | None = None


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


def read_upload(name: str, content: bytes, limits: Limits = LIMITS) -> Upload:
    """Check size and format by content, then read the file's tables as text."""
    if len(content) > limits.bytes:
        raise UploadError(
            Problem(
                name,
                None,
                None,
                f"the file is {megabytes(len(content))}; the limit is {megabytes(limits.bytes)}. "
                f"{FIX_SIZE[0].upper()}{FIX_SIZE[1:]}.",
            )
        )
    if not content or content.isspace():  # as content.strip(), without a copy of the file
        raise UploadError(
            Problem(name, None, None, f"the file is empty; {FIX_FORMAT} with at least one row")
        )
    if is_workbook(content):
        return read_workbook(name, content, limits)
    for magic, what in KNOWN_BINARIES.items():
        if content.startswith(magic):
            raise UploadError(
                Problem(name, None, None, f"this is {what}, not a CSV or Excel file; {FIX_FORMAT}")
            )
    return Upload(name, "csv", read_csv(name, content, limits))


def is_workbook(content: bytes) -> bool:
    """An .xlsx is a zip holding xl/workbook.xml; the extension is not trusted."""
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def check_text(name: str, content: bytes) -> int:
    """UTF-8, with or without Excel's byte-order mark; anything else is refused, not guessed.
    Checked a chunk at a time, so the decoded text is never held whole. Returns where the text
    starts (after the mark)."""
    if b"\x00" in content:
        raise UploadError(
            Problem(name, None, None, f"this is not a text file (it holds NUL bytes); {FIX_FORMAT}")
        )
    start = len(BOM) if content.startswith(BOM) else 0
    # A character may span two chunks: the decoder keeps its first bytes for the next chunk, so
    # the first bad byte is the one a decode of the whole file finds (and never a whole line of
    # a file without line breaks, decoded at 4 bytes a character, is held).
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    for offset in range(start, len(content), DECODE_CHUNK):
        kept = len(decoder.getstate()[0])
        try:
            decoder.decode(
                view[offset : offset + DECODE_CHUNK], offset + DECODE_CHUNK >= len(content)
            )
        except UnicodeDecodeError as error:
            bad = offset - kept + error.start
            raise UploadError(
                Problem(
                    name,
                    content.count(b"\n", start, bad) + 1,
                    None,
                    f"wrong encoding: byte 0x{content[bad]:02x} is not UTF-8 text; {FIX_ENCODING}",
                )
            ) from None
    return start


def text_lines(content: bytes) -> io.TextIOWrapper:
    """A checked CSV's lines, decoded as they are read; newline="" keeps line breaks inside
    quoted cells for the csv module, as it asks."""
    return io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")


class RowFeed:
    """A CSV's lines for csv.reader, refusing a row longer than the limit before it is built: a
    50 MB file of one line (or of one quoted cell per line) would otherwise become millions of
    cells in memory."""

    def __init__(self, name: str, content: bytes, limits: Limits) -> None:
        self.name, self.limits = name, limits
        self.lines = text_lines(content)
        self.line = 0
        self.row_start = 1
        self.pending = 0

    def __iter__(self) -> "RowFeed":
        return self

    def __next__(self) -> str:
        text = self.lines.readline(self.limits.row_chars + 1)  # never more than the limit
        if not text:
            raise StopIteration
        self.line += 1
        if not self.pending:
            self.row_start = self.line
        self.pending += len(text)
        if self.pending > self.limits.row_chars:
            raise UploadError(
                Problem(
                    self.name,
                    self.row_start,
                    None,
                    f"the row is longer than {self.limits.row_chars:,} characters; the limit is "
                    f"{self.limits.row_chars:,} (perhaps a quote mark is not closed): {FIX_FORMAT}",
                )
            )
        return text

    def rows(self, strict: bool = False) -> Iterator[tuple[int, list[str]]]:
        """Each row with its last line's number (csv.reader's line_num)."""
        for row in csv.reader(self, strict=strict):
            self.pending = 0
            yield self.line, row


def control_problem(file: str, row: int | None, field: str | None, text: str) -> Problem | None:
    """A control character (NUL and the like) in text that is shown, quoted or printed."""
    found = CONTROL.search(text)
    if found is None:
        return None
    code = ord(found.group())
    return Problem(
        file,
        row,
        field,
        f"holds an invisible control character (code {code}, at character {found.start() + 1}) "
        "that cannot be shown or printed; delete it (it often comes from copying out of a PDF)",
    )


def too_many_rows(name: str, limits: Limits) -> UploadError:
    return UploadError(
        Problem(
            name,
            None,
            None,
            f"the sheet has more than {limits.rows:,} rows; the limit is {limits.rows:,}: "
            f"{FIX_SIZE}",
        )
    )


def check_cells(name: str, number: int, row: tuple[str, ...], limits: Limits) -> None:
    """Refuse a row with too many columns or a cell too long, at the row it happens."""
    if len(row) > limits.columns and any(row[limits.columns :]):
        raise UploadError(
            Problem(
                name,
                number,
                None,
                f"the row has more than {limits.columns} columns; the limit is {limits.columns}: "
                f"{FIX_FORMAT}",
            )
        )
    longest = max(map(len, row), default=0)
    if longest > limits.cell_chars:
        column = next(i for i, cell in enumerate(row) if len(cell) == longest) + 1
        raise UploadError(
            Problem(
                name,
                number,
                None,
                f"the cell in column {column} has {longest:,} characters; the limit is "
                f"{limits.cell_chars:,} (quote the sentence that states the figure, not the "
                "report)",
            )
        )


def read_csv(name: str, content: bytes, limits: Limits = LIMITS) -> Sheet:
    """Rows of a CSV as text; row numbers are file lines (header = line 1), as the build reports.
    Read row by row, stopping at the first row past a limit."""
    start = check_text(name, content)
    found = CONTROL_BYTES.search(content, start)
    if found is not None:
        line = content.count(b"\n", start, found.start()) + 1
        line_start = content.rfind(b"\n", start, found.start()) + 1 or start
        cells = content[line_start : found.start() + 1].decode("utf-8")
        raise UploadError(control_problem(name, line, None, cells))
    if content.count(b"\n", start) > limits.rows + limits.blank_rows:  # perhaps too many:
        count_rows(name, content, limits)  # count first, in C, before any cell is looked at
    feed = RowFeed(name, content, limits)

    def rows() -> Iterator[tuple[int, tuple[str, ...]]]:
        try:
            for number, row in feed.rows(strict=True):
                yield number, tuple(cell.strip() for cell in row)
        except csv.Error as error:
            LOG.info("unreadable CSV %s: %s", name, error)
            raise UploadError(
                Problem(
                    name,
                    feed.line,
                    None,
                    "not a readable CSV (a quote mark is not closed, or a cell is far too long); "
                    f"{FIX_FORMAT}",
                )
            ) from None

    return to_sheet(name, rows(), limits)


def count_rows(name: str, content: bytes, limits: Limits) -> None:
    """Refuse a CSV with more than the row limit of non-blank rows after the header, quickly:
    counted in C, and only as far as the limit."""
    # A non-blank row has a line of its own holding more than line breaks: a file of millions
    # of empty lines has few such lines, and its rows need not be counted one by one.
    lines_with_text = content.translate(LINE_MARKS).count(b"a\n") + 1
    if lines_with_text <= limits.rows + 1:
        return
    non_blank = (row for _, row in RowFeed(name, content, limits).rows() if any(row))
    try:
        past_limit = next(islice(non_blank, limits.rows + 1, None), None)
    except csv.Error:
        return  # the full read says where the file stops being CSV
    if past_limit is not None:
        raise too_many_rows(name, limits)


def to_sheet(
    name: str,
    numbered: Iterable[tuple[int, tuple[str, ...]]],
    limits: Limits = LIMITS,
    required: bool = True,
) -> Sheet | None:
    """Header plus non-blank rows, read as they stream past; a file with no header is empty
    (refused, or None when not required)."""
    header: tuple[str, ...] | None = None
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    blank = 0
    text_chars = 0
    repeated: dict[str, str] = {}
    for number, row in numbered:
        if not any(row):
            blank += 1
            if blank > limits.blank_rows:
                raise UploadError(
                    Problem(
                        name,
                        number,
                        None,
                        f"the sheet has more than {limits.blank_rows:,} blank rows (perhaps "
                        f"formatted but empty); the limit is {limits.blank_rows:,}: delete the "
                        "empty rows below your figures, or copy the figures into the template",
                    )
                )
            continue
        check_cells(name, number, row, limits)
        if header is None:
            header = tuple(row)
            while header and not header[-1]:
                header = header[:-1]
            continue
        if any(row[len(header) :]):
            raise UploadError(
                Problem(
                    name,
                    number,
                    None,
                    f"this row has {len(row)} cells but the header has {len(header)} columns; "
                    "a cell containing a comma must be in double quotes (Excel adds them when "
                    "saving as CSV)",
                )
            )
        if len(rows) >= limits.rows:
            raise too_many_rows(name, limits)
        text_chars += sum(map(len, row))
        if text_chars > limits.sheet_chars:
            raise UploadError(
                Problem(
                    name,
                    number,
                    None,
                    f"the sheet holds more than {limits.sheet_chars:,} characters of text by this "
                    f"row; the limit is {limits.sheet_chars:,}: {FIX_SIZE}",
                )
            )
        rows.append(shared(row[: len(header)] + ("",) * (len(header) - len(row)), repeated))
        numbers.append(number)
    if header is None:
        if not required:
            return None
        raise UploadError(
            Problem(name, None, None, f"the file is empty; {FIX_FORMAT} with at least one row")
        )
    return Sheet(header, tuple(rows), tuple(numbers), text_chars)


def shared(row: tuple[str, ...], repeated: dict[str, str]) -> tuple[str, ...]:
    """The row with each short cell seen before replaced by its first copy: a table repeats its
    codes, years and names on every row, and one string each saves most of a read's memory.
    At most SHARED_TEXTS distinct texts are kept, so a file of unique cells costs no more."""
    if len(repeated) < SHARED_TEXTS:
        return tuple(
            repeated.setdefault(cell, cell) if len(cell) <= SHARED_CHARS else cell for cell in row
        )
    return tuple(repeated.get(cell, cell) for cell in row)


def cell_text(value: object) -> str:
    """An Excel cell as the text a person typed: 3.0 -> "3", empty -> ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_archive(name: str, content: bytes, limits: Limits) -> None:
    """An .xlsx's zip directory, read before anything is unpacked: its members' uncompressed
    sizes together, and how far each shrank. zipfile never unpacks more than a member's declared
    size (a member that lies fails its checksum), so the directory can be trusted here."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
    if len(members) > limits.members:
        raise UploadError(
            Problem(
                name,
                None,
                None,
                f"the Excel file holds {len(members):,} parts; the limit is {limits.members:,}: "
                f"{FIX_FORMAT}",
            )
        )
    unzipped = sum(member.file_size for member in members)
    if unzipped > limits.unzipped_bytes:
        raise UploadError(
            Problem(
                name,
                None,
                None,
                f"the Excel file unpacks to {megabytes(unzipped)}; the limit is "
                f"{megabytes(limits.unzipped_bytes)} (it may hold formatting for a million empty "
                f"rows): {FIX_SIZE}, or copy them into the template",
            )
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_checked_from and ratio > limits.ratio:
            raise UploadError(
                Problem(
                    name,
                    None,
                    None,
                    f"the Excel file's part {member.filename} unpacks to {ratio:,.0f} times its "
                    f"size; the limit is {limits.ratio} times (a file of real figures shrinks "
                    f"far less): {FIX_SIZE}, or copy them into the template",
                )
            )


def damaged(name: str, error: BaseException) -> UploadError:
    LOG.info("unreadable workbook %s", name, exc_info=error)
    return UploadError(
        Problem(name, None, None, f"a damaged Excel file (it cannot be opened); {FIX_FORMAT}")
    )


def sheet_rows(name: str, sheet, limits: Limits) -> Iterator[tuple[int, tuple[str, ...]]]:
    """A sheet's rows as (Excel row number, text cells), streamed: the sheet's declared size is
    not trusted, so only rows really in the file are read."""
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        if len(values) > limits.used_columns:
            raise UploadError(
                Problem(
                    name,
                    number,
                    None,
                    f"the row uses more than {limits.used_columns:,} columns (some perhaps only "
                    f"for formatting); the limit is {limits.columns} columns of values: delete "
                    "the unused columns to the right",
                )
            )
        row = tuple(cell_text(value) for value in values)
        while row and not row[-1]:
            row = row[:-1]
        for column, cell in enumerate(row, start=1):
            problem = control_problem(name, number, None, cell) if cell else None
            if problem is not None:
                raise UploadError(
                    Problem(name, number, None, f"the cell in column {column} {problem.reason}")
                )
        yield number, row


def read_workbook(name: str, content: bytes, limits: Limits = LIMITS) -> Upload:
    """The figures sheet (or the first sheet) and an optional documents sheet, cells as text;
    other sheets (the template's lists and help) are not read."""
    try:
        check_archive(name, content, limits)
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except UploadError:
        raise
    except Exception as error:  # openpyxl raises many types for damaged files
        raise damaged(name, error) from None
    try:
        titles = {sheet.title.strip().lower(): sheet for sheet in book.worksheets}
        if len(titles) > limits.sheets:
            raise UploadError(
                Problem(
                    name,
                    None,
                    None,
                    f"the workbook has {len(titles)} sheets; the limit is {limits.sheets}: "
                    f"{FIX_FORMAT}",
                )
            )
        if not titles:
            raise UploadError(
                Problem(name, None, None, f"the workbook has no sheets; {FIX_FORMAT}")
            )
        figures_key = FIGURES_SHEET if FIGURES_SHEET in titles else next(iter(titles))
        figures_name = f"{name} (sheet {figures_key})"
        rows = sheet_rows(figures_name, titles[figures_key], limits)
        figures = to_sheet(figures_name, rows, limits)
        documents = None
        if DOCUMENTS_SHEET in titles and figures_key != DOCUMENTS_SHEET:
            documents_name = f"{name} (sheet {DOCUMENTS_SHEET})"
            rows = sheet_rows(documents_name, titles[DOCUMENTS_SHEET], limits)
            documents = to_sheet(documents_name, rows, limits, required=False)
            if documents is not None and not documents.rows:
                documents = None
    except UploadError:
        raise
    except Exception as error:  # a damaged sheet fails only when it is read
        raise damaged(name, error) from None
    finally:
        book.close()
    return Upload(name, "workbook", figures, documents)


# The staged build runs in a temporary copy of data/ (update/common.staged_build); a problem
# it finds names a file there, which means nothing to the person who uploaded.
STAGING_PATH = re.compile(r"(?:[A-Za-z]:)?[^\s'\"]*dashboard-update-[^\\/\s'\"]+[\\/]")


def plain(problem: Problem) -> Problem:
    """A problem with temporary paths said as the data/ paths they stand for."""
    return Problem(
        STAGING_PATH.sub("data/", problem.file),
        problem.row,
        problem.field,
        STAGING_PATH.sub("data/", problem.reason),
    )

"""Uploaded bytes -> rows of text, refusing what is too big, empty, not UTF-8 or not CSV/Excel.

Nothing here executes or interprets the content: cells stay strings, formulas are read as
their cached values (openpyxl data_only), and the format is judged by the bytes, not the name.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook

from dashboard.build.validation import Problem

MAX_BYTES = 50 * 1024 * 1024
FIGURES_SHEET = "figures"
DOCUMENTS_SHEET = "documents"
BOM = b"\xef\xbb\xbf"
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

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.header, row, strict=False)) for row in self.rows]


@dataclass(frozen=True)
class Upload:
    """An uploaded file's tables: figures (or a DfE table), and new documents from Excel."""

    name: str
    kind: str  # "workbook" or "csv"
    figures: Sheet
    documents: Sheet | None = None


def read_upload(name: str, content: bytes) -> Upload:
    """Check size and format by content, then read the file's tables as text."""
    if len(content) > MAX_BYTES:
        raise UploadError(
            Problem(
                name,
                None,
                None,
                f"the file is {len(content) / 1024 / 1024:.0f} MB; the limit is 50 MB. "
                "Upload only the new rows (for DfE files, the published CSV of one table).",
            )
        )
    if not content.strip():
        raise UploadError(
            Problem(name, None, None, f"the file is empty; {FIX_FORMAT} with at least one row")
        )
    if is_workbook(content):
        return read_workbook(name, content)
    for magic, what in KNOWN_BINARIES.items():
        if content.startswith(magic):
            raise UploadError(
                Problem(name, None, None, f"this is {what}, not a CSV or Excel file; {FIX_FORMAT}")
            )
    text = decode_text(name, content)
    return Upload(name, "csv", read_csv_text(name, text))


def is_workbook(content: bytes) -> bool:
    """An .xlsx is a zip holding xl/workbook.xml; the extension is not trusted."""
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def decode_text(name: str, content: bytes) -> str:
    """UTF-8, with or without Excel's byte-order mark; anything else is refused, not guessed."""
    if b"\x00" in content:
        raise UploadError(
            Problem(name, None, None, f"this is not a text file (it holds NUL bytes); {FIX_FORMAT}")
        )
    try:
        return content.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise UploadError(
            Problem(
                name,
                line,
                None,
                f"wrong encoding: byte 0x{content[error.start]:02x} is not UTF-8 text; "
                f"{FIX_ENCODING}",
            )
        ) from None


def read_csv_text(name: str, text: str) -> Sheet:
    """Rows of a CSV as text; row numbers are file lines (header = line 1), as the build reports."""
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows, numbers = [], []
        for row in reader:
            rows.append(tuple(cell.strip() for cell in row))
            numbers.append(reader.line_num)
    except csv.Error as error:
        raise UploadError(
            Problem(name, reader.line_num, None, f"not a readable CSV ({error}); {FIX_FORMAT}")
        ) from None
    return to_sheet(name, rows, numbers)


def to_sheet(name: str, rows: list[tuple[str, ...]], numbers: list[int]) -> Sheet:
    """Header plus non-blank rows; a file with no header is empty."""
    while rows and not any(rows[0]):
        rows, numbers = rows[1:], numbers[1:]
    if not rows:
        raise UploadError(
            Problem(name, None, None, f"the file is empty; {FIX_FORMAT} with at least one row")
        )
    header = tuple(cell.strip() for cell in rows[0])
    while header and not header[-1]:
        header = header[:-1]
    body = [(row, number) for row, number in zip(rows[1:], numbers[1:], strict=True) if any(row)]
    for row, number in body:
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
    body = [(row[: len(header)], number) for row, number in body]
    return Sheet(
        header,
        tuple(row + ("",) * (len(header) - len(row)) for row, _ in body),
        tuple(number for _, number in body),
    )


def cell_text(value: object) -> str:
    """An Excel cell as the text a person typed: 3.0 -> "3", empty -> ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(name: str, content: bytes) -> Upload:
    """The figures sheet (or the first sheet) and an optional documents sheet, cells as text."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise UploadError(
            Problem(
                name, None, None, f"a damaged Excel file ({type(error).__name__}); {FIX_FORMAT}"
            )
        ) from None
    try:
        sheets = {}
        for sheet in book.worksheets:
            rows = [tuple(cell_text(v) for v in row) for row in sheet.iter_rows(values_only=True)]
            numbers = list(range(1, len(rows) + 1))
            sheets[sheet.title.strip().lower()] = (rows, numbers)
    finally:
        book.close()
    if not sheets:
        raise UploadError(Problem(name, None, None, f"the workbook has no sheets; {FIX_FORMAT}"))
    figures_key = FIGURES_SHEET if FIGURES_SHEET in sheets else next(iter(sheets))
    figures = to_sheet(f"{name} (sheet {figures_key})", *sheets[figures_key])
    documents = None
    if DOCUMENTS_SHEET in sheets and any(any(row) for row in sheets[DOCUMENTS_SHEET][0][1:]):
        documents = to_sheet(f"{name} (sheet {DOCUMENTS_SHEET})", *sheets[DOCUMENTS_SHEET])
    return Upload(name, "workbook", figures, documents)

"""Text made safe to open in a spreadsheet: the one formula-injection rule every export uses.

A CSV or workbook cell whose text starts with = + - @, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets (OWASP "CSV Injection"), so quoted document text
or an uploaded note could run code on a board member's machine. OWASP's rule: prefix such text
with a single quote, which spreadsheets show as text. Numbers are left alone: only text is
touched, and text that is just a number ("-3", "+1.5") cannot carry a formula.
"""

import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
LINE_BREAK = re.compile(r"([\n\v])")  # python-pptx starts a new line at either


def formula_safe_text(text: str) -> str:
    """`text`, with a leading single quote if a spreadsheet would read it as a formula."""
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def formula_safe(value: object) -> object:
    """A cell for any export: text made formula-safe; numbers, dates and blanks unchanged."""
    return formula_safe_text(value) if isinstance(value, str) else value


def formula_safe_lines(text: str) -> str:
    """Each line of a multi-line text made formula-safe (slide text, speaker notes, PDF)."""
    return "".join(formula_safe_text(part) for part in LINE_BREAK.split(text))


def formula_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell and column name formula-safe; numeric columns
    keep their dtype (a negative number stays a number)."""
    safe = frame.rename(columns=formula_safe)
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if not (
            pd.api.types.is_numeric_dtype(column.dtype)
            or pd.api.types.is_datetime64_any_dtype(column.dtype)
        ):
            safe.isetitem(position, column.map(formula_safe))
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`frame` as a formula-safe UTF-8 CSV without the index: every CSV download goes here.

    Lines end in CRLF (RFC 4180) because the csv module then quotes any cell holding a CR: with
    "\n" endings a lone CR is written bare, and Excel starts a new row, and so a new cell that
    could be a formula, in the middle of a text.
    """
    return formula_safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8")

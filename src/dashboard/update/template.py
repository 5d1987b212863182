"""The Excel template for new figures: columns, allowed values from the catalogue, an example.

The example row copies a real figure (Rutland's CSE referrals 2015/16, with its quote) so it is
true, but its figure_id starts with "example" and the upload refuses it if left in.
"""

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard.build.report import read_catalogue, read_text_csv
from dashboard.build.validation import FIGURE_COLUMNS
from dashboard.cells import csv_bytes, formula_safe
from dashboard.schema import PERIOD_TYPES
from dashboard.statuses import REPORT_STATUSES
from dashboard.units import UNITS
from dashboard.update.common import LIVE_DATA, DataDirs
from dashboard.update.figures import DOCUMENT_COLUMNS

EXAMPLE_FIGURE = "ar1516-cse-table-rut-2015-16"
# Template columns offered as drop-down lists from the 'allowed values' sheet.
DROPDOWNS = ("indicator_id", "area", "period_type", "unit", "status", "document")
TEMPLATE_ROWS = 500
EXAMPLE_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FONT = Font(bold=True)
HOW_TO = (
    "How to add figures",
    "1. One row per figure on the 'figures' sheet. Delete the yellow EXAMPLE row (or type over "
    "it and clear its figure_id).",
    "2. indicator_id, area, unit, status and period_type: copy a value from 'allowed values'.",
    "3. period: financial years as 2025/26, quarters as 2025/26 Q1; year_end is the year the "
    "period ends (2026 for 2025/26).",
    "4. document: the report's text file name as listed on 'allowed values'. quote: the sentence "
    "that states the figure, copied word for word from that file.",
    "5. A new report: add a row on the 'documents' sheet and upload its plain-text (.txt) file "
    "with this workbook.",
    "6. Correcting a figure already in the dashboard: start the note with 'Revision:' and say why.",
    "7. figure_id and unit may be left blank: they are filled in for you.",
    "8. Upload the workbook on the Data update page (or: python -m dashboard.update FILE).",
)


def example_row(dirs: DataDirs) -> list[str]:
    """A real figure, relabelled so it cannot be uploaded by mistake."""
    for path in sorted(dirs.figures.glob("*.csv")):
        figures = read_text_csv(path)
        found = figures[figures["figure_id"] == EXAMPLE_FIGURE]
        if not found.empty:
            row = found.iloc[0].to_dict()
            row["figure_id"] = "example-delete-this-row"
            row["note"] = "EXAMPLE: a real figure already in the dashboard; delete this row."
            return [row[column] for column in FIGURE_COLUMNS]
    return ["example-delete-this-row", *[""] * (len(FIGURE_COLUMNS) - 1)]


def allowed_values(dirs: DataDirs) -> pd.DataFrame:
    """Each list the template's columns draw from, side by side."""
    catalogue = read_catalogue(dirs.sources / "indicators.csv")
    catalogue = catalogue[catalogue["source_family"] == "partnership_report"]
    areas = read_text_csv(dirs.sources / "areas.csv")
    documents = read_text_csv(dirs.sources / "documents.csv")
    columns = {
        "indicator_id": catalogue["indicator_id"].tolist(),
        "indicator name": catalogue["name"].tolist(),
        "indicator unit": catalogue["unit"].tolist(),
        "area": areas["area"].tolist(),
        "area name": areas["name"].tolist(),
        "unit": list(UNITS),
        "status": list(REPORT_STATUSES),
        "period_type": list(PERIOD_TYPES),
        "document": documents["document"].tolist(),
        "document title": documents["title"].tolist(),
    }
    length = max(len(values) for values in columns.values())
    return pd.DataFrame({k: v + [""] * (length - len(v)) for k, v in columns.items()})


def write_sheet(sheet, header: list[str], rows: list[list[str]], width: int = 22) -> None:
    """Header and rows; text that Excel would run as a formula (openpyxl stores any string
    starting with "=" as one) is neutralised, as in every export."""
    sheet.append([formula_safe(value) for value in header])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    for row in rows:
        sheet.append([formula_safe(value) for value in row])
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = width
    sheet.freeze_panes = "A2"


def add_dropdowns(figures, allowed: pd.DataFrame) -> None:
    """Drop-down lists on the figures sheet, so ids are picked rather than typed."""
    for column in DROPDOWNS:
        source = get_column_letter(list(allowed.columns).index(column) + 1)
        length = int(allowed[column].ne("").sum()) + 1
        validation = DataValidation(
            type="list",
            formula1=f"='allowed values'!${source}$2:${source}${length}",
            allow_blank=True,
            showErrorMessage=False,
        )
        target = get_column_letter(FIGURE_COLUMNS.index(column) + 1)
        validation.add(f"{target}2:{target}{TEMPLATE_ROWS}")
        figures.add_data_validation(validation)


def build_template(dirs: DataDirs = LIVE_DATA) -> bytes:
    """The workbook as bytes, for a download button or `--template`."""
    book = Workbook()
    figures = book.active
    figures.title = "figures"
    write_sheet(figures, list(FIGURE_COLUMNS), [example_row(dirs)])
    for cell in figures[2]:
        cell.fill = EXAMPLE_FILL
    figures.column_dimensions["L"].width = 60
    write_sheet(book.create_sheet("documents"), list(DOCUMENT_COLUMNS), [], width=30)
    allowed = allowed_values(dirs)
    write_sheet(book.create_sheet("allowed values"), list(allowed.columns), allowed.values.tolist())
    add_dropdowns(figures, allowed)
    how_to = book.create_sheet("how to")
    for line in HOW_TO:
        how_to.append([formula_safe(line)])
    how_to["A1"].font = HEADER_FONT
    how_to.column_dimensions["A"].width = 110
    for row in how_to.iter_rows():
        row[0].alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_csv_template(dirs: DataDirs = LIVE_DATA) -> bytes:
    """The figures columns and the example row as CSV (UTF-8), for those without Excel."""
    return csv_bytes(pd.DataFrame([example_row(dirs)], columns=list(FIGURE_COLUMNS)))

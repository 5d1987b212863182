"""Every export neutralises text a spreadsheet would run as a formula (OWASP CSV injection).

A made-up FIXTURE frame of formula-like text goes through each export: the CSV downloads, the
Excel and CSV templates, the PowerPoint and PDF briefing packs; each file is opened again and
checked.
"""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from dashboard import components
from dashboard.briefing import Pack, PackSlide
from dashboard.briefing_files import _PackPdf, build_pdf, build_pptx
from dashboard.build.validation import FIGURE_COLUMNS
from dashboard.cells import (
    FORMULA_STARTS,
    csv_bytes,
    formula_safe,
    formula_safe_frame,
    formula_safe_lines,
)
from dashboard.update import template
from dashboard.update.common import LIVE_DATA

# TEST FIXTURE payloads: each starts with a character a spreadsheet reads as a formula.
PAYLOADS = (
    '=HYPERLINK("http://fixture.invalid","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
)


def fixture_frame() -> pd.DataFrame:
    """A TEST FIXTURE table: formula-like text beside numbers that must stay numbers."""
    return pd.DataFrame(
        {
            "Area": ["Fixture area"] * len(PAYLOADS),
            "Note": list(PAYLOADS),
            "Value": [-3.5, -1.0, 0.0, 2.0, 4.5, -7.0],
            "Text number": ["-3", "+1.5", "2", "-0.5", "1e3", "-4"],
        }
    )


def assert_no_formula(text: str) -> None:
    assert not text.startswith(FORMULA_STARTS), repr(text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_starting_a_formula_gets_a_quote(payload):
    assert formula_safe(payload) == "'" + payload


@pytest.mark.parametrize("value", [-3.5, 7, None, "Leicestershire", "-3", "+1.5", "", "a=b"])
def test_numbers_blanks_and_other_text_are_unchanged(value):
    assert formula_safe(value) == value


def test_every_line_of_a_text_is_checked():
    assert formula_safe_lines("first\n=1+1\v@x") == "first\n'=1+1\v'@x"


def test_frame_keeps_number_columns_and_neutralises_text_and_names():
    frame = fixture_frame().rename(columns={"Area": "=Area"})
    safe = formula_safe_frame(frame)
    assert list(safe.columns) == ["'=Area", "Note", "Value", "Text number"]
    assert safe["Value"].tolist() == frame["Value"].tolist()
    assert pd.api.types.is_float_dtype(safe["Value"])
    assert safe["Note"].tolist() == ["'" + payload for payload in PAYLOADS]
    assert frame["Note"].tolist() == list(PAYLOADS)  # the page's own table is not changed


def read_csv(content: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(content), keep_default_na=False, dtype=str)


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_csv_is_safe(content: bytes) -> pd.DataFrame:
    """Every cell read back as text: a formula character starts only a plain number."""
    table = read_csv(content)
    for text in [*table.columns, *table.to_numpy().ravel()]:
        if not is_number(text):
            assert_no_formula(text)
    return table


def test_csv_bytes_is_safe_and_keeps_negative_numbers():
    table = assert_csv_is_safe(csv_bytes(fixture_frame()))
    assert table["Note"].tolist() == ["'" + payload for payload in PAYLOADS]
    assert pd.read_csv(io.BytesIO(csv_bytes(fixture_frame())))["Value"].min() == -7.0


def test_a_carriage_return_inside_a_text_does_not_start_a_new_cell():
    frame = pd.DataFrame({"Note": ["fixture note\r=1+1", "fixture\n@line"], "Value": [1, 2]})
    table = assert_csv_is_safe(csv_bytes(frame))
    assert table["Note"].tolist() == frame["Note"].tolist()


def test_csv_download_button_serves_the_safe_csv(monkeypatch):
    served = {}
    monkeypatch.setattr(
        components.st, "download_button", lambda label, **kwargs: served.update(kwargs)
    )
    components.csv_download(fixture_frame(), "Table (CSV)", file_name="t.csv", key="t")
    assert_csv_is_safe(served["data"]())


@pytest.fixture
def formula_template(monkeypatch):
    """The template with a TEST FIXTURE example row and allowed values full of formulas."""
    row = [PAYLOADS[number % len(PAYLOADS)] for number in range(len(FIGURE_COLUMNS))]
    allowed = template.allowed_values(LIVE_DATA)
    allowed.iloc[0] = [PAYLOADS[n % len(PAYLOADS)] for n in range(allowed.shape[1])]
    monkeypatch.setattr(template, "example_row", lambda dirs: row)
    monkeypatch.setattr(template, "allowed_values", lambda dirs: allowed)
    return row


def test_xlsx_template_has_no_formula_cells(formula_template):
    book = load_workbook(io.BytesIO(template.build_template(LIVE_DATA)))
    checked = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert_no_formula(cell.value)
                    checked += cell.value.startswith("'")
    figures = book["figures"]
    assert [cell.value for cell in figures[2]] == ["'" + text for text in formula_template]
    assert checked > len(FIGURE_COLUMNS)


def test_csv_template_is_safe(formula_template):
    table = assert_csv_is_safe(template.build_csv_template(LIVE_DATA))
    assert table.iloc[0].tolist() == ["'" + text for text in formula_template]


def fixture_pack() -> Pack:
    """A TEST FIXTURE pack whose every text starts like a formula."""
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(image, format="PNG")
    slide = PackSlide(
        title=PAYLOADS[0],
        image_png=image.getvalue(),
        headlines=PAYLOADS[1:3],
        measure_note=PAYLOADS[3],
        footnote=PAYLOADS[4],
        sources=(PAYLOADS[5],),
        commentary=("=fixture commentary",),
    )
    return Pack(
        title="=Fixture pack",
        subtitle="+fixture subtitle",
        built_on="-1 January 2000",
        slides=(slide,),
        missing=("@fixture missing",),
        summary_title="=Fixture summary",
        summary=("-fixture line", "@fixture line"),
    )


def test_pptx_text_never_starts_a_formula():
    deck = Presentation(io.BytesIO(build_pptx(fixture_pack())))
    texts = []
    for slide in deck.slides:
        frames = [shape.text_frame for shape in slide.shapes if shape.has_text_frame]
        frames.append(slide.notes_slide.notes_text_frame)
        for frame in frames:
            texts += [line for paragraph in frame.paragraphs for line in paragraph.text.split("\v")]
    assert "'=Fixture pack" in texts and "'" + PAYLOADS[0] in texts
    for text in texts:
        assert_no_formula(text)


def test_pdf_text_goes_through_the_same_rule(monkeypatch):
    written = []
    original = _PackPdf.multi_cell

    def record(self, width, height, text, *args, **kwargs):
        written.append(text)
        return original(self, width, height, text, *args, **kwargs)

    monkeypatch.setattr(_PackPdf, "multi_cell", record)
    assert build_pdf(fixture_pack()).startswith(b"%PDF-")
    assert "'=Fixture pack" in written
    for text in written:
        for line in text.split("\n"):
            assert_no_formula(line)

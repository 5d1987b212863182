"""The briefing pack as files: one PowerPoint deck and a PDF of the same pages, as bytes.

Kept apart from the pack's content because python-pptx and fpdf2 hold some 70 MB of server
memory once imported: export_widgets imports this module when a pack is first made. Every text
goes through cells.formula_safe_lines, as in every export: text copied from a slide or the PDF
into a spreadsheet must not run as a formula.
"""

import io
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from dashboard.briefing import Pack
from dashboard.cells import formula_safe_lines

SLIDE_WIDTH = Emu(12192000)  # 13.333 in: exactly 16:9 with 7.5 in
SLIDE_HEIGHT = Inches(7.5)
BLANK_LAYOUT = 6
TITLE_LAYOUT = 0
PDF_MARGIN = 14  # mm; A4 landscape is 297 x 210
PDF_IMAGE_WIDTH = 175
PDF_IMAGE_MAX_HEIGHT = 150
# A Unicode font for the PDF when the system has one (names and quotes are not all Latin-1).
PDF_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)


def _add_text(slide, left, top, width, height, lines: Sequence[str], size: int, *, bold=False):
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for number, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.text = formula_safe_lines(line)
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold
        paragraph.space_after = Pt(size * 0.6)
    return frame


def widescreen(deck) -> None:
    """16:9 slides with every master and layout placeholder stretched to the new width, so a
    title placeholder stays centred (python-pptx's template is laid out for 4:3)."""
    ratio = SLIDE_WIDTH / deck.slide_width
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    # Layouts first: a layout placeholder without its own position reads the master's, which
    # must not have been stretched already.
    for part in [*deck.slide_layouts, deck.slide_master]:
        for shape in part.placeholders:
            shape.left, shape.width = int(shape.left * ratio), int(shape.width * ratio)


def build_pptx(pack: Pack) -> bytes:
    """Title slide, the summary of what changed since the last meeting, one slide per indicator
    (chart, headline sentences, source footnote and the same in the speaker notes), then a
    sources slide."""
    deck = Presentation()
    widescreen(deck)
    cover = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    cover.shapes.title.text = formula_safe_lines(pack.title)
    cover.placeholders[1].text = formula_safe_lines(pack.subtitle)
    cover.notes_slide.notes_text_frame.text = (
        f"{len(pack.slides)} indicators. Every figure is from a published partnership document "
        "or an official release, named on each slide."
    )
    margin = Inches(0.4)
    if pack.summary:
        summary = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
        _add_text(
            summary,
            margin,
            Inches(0.2),
            Inches(12.5),
            Inches(0.8),
            [pack.summary_title],
            24,
            bold=True,
        )
        _add_text(summary, margin, Inches(1.1), Inches(12.5), Inches(6.1), pack.summary, 15)
        summary.notes_slide.notes_text_frame.text = formula_safe_lines("\n".join(pack.summary))
    for item in pack.slides:
        slide = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
        _add_text(
            slide, margin, Inches(0.2), Inches(12.5), Inches(0.8), [item.title], 20, bold=True
        )
        picture = slide.shapes.add_picture(
            io.BytesIO(item.image_png), margin, Inches(1.2), height=Inches(5.2)
        )
        text_left = picture.left + picture.width + Inches(0.3)
        text_width = SLIDE_WIDTH - text_left - margin
        words = _add_text(
            slide, text_left, Inches(1.3), text_width, Inches(5.0), item.headlines, 16
        )
        note = words.add_paragraph()
        note.text = formula_safe_lines(item.measure_note)
        note.font.size = Pt(11)
        _add_text(slide, margin, Inches(6.5), Inches(12.5), Inches(0.9), [item.footnote], 8)
        slide.notes_slide.notes_text_frame.text = formula_safe_lines(item.notes)
    sources = deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])
    _add_text(sources, margin, Inches(0.2), Inches(12.5), Inches(0.8), ["Sources"], 26, bold=True)
    lines = pack.sources_page
    size = 14 if len(lines) <= 12 else 10
    _add_text(sources, margin, Inches(1.0), Inches(12.5), Inches(6.2), lines, size)
    sources.notes_slide.notes_text_frame.text = formula_safe_lines("\n".join(lines))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """Pixel width and height from a PNG's header, to keep the chart's proportions on paper."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


class _PackPdf(FPDF):
    """A4 landscape pages with a Unicode font when one is installed, else Helvetica."""

    def __init__(self) -> None:
        super().__init__(orientation="landscape", format="A4")
        self.set_auto_page_break(auto=True, margin=12)
        self.set_margins(PDF_MARGIN, 12, PDF_MARGIN)
        font = next((path for path in PDF_FONTS if path.exists()), None)
        self.unicode = font is not None
        if font is not None:
            self.add_font("Body", "", str(font))
            self.family_name = "Body"
        else:
            self.family_name = "Helvetica"

    def text_block(self, text: str, size: float, *, height: float | None = None) -> None:
        self.set_font(self.family_name, size=size)
        text = formula_safe_lines(text)
        if not self.unicode:
            text = text.encode("latin-1", "replace").decode("latin-1")
        self.multi_cell(0, height or size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")


def build_pdf(pack: Pack) -> bytes:
    """The same pack for reading on paper: cover, a page per indicator, sources."""
    pdf = _PackPdf()
    pdf.add_page()
    pdf.ln(50)
    pdf.text_block(pack.title, 28, height=14)
    pdf.ln(4)
    pdf.text_block(pack.subtitle, 14)
    if pack.summary:
        pdf.add_page()
        pdf.text_block(pack.summary_title, 18, height=9)
        pdf.ln(2)
        for line in pack.summary:
            pdf.text_block(line, 11)
            pdf.ln(1)
    for item in pack.slides:
        pdf.add_page()
        pdf.text_block(item.title, 18, height=9)
        pdf.ln(2)
        top = pdf.get_y()
        width, height = png_size(item.image_png)
        image_height = min(PDF_IMAGE_WIDTH * height / width, PDF_IMAGE_MAX_HEIGHT)
        image_width = image_height * width / height
        pdf.image(io.BytesIO(item.image_png), x=pdf.l_margin, y=top, w=image_width)
        pdf.set_left_margin(PDF_MARGIN + image_width + 8)
        pdf.set_xy(pdf.l_margin, top)
        for line in [*item.headlines, item.measure_note]:
            pdf.text_block(line, 11)
            pdf.ln(2)
        pdf.set_left_margin(PDF_MARGIN)
        pdf.set_xy(PDF_MARGIN, max(pdf.get_y(), top + image_height) + 4)
        pdf.text_block(item.footnote, 8)
    pdf.add_page()
    pdf.text_block("Sources", 18, height=9)
    pdf.ln(2)
    for line in pack.sources_page:
        pdf.text_block(line, 10)
    return bytes(pdf.output())

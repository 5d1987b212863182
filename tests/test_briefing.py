"""The briefing pack opens with python-pptx: title, one slide per indicator, sources; notes
carry the source. Made-up FIXTURE frames from conftest.py."""

import io
import re

from pptx import Presentation

from dashboard.briefing import build_pack
from dashboard.briefing_files import build_pdf, build_pptx

BUILT = "1 January 2000"
CHOSEN = ["fixture_rate", "fixture_count", "fixture_official_count"]


def fixture_pack(observations, catalogue, area_names):
    return build_pack(observations, [catalogue[i] for i in CHOSEN], area_names, BUILT)


def slide_text(slide) -> str:
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_pptx_has_title_indicator_and_sources_slides_with_notes(
    observations, catalogue, area_names
):
    deck = Presentation(io.BytesIO(build_pptx(fixture_pack(observations, catalogue, area_names))))
    slides = list(deck.slides)
    assert len(slides) == 1 + len(CHOSEN) + 1
    assert "briefing pack" in slide_text(slides[0])
    assert f"Data built {BUILT}" in slide_text(slides[0])
    for slide, indicator_id in zip(slides[1:-1], CHOSEN, strict=True):
        text = slide_text(slide)
        assert catalogue[indicator_id].name in text
        assert "Source:" in text and f"Data built {BUILT}" in text
        assert any(shape.shape_type == 13 for shape in slide.shapes)  # the chart picture
        notes = slide.notes_slide.notes_text_frame.text
        assert "Source:" in notes and f"Data built {BUILT}" in notes
        assert "(measure:" in notes
    assert "Sources" in slide_text(slides[-1])
    assert "Fixture release" in slide_text(slides[-1])


def test_indicator_without_figures_is_listed_not_dropped(observations, catalogue, area_names):
    empty = observations[observations["indicator_id"] != "fixture_count"]
    pack = build_pack(empty, [catalogue[i] for i in CHOSEN], area_names, BUILT)
    assert len(pack.slides) == 2
    assert pack.missing == (catalogue["fixture_count"].label,)
    deck = Presentation(io.BytesIO(build_pptx(pack)))
    assert catalogue["fixture_count"].label in slide_text(list(deck.slides)[-1])


def test_pdf_has_the_same_pages(observations, catalogue, area_names):
    pdf = build_pdf(fixture_pack(observations, catalogue, area_names))
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1 + len(CHOSEN) + 1

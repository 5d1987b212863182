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


SUMMARY = ("Of 2 figures (indicator and area): TEST FIXTURE counts.", "TEST FIXTURE line.")


def summary_pack(observations, catalogue, area_names):
    return build_pack(
        observations,
        [catalogue[i] for i in CHOSEN],
        area_names,
        BUILT,
        summary_title="What changed since 1 January 2000",
        summary=SUMMARY,
    )


def test_pptx_is_16_9_with_titles_centred_and_the_summary_as_slide_2(
    observations, catalogue, area_names
):
    pack = summary_pack(observations, catalogue, area_names)
    deck = Presentation(io.BytesIO(build_pptx(pack)))
    assert deck.slide_width * 9 == deck.slide_height * 16
    slides = list(deck.slides)
    assert len(slides) == pack.slide_count == 1 + 1 + len(CHOSEN) + 1
    for part in [deck.slide_master, *deck.slide_layouts, *slides]:
        for shape in part.placeholders:
            assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width
    title = slides[0].shapes.title
    assert abs(title.left + title.width / 2 - deck.slide_width / 2) < deck.slide_width * 0.01
    summary = slide_text(slides[1])
    assert "What changed since 1 January 2000" in summary
    assert all(line in summary for line in SUMMARY)
    assert slides[1].notes_slide.notes_text_frame.text == "\n".join(SUMMARY)


def test_no_text_in_the_pack_refers_to_a_table_it_does_not_hold(
    observations, catalogue, area_names
):
    deck = Presentation(io.BytesIO(build_pptx(summary_pack(observations, catalogue, area_names))))
    for slide in deck.slides:
        if any(shape.has_table for shape in slide.shapes):
            continue
        words = slide_text(slide) + " " + slide.notes_slide.notes_text_frame.text
        assert not re.search(r"\btables?\b", words, re.IGNORECASE), words

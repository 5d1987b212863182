"""The briefing pack's content: a title, and per indicator the chart, headlines and sources.

Pure functions (content in, content out) so tests check it without Streamlit; the files are
written by briefing_files.py, the page only collects the choice of indicators and offers the
downloads.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.catalogue import Indicator
from dashboard.exports import APP_NAME, IndicatorExport, indicator_export, render_png


@dataclass(frozen=True)
class PackSlide:
    """One indicator's slide: what it is, the chart, what happened, and where it comes from."""

    title: str
    image_png: bytes
    headlines: tuple[str, ...]
    measure_note: str
    footnote: str
    sources: tuple[str, ...]
    commentary: tuple[str, ...] = ()  # the documents' own explanations of these figures

    @property
    def notes(self) -> str:
        """Speaker notes: the sentences to say, what the documents say about the figures, then
        the measure and the full source footnote."""
        said = [f"The documents say: {line}" for line in self.commentary]
        return "\n".join([*self.headlines, *said, self.measure_note, self.footnote])


@dataclass(frozen=True)
class Pack:
    title: str
    subtitle: str
    built_on: str
    slides: tuple[PackSlide, ...]
    missing: tuple[str, ...] = ()  # indicators chosen that have no figures to show
    # The first content slide: what changed since the board last met (since.slide_lines).
    summary_title: str = ""
    summary: tuple[str, ...] = ()

    @property
    def slide_count(self) -> int:
        """Slides in the deck: cover, the summary if any, one per indicator, sources."""
        return 1 + bool(self.summary) + len(self.slides) + 1

    @property
    def sources(self) -> list[str]:
        return sorted({source for slide in self.slides for source in slide.sources})

    @property
    def sources_page(self) -> list[str]:
        """The closing page's lines, the same in the deck and the PDF: every source, the build,
        and any indicator chosen that had nothing to show."""
        lines = [*self.sources, f"Data built {self.built_on}. {APP_NAME}."]
        if self.missing:
            lines.append("Chosen but without figures to show: " + "; ".join(self.missing) + ".")
        return lines


def pack_slide(export: IndicatorExport) -> PackSlide:
    return PackSlide(
        title=export.indicator.label,
        image_png=render_png(export.spec()),
        headlines=export.headlines,
        measure_note=export.measure_note,
        footnote=export.provenance.footnote(),
        sources=export.provenance.sources,
        commentary=export.commentary,
    )


def build_pack(
    observations: pd.DataFrame,
    indicators: Iterable[Indicator],
    area_names: Mapping[str, str],
    built_on: str,
    *,
    title: str = "Safeguarding indicators: briefing pack",
    commentary: pd.DataFrame | None = None,
    summary_title: str = "",
    summary: tuple[str, ...] = (),
) -> Pack:
    """Every chosen indicator as a slide in its standard view (local areas, fair measure),
    after a first slide summarising what changed since the last meeting when one is given."""
    slides, missing = [], []
    for indicator in indicators:
        export = indicator_export(
            observations, indicator, area_names, built_on, commentary=commentary
        )
        if export is None:
            missing.append(indicator.label)
        else:
            slides.append(pack_slide(export))
    subtitle = f"{APP_NAME}. Data built {built_on}."
    return Pack(
        title, subtitle, built_on, tuple(slides), tuple(missing), summary_title, tuple(summary)
    )

"""Charts as PNG/SVG images that carry their provenance, rendered server-side with vl-convert.

A chart pasted into slides loses the page around it, so the title, unit, source, period,
"provisional" and the date the data was built are drawn into the image itself.
"""

import json
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import pandas as pd
import vl_convert as vlc

from dashboard.areas import area_catalogue
from dashboard.catalogue import Catalogue, Indicator
from dashboard.charts import PROJECTOR_CONFIG, build_trend_chart
from dashboard.formatting import format_value, measure_label, period_span
from dashboard.headlines import commentary_lines, headline_sentence, method_footnote
from dashboard.transforms import (
    RATE,
    annual,
    apply_measure,
    area_order,
    default_base_year,
    filter_observations,
    latest_change,
    name_areas,
    releases,
)
from dashboard.units import INDEX, is_size_dependent, lookup_unit

EXPORT_WIDTH = 900  # px of the plot; PNGs are rendered at PNG_SCALE for sharp slides
PNG_SCALE = 2
FOOTER_WRAP = 120
FOOTER_SIZE = 13
APP_NAME = "Leicestershire & Rutland Safeguarding Dashboard"


@dataclass(frozen=True)
class Provenance:
    """What an exported chart must say about itself."""

    title: str
    unit: str  # the measure shown, in words
    period: str
    sources: tuple[str, ...]
    provisional: tuple[str, ...]  # e.g. "Rutland 2024/25"; empty when nothing is provisional
    built_on: str

    def footer_lines(self) -> list[str]:
        """Source, period, provisional figures and build date, wrapped for the image."""
        parts = [
            f"{self.title}. Measure: {self.unit}. Period: {self.period}.",
            "Source: " + "; ".join(self.sources) + ".",
        ]
        if self.provisional:
            parts.append("Provisional figures: " + ", ".join(self.provisional) + ".")
        parts.append(f"Data built {self.built_on}. {APP_NAME}.")
        return [line for part in parts for line in textwrap.wrap(part, FOOTER_WRAP)]

    def footnote(self) -> str:
        """The same facts as one paragraph (slide footnote, speaker notes, PDF)."""
        return " ".join(self.footer_lines())


def provisional_rows(frame: pd.DataFrame, area_names: Mapping[str, str]) -> tuple[str, ...]:
    """'Rutland 2024/25' for each area and period whose figure is provisional."""
    rows = frame[frame["status"] == "provisional"].sort_values(["area", "year_end"])
    pairs = dict.fromkeys(
        f"{area_names.get(area, area)} {period}"
        for area, period in zip(rows["area"], rows["period"], strict=True)
    )
    return tuple(pairs)


def export_spec(chart: alt.TopLevelMixin, footer: Iterable[str]) -> dict:
    """The chart's Vega-Lite spec at a fixed width, with the footer drawn under it as text."""
    spec = chart.to_dict()
    outer = {key: spec.pop(key) for key in ("$schema", "config", "datasets") if key in spec}
    spec.pop("autosize", None)
    spec["width"] = EXPORT_WIDTH
    return {
        **outer,
        "background": "white",
        "padding": 16,
        "autosize": {"type": "pad"},
        "title": {
            "text": list(footer),
            "orient": "bottom",
            "anchor": "start",
            "fontSize": FOOTER_SIZE,
            "fontWeight": "normal",
            "color": "#1a1a1a",
            "offset": 16,
        },
        "vconcat": [spec],
    }


@lru_cache(maxsize=64)
def _render(spec_json: str, kind: str) -> bytes:
    spec = json.loads(spec_json)
    if kind == "svg":
        return vlc.vegalite_to_svg(spec).encode("utf-8")
    return vlc.vegalite_to_png(spec, scale=PNG_SCALE)


def render_png(spec: dict) -> bytes:
    """PNG at twice the size, for slides (cached: the same chart is not rendered twice)."""
    return _render(json.dumps(spec, sort_keys=True), "png")


def render_svg(spec: dict) -> bytes:
    """SVG for print; its text stays text, so the footer can be searched and checked."""
    return _render(json.dumps(spec, sort_keys=True), "svg")


def export_file_name(stem: str, extension: str) -> str:
    """'cpp_rate_rate_per_10k_2013-2025' -> 'cpp-rate-rate-per-10k_2013-2025.png'."""
    parts = [re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-") for part in stem.split("_")]
    text = "-".join(part for part in parts if part)
    text = re.sub(r"-(\d{4}-\d{4}|\d{4})$", r"_\1", text)
    return f"{text or 'chart'}.{extension}"


def table_provenance_lines(caption: str, table: pd.DataFrame, built_on: str) -> list[str]:
    """Footer for any chart drawn with its table: the page's caption (which names the source
    and period), provisional rows from the table, and the build date."""
    parts = [caption]
    if "Status" in table and "Period" in table:
        provisional = table[table["Status"].astype(str).str.lower() == "provisional"]
        if len(provisional):
            where = provisional.get("Area", pd.Series("", index=provisional.index)).astype(str)
            found = dict.fromkeys(
                f"{area} {period}".strip()
                for area, period in zip(where, provisional["Period"], strict=True)
            )
            parts.append("Provisional figures: " + ", ".join(found) + ".")
    parts.append(f"Data built {built_on}. {APP_NAME}.")
    return [line for part in parts for line in textwrap.wrap(part, FOOTER_WRAP)]


@dataclass(frozen=True)
class SlideFigure:
    """One area's only figure, shown as a number: a lone dot on a full chart says less."""

    area: str
    value: str  # formatted with its unit: "38.0%", "8.0 per 10,000"
    unit: str  # the measure in words: "Percentage (%)"
    period: str


@dataclass(frozen=True)
class IndicatorExport:
    """One indicator ready for a slide: chart, headline sentences and provenance."""

    indicator: Indicator
    chart: alt.TopLevelMixin
    measure: str
    measure_note: str
    headlines: tuple[str, ...]
    provenance: Provenance
    stem: str
    latest_period: str
    latest_year: int
    figures: tuple[SlideFigure, ...]  # one per area when the series has a single period
    commentary: tuple[str, ...] = ()  # the documents' own explanations, verbatim with source

    def spec(self) -> dict:
        return export_spec(self.chart, self.provenance.footer_lines())


def default_slide_indicators(
    catalogue: Catalogue, preferred: Iterable[str], count: int = 5
) -> list[str]:
    """The board's headline indicators that are rates or percentages (they compare the two
    areas fairly as published), topped up with the rest of `preferred` if too few."""
    known = [i for i in preferred if i in catalogue]
    fair = [i for i in known if not is_size_dependent(catalogue[i].unit)]
    return (fair + [i for i in known if i not in fair])[:count]


def local_areas(observations: pd.DataFrame) -> list[str]:
    """Leicestershire and Rutland where they have figures; else the local areas that do."""
    present = set(observations["area"])
    for wanted in (area_catalogue().headline, area_catalogue().local):
        chosen = [area for area in wanted if area in present]
        if chosen:
            return area_order(chosen)
    return []


def slide_areas(observations: pd.DataFrame) -> list[str]:
    """Leicestershire and Rutland side by side; else the local areas that have figures; else
    the one area there is."""
    return local_areas(observations) or area_order(set(observations["area"]))[:1]


def fair_measure(indicator: Indicator, areas: list[str]) -> str:
    """Rates and percentages as published; a count becomes a rate per 10,000 children when the
    catalogue gives its denominator, else an index when two areas of different size meet."""
    if not is_size_dependent(indicator.unit):
        return indicator.unit
    if indicator.rate_denominator:
        return RATE
    return INDEX if len(areas) > 1 else indicator.unit


def indicator_export(
    observations: pd.DataFrame,
    indicator: Indicator,
    area_names: Mapping[str, str],
    built_on: str,
    *,
    height: int = 360,
    commentary: pd.DataFrame | None = None,
) -> IndicatorExport | None:
    """The standard view of one indicator for presenting: local areas in a fair measure, with
    the documents' own explanations of its figures where `commentary` has them."""
    rows = annual(filter_observations(observations, indicator_ids=[indicator.id]))
    if rows.empty or rows["value"].notna().sum() == 0:
        return None
    areas = slide_areas(rows)
    rows = name_areas(rows[rows["area"].isin(areas)], area_names)
    measure = fair_measure(indicator, areas)
    if measure == INDEX and rows["period"].nunique() == 1:
        # An index of a single period is 100 for every area: the published figures say more.
        measure = indicator.unit
    population = None
    if measure == RATE:
        population = filter_observations(observations, indicator_ids=[indicator.rate_denominator])
    base_year = default_base_year(rows) if measure == INDEX else None
    measured = apply_measure(rows, measure, base_year, population)
    frame = (
        measured.frame if not measured.frame.empty else rows.assign(published_value=rows["value"])
    )
    if measured.frame.empty:
        measure, base_year = indicator.unit, None
    chart = build_trend_chart(frame, indicator, measure=measure, base_year=base_year, height=height)
    # Sentences describe each area's own change, so they use the published unit unless a rate
    # was computed (a rate is fairer and is what the chart shows).
    sentence_measure = RATE if measure == RATE else indicator.unit
    sentence_frame = frame if measure == RATE else rows
    headlines = []
    changes = []
    for area in area_order(sentence_frame["area"]):
        change = latest_change(sentence_frame[sentence_frame["area"] == area], indicator.polarity)
        if change is not None and change.values:
            name = area_names.get(area, area)
            headlines.append(headline_sentence(indicator, name, change, sentence_measure))
            changes.append(change)
    periods = list(dict.fromkeys(frame.sort_values("year_end")["period"]))
    years = sorted(int(year) for year in frame["year_end"])
    # One period is shown as figures on a slide, not as a chart.
    shows = "Figures show" if len(periods) == 1 else "Chart shows"
    note = f"{shows} {measure_label(measure, base_year)}."
    if measure == RATE and indicator.unit == "count":
        note = f"{shows} {lookup_unit(RATE).phrase}, computed here from the published counts."
    if measured.rule:
        note += f" {measured.rule}"
    footnote = method_footnote(changes)
    if footnote:
        note += f" {footnote}"
    provenance = Provenance(
        title=indicator.label,
        unit=lookup_unit(measure).label if measure != INDEX else measure_label(measure, base_year),
        period=period_span(periods),
        sources=tuple(releases(rows)),
        provisional=provisional_rows(rows, area_names),
        built_on=built_on,
    )
    span = f"{years[0]}-{years[-1]}" if years[0] != years[-1] else str(years[0])
    known = frame[frame["value"].notna() & (frame["status"] != "target")]
    latest = (known if len(known) else frame).sort_values("year_end").iloc[-1]
    figures = single_figures(frame, measure, area_names) if len(periods) == 1 else ()
    return IndicatorExport(
        indicator=indicator,
        chart=chart,
        measure=measure,
        measure_note=note,
        headlines=tuple(headlines),
        provenance=provenance,
        stem=f"{indicator.id}_{measure}_{span}",
        latest_period=str(latest["period"]),
        latest_year=int(latest["year_end"]),
        figures=figures,
        commentary=tuple(
            commentary_lines(commentary, indicator.id, areas, periods, area_names)
            if commentary is not None
            else ()
        ),
    )


def single_figures(
    frame: pd.DataFrame, measure: str, area_names: Mapping[str, str]
) -> tuple[SlideFigure, ...]:
    """Each area's one figure, in the slide's measure."""
    unit = lookup_unit(measure).label
    figures = []
    for area in area_order(frame["area"]):
        rows = frame[(frame["area"] == area) & frame["value"].notna()]
        if len(rows):
            row = rows.sort_values("year_end").iloc[-1]
            value = format_value(float(row["value"]), measure)
            figures.append(SlideFigure(area_names.get(area, area), value, unit, row["period"]))
    return tuple(figures)


OLD_AFTER_YEARS = 2  # a figure more than this many years behind the newest is called old


def newest_year(observations: pd.DataFrame) -> int:
    """The year of the newest figure anywhere in the data (a target is not a figure)."""
    figures = observations[observations["value"].notna() & (observations["status"] != "target")]
    return int(figures["year_end"].max())


def latest_figure_note(export: IndicatorExport, newest: int) -> str:
    """'latest figure: 2015/16' when the slide's newest figure is old beside the newest in the
    data, so nobody reads an old number as this year's; else empty."""
    if newest - export.latest_year > OLD_AFTER_YEARS:
        return f"latest figure: {export.latest_period}"
    return ""


PRESENT_TEXT_SIZE = 22
# A slide's chart fills the box the page gives it, axes and legend included, so no label is cut.
PRESENT_AUTOSIZE = alt.AutoSizeParams(type="fit", contains="padding")


def presentation_chart(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The same chart with axis and legend text sized for a projector, legends on the right
    (beside the slide's sentences there is no room below), and sized to its box; the
    slide's own heading replaces the chart title, which would otherwise be said twice."""
    config = PROJECTOR_CONFIG.copy(deep=True)
    for part in (config.axis, config.legend):
        part.labelFontSize = PRESENT_TEXT_SIZE
        part.titleFontSize = PRESENT_TEXT_SIZE
    # On the right, legends stack one under the other and Vega narrows the plot to make room;
    # in a row above or below the plot a second legend (markers) runs off the slide's edge.
    config.legend.orient = "right"
    config.legend.direction = "vertical"
    config.legend.columns = alt.Undefined
    # A plot narrowed by a long legend shortens its axis titles ("...") rather than cut them.
    config.axisX = alt.AxisConfig(titleLimit=alt.ExprRef("width"))
    config.axisY = alt.AxisConfig(titleLimit=alt.ExprRef("height"))
    big = chart.copy(deep=False)
    big.config = config
    big.title = alt.Undefined
    big.autosize = PRESENT_AUTOSIZE
    return big

"""Pure chart builders: DataFrame (+ indicator) -> alt.Chart, styled for a projector."""

import textwrap
from collections.abc import Iterable

import altair as alt
import pandas as pd

from dashboard.catalogue import UNIT_AXIS_FORMATS, Indicator, unit_label
from dashboard.config import (
    AREA_STYLES,
    AXIS_LABEL_SIZE,
    AXIS_TITLE_SIZE,
    CATEGORY_COLOURS,
    CHART_HEIGHT,
    LEGEND_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    UNKNOWN_AREA_STYLE,
)
from dashboard.formatting import INDEX, format_status, format_value, year_span
from dashboard.transforms import (
    MARKER_CONFLICT,
    MARKER_TARGET,
    MARKER_VALUE,
    area_order,
    with_markers,
    year_values,
)

MARKER_SHAPES = {MARKER_VALUE: "circle", MARKER_CONFLICT: "diamond", MARKER_TARGET: "triangle-up"}
TITLE_WRAP = 60
SUBTITLE_WRAP = 95

# A year_end of 2016 means the financial or academic year 2015/16: label it as people say it.
_SPLIT_YEAR_LABEL = "(datum.value - 1) + '/' + substring(toString(datum.value), 2, 4)"
_SPLIT_YEAR_TYPES = {"financial_year", "academic_year"}


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _title(text: str, subtitle: Iterable[str] = ()) -> alt.TitleParams:
    lines = [line for part in subtitle for line in _wrap(part, SUBTITLE_WRAP)]
    return alt.TitleParams(
        text=_wrap(text, TITLE_WRAP),
        subtitle=lines or alt.Undefined,
        anchor="start",
        fontSize=TITLE_SIZE,
        subtitleFontSize=SUBTITLE_SIZE,
        subtitleColor="#3d3d3d",
        offset=12,
    )


def _configure(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Projector-readable text everywhere; legends below so long area names never truncate."""
    return (
        chart.configure_axis(
            labelFontSize=AXIS_LABEL_SIZE,
            titleFontSize=AXIS_TITLE_SIZE,
            labelColor="#1a1a1a",
            titleColor="#1a1a1a",
            labelLimit=320,
            titleFontWeight="bold",
        )
        .configure_legend(
            labelFontSize=LEGEND_SIZE,
            titleFontSize=LEGEND_SIZE,
            labelLimit=0,
            orient="bottom",
            direction="horizontal",
            columns=3,
            symbolStrokeWidth=3,
            symbolSize=220,
        )
        .configure_view(strokeWidth=0)
    )


def _area_styles(area_ids: Iterable[str]) -> tuple[list[str], list[str], list[list[int]]]:
    ordered = area_order(area_ids)
    styles = [AREA_STYLES.get(area, UNKNOWN_AREA_STYLE) for area in ordered]
    return ordered, [style.colour for style in styles], [list(style.dash) for style in styles]


def area_colour_scale(frame: pd.DataFrame) -> alt.Scale:
    """Colour by area name, always from the fixed palette (so Rutland is orange everywhere)."""
    ids = area_order(frame["area"])
    names = frame.drop_duplicates("area").set_index("area")["area_name"]
    _, colours, _ = _area_styles(ids)
    return alt.Scale(domain=[names[area] for area in ids], range=colours)


def _area_dash_scale(frame: pd.DataFrame) -> alt.Scale:
    ids = area_order(frame["area"])
    names = frame.drop_duplicates("area").set_index("area")["area_name"]
    _, _, dashes = _area_styles(ids)
    return alt.Scale(domain=[names[area] for area in ids], range=dashes)


def year_axis_title(period_types: Iterable[str]) -> str:
    kinds = set(period_types)
    if kinds <= {"financial_year"}:
        return "Financial year (April to March)"
    if kinds <= {"academic_year"}:
        return "Academic year"
    if kinds <= {"snapshot"}:
        return "Year (count on one day, usually 31 March)"
    if kinds <= {"calendar_year", "survey"}:
        return "Year"
    return "Year ending (e.g. 2016 = 2015/16 or 31 March 2016)"


def _year_x(years: list[int], period_types: Iterable[str]) -> alt.X:
    """A year axis with one tick per year (every other year when crowded) and no half years."""
    kinds = set(period_types)
    first, last = min(years), max(years)
    step = 1 if last - first <= 11 else 2
    ticks = list(range(last, first - 1, -step))[::-1]
    domain = [first - 0.5, last + 0.5]
    label_expr = _SPLIT_YEAR_LABEL if kinds and kinds <= _SPLIT_YEAR_TYPES else alt.Undefined
    return alt.X(
        "year_end:Q",
        title=year_axis_title(kinds),
        scale=alt.Scale(domain=domain, nice=False, zero=False),
        axis=alt.Axis(values=ticks, format="d", labelExpr=label_expr, grid=False),
    )


def _measure_title(measure: str, base_year: int | None) -> str:
    return f"Index ({base_year} = 100)" if measure == INDEX else unit_label(measure)


def _labelled_points(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    points = with_markers(frame)
    labels = [
        format_value(value, measure, symbol)
        for value, symbol in zip(points["value"], points["value_symbol"], strict=True)
    ]
    published = [
        format_value(value, unit, symbol)
        for value, unit, symbol in zip(
            points.get("published_value", points["value"]),
            points["unit"],
            points["value_symbol"],
            strict=True,
        )
    ]
    return points.assign(
        value_label=labels,
        published_label=published,
        status_label=[format_status(status) for status in points["status"]],
    )


def describe_trend(frame: pd.DataFrame, indicator: Indicator, measure: str) -> str:
    """Screen-reader text: what the chart shows and each area's first and latest figure."""
    years = [int(year) for year in frame["year_end"]]
    parts = [
        f"Line chart of {indicator.name} ({_measure_title(measure, None).lower()}), "
        f"{year_span(years)}."
    ]
    known = frame.dropna(subset=["value"]).sort_values("year_end")
    for area in area_order(known["area"]):
        rows = known[known["area"] == area]
        first, last = rows.iloc[0], rows.iloc[-1]
        parts.append(
            f"{last['area_name']}: {format_value(first['value'], measure)} in {first['period']}, "
            f"{format_value(last['value'], measure)} in {last['period']}."
        )
    return " ".join(parts)


def build_trend_chart(
    frame: pd.DataFrame,
    indicator: Indicator,
    *,
    measure: str | None = None,
    base_year: int | None = None,
    height: int = CHART_HEIGHT,
) -> alt.LayerChart:
    """Areas over years: a line per area (gaps stay gaps) with every figure drawn as a point.

    `frame` holds headline observations of one indicator with `area_name` added; for an index
    it is the output of transforms.apply_measure. Disagreeing figures and targets are drawn as
    distinct markers and kept off the line.
    """
    measure = measure or indicator.unit
    points = _labelled_points(frame, measure)
    line = year_values(frame).merge(
        frame[["area", "area_name"]].drop_duplicates("area"), on="area", how="left"
    )
    years = [int(year) for year in frame["year_end"]]
    colour = alt.Color("area_name:N", title="Area", scale=area_colour_scale(frame))
    dash = alt.StrokeDash("area_name:N", title="Area", scale=_area_dash_scale(frame))
    x = _year_x(years, frame["period_type"])
    y_title = _measure_title(measure, base_year)
    y = alt.Y(
        "value:Q",
        title=y_title,
        scale=alt.Scale(zero=measure != INDEX),
        axis=alt.Axis(format=UNIT_AXIS_FORMATS.get(measure, ",.0f"), tickCount=6),
    )
    lines = (
        alt.Chart(line)
        .mark_line(strokeWidth=3.5, invalid="break-paths-filter-domains")
        .encode(x=x, y=y, color=colour, strokeDash=dash)
    )
    markers = sorted(set(points["marker"]), key=list(MARKER_SHAPES).index)
    shape = alt.Shape(
        "marker:N",
        title="Marker",
        scale=alt.Scale(domain=markers, range=[MARKER_SHAPES[m] for m in markers]),
        legend=None if markers == [MARKER_VALUE] else alt.Legend(title="Marker"),
    )
    tooltip = [
        alt.Tooltip("area_name:N", title="Area"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("value_label:N", title=y_title),
        alt.Tooltip("status_label:N", title="Status"),
        alt.Tooltip("marker:N", title="Marker"),
        alt.Tooltip("release:N", title="Source"),
    ]
    if measure == INDEX:
        tooltip.insert(3, alt.Tooltip("published_label:N", title="As published"))
    dots = (
        alt.Chart(points)
        .mark_point(filled=True, size=110, opacity=1)
        .encode(x=x, y=y, color=colour, shape=shape, tooltip=tooltip)
    )
    layers: list[alt.Chart] = [lines, dots]
    if measure == INDEX:
        reference = pd.DataFrame({"value": [100.0]})
        layers.insert(0, alt.Chart(reference).mark_rule(color="#9a9a9a").encode(y="value:Q"))
    subtitle = [f"{y_title} · {year_span(years)}"]
    chart = alt.layer(*layers).properties(
        title=_title(indicator.name, subtitle),
        description=describe_trend(points, indicator, measure),
        height=height,
    )
    return _configure(chart)


def build_sparkline(series: pd.DataFrame, indicator: Indicator, area_name: str) -> alt.LayerChart:
    """A small trend line in the area's own colour; gaps stay gaps, the latest point is marked."""
    area = str(series["area"].iloc[0]) if len(series) else ""
    colour = AREA_STYLES.get(area, UNKNOWN_AREA_STYLE).colour
    known = series.dropna(subset=["value"])
    years = [int(year) for year in known["year_end"]]
    x = alt.X("year_end:Q", axis=None, scale=alt.Scale(zero=False, nice=False))
    y = alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False))
    line = alt.Chart(series).mark_line(
        color=colour, strokeWidth=2.5, invalid="break-paths-filter-domains"
    )
    latest = alt.Chart(known.tail(1)).mark_point(color=colour, filled=True, size=60)
    description = f"Small trend line of {indicator.name} for {area_name}, {year_span(years)}."
    if len(known):
        description += (
            f" From {format_value(known['value'].iloc[0], indicator.unit)} to"
            f" {format_value(known['value'].iloc[-1], indicator.unit)}."
        )
    return (
        alt.layer(line.encode(x=x, y=y), latest.encode(x=x, y=y))
        .properties(height=60, description=description)
        .configure_view(strokeWidth=0)
    )


def build_breakdown_chart(frame: pd.DataFrame, indicator: Indicator, period: str) -> alt.LayerChart:
    """Horizontal grouped bars for one period: a bar per category and area, values at bar ends."""
    bars = _labelled_points(frame, indicator.unit)
    categories = list(dict.fromkeys(bars["breakdown"]))
    scale = area_colour_scale(bars)
    colour = alt.Color("area_name:N", title="Area", scale=scale)
    y = alt.Y("breakdown:N", title=None, sort=categories, axis=alt.Axis(labelLimit=360))
    x = alt.X(
        "value:Q",
        title=indicator.unit_label,
        axis=alt.Axis(format=UNIT_AXIS_FORMATS.get(indicator.unit, ",.0f"), tickCount=5),
    )
    offset = alt.YOffset("area_name:N", sort=scale.domain)
    tooltip = [
        alt.Tooltip("breakdown:N", title="Category"),
        alt.Tooltip("area_name:N", title="Area"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("value_label:N", title=indicator.unit_label),
        alt.Tooltip("status_label:N", title="Status"),
        alt.Tooltip("release:N", title="Source"),
    ]
    base = alt.Chart(bars).encode(y=y, yOffset=offset, x=x)
    rects = base.mark_bar().encode(color=colour, tooltip=tooltip)
    text = base.mark_text(align="left", dx=4, fontSize=AXIS_LABEL_SIZE).encode(text="value_label:N")
    areas = bars["area"].nunique()
    height = max(160, len(categories) * areas * 30 + 40)
    description = f"Bar chart of {indicator.name} by category, {period}: " + "; ".join(
        f"{row.breakdown}, {row.area_name}: {row.value_label}" for row in bars.itertuples()
    )
    chart = alt.layer(rects, text).properties(
        title=_title(f"{indicator.name} by category", [f"{indicator.unit_label} · {period}"]),
        description=description,
        height=height,
    )
    return _configure(chart)


def build_category_chart(
    frame: pd.DataFrame, indicator: Indicator, area_name: str, *, stacked: bool
) -> alt.Chart:
    """One area's categories over years: stacked (parts of a total, e.g. money by partner)
    or grouped side by side (e.g. Year 6 vs Year 9)."""
    bars = _labelled_points(frame, indicator.unit)
    categories = list(dict.fromkeys(bars["breakdown"]))
    periods = list(dict.fromkeys(bars.sort_values("year_end")["period"]))
    colours = [CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i in range(len(categories))]
    colour = alt.Color(
        "breakdown:N",
        title="Category",
        scale=alt.Scale(domain=categories, range=colours),
        legend=alt.Legend(columns=2),
    )
    encoding = {
        "x": alt.X("period:O", title="Period", sort=periods, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(
            "value:Q",
            title=indicator.unit_label,
            stack="zero" if stacked else None,
            axis=alt.Axis(format=UNIT_AXIS_FORMATS.get(indicator.unit, ",.0f")),
        ),
        "color": colour,
        "tooltip": [
            alt.Tooltip("breakdown:N", title="Category"),
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("value_label:N", title=indicator.unit_label),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("release:N", title="Source"),
        ],
    }
    if not stacked:
        encoding["xOffset"] = alt.XOffset("breakdown:N", sort=categories)
    kind = "Stacked" if stacked else "Grouped"
    description = f"{kind} bar chart of {indicator.name} for {area_name} by category: " + "; ".join(
        f"{row.period}, {row.breakdown}: {row.value_label}" for row in bars.itertuples()
    )
    chart = (
        alt.Chart(bars)
        .mark_bar()
        .encode(**encoding)
        .properties(
            title=_title(
                f"{indicator.name} by category, {area_name}",
                [f"{indicator.unit_label} · {', '.join(periods)}"],
            ),
            description=description,
            height=CHART_HEIGHT,
        )
    )
    return _configure(chart)

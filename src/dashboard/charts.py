"""Pure chart builders: DataFrame (+ indicator) -> alt.Chart, styled for a projector."""

import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

import altair as alt
import numpy as np
import pandas as pd

from dashboard import stats
from dashboard.areas import area_catalogue
from dashboard.catalogue import Indicator
from dashboard.config import (
    AXIS_LABEL_SIZE,
    AXIS_TITLE_SIZE,
    CATEGORY_COLOURS,
    CHART_HEIGHT,
    LEGEND_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
)
from dashboard.formatting import (
    format_short,
    format_status,
    format_value,
    period_span,
    year_span,
)
from dashboard.intervals import counts_text, interval_text
from dashboard.statuses import STATUSES, lookup_status
from dashboard.transforms import (
    MARKER_CONFLICT,
    MARKER_TARGET,
    MARKER_VALUE,
    area_order,
    with_markers,
    year_values,
)
from dashboard.units import INDEX, INTERVAL_UNITS, lookup_unit

# Fill the page width but keep the plot's own height: Streamlit's default ("fit") squeezes the
# plot to make room for titles and legends inside a fixed total height.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
LOCAL_LINE_WIDTH = 4
COMPARATOR_LINE_WIDTH = 2.5
MARKER_SHAPES = {MARKER_VALUE: "circle", MARKER_CONFLICT: "diamond", MARKER_TARGET: "triangle-up"}
TITLE_WRAP = 80
SPARKLINE_PADDING = 6  # px around the line, so the latest-point marker is never clipped
SUBTITLE_WRAP = 110

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


# Projector-readable text everywhere; legends below so long area names never truncate.
PROJECTOR_CONFIG = alt.Config(
    axis=alt.AxisConfig(
        labelFontSize=AXIS_LABEL_SIZE,
        titleFontSize=AXIS_TITLE_SIZE,
        labelColor="#1a1a1a",
        titleColor="#1a1a1a",
        labelLimit=320,
        titleFontWeight="bold",
    ),
    legend=alt.LegendConfig(
        labelFontSize=LEGEND_SIZE,
        titleFontSize=LEGEND_SIZE,
        labelLimit=0,
        labelColor="#1a1a1a",
        titleColor="#1a1a1a",
        orient="bottom",
        direction="horizontal",
        # Three to a row; two on a phone, where three long names run off the chart.
        columns=alt.ExprRef("width < 420 ? 2 : 3"),
        columnPadding=24,
        rowPadding=8,
        titlePadding=8,
    ),
    view=alt.ViewConfig(strokeWidth=0),
)


def _configure(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Apply the shared config in one step: chained configure_* calls copy a layered chart
    (and its data) once each, which made building a themed page a quarter slower."""
    configured = chart.copy(deep=False)
    configured.config = PROJECTOR_CONFIG
    configured.autosize = FIT_WIDTH
    return configured


def _finished(
    chart: alt.TopLevelMixin, heading: alt.TitleParams, description: str, height: int
) -> alt.TopLevelMixin:
    """Every builder ends here: its title, the description a screen reader speaks, its height."""
    return _configure(chart.properties(title=heading, description=description, height=height))


@dataclass(frozen=True)
class StaticChart:
    """A chart drawn on the server as SVG, with its screen-reader text.

    For small glyphs such as the Overview's sparklines: a dozen live Vega views cost the browser
    far more than they give, and a sparkline has nothing to hover or zoom.
    """

    svg: str
    description: str


def _area_styles(area_ids: Iterable[str]) -> tuple[list[str], list[str], list[list[int]]]:
    ordered = area_order(area_ids)
    styles = [area_catalogue().style(area) for area in ordered]
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
    return f"Index ({base_year} = 100)" if measure == INDEX else lookup_unit(measure).label


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


CI95_COLUMNS = ("ci95_lower", "ci95_upper")
INTERVAL_LINE_WIDTH = 2  # thinner than any area's line, so the bars never read as the series
INTERVAL_TICK_SIZE = 10
INTERVAL_SPACING = 7  # px between two areas' bars in one year
INTERVAL_NOTE = (
    "Vertical bars: 95% confidence intervals, where the counts behind a figure are known"
)
BAND_COLOUR = "#8a8a8a"
BAND_OPACITY = 0.25
DEFAULT_BAND_LABEL = "Range of the statistical neighbours"
NO_COUNTS = "not published"


def _with_interval_labels(points: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """Add each figure's interval and counts in words, as the tables word them."""
    records = points.to_dict("records")
    return points.assign(
        interval_label=[interval_text(row) for row in records],
        counts_label=[counts_text(row, indicator) or NO_COUNTS for row in records],
    )


def _interval_bars(
    points: pd.DataFrame,
    measure: str,
    x: alt.X,
    value_y: Callable[[str], alt.Y],
    colour: alt.Color,
) -> list[alt.Chart]:
    """Each figure's 95% interval as an error bar in its area's colour, one layer per area.

    Areas' bars for one year are set a few pixels apart, so Rutland's wide interval never hides
    Leicestershire's narrow one. Only rows whose limits are in the measure shown count: a rate
    computed from a count keeps the count's (empty) limits, never another unit's."""
    known = (
        (points["unit"] == measure) & points["ci95_lower"].notna() & points["ci95_upper"].notna()
    )
    rows = points.loc[known, ["area", "area_name", "year_end", *CI95_COLUMNS]]
    areas = area_order(rows["area"])
    layers = []
    for position, area in enumerate(areas):
        offset = (position - (len(areas) - 1) / 2) * INTERVAL_SPACING
        layers.append(
            alt.Chart(rows.loc[rows["area"] == area, ["area_name", "year_end", *CI95_COLUMNS]])
            .mark_errorbar(
                orient="vertical",
                thickness=INTERVAL_LINE_WIDTH,
                ticks=alt.MarkConfig(size=INTERVAL_TICK_SIZE, opacity=1),
            )
            .encode(
                x=x,
                xOffset=alt.value(offset),
                y=value_y("ci95_lower"),
                y2="ci95_upper:Q",
                # The lines' own colour channel, legend included: a layer whose colour has no
                # legend ahead of the lines would remove the area legend from the whole chart.
                color=colour,
                # The point on top carries the interval in words; the bar's own tooltip would
                # show raw column names and unrounded limits.
                tooltip=alt.value(None),
            )
        )
    return layers


def describe_intervals(points: pd.DataFrame) -> str:
    """Screen-reader text: each area's latest 95% interval, or why it has none."""
    known = points.dropna(subset=["value"]).sort_values("year_end")
    latest = [known[known["area"] == area].iloc[-1] for area in area_order(known["area"])]
    parts = [f"{row['area_name']}, {row['period']}: {row['interval_label']}" for row in latest]
    return "Vertical bars show 95% confidence intervals. Latest: " + "; ".join(parts) + "."


def _band_rows(band: pd.DataFrame, years: list[int], measure: str, label: str) -> pd.DataFrame:
    """The band's years inside the chart's, one row per year (a missing year breaks the band),
    with the range in words for its tooltip."""
    if measure == INDEX:
        return band.iloc[0:0]
    first, last = min(years), max(years)
    known = band[band["year_end"].between(first, last)].dropna(subset=["low", "high"])
    if known.empty:
        return known
    span = pd.RangeIndex(int(known["year_end"].min()), int(known["year_end"].max()) + 1)
    full = known.drop_duplicates("year_end").set_index("year_end").reindex(span)
    full = full.rename_axis("year_end").reset_index()
    periods = full["period"] if "period" in full else full["year_end"].astype(str)
    ranges = [
        f"{format_short(low, measure)} to {format_value(high, measure)}" if pd.notna(low) else ""
        for low, high in zip(full["low"], full["high"], strict=True)
    ]
    return pd.DataFrame(
        {
            "year_end": full["year_end"],
            "low": full["low"],
            "high": full["high"],
            "period": periods.fillna("").astype(str),
            "range_label": ranges,
            "band": label or DEFAULT_BAND_LABEL,
        }
    )


def _band_layers(band: pd.DataFrame, x: alt.X, value_y: Callable[[str], alt.Y]) -> list[alt.Chart]:
    """A light grey area, named in its own legend, with an invisible rule per year that carries
    the tooltip (an area is one shape, so hovering it could only ever show one year)."""
    label = str(band["band"].iloc[0])
    fill = alt.Fill(
        "band:N",
        scale=alt.Scale(domain=[label], range=[BAND_COLOUR]),
        # A title of its own keeps this legend's entry level with the areas' entries beside it.
        legend=alt.Legend(title="Grey band", symbolType="square", symbolOpacity=BAND_OPACITY * 2),
    )
    area = (
        alt.Chart(band[["year_end", "low", "high", "band"]])
        .mark_area(opacity=BAND_OPACITY, invalid="break-paths-filter-domains")
        .encode(x=x, y=value_y("low"), y2="high:Q", fill=fill)
    )
    hover = (
        alt.Chart(
            band[band["range_label"] != ""][["year_end", "low", "high", "period", "range_label"]]
        )
        .mark_rule(strokeWidth=16, opacity=0)
        .encode(
            x=x,
            y=value_y("low"),
            y2="high:Q",
            tooltip=[
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("range_label:N", title=label),
            ],
        )
    )
    return [area, hover]


def describe_band(band: pd.DataFrame) -> str:
    """Screen-reader text: what the band is and its latest range."""
    latest = band[band["range_label"] != ""].iloc[-1]
    return f"Grey band: {latest['band']}, {latest['range_label']} in {latest['period']}."


EVENT_COLOUR = "#555555"  # events are not areas: a neutral dark grey, dotted
EVENT_LABEL_ROWS = 3  # events close in time take turns at three heights, so numbers never meet
KIND_LABELS = {
    "inspection": "Inspection",
    "structure": "Change of structure",
    "policy": "Policy",
    "national_event": "National event",
    "definition_change": "Change of definition",
}


def event_layers(events: pd.DataFrame, x: alt.X) -> list[alt.Chart]:
    """Each event a dotted vertical rule labelled at its top with its number (the list under
    the chart says what each number is); hovering shows what it was and where it is stated.
    `events` comes from transforms.events_for (placed and numbered)."""
    if events.empty:
        return []
    rows = pd.DataFrame(
        {
            "year_end": events["year_end"],
            "event_number": events["number"].astype(str),
            "event_row": [14 + 16 * (n % EVENT_LABEL_ROWS) for n in range(len(events))],
            "event_title": events["title"],
            "event_date": [f"{day.day} {day:%B %Y}" for day in pd.to_datetime(events["date"])],
            "event_kind": [KIND_LABELS.get(kind, kind) for kind in events["kind"]],
            "event_source": events["source_text"],
        }
    )
    tooltip = [
        alt.Tooltip("event_title:N", title="Event"),
        alt.Tooltip("event_date:N", title="Date"),
        alt.Tooltip("event_kind:N", title="Kind"),
        alt.Tooltip("event_source:N", title="Source"),
    ]
    # The chart's own year encoding: an `axis=None` here would remove the merged year axis.
    event_x = x
    rule = (
        alt.Chart(rows)
        .mark_rule(color=EVENT_COLOUR, strokeDash=[2, 3], strokeWidth=1.5)
        .encode(x=event_x, tooltip=tooltip)
    )
    label = (
        alt.Chart(rows)
        .mark_text(fontSize=13, fontWeight="bold", dx=7)
        .encode(
            x=event_x,
            y=alt.Y("event_row:Q", scale=None),
            text="event_number:N",
            color=alt.value(EVENT_COLOUR),
            tooltip=tooltip,
        )
    )
    return [rule, label]


def describe_events(events: pd.DataFrame) -> str:
    if events.empty:
        return ""
    listed = "; ".join(
        f"{number}, {day.day} {day:%B %Y}: {title}"
        for number, day, title in zip(
            events["number"], pd.to_datetime(events["date"]), events["title"], strict=True
        )
    )
    return f"Numbered dotted vertical lines mark events: {listed}."


def build_trend_chart(
    frame: pd.DataFrame,
    indicator: Indicator,
    *,
    measure: str | None = None,
    base_year: int | None = None,
    height: int = CHART_HEIGHT,
    show_intervals: bool = False,
    neighbour_band: pd.DataFrame | None = None,
    band_label: str = "",
    events: pd.DataFrame | None = None,
) -> alt.LayerChart:
    """Areas over years: a line per area (gaps stay gaps) with every figure drawn as a point.

    `frame` holds headline observations of one indicator with `area_name` added; for an index
    it is the output of transforms.apply_measure. Disagreeing figures and targets are drawn as
    distinct markers and kept off the line. `show_intervals` draws each figure's 95% interval
    where the frame carries one; `neighbour_band` (year_end, low, high) is drawn as a grey
    band behind everything, named `band_label` in the legend; `events` (transforms.events_for)
    as labelled dotted rules.
    """
    measure = measure or indicator.unit
    points = _labelled_points(frame, measure)
    # Counts and indexes have no interval of their own: the switch leaves their charts alone.
    intervals_known = (
        show_intervals and measure in INTERVAL_UNITS and set(CI95_COLUMNS) <= set(frame)
    )
    if intervals_known:
        points = _with_interval_labels(points, indicator)
    line = year_values(frame).merge(
        frame[["area", "area_name"]].drop_duplicates("area"), on="area", how="left"
    )
    years = [int(year) for year in frame["year_end"]]
    # One legend for colour and dash, drawn as line samples so the dash patterns show.
    legend = alt.Legend(title="Area", symbolType="stroke", symbolSize=900, symbolStrokeWidth=4)
    colour = alt.Color("area_name:N", scale=area_colour_scale(frame), legend=legend)
    dash = alt.StrokeDash("area_name:N", scale=_area_dash_scale(frame), legend=legend)
    x = _year_x(years, frame["period_type"])
    y_title = _measure_title(measure, base_year)

    def value_y(field: str) -> alt.Y:
        # Every layer titles the shared axis alike, or Vega-Lite joins the titles of its fields.
        return alt.Y(
            f"{field}:Q",
            title=y_title,
            scale=alt.Scale(zero=measure != INDEX),
            axis=alt.Axis(format=lookup_unit(measure).axis_format, tickCount=6),
        )

    y = value_y("value")
    comparator = line["area"].map(lambda a: area_catalogue().style(a).comparator).astype(bool)
    lines = [
        alt.Chart(rows)
        .mark_line(strokeWidth=width, invalid="break-paths-filter-domains")
        .encode(x=x, y=y, color=colour, strokeDash=dash)
        for rows, width in (
            (line[comparator], COMPARATOR_LINE_WIDTH),
            (line[~comparator], LOCAL_LINE_WIDTH),
        )
        if len(rows)
    ]
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
    if intervals_known:
        tooltip[3:3] = [
            alt.Tooltip("interval_label:N", title="95% interval"),
            alt.Tooltip("counts_label:N", title="Counts"),
        ]
    # Only what the marks and tooltips use travels to the browser (not notes and quotes).
    used = [
        "area_name",
        "year_end",
        "value",
        "marker",
        *(t.shorthand.split(":")[0] for t in tooltip),
    ]
    dots = (
        alt.Chart(points[list(dict.fromkeys(used))])
        .mark_point(filled=True, size=100, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("area_name:N", scale=area_colour_scale(frame), legend=None),
            shape=shape,
            tooltip=tooltip,
        )
    )
    layers: list[alt.Chart] = [*lines, dots]
    description = describe_trend(points, indicator, measure)
    periods = list(dict.fromkeys(frame.sort_values(["year_end", "period"])["period"]))
    subtitle = [f"{y_title} · {period_span(periods)} · {indicator.family_label}"]
    if intervals_known:
        bars = _interval_bars(points, measure, x, value_y, colour)
        if bars:
            layers[:0] = bars
            subtitle.append(INTERVAL_NOTE)
            description += " " + describe_intervals(points)
    if measure == INDEX:
        reference = pd.DataFrame({"value": [100.0]})
        layers.insert(0, alt.Chart(reference).mark_rule(color="#9a9a9a").encode(y="value:Q"))
    if neighbour_band is not None:
        band = _band_rows(neighbour_band, years, measure, band_label)
        if band["low"].notna().any():
            layers[:0] = _band_layers(band, x, value_y)
            description += " " + describe_band(band)
    if events is not None and not events.empty:
        layers[:0] = event_layers(events, x)
        description += " " + describe_events(events)
        subtitle.append("Numbered dotted lines: events, listed under the chart")
    return _finished(alt.layer(*layers), _title(indicator.name, subtitle), description, height)


def build_sparkline(
    series: pd.DataFrame,
    indicator: Indicator,
    area_name: str,
    width: int = 320,
    height: int = 60,
    measure: str | None = None,
) -> StaticChart:
    """A small trend line in the area's own colour, as SVG; gaps stay gaps, the latest point is
    marked. Plain SVG, not a Vega view: a dozen live views on the Overview cost the browser more
    than a glyph with nothing to hover gives. `measure`: the unit of the values, when not the
    indicator's own (a count shown as a rate)."""
    unit = measure or indicator.unit
    area = str(series["area"].iloc[0]) if len(series) else ""
    colour = area_catalogue().style(area).colour
    known = series.dropna(subset=["value"])
    years = [int(year) for year in known["year_end"]]
    description = f"Small trend line of {indicator.name} for {area_name}, {year_span(years)}."
    if len(known):
        description += (
            f" From {format_value(known['value'].iloc[0], unit)} to"
            f" {format_value(known['value'].iloc[-1], unit)}."
        )
    pad = SPARKLINE_PADDING
    first, last = series["year_end"].min(), series["year_end"].max()
    low, high = known["value"].min(), known["value"].max()

    def point(year: float, value: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * ((year - first) / (last - first) if last > first else 0.5)
        y = pad + (height - 2 * pad) * ((high - value) / (high - low) if high > low else 0.5)
        return round(x, 1), round(y, 1)

    runs: list[list[tuple[float, float]]] = [[]]
    for year, value in zip(series["year_end"], series["value"], strict=True):
        if pd.isna(value):
            runs.append([])
        else:
            runs[-1].append(point(year, value))
    path = " ".join("M" + " L".join(f"{x},{y}" for x, y in run) for run in runs if len(run) > 1)
    marks = [f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>' if path else ""]
    if len(known):
        x, y = point(known["year_end"].iloc[-1], known["value"].iloc[-1])
        marks.append(f'<circle cx="{x}" cy="{y}" r="4.5" fill="{colour}"/>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><title>{xml_escape(description)}</title>'
        + "".join(marks)
        + "</svg>"
    )
    return StaticChart(svg, description)


def build_breakdown_chart(frame: pd.DataFrame, indicator: Indicator, period: str) -> alt.LayerChart:
    """Horizontal grouped bars for one period: a bar per category and area, values at bar ends."""
    bars = _labelled_points(frame, indicator.unit)
    categories = list(dict.fromkeys(bars["breakdown"]))
    scale = area_colour_scale(bars)
    colour = alt.Color("area_name:N", title="Area", scale=scale)
    y = alt.Y("breakdown:N", title=None, sort=categories, axis=alt.Axis(labelLimit=520))
    # Room beyond the longest bar for the value printed at its end (negative bars included).
    known = [0.0, *bars["value"].dropna()]
    low, high = min(known), max(known)
    x = alt.X(
        "value:Q",
        title=indicator.unit_label,
        scale=alt.Scale(domain=[low * 1.18, high * 1.18 or 1], nice=False),
        axis=alt.Axis(format=lookup_unit(indicator.unit).axis_format, tickCount=5),
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
    heading = _title(
        f"{indicator.name} by category",
        [f"{indicator.unit_label} · {period} · {indicator.family_label}"],
    )
    return _finished(alt.layer(rects, text), heading, description, height)


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
            axis=alt.Axis(format=lookup_unit(indicator.unit).axis_format),
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
    heading = _title(
        f"{indicator.name} by category, {area_name}",
        [f"{indicator.unit_label} · {period_span(periods)} · {indicator.family_label}"],
    )
    return _finished(
        alt.Chart(bars).mark_bar().encode(**encoding), heading, description, CHART_HEIGHT
    )


# Caveats are written beside a bar's value (statuses.py), so a projector audience sees them
# without a tooltip.
# A target with no outcome beside it (a budget planned for the coming year) is drawn as a pale
# bar rather than a tick, since there is nothing for a tick to be compared against.
MARKER_PLANNED = "Planned"
PLANNED_OPACITY = 0.4
BAR_LABEL_HEADROOM = 1.18  # room above the tallest upright bar for its value label
CROWDED_CATEGORIES = 8  # more upright bars than this: period labels are slanted so all show
LABEL_CHAR_PX = 8  # rough width of a value label character, to leave room past the longest bar
CATEGORY_LABEL_WRAP = 44  # characters per line of a row label on lying-down bars
BAR_COLUMNS = (
    "indicator_id",
    "area",
    "area_name",
    "period",
    "year_end",
    "breakdown",
    "value",
    "value_label",
    "bar_label",
    "status",
    "status_label",
    "marker",
    "release",
    "conflict_id",
)
# Wrap widths (characters) for a chart in one of two columns of a wide page.
NARROW_TITLE_WRAP = 32
NARROW_SUBTITLE_WRAP = 42


def _bar_markers(points: pd.DataFrame, category: str, group: str) -> pd.Series:
    """Figure, disagreeing figure, target (beside an outcome) or planned (alone) per row."""
    outcome = points["marker"] != MARKER_TARGET
    slots = set(zip(points.loc[outcome, category], points.loc[outcome, group], strict=True))
    alone = [
        marker == MARKER_TARGET and (cat, grp) not in slots
        for marker, cat, grp in zip(points["marker"], points[category], points[group], strict=True)
    ]
    return points["marker"].where(~pd.Series(alone, index=points.index), MARKER_PLANNED)


def _bar_labels(points: pd.DataFrame, *, compact: bool) -> list[str]:
    """Each bar's text; disagreeing figures share one label ('3 or 2?') on the highest."""
    labels = []
    for label, status, marker in zip(
        points["value_label"], points["status"], points["marker"], strict=True
    ):
        if marker == MARKER_TARGET:
            labels.append("")
        elif marker == MARKER_PLANNED:
            labels.append(f"{label} planned")
        elif compact:
            labels.append(label + lookup_status(status).written.mark)
        else:
            labels.append(label + lookup_status(status).written.bar_words)
    disputed = points[points["marker"] == MARKER_CONFLICT]
    for _, group in disputed.groupby("conflict_id"):
        ordered = group.sort_values("value", ascending=False)
        text = " or ".join(dict.fromkeys(ordered["value_label"]))
        positions = [points.index.get_loc(i) for i in ordered.index]
        for position in positions:
            labels[position] = ""
        labels[positions[0]] = f"{text}?" if compact else f"{text} (sources disagree)"
    return labels


def _bar_notes(points: pd.DataFrame, category: str, *, compact: bool) -> list[str]:
    """Subtitle lines: the key to marks on upright bars, and each target drawn as a tick."""
    notes = []
    if compact:
        shown = set(points["status"])
        keys = [s.written.key for s in STATUSES.values() if s.written.key and s.id in shown]
        if (points["marker"] == MARKER_CONFLICT).any():
            keys.append("? sources disagree (diamonds)")
        if keys:
            notes.append("Marks: " + "; ".join(keys))
    targets = points[points["marker"] == MARKER_TARGET]
    if len(targets):
        notes.append(
            "Black tick = target: "
            + "; ".join(f"{row[category]} {row['value_label']}" for _, row in targets.iterrows())
        )
    if (points["marker"] == MARKER_PLANNED).any():
        notes.append("Pale bars = planned at the time of the report, not outcomes")
    return notes


def _spoken_status(row: pd.Series) -> str:
    if row["marker"] == MARKER_CONFLICT:
        return f"{row['status_label']}, sources disagree"
    return str(row["status_label"])


def _group_colours(points: pd.DataFrame, group: str) -> alt.Scale:
    """Areas in their fixed colours; any other grouping in the category palette."""
    if group == "area_name":
        return area_colour_scale(points)
    groups = list(dict.fromkeys(points[group]))
    colours = [CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i in range(len(groups))]
    return alt.Scale(domain=groups, range=colours)


def build_grouped_bars(
    frame: pd.DataFrame,
    unit: str,
    *,
    title: str,
    subtitle: Iterable[str] = (),
    category: str = "period",
    group: str = "area_name",
    horizontal: bool = False,
    category_title: str | None = None,
    group_title: str = "Area",
    narrow: bool = False,
) -> alt.LayerChart:
    """Bars for figures that are not a long series: a bar per category (a period, a question,
    a partner) and group (an area, a year group), each labelled with its value and caveat.

    Categories and groups keep the order of `frame`. Disagreeing figures are diamonds with one
    shared label, never one chosen bar; a target beside an outcome is a black tick, a planned
    figure on its own a pale bar; unpublished values are left out (a gap, not a zero).
    `narrow` wraps the title for a chart sharing the page width with another.
    """
    points = _labelled_points(frame, unit)
    points = points.assign(marker=_bar_markers(points, category, group))
    points = points.assign(bar_label=_bar_labels(points, compact=not horizontal))
    if horizontal:
        wrapped = {
            value: "\n".join(_wrap(str(value), CATEGORY_LABEL_WRAP))
            for value in points[category].unique()
        }
        points = points.assign(**{category: points[category].map(wrapped)})
    # Only what the marks and tooltips use travels to the browser (not notes and quotes).
    needed = [category, group, *BAR_COLUMNS]
    points = points[[column for column in dict.fromkeys(needed) if column in points]]
    categories = list(dict.fromkeys(points[category]))
    colours = _group_colours(points, group)
    groups = list(colours.domain)
    side_by_side = points.groupby(category)[group].nunique().max() > 1
    top = points["value"].max()
    longest_label = max((len(label) for label in points["bar_label"]), default=0)
    headroom = 1.02 if horizontal else BAR_LABEL_HEADROOM
    value_scale = alt.Scale(
        zero=True,
        domainMax=float(top) * headroom if pd.notna(top) and top > 0 else alt.Undefined,
    )
    along, across = (alt.Y, alt.X) if horizontal else (alt.X, alt.Y)
    category_axis = (
        alt.Axis(labelLimit=420, labelExpr="split(datum.value, '\\n')")
        if horizontal
        else alt.Axis(
            labelAngle=0 if len(categories) <= CROWDED_CATEGORIES else -40,
            labelAlign="center" if len(categories) <= CROWDED_CATEGORIES else "right",
            labelLimit=240,
            labelOverlap=False,
        )
    )
    encoding = {
        ("y" if horizontal else "x"): along(
            f"{category}:N",
            title=category_title,
            sort=categories,
            scale=alt.Scale(domain=categories),
            axis=category_axis,
        ),
        ("x" if horizontal else "y"): across(
            "value:Q",
            title=lookup_unit(unit).label,
            scale=value_scale,
            axis=alt.Axis(
                format=lookup_unit(unit).axis_format,
                tickCount=5,
                tickMinStep=1 if unit == "count" else alt.Undefined,
            ),
        ),
        "tooltip": [
            alt.Tooltip(f"{category}:N", title=category_title or "Category"),
            alt.Tooltip(f"{group}:N", title=group_title),
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("value_label:N", title=lookup_unit(unit).label),
            alt.Tooltip("status_label:N", title="Status"),
            alt.Tooltip("release:N", title="Source"),
        ],
    }
    if side_by_side:
        offset = alt.YOffset if horizontal else alt.XOffset
        encoding["yOffset" if horizontal else "xOffset"] = offset(
            f"{group}:N", sort=groups, scale=alt.Scale(domain=groups)
        )
    longest_group = max((len(str(g)) for g in groups), default=0)
    colour = alt.Color(
        f"{group}:N",
        title=group_title,
        scale=colours,
        legend=None
        if len(groups) == 1
        else alt.Legend(columns=1 if longest_group > 40 else 2 if longest_group > 22 else 3),
    )
    known = points[points["value"].notna()]
    layers = []
    for marker, opacity in ((MARKER_VALUE, 1.0), (MARKER_PLANNED, PLANNED_OPACITY)):
        bars = known[known["marker"] == marker]
        if len(bars):
            mark = alt.Chart(bars).mark_bar(opacity=opacity, stroke="#1a1a1a", strokeWidth=0)
            layers.append(mark.encode(color=colour, **encoding))
    disputed = known[known["marker"] == MARKER_CONFLICT]
    if len(disputed):
        diamond = alt.Chart(disputed).mark_point(
            shape="diamond", filled=True, size=260, opacity=1, stroke="#1a1a1a", strokeWidth=1
        )
        layers.append(diamond.encode(color=colour, **encoding))
    targets = known[known["marker"] == MARKER_TARGET]
    if len(targets):
        layers.append(alt.Chart(targets).mark_tick(color="#1a1a1a", thickness=3).encode(**encoding))
    placement = (
        {"align": "left", "baseline": "middle", "dx": 6}
        if horizontal
        else {"align": "center", "baseline": "bottom", "dy": -5}
    )
    labelled = known[known["bar_label"] != ""]
    layers.append(
        alt.Chart(labelled)
        .mark_text(fontSize=AXIS_LABEL_SIZE, color="#1a1a1a", **placement)
        .encode(text="bar_label:N", **encoding)
    )
    slot = 32 * (len(groups) if side_by_side else 1) + 16
    lines = max((label.count("\n") + 1 for label in categories), default=1)
    rows = len(categories) * max(slot, 18 * lines + 12) + 20
    kind = "Horizontal bar chart" if horizontal else "Bar chart"
    description = f"{kind} of {title} ({lookup_unit(unit).label.lower()}): " + "; ".join(
        f"{' '.join(str(row[category]).split())}, {row[group]}: {row['value_label']}"
        f" ({_spoken_status(row)})"
        for _, row in points.iterrows()
    )
    lines_above = [*subtitle, *_bar_notes(points, category, compact=not horizontal)]
    heading = _title(title, lines_above)
    if narrow:
        heading.text = _wrap(title, NARROW_TITLE_WRAP)
        heading.subtitle = [
            line for part in lines_above for line in _wrap(part, NARROW_SUBTITLE_WRAP)
        ]
    chart = alt.layer(*layers).properties(
        title=heading,
        description=description,
        height=max(140, rows) if horizontal else CHART_HEIGHT,
    )
    if horizontal:
        # Room to the right of the longest bar for its label, which may be wider than a bar.
        chart = chart.properties(padding={"right": longest_label * LABEL_CHAR_PX + 12})
    return _configure(chart)


# Funnel plots: every English authority's figure against the base it is worked out from.
PERCENT = "percent"
RATE = "rate_per_10k"
RATE_MULTIPLIER = 10_000
FUNNEL_CONFIDENCES = {"95": 0.95, "998": 0.998}
FUNNEL_LIMIT_NAMES = {"95": "95% limits", "998": "99.8% limits"}
FUNNEL_LIMIT_DASHES = {"95": [6, 4], "998": [1, 0]}
FUNNEL_NARROWS = (
    "The limits narrow to the right: a figure based on more children (or cases) moves less "
    "by chance alone"
)
FUNNEL_POINT_GREY = "#a6a6a6"
FUNNEL_LINE_GREY = "#4d4d4d"
FUNNEL_BENCHMARK = "england"  # the funnel's centre line is drawn in this area's colour
FUNNEL_HIGHLIGHT_SIZE = 320
FUNNEL_NEIGHBOUR_SIZE = 130
FUNNEL_POINT_SIZE = 60
FUNNEL_SHARED_NEIGHBOUR_COLOUR = "#333333"
WITHIN_95 = "within the 95% limits"
ABOVE_95 = "above the 95% limits (within the 99.8%)"
BELOW_95 = "below the 95% limits (within the 99.8%)"
ABOVE_998 = "above the 99.8% limits"
BELOW_998 = "below the 99.8% limits"


def _funnel_limits(
    benchmark: float, unit: str, denominators: np.ndarray, confidence: float
) -> tuple[np.ndarray, np.ndarray]:
    """Limits around the benchmark for each base, in the value's unit (percent or per 10,000)."""
    if unit == PERCENT:
        lower, upper = stats.funnel_limits_proportion(benchmark / 100, denominators, confidence)
        return np.asarray(lower, dtype=float) * 100, np.asarray(upper, dtype=float) * 100
    if unit == RATE:
        lower, upper = stats.funnel_limits_rate(
            benchmark, denominators, RATE_MULTIPLIER, confidence
        )
        return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    raise ValueError(f"no funnel limits for {unit!r}: only percentages and rates have them")


def funnel_limit_lines(
    benchmark: float, unit: str, denominators: Iterable[float], n: int = 100
) -> pd.DataFrame:
    """The 95% and 99.8% limits at `n` bases spread evenly on a log scale across the
    authorities' own: columns denominator, lower95, upper95, lower998, upper998."""
    known = np.asarray([float(d) for d in denominators], dtype=float)
    known = known[np.isfinite(known) & (known > 0)]
    columns = ["denominator", "lower95", "upper95", "lower998", "upper998"]
    if not len(known) or pd.isna(benchmark):
        return pd.DataFrame({column: pd.Series(dtype="float64") for column in columns})
    grid = np.unique(np.geomspace(known.min(), known.max(), n))
    lines = {"denominator": grid}
    for suffix, confidence in FUNNEL_CONFIDENCES.items():
        lower, upper = _funnel_limits(benchmark, unit, grid, confidence)
        lines[f"lower{suffix}"], lines[f"upper{suffix}"] = lower, upper
    return pd.DataFrame(lines)[columns]


def funnel_position(value: float, limits: Mapping[str, float]) -> str:
    """Where a figure sits: within the 95% limits, or above or below the 95% or 99.8% ones;
    "" when there are no limits to place it by."""
    if pd.isna(value) or any(pd.isna(bound) for bound in limits.values()):
        return ""
    if value > limits["upper998"]:
        return ABOVE_998
    if value < limits["lower998"]:
        return BELOW_998
    if value > limits["upper95"]:
        return ABOVE_95
    if value < limits["lower95"]:
        return BELOW_95
    return WITHIN_95


def _log_ticks(low: float, high: float) -> list[float]:
    """1-2-5 ticks across a log axis, so the labels read as round numbers of children."""
    ticks = []
    for power in range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1):
        ticks += [step * 10.0**power for step in (1, 2, 5)]
    return [tick for tick in ticks if low <= tick <= high]


def _funnel_points(points: pd.DataFrame, indicator: Indicator, benchmark: float) -> pd.DataFrame:
    """The authorities that can be placed (a value and a base), with their labels and position."""
    placed = points[points["value"].notna() & (points["denominator"] > 0)]
    placed = placed.assign(
        unit=indicator.unit,
        area=placed["area"].fillna("").astype(str),
        neighbour_of=placed["neighbour_of"].fillna("").astype(str),
    )
    records = placed.to_dict("records")
    denominators = placed["denominator"].to_numpy(dtype=float)
    limits = {}
    for suffix, confidence in FUNNEL_CONFIDENCES.items():
        lower, upper = _funnel_limits(benchmark, indicator.unit, denominators, confidence)
        limits[f"lower{suffix}"], limits[f"upper{suffix}"] = lower, upper
    positions = [
        funnel_position(value, {key: float(bound[i]) for key, bound in limits.items()})
        for i, value in enumerate(placed["value"])
    ]
    return placed.assign(
        value_label=[format_value(value, indicator.unit) for value in placed["value"]],
        count_label=[counts_text(row, indicator) or NO_COUNTS for row in records],
        interval_label=[interval_text(row) for row in records],
        position=positions,
    )


def _owners(neighbour_of: str) -> list[str]:
    return [owner for owner in neighbour_of.split(";") if owner]


def _neighbour_layer(
    neighbours: pd.DataFrame,
    shown: list[str],
    tooltip: list[alt.Tooltip],
    x: alt.X,
    y: alt.Y,
    names: Mapping[str, str],
) -> alt.Chart:
    """The counties' statistical neighbours as white-filled rings that stand out from the grey
    dots: each county's in the grey tinted towards its colour (as their averages are drawn on
    the trend charts), neighbours of both in dark grey."""
    order = list(names)
    owners = sorted(
        dict.fromkeys(neighbours["neighbour_of"]),
        key=lambda key: (
            len(_owners(key)),
            [order.index(o) if o in order else len(order) for o in _owners(key)],
        ),
    )
    labels = {
        key: "Statistical neighbour of " + " and ".join(names.get(o, o) for o in _owners(key))
        for key in owners
    }
    areas = area_catalogue()
    averages = {key: areas.neighbour_average(_owners(key)[0]) for key in owners}
    colours = [
        areas[averages[key]].colour
        if len(_owners(key)) == 1 and averages[key]
        else FUNNEL_SHARED_NEIGHBOUR_COLOUR
        for key in owners
    ]
    rows = neighbours.assign(neighbour_label=neighbours["neighbour_of"].map(labels))
    return (
        alt.Chart(rows[[*shown, "neighbour_label"]])
        .mark_point(
            size=FUNNEL_NEIGHBOUR_SIZE, filled=False, fill="white", strokeWidth=3, opacity=1
        )
        .encode(
            x=x,
            y=y,
            stroke=alt.Stroke(
                "neighbour_label:N",
                scale=alt.Scale(domain=[labels[key] for key in owners], range=colours),
                legend=alt.Legend(title=None, symbolType="circle", symbolStrokeWidth=3, columns=1),
            ),
            tooltip=[*tooltip, alt.Tooltip("neighbour_label:N", title="Outlined as")],
        )
    )


def _highlight_layers(
    areas: pd.DataFrame,
    shown: list[str],
    tooltip: list[alt.Tooltip],
    x: alt.X,
    y: alt.Y,
    names: Mapping[str, str],
) -> list[alt.Chart]:
    """The counties as large dots in their own colours, each labelled with name and value."""
    rows = areas.assign(area_name=areas["area"].map(names))
    rows = rows.assign(label=rows["area_name"] + " " + rows["value_label"])
    ids = area_order(rows["area"])
    colour = alt.Color(
        "area_name:N",
        scale=alt.Scale(
            domain=[names[area] for area in ids],
            range=[area_catalogue().style(area).colour for area in ids],
        ),
        legend=None,
    )
    dots = (
        alt.Chart(rows[[*shown, "area_name"]])
        .mark_circle(size=FUNNEL_HIGHLIGHT_SIZE, opacity=1, stroke="white", strokeWidth=1.5)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    labels = (
        alt.Chart(rows[["denominator", "value", "label"]])
        .mark_text(
            align="left",
            baseline="middle",
            dx=13,
            fontSize=AXIS_LABEL_SIZE,
            fontWeight="bold",
            color="#1a1a1a",
        )
        .encode(x=x, y=y, text="label:N")
    )
    return [dots, labels]


def describe_funnel(
    placed: pd.DataFrame,
    indicator: Indicator,
    *,
    benchmark: float,
    benchmark_name: str,
    year_label: str,
    denominator_label: str,
    highlight_names: Mapping[str, str],
    left_out: int,
) -> str:
    """Screen-reader text: what is plotted and where each highlighted area sits."""
    parts = [
        f"Funnel plot of {indicator.name}, {year_label}: {len(placed)} English local "
        f"authorities, each placed by {denominator_label} (across, log scale) and "
        f"{indicator.unit_label.lower()} (up). {benchmark_name}'s value, "
        f"{format_value(benchmark, indicator.unit)}, is the centre line, with 95% and 99.8% "
        "limits around it."
    ]
    if left_out:
        parts.append(f"{left_out} authorities with no published figure are not shown.")
    for area, name in highlight_names.items():
        rows = placed[placed["area"] == area]
        if rows.empty:
            parts.append(f"{name}: no published figure for {year_label}, so not shown.")
            continue
        row = rows.iloc[0]
        counts = f" ({row['count_label']})" if row["count_label"] != NO_COUNTS else ""
        where = f", {row['position']}" if row["position"] else ""
        parts.append(f"{name}: {row['value_label']}{counts}{where}.")
    parts.append(
        f"Outside the 99.8% limits: {int((placed['position'] == ABOVE_998).sum())} authorities "
        f"above, {int((placed['position'] == BELOW_998).sum())} below."
    )
    return " ".join(parts)


def build_funnel_chart(
    points: pd.DataFrame,
    indicator: Indicator,
    *,
    benchmark: float,
    year_label: str,
    denominator_label: str,
    highlight_names: Mapping[str, str],
    benchmark_name: str = "England",
    height: int = CHART_HEIGHT,
) -> alt.LayerChart:
    """Every English authority's figure against its base, with the benchmark's 95% and 99.8%
    limits: a figure outside them is unlikely to differ from the benchmark by chance alone.

    `points` is benchmarks.funnel_points for one indicator and year (la_name, area,
    neighbour_of, value, numerator, denominator, ci95_lower, ci95_upper); `highlight_names`
    maps the areas drawn large in their own colours (leicestershire, rutland) to their names.
    The limits are worked out here from the benchmark, so the lines and each area's stated
    position always agree. The base runs on a log scale: authorities' bases span two orders of
    magnitude, and on a linear axis Rutland and half of England would crowd into its first tenth.
    """
    if pd.isna(benchmark):
        raise ValueError("a funnel plot needs the benchmark's value for its centre line")
    placed = _funnel_points(points, indicator, benchmark)
    if placed.empty:
        raise ValueError("no authority has both a figure and a base to plot")
    unit = indicator.unit
    value_title = indicator.unit_label
    tooltip = [
        alt.Tooltip("la_name:N", title="Authority"),
        alt.Tooltip("value_label:N", title=value_title),
        alt.Tooltip("count_label:N", title="Counts"),
        alt.Tooltip("interval_label:N", title="95% interval"),
        alt.Tooltip("position:N", title=f"Against {benchmark_name}'s limits"),
    ]
    shown = ["la_name", "denominator", "value", *(t.shorthand.split(":")[0] for t in tooltip[1:])]
    low, high = float(placed["denominator"].min()), float(placed["denominator"].max())
    x = alt.X(
        "denominator:Q",
        title=f"{denominator_label} (log scale)",
        scale=alt.Scale(type="log", domain=[low / 1.15, high * 1.15], nice=False),
        axis=alt.Axis(values=_log_ticks(low / 1.15, high * 1.15), format=",.0f", grid=False),
    )
    values = [*placed["value"], benchmark]
    span = (max(values) - min(values)) or abs(benchmark) or 1.0
    bottom, top = min(values) - span * 0.08, max(values) + span * 0.08
    # Rates and percentages are never negative, nor percentages above 100.
    bottom, top = max(bottom, 0.0), min(top, 100.0) if unit == PERCENT else top
    y = alt.Y(
        "value:Q",
        title=value_title,
        scale=alt.Scale(domain=[bottom, top], zero=False),
        axis=alt.Axis(format=lookup_unit(unit).axis_format, tickCount=6),
    )

    limits = funnel_limit_lines(benchmark, unit, placed["denominator"])
    long = limits.melt("denominator", var_name="line", value_name="value")
    long["limit"] = long["line"].str.removeprefix("lower").str.removeprefix("upper")
    long["limit"] = long["limit"].map(FUNNEL_LIMIT_NAMES)
    limit_lines = (
        alt.Chart(long[["denominator", "value", "line", "limit"]])
        .mark_line(clip=True, color=FUNNEL_LINE_GREY, strokeWidth=1.5)
        .encode(
            x=x,
            y=y,
            detail="line:N",
            strokeDash=alt.StrokeDash(
                "limit:N",
                scale=alt.Scale(
                    domain=list(FUNNEL_LIMIT_NAMES.values()),
                    range=list(FUNNEL_LIMIT_DASHES.values()),
                ),
                legend=alt.Legend(
                    title=None, symbolType="stroke", symbolStrokeWidth=2, symbolSize=900
                ),
            ),
        )
    )
    centre = pd.DataFrame(
        {
            "value": [benchmark],
            "denominator": [low / 1.15],
            "label": [f"{benchmark_name} {format_value(benchmark, unit)}"],
        }
    )
    centre_line = (
        alt.Chart(centre[["value"]])
        .mark_rule(color=area_catalogue().style(FUNNEL_BENCHMARK).colour, strokeWidth=2)
        .encode(y=y)
    )
    centre_label = (
        alt.Chart(centre)
        .mark_text(
            align="left",
            baseline="bottom",
            dx=4,
            dy=-4,
            fontSize=AXIS_LABEL_SIZE,
            color=area_catalogue().style(FUNNEL_BENCHMARK).colour,
        )
        .encode(x=x, y=y, text="label:N")
    )

    highlighted = placed["area"].isin(list(highlight_names))
    neighbour = ~highlighted & (placed["neighbour_of"] != "")
    others = placed[~highlighted & ~neighbour]
    dots = (
        alt.Chart(others[shown])
        .mark_circle(size=FUNNEL_POINT_SIZE, opacity=0.8, color=FUNNEL_POINT_GREY)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    layers: list[alt.Chart] = [limit_lines, centre_line, centre_label, dots]

    if neighbour.any():
        layers.append(_neighbour_layer(placed[neighbour], shown, tooltip, x, y, highlight_names))
    if highlighted.any():
        layers += _highlight_layers(placed[highlighted], shown, tooltip, x, y, highlight_names)

    left_out = len(points) - len(placed)
    subtitle = [
        f"{value_title} by {denominator_label}, {year_label} · one dot per English local "
        f"authority · centre line: {benchmark_name}",
        FUNNEL_NARROWS,
    ]
    description = describe_funnel(
        placed,
        indicator,
        benchmark=benchmark,
        benchmark_name=benchmark_name,
        year_label=year_label,
        denominator_label=denominator_label,
        highlight_names=highlight_names,
        left_out=left_out,
    )
    return _finished(alt.layer(*layers), _title(indicator.name, subtitle), description, height)

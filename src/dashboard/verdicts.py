"""The Overview's first screen: for each headline indicator, how each county stands against
England and against its year before, in words and symbols.

Better and worse (coloured) only where a statistical test says chance does not explain the
difference and the indicator says which side is better; volumes are higher, similar or lower,
never coloured. Pure: the page hands in the latest changes and positions it already has.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from dashboard.catalogue import Indicator
from dashboard.config import JUDGEMENT_STYLES
from dashboard.formatting import format_short
from dashboard.intervals import Position
from dashboard.transforms import LatestChange, change_category, latest_figure_text
from dashboard.units import INTERVAL_UNITS

# Judgements that come from a test or an interval.
TESTED = frozenset({"better", "worse", "similar", "higher", "lower"})
POLARITIES = frozenset({"higher_is_better", "lower_is_better"})
# A headline indicator whose latest figure is this many years behind the newest is grouped
# under "older figures", so a 2015/16 count never reads as this year's news.
OLDER_AFTER_YEARS = 2


@dataclass(frozen=True)
class Cell:
    """One comparison: a judgement key of config.JUDGEMENT_STYLES (or "" for none), its words,
    and the fuller sentence a hover shows."""

    judgement: str
    words: str
    detail: str = ""


@dataclass(frozen=True)
class AreaVerdict:
    area_name: str
    period: str
    value: str
    against_england: Cell
    since_before: Cell


@dataclass(frozen=True)
class VerdictRow:
    indicator: Indicator
    year_end: int
    areas: tuple[AreaVerdict, ...]

    @property
    def judged(self) -> bool:
        """Whether it can be better or worse (a side is better) and a test or an interval
        decided at least one of its comparisons: these rows come first."""
        return self.indicator.polarity in POLARITIES and any(
            cell.judgement in TESTED
            for area in self.areas
            for cell in (area.against_england, area.since_before)
        )


@dataclass(frozen=True)
class AreaFigures:
    """What the page knows of one area's latest figure."""

    area_name: str
    change: LatestChange | None
    position: Position | None


def england_cell(figures: AreaFigures, indicator: Indicator) -> Cell:
    position = figures.position
    if position is None:
        if indicator.unit not in INTERVAL_UNITS:
            return Cell("", "—", "A count: not compared, the size of the area decides it.")
        return Cell("", "No England figure", "No England figure for the same year.")
    benchmark = format_short(position.benchmark_value, indicator.unit)
    detail = f"{position.words} ({benchmark}), judged by the 95% interval."
    if position.judgement == "not_tested":
        return Cell("not_tested", "Not tested", detail)
    return Cell(position.judgement, JUDGEMENT_STYLES[position.judgement].label, detail)


def since_before_cell(change: LatestChange) -> Cell:
    """The change since the year before, by its test: better/worse only with a polarity."""
    category = change_category(change)
    if category == "no_earlier":
        return Cell("", "No earlier figure", "No earlier figure to compare with.")
    before = f"than {change.previous_period}"
    if category in {"better", "worse"}:
        detail = f"{category.capitalize()} {before}, beyond chance."
        return Cell(category, JUDGEMENT_STYLES[category].label, detail)
    if category == "same":
        return Cell("similar", "No change", f"The same as {change.previous_period}.")
    if category == "changed":
        side = "higher" if change.change > 0 else "lower"
        detail = f"{side.capitalize()} {before}, beyond chance."
        return Cell(side, JUDGEMENT_STYLES[side].label, detail)
    if category == "within_chance":
        detail = f"Changed since {change.previous_period}, but within what chance explains."
        return Cell("similar", "Within chance", detail)
    reason = change.untested_reason.capitalize() + "." if change.untested_reason else ""
    return Cell("not_tested", "Not tested", f"Change since {change.previous_period}. {reason}")


def verdict_row(indicator: Indicator, figures: Sequence[AreaFigures]) -> VerdictRow | None:
    """One indicator's row; None when no area has a figure."""
    areas = []
    for area in figures:
        change = area.change
        if change is None:
            continue
        value = latest_figure_text(change, indicator.unit)
        areas.append(
            AreaVerdict(
                area.area_name,
                change.period,
                value,
                england_cell(area, indicator),
                since_before_cell(change),
            )
        )
    if not areas:
        return None
    year_end = max(area.change.year_end for area in figures if area.change is not None)
    return VerdictRow(indicator, year_end, tuple(areas))


def order_rows(rows: Sequence[VerdictRow]) -> tuple[list[VerdictRow], list[VerdictRow]]:
    """(current, older): judged rows first, each group in the given order; rows whose latest
    figure is OLDER_AFTER_YEARS or more behind the newest go to `older`."""
    if not rows:
        return [], []
    newest = max(row.year_end for row in rows)
    current = [row for row in rows if newest - row.year_end < OLDER_AFTER_YEARS]
    older = [row for row in rows if newest - row.year_end >= OLDER_AFTER_YEARS]
    current.sort(key=lambda row: not row.judged)
    return current, older


def judgement_html(cell: Cell) -> str:
    """Symbol and words; coloured (and bold) only for better and worse."""
    style = JUDGEMENT_STYLES.get(cell.judgement)
    symbol = f'<span aria-hidden="true">{escape(style.symbol)}</span> ' if style else ""
    words = f"{symbol}{escape(cell.words)}"
    if style and cell.judgement in {"better", "worse"}:
        return f'<span style="color:{style.colour};font-weight:600">{words}</span>'
    return words


def cell_html(cell: Cell) -> str:
    title = f' title="{escape(cell.detail)}"' if cell.detail else ""
    return f"<td{title}>{judgement_html(cell)}</td>"


def row_period(row: VerdictRow) -> str:
    """The row's latest period; an area whose own latest is older says so in its cell."""
    return max(row.areas, key=lambda area: area.period).period


def own_period(area: AreaVerdict, period: str) -> str:
    return f' <span class="unit">({escape(area.period)})</span>' if area.period != period else ""


def name_html(row: VerdictRow, linked: bool) -> str:
    name = escape(row.indicator.name)
    if linked:
        name = f'<a href="indicator?indicator={escape(row.indicator.id)}" target="_self">{name}</a>'
    unit = f"{row_period(row)} · {row.indicator.unit_label}"
    return f'{name} <span class="unit">{escape(unit)}</span>'


def wide_rows_html(rows: Sequence[VerdictRow], area_names: Sequence[str]) -> str:
    """Desktop: one row per indicator, three columns per area."""
    lines = []
    for row in rows:
        by_area = {area.area_name: area for area in row.areas}
        cells = [f'<th scope="row">{name_html(row, linked=True)}</th>']
        for name in area_names:
            area = by_area.get(name)
            if area is None:
                cells.append('<td colspan="3" class="none">No figure published</td>')
                continue
            period = own_period(area, row_period(row))
            cells.append(f'<td class="value">{escape(area.value)}{period}</td>')
            cells.append(cell_html(area.against_england))
            cells.append(cell_html(area.since_before))
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(lines)


def phone_rows_html(rows: Sequence[VerdictRow], area_names: Sequence[str]) -> str:
    """Phone: the indicator's name across, then one cell per area, side by side."""
    lines = []
    for row in rows:
        by_area = {area.area_name: area for area in row.areas}
        lines.append(
            f'<tr><th scope="colgroup" colspan="{len(area_names)}" class="name">'
            f"{name_html(row, linked=False)}</th></tr>"
        )
        cells = []
        for name in area_names:
            area = by_area.get(name)
            if area is None:
                cells.append('<td class="none">No figure published</td>')
                continue
            cells.append(
                f'<td><span class="value">{escape(area.value)}</span>'
                f"{own_period(area, row_period(row))}"
                f'<span class="line">England: {judgement_html(area.against_england)}</span>'
                f'<span class="line">Year before: {judgement_html(area.since_before)}</span></td>'
            )
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(lines)


def grouped_bodies(
    rows: Sequence[VerdictRow],
    area_names: Sequence[str],
    rows_html: Callable[[Sequence[VerdictRow], Sequence[str]], str],
    span: int,
) -> str:
    """Judged rows first; older figures under their own heading with their year."""
    current, older = order_rows(rows)
    bodies = [f"<tbody>{rows_html(current, area_names)}</tbody>"]
    if older:
        years = sorted({area.period for row in older for area in row.areas})
        heading = f"Older figures: latest {' and '.join(years)}"
        bodies.append(
            f'<tbody><tr><th scope="rowgroup" colspan="{span}" class="group">'
            f"{escape(heading)}</th></tr>{rows_html(older, area_names)}</tbody>"
        )
    return "".join(bodies)


def verdict_table_html(rows: Sequence[VerdictRow], area_names: Sequence[str]) -> str:
    """The strip as one accessible table: a header per area (latest figure, against England,
    against the year before)."""
    area_heads = "".join(
        f'<th scope="colgroup" colspan="3" class="area">{escape(name)}</th>' for name in area_names
    )
    sub_heads = (
        '<th scope="col">Latest</th><th scope="col">Against England</th>'
        '<th scope="col">Against the year before</th>'
    ) * len(area_names)
    bodies = grouped_bodies(rows, area_names, wide_rows_html, 1 + 3 * len(area_names))
    return (
        f'<table class="verdicts"><thead><tr><td></td>{area_heads}</tr>'
        f'<tr><th scope="col">Indicator</th>{sub_heads}</tr></thead>{bodies}</table>'
    )


def verdict_phone_html(rows: Sequence[VerdictRow], area_names: Sequence[str]) -> str:
    """The same verdicts for a phone: the counties side by side, each comparison named."""
    heads = "".join(f'<th scope="col">{escape(name)}</th>' for name in area_names)
    bodies = grouped_bodies(rows, area_names, phone_rows_html, len(area_names))
    return f'<table class="verdicts-phone"><thead><tr>{heads}</tr></thead>{bodies}</table>'


VERDICT_CSS = """<style>
table.verdicts { border-collapse: collapse; width: 100%; font-size: 0.85rem; line-height: 1.2; }
table.verdicts th, table.verdicts td {
  padding: 0.25rem 0.4rem; border-bottom: 1px solid #d0d4da; text-align: left;
  vertical-align: top;
}
table.verdicts th[scope="row"] { width: 34%; }
table.verdicts thead th { font-weight: 600; border-bottom: 2px solid #5f6368; }
table.verdicts th.area { text-align: left; font-size: 1rem; border-bottom: 1px solid #5f6368; }
table.verdicts th[scope="row"] { font-weight: 600; }
table.verdicts th[scope="row"] a { color: #1a1a1a; }
table.verdicts td.value { font-weight: 600; white-space: nowrap; }
table.verdicts .unit { font-weight: 400; color: #5f6368; font-size: 0.8rem; }
@media (min-width: 900px) { table.verdicts td { white-space: nowrap; } }
table.verdicts th.group { background: #f2f4f7; font-weight: 600; }
table.verdicts td.none { color: #5f6368; }
table.verdicts-phone { display: none; border-collapse: collapse; width: 100%; font-size: 0.85rem; }
table.verdicts-phone th, table.verdicts-phone td {
  padding: 0.2rem 0.3rem; text-align: left; vertical-align: top; width: 50%;
}
table.verdicts-phone thead th { border-bottom: 2px solid #5f6368; }
table.verdicts-phone th.name { padding-top: 0.6rem; font-weight: 600; }
table.verdicts-phone td { border-bottom: 1px solid #d0d4da; }
table.verdicts-phone .value { font-weight: 600; }
table.verdicts-phone .line { display: block; }
table.verdicts-phone .unit { font-weight: 400; color: #5f6368; font-size: 0.8rem; }
table.verdicts-phone th.group { background: #f2f4f7; }
@media (max-width: 640px) {
  table.verdicts { display: none; }
  table.verdicts-phone { display: table; }
}
</style>"""

"""Pure pandas shaping of the observations for pages and charts; no Streamlit, no globals."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard.areas import area_catalogue
from dashboard.catalogue import Indicator
from dashboard.config import SYMBOL_LABELS
from dashboard.formatting import format_short
from dashboard.intervals import (
    INTERVAL_COLUMNS,
    Position,
    add_intervals,
    change_test,
    interval_text,
    position_against,
    untested_reason,
)
from dashboard.schema import OBSERVATION_KEY
from dashboard.stats import ChangeTest
from dashboard.statuses import caution_rank, lookup_status
from dashboard.units import INDEX, INTERVAL_UNITS, lookup_unit

HEADLINE = ""
RATE = "rate_per_10k"
SERIES_KEYS = ["indicator_id", "area", "breakdown"]

MARKER_VALUE = "Figure"
MARKER_CONFLICT = "Sources disagree"
MARKER_TARGET = "Target (planned, not an outcome)"


def filter_observations(
    observations: pd.DataFrame,
    *,
    indicator_ids: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    breakdown: str | None = HEADLINE,
) -> pd.DataFrame:
    """Rows for some indicators, areas and years; breakdown None keeps every breakdown."""
    keep = pd.Series(True, index=observations.index)
    if indicator_ids is not None:
        keep &= observations["indicator_id"].isin(list(indicator_ids))
    if areas is not None:
        keep &= observations["area"].isin(list(areas))
    if year_from is not None:
        keep &= observations["year_end"] >= year_from
    if year_to is not None:
        keep &= observations["year_end"] <= year_to
    if breakdown is not None:
        keep &= observations["breakdown"] == breakdown
    return observations[keep].reset_index(drop=True)


def annual(observations: pd.DataFrame) -> pd.DataFrame:
    """Drop quarterly rows of series that also have yearly rows: both share a year_end."""
    quarterly = observations["period_type"] == "quarter"
    has_yearly = observations[~quarterly][SERIES_KEYS].drop_duplicates().assign(_has_yearly=True)
    merged = observations.merge(has_yearly, on=SERIES_KEYS, how="left")
    drop = quarterly.to_numpy() & merged["_has_yearly"].eq(True).to_numpy()
    return observations[~drop].reset_index(drop=True)


def with_markers(observations: pd.DataFrame) -> pd.DataFrame:
    """Add `marker`: a plain figure, one of two disagreeing figures, or a target."""
    marker = pd.Series(MARKER_VALUE, index=observations.index, dtype="string")
    marker[observations["conflict_id"].fillna("") != ""] = MARKER_CONFLICT
    marker[observations["status"] == "target"] = MARKER_TARGET
    return observations.assign(marker=marker)


def year_values(observations: pd.DataFrame) -> pd.DataFrame:
    """One row per series and year from first to last: the value, or NaN (a gap in the line).

    A year is a gap when nothing was published, when the value is suppressed, or when the
    sources give more than one figure: a line must not pick one of two disagreeing values.
    Targets are plans, not outcomes, so they never join the line.
    """
    columns = [*SERIES_KEYS, "year_end", "value"]
    actual = observations[observations["status"] != "target"]
    if actual.empty:
        return pd.DataFrame({name: pd.Series(dtype=_dtype(name)) for name in columns})
    # Passages restating the same figure agree, so they still give one value.
    grouped = actual.groupby([*SERIES_KEYS, "year_end"], dropna=False)["value"]
    per_year = grouped.agg(["first", "nunique"]).reset_index()
    per_year["value"] = per_year["first"].where(per_year["nunique"] == 1)
    frames = []
    for key, series in per_year.groupby(SERIES_KEYS, sort=False):
        years = pd.RangeIndex(series["year_end"].min(), series["year_end"].max() + 1)
        full = series.set_index("year_end")["value"].reindex(years)
        frames.append(
            pd.DataFrame(
                {
                    **dict(zip(SERIES_KEYS, key, strict=True)),
                    "year_end": years.to_numpy(dtype="int64"),
                    "value": full.to_numpy(dtype="float64"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[columns]


def _dtype(name: str) -> str:
    return {"year_end": "int64", "value": "float64"}.get(name, "string")


def available_measures(indicators: Iterable[Indicator]) -> list[str]:
    """Measures that make sense: each unit as published, a rate per 10,000 children for counts
    of children (computed), then an index (any unit can be indexed)."""
    indicators = list(indicators)
    units = [indicator.unit for indicator in indicators]
    if any(indicator.rate_denominator for indicator in indicators):
        units.append(RATE)
    return [*dict.fromkeys(units), INDEX]


def shown_in_measure(indicator: Indicator, measure: str) -> bool:
    """An indicator is drawn in its own unit, as an index, or as a computed rate if it allows."""
    return measure in {INDEX, indicator.unit} or (
        measure == RATE and bool(indicator.rate_denominator)
    )


@dataclass(frozen=True)
class Measured:
    """Observations expressed in one measure, with the rule that turned them into it."""

    frame: pd.DataFrame  # `value` in the measure; `published_value` as published
    measure: str
    base_year: int | None
    rule: str
    dropped: tuple[str, ...]  # series left out because they have no base-year value


def index_rule(base_year: int) -> str:
    return (
        f"Index = each area's value divided by the same area's {base_year} value, times 100, "
        f"so every area starts at 100 in {base_year}. It compares change over time, not size."
    )


RATE_RULE = (
    "Rates for counts are computed here: count / ONS mid-year population aged 0-17 of the "
    "calendar year before the year ends × 10,000 (DfE's convention)."
)
# Said only where a table is one switch away (pages, not slides or packs).
RATE_TABLE_NOTE = "The table behind the chart shows the count and population behind each rate."


def apply_measure(
    observations: pd.DataFrame,
    measure: str,
    base_year: int | None = None,
    population: pd.DataFrame | None = None,
) -> Measured:
    """Keep the published value, put counts per 10,000 children, or index each series on its
    own base-year value."""
    frame = observations.assign(published_value=observations["value"])
    counts = frame["unit"] == "count"
    if measure == RATE and counts.any():
        if population is None:
            raise ValueError("a rate needs the population table")
        rates = rate_per_10k_children(frame[counts], population)
        frame = pd.concat([frame[~counts], rates], ignore_index=True)
        return Measured(frame, measure, None, RATE_RULE, ())
    if measure != INDEX:
        return Measured(frame, measure, None, "", ())
    if base_year is None:
        raise ValueError("an index needs a base year")
    per_year = year_values(frame)
    bases = per_year[(per_year["year_end"] == base_year) & per_year["value"].notna()]
    bases = bases[bases["value"] != 0].rename(columns={"value": "_base"})
    merged = frame.merge(bases[[*SERIES_KEYS, "_base"]], on=SERIES_KEYS, how="left")
    missing = merged[merged["_base"].isna()][SERIES_KEYS].drop_duplicates()
    dropped = tuple(
        " ".join(part for part in row if part) for row in missing.itertuples(index=False)
    )
    merged = merged[merged["_base"].notna()]
    # An index has no interval of its own: the published value's limits would mislead here.
    merged = merged.assign(
        value=merged["value"] / merged["_base"] * 100,
        **{column: float("nan") for column in INTERVAL_COLUMNS if column in merged},
    ).drop(columns="_base")
    return Measured(merged.reset_index(drop=True), INDEX, base_year, index_rule(base_year), dropped)


def default_base_year(observations: pd.DataFrame) -> int | None:
    """The first year in which every series has a single value, else the first year with any."""
    per_year = year_values(observations).dropna(subset=["value"])
    if per_year.empty:
        return None
    series_count = per_year[SERIES_KEYS].drop_duplicates().shape[0]
    covered = per_year.groupby("year_end").size()
    complete = covered[covered == series_count]
    return int(complete.index.min() if not complete.empty else covered.index.min())


@dataclass(frozen=True)
class LatestChange:
    """The latest figure of one series and how it moved since the previous one."""

    year_end: int
    period: str
    values: tuple[float, ...]  # two or more when the sources disagree
    symbol: str
    status: str
    previous_period: str | None
    previous_value: float | None
    change: float | None
    # better | worse (beyond chance) | within_chance | not_tested | same | no_judgement | unknown
    judgement: str
    # The latest earlier year left out of the comparison because its sources disagree.
    skipped_period: str | None = None
    skipped_values: tuple[float, ...] = ()
    test: ChangeTest | None = None  # the test of the change, when one applies
    untested_reason: str = ""  # why there is no test, in words
    latest_row: Mapping[str, object] = field(default_factory=dict)
    previous_row: Mapping[str, object] = field(default_factory=dict)

    @property
    def value(self) -> float | None:
        return self.values[0] if len(self.values) == 1 else None

    @property
    def disputed(self) -> bool:
        return len(self.values) > 1

    @property
    def beyond_chance(self) -> bool | None:
        """True or False once tested; None when no test applies."""
        return None if self.test is None or not self.test.tested else self.test.significant()


def change_category(change: LatestChange) -> str:
    """What the change since the figure before amounts to, by its test; every page words it
    from this one reading:
    no_earlier | better | worse (beyond chance, read through the polarity) | same |
    within_chance | changed (beyond chance, no better side) | not_tested (a better side, no
    test) | untested (no better side, no test)."""
    if change.previous_period is None or change.change is None:
        return "no_earlier"
    if change.judgement in {"better", "worse", "same", "within_chance", "not_tested"}:
        return change.judgement
    if change.beyond_chance is None:
        return "untested"
    return "changed" if change.beyond_chance else "within_chance"


def latest_figure_text(change: LatestChange, unit: str) -> str:
    """The latest figure as a tile shows it: '25.5%', a DfE symbol in words, or both values
    ('369 or 206') where the sources disagree."""
    if change.disputed:
        return " or ".join(format_short(value, unit) for value in change.values)
    return format_short(change.value, unit, change.symbol)


def judge(change: float, polarity: str, test: ChangeTest | None = None) -> str:
    """Whether a change is an improvement: the polarity names the side, the test says whether
    chance explains it. Untested changes are never called better or worse."""
    if polarity not in {"higher_is_better", "lower_is_better"}:
        return "no_judgement"
    if change == 0:
        return "same"
    if test is None or not test.tested:
        return "not_tested"
    if not test.significant():
        return "within_chance"
    improved = change > 0 if polarity == "higher_is_better" else change < 0
    return "better" if improved else "worse"


def latest_change(series: pd.DataFrame, polarity: str) -> LatestChange | None:
    """Latest vs previous figure for one indicator and area (headline rows, targets ignored).

    Passages restating one figure count once, with their strongest caveat (a provisional table
    value stays provisional when prose repeats it); a disputed earlier year is skipped and named.
    The change is tested (intervals.change_test) before the polarity may call it better or worse.
    """
    actual = collapse_restatements(series[series["status"] != "target"])
    actual = actual.sort_values(["year_end", "record_id"])
    if actual.empty:
        return None
    last_year = int(actual["year_end"].max())
    latest = actual[actual["year_end"] == last_year]
    values = tuple(dict.fromkeys(float(v) for v in latest["value"].dropna()))
    first = latest.iloc[0]
    earlier = actual[(actual["year_end"] < last_year) & actual["value"].notna()]
    single = earlier.groupby("year_end").filter(lambda rows: rows["value"].nunique() == 1)
    previous = (
        single[single["year_end"] == single["year_end"].max()].iloc[0] if len(single) else None
    )
    disputed = earlier[earlier["year_end"] > (-1 if previous is None else previous["year_end"])]
    skipped = disputed[disputed["year_end"] == disputed["year_end"].max()]
    change = None
    judgement = "unknown"
    test = None
    reason = ""
    latest_row = first.to_dict()
    previous_row = {} if previous is None else previous.to_dict()
    if len(values) == 1 and previous is not None:
        change = values[0] - float(previous["value"])
        reason = untested_reason(previous_row, latest_row)
        test = None if reason else change_test(previous_row, latest_row)
        judgement = judge(change, polarity, test)
    return LatestChange(
        year_end=last_year,
        period=str(first["period"]),
        values=values,
        symbol=str(first["value_symbol"]),
        status=str(first["status"]),
        previous_period=None if previous is None else str(previous["period"]),
        previous_value=None if previous is None else float(previous["value"]),
        change=change,
        judgement=judgement,
        skipped_period=str(skipped["period"].iloc[0]) if len(skipped) else None,
        skipped_values=tuple(dict.fromkeys(float(v) for v in skipped["value"])),
        test=test,
        untested_reason=reason,
        latest_row=latest_row,
        previous_row=previous_row,
    )


def position_for(
    change: LatestChange | None,
    benchmark_rows: pd.DataFrame,
    benchmark_name: str,
    polarity: str,
) -> Position | None:
    """The latest figure against the benchmark's figure for the same year, by its interval;
    None when either is missing or disputed, or for sizes (a county's count against England's
    says nothing)."""
    if (
        change is None
        or change.value is None
        or change.latest_row.get("unit") not in (INTERVAL_UNITS)
    ):
        return None
    same_year = benchmark_rows[
        (benchmark_rows["year_end"] == change.year_end) & benchmark_rows["value"].notna()
    ]
    if same_year["value"].nunique() != 1:
        return None
    benchmark = float(same_year["value"].iloc[0])
    return position_against(change.latest_row, benchmark, benchmark_name, polarity)


def sparkline_series(observations: pd.DataFrame, indicator_id: str, area: str) -> pd.DataFrame:
    """Year and value for a small trend line of one headline series, gaps kept as NaN."""
    rows = annual(filter_observations(observations, indicator_ids=[indicator_id], areas=[area]))
    return year_values(rows)[["area", "year_end", "value"]]


def areas_with_data(observations: pd.DataFrame, indicator_id: str) -> list[str]:
    """Areas that have at least one headline row for an indicator, in palette order."""
    rows = observations[
        (observations["indicator_id"] == indicator_id) & (observations["breakdown"] == HEADLINE)
    ]
    return area_order(rows["area"])


def coverage(observations: pd.DataFrame) -> pd.DataFrame:
    """For each indicator and area: first and last year, and how many years have a figure."""
    known = observations[observations["value"].notna()]
    grouped = known.groupby(["indicator_id", "area"])["year_end"]
    return grouped.agg(first_year="min", last_year="max", years="nunique").reset_index()


def conflicts(observations: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Rows of one indicator whose sources disagree, grouped by conflict."""
    rows = observations[
        (observations["indicator_id"] == indicator_id) & (observations["conflict_id"] != "")
    ]
    return rows.sort_values(["conflict_id", "record_id"]).reset_index(drop=True)


def counterpart_comparison(
    observations: pd.DataFrame, indicator_id: str, counterpart_id: str
) -> pd.DataFrame:
    """Years and areas where both indicators have a single headline value, side by side."""
    both = annual(filter_observations(observations, indicator_ids=[indicator_id, counterpart_id]))
    per_year = year_values(both).dropna(subset=["value"])
    own = per_year[per_year["indicator_id"] == indicator_id]
    other = per_year[per_year["indicator_id"] == counterpart_id]
    merged = own.merge(other, on=["area", "year_end"], suffixes=("", "_counterpart"))
    merged = merged.rename(columns={"value_counterpart": "counterpart_value"})
    merged["difference"] = merged["value"] - merged["counterpart_value"]
    periods = both[both["indicator_id"] == indicator_id].drop_duplicates(["area", "year_end"])
    merged = merged.merge(periods[["area", "year_end", "period"]], on=["area", "year_end"])
    return merged[["area", "year_end", "period", "value", "counterpart_value", "difference"]]


def breakdown_rows(observations: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Rows of one indicator that are for a category (partner, school year, outcome...)."""
    rows = observations[
        (observations["indicator_id"] == indicator_id) & (observations["breakdown"] != HEADLINE)
    ]
    return rows.reset_index(drop=True)


def releases(observations: pd.DataFrame) -> list[str]:
    """Distinct source names (document titles or official releases) behind some rows."""
    return sorted(name for name in observations["release"].dropna().unique() if name)


def area_order(areas: Iterable[str]) -> list[str]:
    """Areas in areas.csv's order (local areas first, comparators after)."""
    rank = area_catalogue().rank
    return sorted(dict.fromkeys(areas), key=lambda area: (rank(area), area))


def area_names(areas: pd.DataFrame) -> dict[str, str]:
    """Area id -> display name, from the areas table."""
    return dict(zip(areas["area"], areas["name"], strict=True))


def name_areas(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Add `area_name` for legends and tables; unknown ids are shown as they are."""
    return frame.assign(area_name=frame["area"].map(lambda area: names.get(area, area)))


# Column headings of the table shown under every chart and offered as CSV.
TABLE_HEADINGS = {
    "indicator_name": "Indicator",
    "area_name": "Area",
    "period": "Period",
    "breakdown": "Category",
    "figure": "Figure",
    "value": "Value shown",
    "published_value": "Value as published",
    "unit": "Unit",
    "value_symbol": "Why no figure",
    "status": "Status",
    "interval": "95% interval",
    "numerator": "Numerator (count)",
    "denominator": "Denominator",
    "rule": "How it was computed",
    "release": "Source",
    "source": "Source file",
    "source_ref": "Where in the source (quote or row)",
    "note": "Note",
    "conflict_id": "Conflict",
}


def figure_text(row: Mapping[str, object]) -> str:
    """A cell a person reads beside its unit: '458.0', '25.5%', '1,200 (provisional)', or why
    there is no figure."""
    value = row.get("value")
    symbol = str(row.get("value_symbol") or "")
    if value is None or pd.isna(value):
        return format_short(None, str(row["unit"]), symbol)
    status = lookup_status(str(row.get("status", "")))
    return format_short(float(value), str(row["unit"])) + status.written.bar_words


def display_table(
    frame: pd.DataFrame, indicator_names: Mapping[str, str], names: Mapping[str, str]
) -> pd.DataFrame:
    """The rows behind a chart with readable headings and cells in words (units, statuses and
    DfE symbols), including where every value comes from."""
    table = name_areas(frame, names).assign(
        indicator_name=frame["indicator_id"].map(lambda i: indicator_names.get(i, i))
    )
    if "published_value" not in table:
        table = table.assign(published_value=table["value"])
    records = table.to_dict("records")
    table = table.assign(
        interval=[interval_text(row) for row in records],
        figure=[figure_text(row) for row in records],
        unit=table["unit"].map(lambda unit: lookup_unit(unit).label),
        status=table["status"].map(lambda status: lookup_status(status).label),
        value_symbol=table["value_symbol"].map(lambda symbol: SYMBOL_LABELS.get(symbol, symbol)),
    )
    rank = {area: position for position, area in enumerate(area_order(table["area"]))}
    ordered = table.assign(_rank=table["area"].map(rank)).sort_values(
        ["indicator_id", "year_end", "_rank", "breakdown", "record_id"]
    )
    keep = [column for column in TABLE_HEADINGS if column in ordered]
    return ordered[keep].rename(columns=TABLE_HEADINGS).reset_index(drop=True)


@dataclass(frozen=True)
class WideTables:
    """A chart's table as people read it: one row per area (and category, and indicator when
    there are several), one column per period; the counts and intervals in a second table."""

    figures: pd.DataFrame
    counts: pd.DataFrame | None
    units: str  # what the figures count: "Rate per 10,000 children aged 0-17"


def wide_tables(display: pd.DataFrame) -> WideTables | None:
    """The long display_table turned wide; None for a table of another shape (kept as it is).
    Where two passages give different figures for one cell, both are shown ("a or b")."""
    if not {"Area", "Period", "Figure"} <= set(display):
        return None
    keys = [
        column
        for column in ("Indicator", "Area", "Category")
        if column in display and (column == "Area" or display[column].astype(str).nunique() > 1)
    ]
    periods = list(dict.fromkeys(display["Period"]))
    rows = list(dict.fromkeys(display[keys].itertuples(index=False, name=None)))

    def spread(cells: pd.Series) -> pd.DataFrame:
        joined = (
            display.assign(_cell=cells)
            .groupby([*keys, "Period"], sort=False)["_cell"]
            .agg(lambda texts: " or ".join(dict.fromkeys(t for t in texts if t)))
            .unstack("Period")
        )
        joined = joined.reindex(index=pd.MultiIndex.from_tuples(rows, names=keys)).reindex(
            columns=periods
        )
        return joined.fillna("").reset_index()

    figures = spread(display["Figure"])
    units = "; ".join(dict.fromkeys(display["Unit"].astype(str))) if "Unit" in display else ""
    counted = display.get("Numerator (count)", pd.Series(dtype=float)).notna()
    if not counted.any():
        return WideTables(figures, None, units)
    counts = [
        counts_cell(row) if has else ""
        for row, has in zip(display.to_dict("records"), counted, strict=True)
    ]
    return WideTables(figures, spread(pd.Series(counts, index=display.index)), units)


def counts_cell(row: Mapping[str, object]) -> str:
    """'6,752 of 147,439; 447.1 per 10,000 to 469.0 per 10,000'."""
    counts = f"{row['Numerator (count)']:,.0f}"
    denominator = row.get("Denominator")
    if denominator is not None and not pd.isna(denominator):
        counts += f" of {denominator:,.0f}"
    interval = row.get("95% interval") or ""
    return f"{counts}; {interval}" if interval else counts


def collapse_restatements(observations: pd.DataFrame) -> pd.DataFrame:
    """One row per figure: passages restating the same value merge; disagreeing values stay.

    A chart needs one mark per figure; the table under it keeps every passage.
    """
    if observations.empty:
        return observations.reset_index(drop=True)
    rank = observations["status"].map(caution_rank)
    ordered = observations.assign(_rank=rank).sort_values(["_rank", "record_id"], kind="stable")
    kept = ordered.drop_duplicates(subset=[*OBSERVATION_KEY, "value"]).drop(columns="_rank")
    return kept.sort_index().reset_index(drop=True)


def rate_per_10k_children(counts: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Counts as rates per 10,000 children aged 0-17, by DfE's convention.

    The denominator is the ONS mid-year estimate for the calendar year before the year ends
    (2024/25 uses mid-2024). Each row keeps its numerator, denominator and rule; a count with
    no estimate for that year stays a gap.
    """
    estimates = population[population["breakdown"] == HEADLINE][
        ["area", "year_end", "value", "source", "source_ref"]
    ]
    estimates = estimates.rename(
        columns={
            "value": "population_estimate",
            "source": "population_source",
            "source_ref": "population_ref",
        }
    ).assign(year_end=estimates["year_end"] + 1)
    merged = counts.merge(estimates, on=["area", "year_end"], how="left")
    rate = (merged["value"] / merged["population_estimate"] * 10000).round(1)
    rules = [_rate_rule(row) for row in merged.itertuples(index=False)]
    computed = rate.notna()
    rates = merged.assign(
        numerator=merged["value"],
        denominator=merged["population_estimate"],
        value=rate,
        unit="rate_per_10k",
        status=merged["status"].where(~computed, "computed"),
        rule=rules,
    ).drop(columns=["population_estimate", "population_source", "population_ref"])
    # A count the report calls approximate or a lower bound gives no honest interval.
    exact = computed & merged["status"].isin(["reported", "published"])
    return (
        add_intervals(rates.assign(numerator=rates["numerator"].where(exact)))
        .assign(numerator=rates["numerator"])
        .reset_index(drop=True)
    )


def _rate_rule(row: tuple) -> str:
    year = int(row.year_end) - 1
    if pd.isna(row.value):
        return "not computed: the count is not published"
    if pd.isna(row.population_estimate):
        return f"not computed: no ONS population estimate for mid-{year} is held"
    return (
        f"count / ONS mid-{year} population aged 0-17 "
        f"({row.population_source} {row.population_ref}) × 10,000, rounded to 1 dp"
    )


# Where a dated event sits on a year axis whose tick Y stands for a period ending in year Y:
# a financial year or a 31 March count ends in March, an academic year in August, a calendar
# year or survey in December.
PERIOD_END_MONTH = {"academic_year": 8, "calendar_year": 12, "survey": 12}
EVENT_COLUMNS = ["event_id", "date", "areas", "title", "kind", "source_text"]


def event_position(day: pd.Timestamp, period_types: Iterable[str]) -> float:
    """The event's place on the year axis: 23 September 2019 on a financial-year chart sits
    about half-way between 2018/19 (2019) and 2019/20 (2020)."""
    months = {PERIOD_END_MONTH.get(kind, 3) for kind in period_types}
    end_month = months.pop() if len(months) == 1 else 3
    period_end = pd.Timestamp(year=day.year, month=end_month, day=1) + pd.offsets.MonthEnd(0)
    return day.year + (day - period_end).days / 365.25


def events_for(
    events: pd.DataFrame, areas: Iterable[str], years: Iterable[int], period_types: Iterable[str]
) -> pd.DataFrame:
    """The events that concern the chart's areas (national events concern every area) and fall
    within its years, each with its place on the year axis (`year_end`) and its `number`."""
    shown_areas = set(areas)
    years = list(years)
    if events.empty or not years:
        return events.iloc[0:0].assign(
            year_end=pd.Series(dtype="float64"), number=pd.Series(dtype="int64")
        )
    kinds = list(period_types)
    concerned = events["areas"].map(
        lambda listed: bool(set(listed.split(";")) & (shown_areas | {"england"}))
    )
    placed = events[concerned].assign(
        year_end=[event_position(pd.Timestamp(day), kinds) for day in events.loc[concerned, "date"]]
    )
    inside = placed["year_end"].between(min(years) - 0.5, max(years) + 0.5)
    shown = placed[inside].sort_values(["date", "event_id"]).reset_index(drop=True)
    # Numbered in date order: the chart labels each line with its number, the list explains it.
    return shown.assign(number=range(1, len(shown) + 1))

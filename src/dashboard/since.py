"""What changed since the board last met: the figures that arrived after a date (from the data
update history), and for each indicator the latest change, tested, ranked so that real
deteriorations come first. The page, the first slide and the first pack page all read it from
here. No Streamlit here."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd

from dashboard.areas import area_catalogue
from dashboard.catalogue import Catalogue, Indicator
from dashboard.exports import fair_measure, local_areas
from dashboard.formatting import format_value
from dashboard.headlines import headline_sentence, sentence_case
from dashboard.intervals import Position
from dashboard.schema import OBSERVATION_KEY
from dashboard.transforms import (
    RATE,
    LatestChange,
    annual,
    apply_measure,
    filter_observations,
    latest_change,
    position_for,
    year_values,
)
from dashboard.units import INDEX
from dashboard.update.apply import Change, read_history
from dashboard.update.common import LIVE_DATA, DataDirs

ENGLAND = "england"
ARRIVAL_KEY = [*OBSERVATION_KEY, "source"]

# The order a board reads the summary in: what got worse for real, what got better for real,
# volumes that moved for real, then what chance explains and what could not be tested.
GROUPS: tuple[tuple[str, str], ...] = (
    ("worse", "Deteriorations beyond what chance explains"),
    ("better", "Improvements beyond what chance explains"),
    ("changed", "Volumes that changed beyond what chance explains"),
    ("no_change", "No change beyond what chance explains"),
    ("not_tested", "Not tested"),
)
GROUP_NOTES = {
    "changed": "Amounts of activity, such as referrals: a rise or fall is not called better or "
    "worse.",
    "not_tested": "No counts behind the figure to test with, or no earlier figure to compare.",
}


def after_meeting(day: date) -> datetime:
    """A meeting's figures are those in the data at the end of its day."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def changes_since(moment: datetime, dirs: DataDirs = LIVE_DATA) -> list[Change]:
    """Updates and rollbacks applied after `moment`, oldest first."""
    return sorted(
        (c for c in read_history(dirs) if datetime.fromisoformat(c.when) >= moment),
        key=lambda change: change.when,
    )


def observations_as_at(moment: datetime, dirs: DataDirs = LIVE_DATA) -> pd.DataFrame | None:
    """The figures as they stood at `moment`: each update keeps the data from before it in
    history/<version>/, so the first change after the moment holds them. None when nothing has
    changed since (the live data is the data as it stood)."""
    later = changes_since(moment, dirs)
    if not later:
        return None
    return pd.read_parquet(
        dirs.history / later[0].version / "observations.parquet",
        columns=[*ARRIVAL_KEY, "value", "value_symbol"],
    )


def _marks(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """One hashable mark per row (a missing value marks as "")."""
    cells = frame[columns].astype("string").fillna("")
    return cells.agg("\x1f".join, axis=1)


def arrivals(live: pd.DataFrame, before: pd.DataFrame | None) -> pd.DataFrame:
    """Rows of `live` that are new or revised since `before`, with `arrival` "new" (nothing for
    that indicator, area, period, breakdown and source before) or "revised" (there was, with
    another value); empty when before is None. Passages that disagree stay as they were."""
    if before is None:
        return live.iloc[0:0].assign(arrival=pd.Series(dtype="string"))
    stated = [*ARRIVAL_KEY, "value", "value_symbol"]
    new = ~_marks(live, ARRIVAL_KEY).isin(set(_marks(before, ARRIVAL_KEY)))
    changed = ~_marks(live, stated).isin(set(_marks(before, stated)))
    arrival = pd.Series("new", index=live.index, dtype="string").where(new, "revised")
    return live.assign(arrival=arrival)[new | changed].reset_index(drop=True)


def releases_arrived(arrived: pd.DataFrame) -> pd.DataFrame:
    """One row per release (document or official file) with the values it brought."""
    if arrived.empty:
        return pd.DataFrame(columns=["Release", "New values", "Revised values"])
    counts = (
        arrived.assign(new=arrived["arrival"].eq("new"), revised=arrived["arrival"].eq("revised"))
        .groupby("release", sort=True)[["new", "revised"]]
        .sum()
        .reset_index()
    )
    return counts.rename(
        columns={"release": "Release", "new": "New values", "revised": "Revised values"}
    )


@dataclass(frozen=True)
class SinceLine:
    """One indicator in one area: its latest change, tested, and where it stands to England."""

    indicator: Indicator
    area: str
    area_name: str
    measure: str
    change: LatestChange
    position: Position | None
    sentence: str
    group: str  # one of GROUPS' ids
    series: pd.DataFrame  # area, year_end, value in the measure: the line's small trend
    new: bool = False  # its latest figure arrived (or was revised) since the date

    @property
    def england_words(self) -> str:
        """'Worse than England', or why there is no comparison."""
        if self.position is None:
            return "No England comparison for this figure"
        return self.position.words


def group_of(change: LatestChange) -> str:
    """Where a change goes in the ranking; only a significant test may call it better/worse."""
    if change.judgement in {"worse", "better"}:
        return change.judgement
    if change.judgement in {"within_chance", "same"}:
        return "no_change"
    if change.judgement == "no_judgement" and change.beyond_chance is not None:
        return "changed" if change.beyond_chance else "no_change"
    return "not_tested"


def indicator_lines(
    observations: pd.DataFrame, indicator: Indicator, area_names: Mapping[str, str]
) -> list[SinceLine]:
    """The indicator's latest change per local area, in the fair measure the slides use
    (published rates and percentages; counts as rates per 10,000 children where the catalogue
    gives the population), and its position against England's figure for the same year."""
    rows = annual(filter_observations(observations, indicator_ids=[indicator.id]))
    rows = rows[rows["status"] != "target"]
    areas = local_areas(rows)
    if not areas:
        return []
    measure = fair_measure(indicator, areas)
    measure = indicator.unit if measure == INDEX else measure
    rows = rows[rows["area"].isin([*areas, ENGLAND])]
    published = rows
    if measure == RATE:
        population = filter_observations(observations, indicator_ids=[indicator.rate_denominator])
        rows = apply_measure(rows, RATE, None, population).frame
    england = rows[rows["area"] == ENGLAND]
    england_name = area_names.get(ENGLAND, "England")
    lines = []
    for area in areas:
        own, area_measure = rows[rows["area"] == area], measure
        latest = own[own["year_end"] == own["year_end"].max()]
        if latest["value"].isna().all():
            # The newest count has no population yet to make it a rate: said as published.
            own, area_measure = published[published["area"] == area], indicator.unit
        change = latest_change(own, indicator.polarity)
        if change is None or not change.values:
            continue
        name = area_names.get(area, area)
        position = None
        if area_measure == measure:
            position = position_for(change, england, england_name, indicator.polarity)
        lines.append(
            SinceLine(
                indicator=indicator,
                area=area,
                area_name=name,
                measure=area_measure,
                change=change,
                position=position,
                sentence=headline_sentence(indicator, name, change, area_measure),
                group=group_of(change),
                series=year_values(own)[["area", "year_end", "value"]],
            )
        )
    return lines


def arrived_indicators(arrived: pd.DataFrame, catalogue: Catalogue) -> list[str]:
    """Indicators (in theme order) with a new or revised local headline figure."""
    local = arrived[arrived["area"].isin(area_catalogue().local) & arrived["breakdown"].eq("")]
    touched = set(local["indicator_id"])
    return [i.id for i in catalogue.in_theme_order() if i.id in touched]


def ranked_summary(
    observations: pd.DataFrame,
    catalogue: Catalogue,
    indicator_ids: Iterable[str],
    area_names: Mapping[str, str],
    arrived: pd.DataFrame | None = None,
) -> list[SinceLine]:
    """Every line for the indicators, deteriorations first (see GROUPS), then catalogue order;
    a line whose latest figure is among `arrived` (see arrivals) is marked new."""
    order = [group for group, _ in GROUPS]
    fresh = set()
    if arrived is not None:
        fresh = set(zip(arrived["indicator_id"], arrived["area"], arrived["period"], strict=True))
    lines = [
        replace(line, new=(line.indicator.id, line.area, line.change.period) in fresh)
        for indicator_id in indicator_ids
        if indicator_id in catalogue
        for line in indicator_lines(observations, catalogue[indicator_id], area_names)
    ]
    return sorted(lines, key=lambda line: order.index(line.group))


def grouped(lines: Sequence[SinceLine]) -> list[tuple[str, list[SinceLine]]]:
    """The lines under their group titles, groups in ranking order, empty groups left out."""
    return [
        (title, [line for line in lines if line.group == group])
        for group, title in GROUPS
        if any(line.group == group for line in lines)
    ]


GROUP_WORDS = {
    "worse": "deteriorated beyond chance",
    "better": "improved beyond chance",
    "changed": "changed beyond chance",
    "no_change": "no change beyond chance",
    "not_tested": "not tested",
}


def counts_sentence(lines: Sequence[SinceLine]) -> str:
    """e.g. "Of 14 figures: 2 deteriorated beyond chance, 0 improved beyond chance, ..."."""
    counts = [
        f"{sum(line.group == group for line in lines)} {GROUP_WORDS[group]}" for group, _ in GROUPS
    ]
    figures = "figure" if len(lines) == 1 else "figures"
    return f"Of {len(lines)} {figures} (indicator and area): " + ", ".join(counts) + "."


def short_line(line: SinceLine) -> str:
    """A line for a slide: "Rutland, re-referrals within 12 months: 18.8% to 26.8% (2023/24 to
    2024/25), deteriorated beyond chance; similar to England"."""
    change = line.change
    latest = format_value(change.value, line.measure, change.symbol)
    what = f"{line.area_name}, {sentence_case(line.indicator.name)}"
    if change.previous_value is None or change.value is None:
        return f"{what}: {latest} ({change.period}), {GROUP_WORDS[line.group]}"
    before = format_value(change.previous_value, line.measure)
    span = f"{change.previous_period} to {change.period}"
    words = line.position.words if line.position is not None else ""
    england = f"; {words[:1].lower()}{words[1:]}" if words else ""
    return f"{what}: {before} to {latest} ({span}), {GROUP_WORDS[line.group]}{england}"


def slide_lines(lines: Sequence[SinceLine], limit: int = 5) -> list[str]:
    """The summary as a first slide says it: the counts, then the first lines in rank order."""
    shown = [short_line(line) for line in lines[:limit]]
    more = len(lines) - limit
    if more > 0:
        shown.append(f"... and {more} more on the Since the last meeting page.")
    return [counts_sentence(lines), *shown]

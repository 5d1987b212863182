"""What pages build once per data version (components.per_version) and draw on every rerun.

Declared here, not in the pages: a page script runs again on every rerun, and declaring a
dataclass there cost ~1 ms each time.
"""

from dataclasses import dataclass

import pandas as pd

from dashboard.chart_cache import PreparedChart
from dashboard.intervals import Position
from dashboard.transforms import LatestChange


@dataclass(frozen=True)
class TileView:
    """A figure's tile as drawn: the metric's arguments, then everything under it as one piece
    of HTML (components.tile_view)."""

    label: str
    value: str
    delta: str | None = None
    delta_colour: str = "off"
    delta_description: str | None = None
    help: str = ""
    body: str = ""


@dataclass(frozen=True)
class TileInputs:
    """What one area's tile on the Overview shows for one indicator."""

    area: str
    change: LatestChange | None
    position: Position | None
    view: TileView


@dataclass(frozen=True)
class RowView:
    """One indicator's row on the Overview: what it is (as HTML under its heading), the tiles."""

    about: str
    tiles: tuple[TileInputs, ...]


@dataclass(frozen=True)
class ChartView:
    """A chart with the table behind it, its caption and the events it marks."""

    chart: PreparedChart
    table: pd.DataFrame
    caption: str
    events: pd.DataFrame  # the events drawn (empty when the switch is off or none fall here)


@dataclass(frozen=True)
class TrendView(ChartView):
    """The Indicator page's trend of one indicator for some areas, and the rows it draws."""

    rows: pd.DataFrame
    computed: pd.DataFrame  # the rows this dashboard worked out, each with its rule

"""The places the dashboard shows, one row each in data/sources/areas.csv: name, kind, codes,
colour and dash, order, and which lists it belongs in. Adding an area is adding a row there;
pickers, legends, styles and the official build all read it from here. No Streamlit here."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from dashboard.paths import SOURCES_DIR

AREAS_CSV = SOURCES_DIR / "areas.csv"
LOCAL = "local"  # the board's own areas, drawn in colour
BENCHMARK = "benchmark"  # comparators, greys told apart by their dash pattern
# What a figure describes when it is neither the board's area nor a comparator (a campaign's
# reach across four police forces): shown with its own indicator, never as a local statistic.
CONTEXT = "context"
ROLES = (LOCAL, BENCHMARK, CONTEXT)
KINDS = ("local_authority", "partnership", "region", "country", "neighbour_average", "campaign")
YES = "yes"


@dataclass(frozen=True)
class Area:
    """One place, and how it is drawn on every chart, so a colour always means the same place."""

    id: str
    name: str
    kind: str  # one of KINDS
    role: str  # LOCAL or BENCHMARK
    colour: str  # #rrggbb
    dash: tuple[int, ...]  # Vega-Lite strokeDash; (1, 0) is a solid line
    order: int = 0  # legends and tables
    dfe_la_code: str = ""
    ons_code: str = ""
    headline: bool = False  # the two areas the partnership is responsible for, side by side
    default: bool = False  # chosen when a page opens (a benchmark here is the default grey line)
    on_map: bool = False
    neighbours_of: str = ""  # a neighbour average: the area whose statistical neighbours it is

    @property
    def comparator(self) -> bool:
        return self.role == BENCHMARK


# Drawn for an area without a row (a new id in a figures file): a light grey dotted line.
UNKNOWN_AREA = Area("", "", "", BENCHMARK, "#a6a6a6", (1, 3))


@dataclass(frozen=True)
class AreaCatalogue:
    areas: tuple[Area, ...]  # in display order

    def __iter__(self) -> Iterator[Area]:
        return iter(self.areas)

    def __contains__(self, area_id: object) -> bool:
        return any(area.id == area_id for area in self.areas)

    def __getitem__(self, area_id: str) -> Area:
        return self._by_id[area_id]

    @cached_property
    def _by_id(self) -> dict[str, Area]:
        return {area.id: area for area in self.areas}

    def _ids(self, **flags: object) -> tuple[str, ...]:
        return tuple(
            area.id
            for area in self.areas
            if all(getattr(area, name) == value for name, value in flags.items())
        )

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return self._ids()

    @property
    def local(self) -> tuple[str, ...]:
        return self._ids(role=LOCAL)

    @property
    def comparators(self) -> tuple[str, ...]:
        return self._ids(role=BENCHMARK)

    @property
    def headline(self) -> tuple[str, ...]:
        return self._ids(headline=True)

    @property
    def defaults(self) -> tuple[str, ...]:
        return self._ids(default=True)

    @property
    def default_benchmarks(self) -> tuple[str, ...]:
        return self._ids(default=True, role=BENCHMARK)

    @property
    def on_map(self) -> tuple[str, ...]:
        return self._ids(on_map=True)

    @property
    def by_dfe_code(self) -> dict[str, str]:
        return {area.dfe_la_code: area.id for area in self.areas if area.dfe_la_code}

    def style(self, area_id: str) -> Area:
        """How an area is drawn; an area without a row is drawn, not dropped."""
        return self._by_id.get(area_id, UNKNOWN_AREA)

    def rank(self, area_id: str) -> int:
        """Position in legends and tables; unknown areas come last."""
        return self.ids.index(area_id) if area_id in self.ids else len(self.areas)

    def neighbour_average(self, area_id: str) -> str:
        """The id of the area's statistical neighbours' average, "" where it has none."""
        return next((area.id for area in self.areas if area.neighbours_of == area_id), "")


class AreaFileError(ValueError):
    """areas.csv cannot be read: names the file, row and field, as the build's errors do."""


def _parsed(record: dict[str, str], row: int, file: str) -> Area:
    def fail(field: str, reason: str) -> AreaFileError:
        return AreaFileError(f"{file}, row {row}, field {field}: {reason}")

    try:
        dash = tuple(int(part) for part in record["dash"].split())
    except ValueError:
        raise fail("dash", "must be whole numbers separated by spaces, e.g. '9 4'") from None
    if not record["order"].isdigit():
        raise fail("order", "must be a whole number")
    return Area(
        id=record["area"],
        name=record["name"],
        kind=record["kind"],
        role=record["role"],
        colour=record["colour"],
        dash=dash,
        order=int(record["order"]),
        dfe_la_code=record["dfe_la_code"],
        ons_code=record["ons_code"],
        headline=record["headline"] == YES,
        default=record["default"] == YES,
        on_map=record["map"] == YES,
        neighbours_of=record["neighbours_of"],
    )


def read_area_catalogue(path: Path) -> AreaCatalogue:
    """Every row of an areas file, in its `order` (the build checks each field in full)."""
    with path.open(newline="", encoding="utf-8") as handle:
        # Row numbers as a spreadsheet shows them: the header is row 1.
        areas = [
            _parsed(record, row, path.name) for row, record in enumerate(csv.DictReader(handle), 2)
        ]
    return AreaCatalogue(tuple(sorted(areas, key=lambda area: area.order)))


@cache
def area_catalogue() -> AreaCatalogue:
    """The app's areas, read once per process: areas.csv is part of the repository and changes
    only with a deploy (figures, not areas, change through the data-update flow)."""
    return read_area_catalogue(AREAS_CSV)

"""Area map: the three local authorities filled by one indicator, drawn by pydeck, no basemap."""

import copy
import itertools
import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pandas as pd
import pydeck as pdk

from dashboard.areas import area_catalogue
from dashboard.formatting import format_value
from dashboard.paths import BOUNDARIES_DIR
from dashboard.transforms import filter_observations
from dashboard.units import is_size_dependent

UPPER_TIER_GEOJSON = BOUNDARIES_DIR / "llr_upper_tier_derived_from_lad_2013.geojson"
DISTRICT_GEOJSON = BOUNDARIES_DIR / "llr_lad_2013_generalised.geojson"

# Sequential ramp, ColorBrewer YlGnBu with its palest step dropped so the lowest value still
# shows on a projector against the white page. Not a hue from areas.csv, where a
# colour means a place, and not red/green, which would suggest good or bad whatever the polarity.
SEQUENTIAL_RAMP: tuple[str, ...] = (
    "#c7e9b4",
    "#7fcdbb",
    "#41b6c4",
    "#1d91c0",
    "#225ea8",
    "#0c2c84",
)
NO_VALUE_COLOUR = "#d9d9d9"
OUTLINE_COLOUR = "#252525"
LEGEND_HEIGHT_PX = 140
LEGEND_MARGIN_PCT = 3.0  # each side: room for the end tick labels
NAME_ANCHOR_PCT = 15.0  # names closer than this to an end are anchored inward, not centred
DISTRICT_LINE_COLOUR = "#ffffff"

MAP_HEIGHT_PX = 560
# The map spans some 80 km in 600-1,200 screen pixels, so a pixel is 70-140 m: boundaries are
# drawn thinned to within 75 m of the published line. Every vertex is a cost each time the map
# is drawn (on a computer without a graphics card, the published vertices took 0.8 s a redraw).
DRAWING_TOLERANCE_M = 75.0
METRES_PER_DEGREE = 111_195.0  # of latitude, and of longitude at the equator (mean Earth radius)
# Streamlit stretches the map to the main column; about this wide on a laptop or projector.
ASSUMED_MAP_WIDTH_PX = 900

# Plain-text tooltip (deck.gl sets it as text, so nothing from the data is read as HTML).
TOOLTIP_TEXT = "{name}\n{value_text}\n{period}\nSource: {source}"
TOOLTIP_FIELDS: tuple[str, ...] = ("name", "value_text", "period", "source")

# Leicester is smaller on screen than its label, which would hide its colour: its label sits
# outside the county, south-west of it on empty canvas, joined to the city by a leader line.
CALLOUTS: dict[str, tuple[float, float]] = {"E06000016": (-1.45, 52.44)}

MAP_VALUE_COLUMNS = [
    "area",
    "name",
    "ons_code",
    "value",
    "value_text",
    "period",
    "unit",
    "status",
    "source",
    "source_file",
    "source_ref",
]


def _mappable_rows(observations: pd.DataFrame) -> pd.DataFrame:
    """Yearly headline figures for the three mapped areas; quarters and targets are left out."""
    rows = filter_observations(observations, areas=area_catalogue().on_map)
    return rows[(rows["period_type"] != "quarter") & (rows["status"] != "target")]


def mappable_indicators(observations: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicators with a figure for at least two mapped areas in some year, fair measures first.

    Columns: indicator_id, name, unit, fair (not a size-dependent unit), years (sorted, every year
    with a figure for at least one mapped area), best_year (latest year with the most areas).
    """
    rows = _mappable_rows(observations)
    rows = rows[rows["value"].notna()]
    per_year = rows.groupby(["indicator_id", "year_end"])["area"].nunique().reset_index()
    records = []
    for indicator_id, years in per_year.groupby("indicator_id"):
        if years["area"].max() < 2:
            continue
        most = years[years["area"] == years["area"].max()]
        records.append(
            {
                "indicator_id": indicator_id,
                "years": sorted(int(y) for y in years["year_end"]),
                "best_year": int(most["year_end"].max()),
            }
        )
    found = pd.DataFrame(records, columns=["indicator_id", "years", "best_year"])
    merged = found.merge(indicators[["indicator_id", "name", "unit"]], on="indicator_id")
    merged["fair"] = ~merged["unit"].map(is_size_dependent).astype(bool)
    merged = merged.sort_values(["fair", "name", "indicator_id"], ascending=[False, True, True])
    return merged[["indicator_id", "name", "unit", "fair", "years", "best_year"]].reset_index(
        drop=True
    )


def map_values(
    observations: pd.DataFrame, areas: pd.DataFrame, indicator_id: str, year: int
) -> pd.DataFrame:
    """One row per mapped area for an indicator and year (see MAP_VALUE_COLUMNS).

    An area with no figure gets value NaN and "no published value"; a suppressed cell keeps its
    DfE symbol in words. Where the documents disagree the area gets no fill and both figures in
    words: the map must not pick one of two disagreeing values.
    """
    rows = _mappable_rows(
        filter_observations(
            observations, indicator_ids=[indicator_id], year_from=year, year_to=year
        )
    )
    info = areas.set_index("area")
    records = []
    for area in area_catalogue().on_map:
        area_rows = rows[rows["area"] == area].sort_values("record_id")
        record = {
            "area": area,
            "name": str(info.loc[area, "name"]) if area in info.index else area,
            "ons_code": str(info.loc[area, "ons_code"]) if area in info.index else "",
            "value": float("nan"),
            "value_text": "no published value",
            "period": "",
            "unit": "",
            "status": "",
            "source": "",
            "source_file": "",
            "source_ref": "",
        }
        if len(area_rows):
            first = area_rows.iloc[0]
            values = list(dict.fromkeys(float(v) for v in area_rows["value"].dropna()))
            record |= {
                "period": " / ".join(dict.fromkeys(area_rows["period"])),
                "unit": str(first["unit"]),
                "status": str(first["status"]),
                "source": " / ".join(dict.fromkeys(area_rows["release"])),
                "source_file": " / ".join(dict.fromkeys(area_rows["source"])),
                "source_ref": " / ".join(dict.fromkeys(area_rows["source_ref"])),
            }
            if len(values) > 1:
                shown = " or ".join(format_value(v, record["unit"]) for v in values)
                record["value_text"] = f"sources disagree: {shown}"
            elif values:
                record["value"] = values[0]
                record["value_text"] = format_value(values[0], record["unit"])
            else:
                record["value_text"] = format_value(
                    None, record["unit"], str(first["value_symbol"])
                )
        records.append(record)
    return pd.DataFrame(records, columns=MAP_VALUE_COLUMNS)


def load_geojson(path: Path) -> dict:
    """Read a GeoJSON FeatureCollection (the boundary files are small: read whole)."""
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def drawing_boundaries() -> tuple[dict, ...]:
    """The county and district boundaries, read and thinned for drawing once per process: they
    are repository files (build_area_map copies what it changes)."""
    return simplify_boundaries(load_geojson(UPPER_TIER_GEOJSON), load_geojson(DISTRICT_GEOJSON))


def hex_to_rgb(colour: str) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)]


def rgb_to_hex(rgb: Sequence[int]) -> str:
    return "#" + "".join(f"{int(c):02x}" for c in rgb[:3])


def ramp_colour(fraction: float, ramp: Sequence[str] = SEQUENTIAL_RAMP) -> list[int]:
    """Colour at `fraction` (0 = lowest, 1 = highest) along a ramp, interpolated linearly in RGB."""
    fraction = min(max(fraction, 0.0), 1.0)
    position = fraction * (len(ramp) - 1)
    lower = min(int(position), len(ramp) - 2)
    step = position - lower
    start, end = hex_to_rgb(ramp[lower]), hex_to_rgb(ramp[lower + 1])
    return [round(a + (b - a) * step) for a, b in zip(start, end, strict=True)]


def value_colour(value: float, low: float, high: float) -> list[int]:
    """Fill for one value on a scale from `low` to `high`; the middle when all values are equal."""
    if pd.isna(value):
        return hex_to_rgb(NO_VALUE_COLOUR)
    if high <= low:
        return ramp_colour(0.5)
    return ramp_colour((value - low) / (high - low))


def scale_domain(values: Iterable[float]) -> tuple[float, float] | None:
    """Zero (or the lowest value, if negative) to the highest value shown.

    Starting at zero rather than at the lowest value keeps colour differences in proportion:
    34.7 and 34.9 look alike, as they should, instead of lightest and darkest.
    """
    present = [float(v) for v in values if not pd.isna(v)]
    if not present:
        return None
    return min(0.0, *present), max(present)


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"unsupported geometry type {geometry['type']}")


def simplify_boundaries(
    *collections: dict, tolerance_m: float = DRAWING_TOLERANCE_M
) -> tuple[dict, ...]:
    """The FeatureCollections with every ring thinned (Douglas-Peucker) to within tolerance_m of
    the published line, each stretch of border shared by several rings thinned the same way in
    all of them, so neighbouring areas and the district and county files still meet exactly.

    A vertex where the set of rings through it changes (where three areas meet, or a border
    meets the outer edge), and each ring's first vertex, is always kept: between two such
    vertices every ring holds the same points, and thinning the same points gives the same line.
    """
    rings = [
        ring
        for collection in collections
        for feature in collection["features"]
        for ring in _rings(feature["geometry"])
    ]
    rings_through: dict[tuple[float, float], set[int]] = {}
    for number, ring in enumerate(rings):
        for point in ring:
            rings_through.setdefault((point[0], point[1]), set()).add(number)
    kept_everywhere = {(ring[0][0], ring[0][1]) for ring in rings}
    # One scale for every ring, so a border is measured alike whichever way a ring runs along it.
    latitude = math.radians(statistics.fmean(point[1] for point in rings_through))
    metres = (METRES_PER_DEGREE * math.cos(latitude), METRES_PER_DEGREE)

    def fixed(ring: list[list[float]], i: int) -> bool:
        here = (ring[i][0], ring[i][1])
        if here in kept_everywhere:
            return True
        before, after = ring[i - 1], ring[(i + 1) % (len(ring) - 1)]
        return not (
            rings_through[here]
            == rings_through[(before[0], before[1])]
            == rings_through[(after[0], after[1])]
        )

    def thinned(ring: list[list[float]]) -> list[list[float]]:
        anchors = [i for i in range(len(ring)) if fixed(ring, i)]
        if anchors[-1] != len(ring) - 1:
            anchors.append(len(ring) - 1)
        keep = set(anchors)
        for start, end in itertools.pairwise(anchors):
            keep |= _douglas_peucker(ring, start, end, tolerance_m, metres)
        return [ring[i] for i in sorted(keep)]

    def simplified(geometry: dict) -> dict:
        if geometry["type"] == "Polygon":
            return {**geometry, "coordinates": [thinned(ring) for ring in geometry["coordinates"]]}
        polygons = [[thinned(ring) for ring in polygon] for polygon in geometry["coordinates"]]
        return {**geometry, "coordinates": polygons}

    return tuple(
        {
            **collection,
            "features": [
                {**feature, "geometry": simplified(feature["geometry"])}
                for feature in collection["features"]
            ],
        }
        for collection in collections
    )


def _douglas_peucker(
    ring: list[list[float]],
    start: int,
    end: int,
    tolerance_m: float,
    metres: tuple[float, float],
) -> set[int]:
    """Indices between start and end (exclusive) that keep the line within tolerance_m, with
    `metres` the length of a degree of longitude and of latitude."""
    x_m, y_m = metres
    keep: set[int] = set()
    spans = [(start, end)]
    while spans:
        first, last = spans.pop()
        ax, ay = ring[first][0] * x_m, ring[first][1] * y_m
        dx, dy = ring[last][0] * x_m - ax, ring[last][1] * y_m - ay
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance_m
        for i in range(first + 1, last):
            px, py = ring[i][0] * x_m - ax, ring[i][1] * y_m - ay
            away = abs(dy * px - dx * py) / length if length else math.hypot(px, py)
            if away > distance:
                farthest, distance = i, away
        if farthest is not None:
            keep.add(farthest)
            spans += [(first, farthest), (farthest, last)]
    return keep


def geojson_bounds(geojson: dict) -> tuple[float, float, float, float]:
    """(west, south, east, north) of every feature."""
    points = [
        point
        for feature in geojson["features"]
        for ring in _rings(feature["geometry"])
        for point in ring
    ]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(
    bounds: tuple[float, float, float, float],
    width_px: int = ASSUMED_MAP_WIDTH_PX,
    height_px: int = MAP_HEIGHT_PX,
    padding: float = 0.08,
) -> pdk.ViewState:
    """Centre and zoom (Web Mercator, 512 px tiles as deck.gl uses) that fit the bounds."""
    west, south, east, north = bounds
    usable_w = width_px * (1 - 2 * padding)
    usable_h = height_px * (1 - 2 * padding)
    zoom_x = math.log2(usable_w * 360 / (512 * (east - west)))
    y_span = (_mercator_y(north) - _mercator_y(south)) / (2 * math.pi)
    zoom_y = math.log2(usable_h / (512 * y_span))
    centre_y = (_mercator_y(north) + _mercator_y(south)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return pdk.ViewState(
        longitude=round((west + east) / 2, 5),
        latitude=round(centre_lat, 5),
        zoom=round(min(zoom_x, zoom_y), 2),
        pitch=0,
        bearing=0,
    )


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _distance_to_segment(px: float, py: float, a: list[float], b: list[float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(px - a[0], py - a[1])
    t = max(0.0, min(1.0, ((px - a[0]) * dx + (py - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (a[0] + t * dx), py - (a[1] + t * dy))


def label_point(geometry: dict, grid: int = 24) -> tuple[float, float]:
    """A point well inside a polygon for its label.

    The centroid will not do: Leicestershire's centroid falls in the Leicester hole.
    This takes the grid point inside the shape that is farthest from any edge or hole.
    """
    # Thinned rings: a label position needs no more than a couple of hundred vertices.
    rings = [ring[:: max(1, len(ring) // 200)] + [ring[0]] for ring in _rings(geometry)]
    lon_scale = math.cos(math.radians(sum(p[1] for p in rings[0]) / len(rings[0])))
    west = min(p[0] for p in rings[0])
    east = max(p[0] for p in rings[0])
    south = min(p[1] for p in rings[0])
    north = max(p[1] for p in rings[0])
    best, best_distance = None, -1.0
    for i in range(1, grid):
        for j in range(1, grid):
            lon = west + (east - west) * i / grid
            lat = south + (north - south) * j / grid
            crossings = sum(_inside(lon, lat, ring) for ring in rings)
            if crossings % 2 == 0:
                continue
            distance = min(
                _distance_to_segment(
                    lon * lon_scale, lat, [a[0] * lon_scale, a[1]], [b[0] * lon_scale, b[1]]
                )
                for ring in rings
                for a, b in zip(ring, ring[1:], strict=False)
            )
            if distance > best_distance:
                best, best_distance = (lon, lat), distance
    if best is None:
        return (west + east) / 2, (south + north) / 2
    return round(best[0], 5), round(best[1], 5)


@cache
def _cached_label_point(geometry_json: str) -> tuple[float, float]:
    return label_point(json.loads(geometry_json))


class PreparedDeck:
    """A deck already turned into the JSON st.pydeck_chart sends: the boundaries are large, and
    serialising them took most of the Map page's script time. It offers what st.pydeck_chart
    reads from a pdk.Deck (to_json and the tooltip), so it is drawn like one."""

    def __init__(self, deck: pdk.Deck) -> None:
        # pydeck indents its JSON: compact, the page sends a fifth of the bytes (186 KB, not 926).
        self._json = json.dumps(json.loads(deck.to_json()), separators=(",", ":"))
        self._tooltip = getattr(deck, "_tooltip", None)

    def to_json(self) -> str:
        return self._json


def _boundary_layer(
    layer_id: str, features: list[dict], line_colour: str, line_width: float, **options: Any
) -> pdk.Layer:
    """Outlined polygons: the areas (filled, pickable) and the districts inside them share this."""
    return pdk.Layer(
        "GeoJsonLayer",
        id=layer_id,
        data={"type": "FeatureCollection", "features": features},
        stroked=True,
        get_line_color=hex_to_rgb(line_colour),
        line_width_units=pdk.types.String("pixels"),
        get_line_width=line_width,
        **options,
    )


def build_area_map(
    frame: pd.DataFrame,
    areas_geojson: dict,
    districts_geojson: dict | None = None,
    *,
    code_property: str = "ctyua_code",
    callouts: Mapping[str, tuple[float, float]] = CALLOUTS,
    district_parent_property: str = "upper_tier_code",
    district_parent_code: str = "E10000018",
) -> pdk.Deck:
    """A deck of the areas filled by value, district outlines on top and a label per area.

    `frame` has one row per area: `ons_code` (matched to the feature's `code_property`), `name`,
    `value` (NaN when not published), and the tooltip texts `value_text`, `period`, `source`.
    Areas in the GeoJSON without a row are drawn grey with "no published value".
    No basemap: `map_provider=None` keeps pydeck's style sentinel, which Streamlit's frontend
    drops, so nothing is fetched from a tile server and the map works offline.
    """
    rows = {row["ons_code"]: row for row in frame.to_dict("records")}
    domain = scale_domain(frame["value"]) if len(frame) else None
    low, high = domain if domain else (0.0, 0.0)

    features, labels, leaders = [], [], []
    for feature in areas_geojson["features"]:
        code = feature["properties"][code_property]
        row = rows.get(code, {})
        value = row.get("value", float("nan"))
        name = row.get("name") or feature["properties"].get("name", code)
        value_text = row.get("value_text") or "no published value"
        properties = {
            "name": name,
            "value_text": value_text,
            "period": row.get("period") or "",
            "source": row.get("source") or "",
            "fill": value_colour(value, low, high),
        }
        features.append({**copy.deepcopy(feature), "properties": properties})
        inside = list(_cached_label_point(json.dumps(feature["geometry"], sort_keys=True)))
        position = list(callouts.get(code, inside))
        if position != inside:
            leaders.append({"from": inside, "to": position})
        labels.append({"position": position, "text": f"{name}\n{value_text}"})

    layers = [
        _boundary_layer(
            "areas",
            features,
            OUTLINE_COLOUR,
            2.5,
            filled=True,
            pickable=True,
            auto_highlight=True,
            highlight_color=[255, 255, 255, 90],
            get_fill_color="properties.fill",
        )
    ]
    if districts_geojson is not None:
        districts = [
            feature
            for feature in districts_geojson["features"]
            if feature["properties"].get(district_parent_property) == district_parent_code
        ]
        layers.append(
            _boundary_layer(
                "districts", districts, DISTRICT_LINE_COLOUR, 1.2, filled=False, pickable=False
            )
        )
        # Outer county edge drawn again so the white district lines do not hide it.
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                id="county-edge",
                data={
                    "type": "FeatureCollection",
                    "features": [
                        f
                        for f in areas_geojson["features"]
                        if f["properties"][code_property] == district_parent_code
                    ],
                },
                filled=False,
                stroked=True,
                pickable=False,
                get_line_color=hex_to_rgb(OUTLINE_COLOUR),
                line_width_units=pdk.types.String("pixels"),
                get_line_width=2.5,
            )
        )
    if leaders:
        layers.append(
            pdk.Layer(
                "LineLayer",
                id="leaders",
                data=leaders,
                get_source_position="from",
                get_target_position="to",
                get_color=hex_to_rgb(OUTLINE_COLOUR),
                get_width=2,
                width_units=pdk.types.String("pixels"),
                pickable=False,
            )
        )
    layers.append(
        pdk.Layer(
            "TextLayer",
            id="labels",
            data=labels,
            get_position="position",
            get_text="text",
            get_size=17,
            size_units=pdk.types.String("pixels"),
            get_color=[20, 20, 20],
            font_family=pdk.types.String("Source Sans, Source Sans Pro, Arial, sans-serif"),
            font_weight=600,
            line_height=1.15,
            background=True,
            get_background_color=[255, 255, 255, 225],
            background_padding=[6, 3, 6, 3],
            character_set=pdk.types.String("auto"),
            pickable=False,
        )
    )
    return pdk.Deck(
        layers=layers,
        initial_view_state=fit_view(geojson_bounds(areas_geojson)),
        map_provider=None,
        views=[pdk.View(type="MapView", controller=True)],
        tooltip={
            "text": TOOLTIP_TEXT,
            "style": {
                "fontSize": "16px",
                "backgroundColor": "#ffffff",
                "color": "#111111",
                "border": "1px solid #444444",
                "padding": "8px 10px",
                "maxWidth": "340px",
                "whiteSpace": "normal",
            },
        },
        height=MAP_HEIGHT_PX,
    )


def legend_frame(low: float, high: float, steps: int = 60) -> pd.DataFrame:
    """Bands from low to high coloured exactly as the map colours them (one band if equal)."""
    if high <= low:
        pad = max(abs(low) * 0.05, 0.5)
        colour = rgb_to_hex(ramp_colour(0.5))
        return pd.DataFrame({"start": [low - pad], "end": [low + pad], "colour": [colour]})
    width = (high - low) / steps
    starts = [low + width * i for i in range(steps)]
    return pd.DataFrame(
        {
            "start": starts,
            "end": [s + width for s in starts],
            "colour": [rgb_to_hex(value_colour(s + width / 2, low, high)) for s in starts],
        }
    )


# The legend is placed with st.markdown (st.html's sanitiser drops SVG), so its text must not
# read as Markdown: emphasis, code, links and $maths$ characters become character references.
_MARKDOWN_REFERENCES = str.maketrans({c: f"&#{ord(c)};" for c in "\\*_`[]$~"})


def _svg_text(text: str) -> str:
    return xml_escape(text).translate(_MARKDOWN_REFERENCES)


def describe_values(values: pd.DataFrame) -> str:
    """The areas' figures in words, for screen readers: "Leicestershire: 34.9 per 10,000; ..."."""
    return "; ".join(f"{row.name}: {row.value_text}" for row in values.itertuples())


def nice_ticks(low: float, high: float, count: int = 8) -> list[float]:
    """About `count` round values from low to high: 1, 2 or 5 times a power of ten apart, as
    d3 and Vega choose axis ticks."""
    if high <= low:
        return [low]
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    thresholds = ((10, math.sqrt(50)), (5, math.sqrt(10)), (2, math.sqrt(2)))
    factor = next((factor for factor, limit in thresholds if error >= limit), 1)
    step = power * factor
    # A hair of slack: a band edge summed from 60 steps can fall just short of a round value.
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return [round(n * step, 10) for n in range(first, last + 1)]


def build_legend_svg(
    frame: pd.DataFrame, axis_title: str, description: str, number_format: str = ",.1f"
) -> str:
    """Colour bar for the map, with each area's value marked and named on it, as inline SVG.

    Drawn by the app rather than inside the map so the scale is legible and matches the fills.
    Plain SVG rather than a Vega view: the scale has nothing worth hovering, and the Map's one
    Vega view cost its page about 0.3 s to load. Across in percent and down in pixels, so it
    fills the column's width while its text keeps the page's own font and size. Names alternate
    between two heights so two close values do not overprint.
    """
    present = frame.dropna(subset=["value"]).sort_values("value").reset_index(drop=True)
    low, high = scale_domain(present["value"]) or (0.0, 0.0)
    bands = legend_frame(low, high)
    start, end = float(bands["start"].min()), float(bands["end"].max())
    span = 100 - 2 * LEGEND_MARGIN_PCT

    def across(value: float) -> float:
        return round(LEGEND_MARGIN_PCT + span * (value - start) / (end - start), 2)

    bar_top, bar_bottom = 50, 82
    marks = [
        f'<rect x="{across(band.start)}%" y="{bar_top}" '
        f'width="{round(across(band.end) - across(band.start) + 0.05, 2)}%" '
        f'height="{bar_bottom - bar_top}" fill="{band.colour}"/>'
        for band in bands.itertuples()
    ]
    for tick in nice_ticks(start, end, count=6):
        at = across(tick)
        marks.append(
            f'<line x1="{at}%" x2="{at}%" y1="{bar_bottom}" y2="{bar_bottom + 6}" '
            'stroke="#1a1a1a"/>'
            f'<text x="{at}%" y="{bar_bottom + 24}" text-anchor="middle" font-size="15">'
            f"{_svg_text(format(tick, number_format))}</text>"
        )
    for n, row in enumerate(present.itertuples()):
        at = across(row.value)
        anchor = (
            "start" if at < NAME_ANCHOR_PCT else "end" if at > 100 - NAME_ANCHOR_PCT else "middle"
        )
        marks.append(
            f'<line x1="{at}%" x2="{at}%" y1="{bar_top - 6}" y2="{bar_bottom + 6}" '
            f'stroke="{OUTLINE_COLOUR}" stroke-width="3"/>'
            f'<text x="{at}%" y="{(38, 18)[n % 2]}" text-anchor="{anchor}" font-size="16" '
            f'font-weight="bold">{_svg_text(str(row.name))}</text>'
        )
    marks.append(
        f'<text x="50%" y="{LEGEND_HEIGHT_PX - 8}" text-anchor="middle" font-size="15" '
        f'font-weight="bold">{_svg_text(axis_title)}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{LEGEND_HEIGHT_PX}" '
        f'role="img" fill="#1a1a1a"><title>{_svg_text(description)}</title>'
        + "".join(marks)
        + "</svg>"
    )

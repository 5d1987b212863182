"""maps.py: area values, colour scale and deck, on fixture frames and the real boundary files."""

import json
import math
from xml.etree import ElementTree

import pandas as pd
import pytest

from dashboard import maps
from dashboard.areas import area_catalogue
from dashboard.schema import OBSERVATION_COLUMNS

# Fixture values: made up for these tests, not figures from any source.
FIXTURE_AREAS = pd.DataFrame(
    {
        "area": ["leicestershire", "rutland", "leicester", "england"],
        "name": ["Leicestershire", "Rutland", "Leicester", "England"],
        "ons_code": ["E10000018", "E06000017", "E06000016", "E92000001"],
    }
)

SVG = "{http://www.w3.org/2000/svg}"


def observation(**values: object) -> dict[str, object]:
    row: dict[str, object] = {name: "" for name in OBSERVATION_COLUMNS}
    row |= {
        "record_id": "r",
        "indicator_id": "fixture_rate",
        "area": "leicestershire",
        "period": "31 March 2024",
        "period_type": "snapshot",
        "year_end": 2024,
        "value": 10.0,
        "unit": "rate_per_10k",
        "status": "published",
        "source_family": "official_statistics",
        "source": "dfe_fixture/fixture.csv",
        "source_ref": "row 1",
        "release": "Fixture release",
        "numerator": float("nan"),
        "denominator": float("nan"),
    }
    row |= values
    return row


def observations(*rows: dict[str, object]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=list(OBSERVATION_COLUMNS))
    return frame.astype({"year_end": "int64", "value": "float64"})


@pytest.fixture
def fixture_observations() -> pd.DataFrame:
    return observations(
        observation(record_id="a", area="leicestershire", value=20.0),
        observation(record_id="b", area="rutland", value=40.0),
        observation(record_id="c", area="leicester", value=float("nan"), value_symbol="c"),
        observation(record_id="d", area="leicestershire", year_end=2023, value=30.0),
        observation(record_id="e", area="england", value=99.0),
        observation(record_id="f", indicator_id="fixture_count", unit="count", value=5.0),
        observation(
            record_id="g", indicator_id="fixture_count", unit="count", area="rutland", value=1.0
        ),
        observation(record_id="h", indicator_id="one_area_only", value=3.0),
    )


@pytest.fixture
def fixture_indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["fixture_rate", "fixture_count", "one_area_only"],
            "name": ["B rate", "A count", "C"],
            "unit": ["rate_per_10k", "count", "rate_per_10k"],
        }
    )


@pytest.fixture(scope="module")
def upper_tier() -> dict:
    return maps.load_geojson(maps.UPPER_TIER_GEOJSON)


@pytest.fixture(scope="module")
def districts() -> dict:
    return maps.load_geojson(maps.DISTRICT_GEOJSON)


def test_mappable_indicators_need_two_areas_and_list_rates_first(
    fixture_observations, fixture_indicators
):
    found = maps.mappable_indicators(fixture_observations, fixture_indicators)
    assert found["indicator_id"].tolist() == ["fixture_rate", "fixture_count"]
    assert found["fair"].tolist() == [True, False]
    rate = found.iloc[0]
    assert rate["years"] == [2023, 2024]
    assert rate["best_year"] == 2024


def test_map_values_one_row_per_area_with_words_for_missing_and_suppressed(
    fixture_observations,
):
    values = maps.map_values(fixture_observations, FIXTURE_AREAS, "fixture_rate", 2024)
    assert values["area"].tolist() == list(area_catalogue().on_map)
    by_area = values.set_index("area")
    assert by_area.loc["leicestershire", "value"] == 20.0
    assert by_area.loc["leicestershire", "value_text"] == "20.0 per 10,000"
    assert by_area.loc["rutland", "source"] == "Fixture release"
    assert math.isnan(by_area.loc["leicester", "value"])
    assert by_area.loc["leicester", "value_text"].startswith("suppressed by DfE")
    assert "suppressed" in by_area.loc["leicester", "value_text"]
    earlier = maps.map_values(fixture_observations, FIXTURE_AREAS, "fixture_rate", 2023)
    assert earlier.set_index("area").loc["rutland", "value_text"] == "no published value"


def test_map_values_leaves_disagreeing_sources_unfilled():
    frame = observations(
        observation(record_id="x", value=12.0, conflict_id="k", source_family="partnership_report"),
        observation(record_id="y", value=14.0, conflict_id="k", source_family="partnership_report"),
    )
    values = maps.map_values(frame, FIXTURE_AREAS, "fixture_rate", 2024).set_index("area")
    assert math.isnan(values.loc["leicestershire", "value"])
    assert (
        values.loc["leicestershire", "value_text"]
        == "sources disagree: 12.0 per 10,000 or 14.0 per 10,000"
    )


def test_colours_run_light_to_dark_and_grey_for_no_value():
    low = maps.value_colour(0.0, 0.0, 10.0)
    high = maps.value_colour(10.0, 0.0, 10.0)
    assert low == maps.hex_to_rgb(maps.SEQUENTIAL_RAMP[0])
    assert high == maps.hex_to_rgb(maps.SEQUENTIAL_RAMP[-1])
    assert sum(maps.value_colour(5.0, 0.0, 10.0)) < sum(low)
    assert maps.value_colour(float("nan"), 0.0, 10.0) == maps.hex_to_rgb(maps.NO_VALUE_COLOUR)
    assert maps.value_colour(7.0, 7.0, 7.0) == maps.ramp_colour(0.5)


def test_scale_starts_at_zero_so_close_values_look_alike():
    assert maps.scale_domain([34.7, 34.9, float("nan")]) == (0.0, 34.9)
    assert maps.scale_domain([-5.0, 10.0]) == (-5.0, 10.0)
    assert maps.scale_domain([float("nan")]) is None
    close = [maps.value_colour(v, 0.0, 34.9) for v in (34.7, 34.9)]
    assert max(abs(a - b) for a, b in zip(*close, strict=True)) < 8


def test_legend_bands_use_the_map_colours():
    bands = maps.legend_frame(0.0, 10.0, steps=10)
    assert bands["start"].iloc[0] == 0.0
    assert bands["end"].iloc[-1] == pytest.approx(10.0)
    assert bands["colour"].iloc[0] == maps.rgb_to_hex(maps.value_colour(0.5, 0.0, 10.0))


def test_label_point_is_inside_leicestershire_not_in_the_leicester_hole(upper_tier):
    county = next(f for f in upper_tier["features"] if f["properties"]["ctyua_code"] == "E10000018")
    city = next(f for f in upper_tier["features"] if f["properties"]["ctyua_code"] == "E06000016")
    lon, lat = maps.label_point(county["geometry"])
    outer, *holes = county["geometry"]["coordinates"]
    assert maps._inside(lon, lat, outer)
    assert not maps._inside(lon, lat, city["geometry"]["coordinates"][0])


def test_view_is_fitted_to_llr(upper_tier):
    west, south, east, north = maps.geojson_bounds(upper_tier)
    view = maps.fit_view((west, south, east, north))
    assert west < view.longitude < east
    assert south < view.latitude < north
    assert 7.5 < view.zoom < 10


@pytest.fixture
def deck_json(fixture_observations, upper_tier, districts) -> dict:
    values = maps.map_values(fixture_observations, FIXTURE_AREAS, "fixture_rate", 2024)
    return json.loads(maps.build_area_map(values, upper_tier, districts).to_json())


def test_deck_has_no_basemap_or_remote_url(deck_json):
    # pydeck's style sentinel, which Streamlit's frontend drops: with mapStyle missing or None
    # it would fetch a Carto basemap instead.
    assert deck_json["mapStyle"] == "__MAP_STYLE__"
    assert "mapProvider" not in deck_json
    text = json.dumps(deck_json)
    for remote in ("http://", "https://", "mapbox", "carto"):
        assert remote not in text


def test_deck_layers_areas_districts_and_labels(deck_json):
    layers = {layer["id"]: layer for layer in deck_json["layers"]}
    assert list(layers) == ["areas", "districts", "county-edge", "leaders", "labels"]
    assert layers["areas"]["@@type"] == "GeoJsonLayer"
    assert layers["areas"]["pickable"] is True
    assert layers["areas"]["getFillColor"] == "@@=properties.fill"
    assert len(layers["areas"]["data"]["features"]) == 3
    assert len(layers["districts"]["data"]["features"]) == 7
    assert layers["districts"]["pickable"] is False
    assert layers["labels"]["@@type"] == "TextLayer"
    labels = {label["text"]: label["position"] for label in layers["labels"]["data"]}
    assert "Rutland\n40.0 per 10,000" in labels
    # Leicester's label is a callout outside the county, joined to the city by a leader line
    leicester = next(
        position for text, position in labels.items() if text.startswith("Leicester\n")
    )
    assert leicester == list(maps.CALLOUTS["E06000016"])
    assert layers["leaders"]["data"][0]["to"] == leicester


def test_deck_tooltip_fields_and_fill_per_value(deck_json):
    features = {
        f["properties"]["name"]: f["properties"] for f in deck_json["layers"][0]["data"]["features"]
    }
    for properties in features.values():
        assert set(maps.TOOLTIP_FIELDS) <= set(properties)
    # 20 on a scale from 0 to 40 (the highest value) is half way along the ramp
    assert features["Leicestershire"]["fill"] == maps.ramp_colour(0.5)
    assert features["Rutland"]["fill"] == maps.hex_to_rgb(maps.SEQUENTIAL_RAMP[-1])
    assert features["Leicester"]["fill"] == maps.hex_to_rgb(maps.NO_VALUE_COLOUR)
    assert features["Rutland"]["source"] == "Fixture release"
    assert features["Rutland"]["period"] == "31 March 2024"


def test_tooltip_is_plain_text_with_every_field(fixture_observations, upper_tier):
    values = maps.map_values(fixture_observations, FIXTURE_AREAS, "fixture_rate", 2024)
    deck = maps.build_area_map(values, upper_tier)
    tooltip = deck._tooltip  # kept on the Deck, not in its JSON; Streamlit sends it separately
    assert "html" not in tooltip
    for field in maps.TOOLTIP_FIELDS:
        assert "{" + field + "}" in tooltip["text"]


def test_legend_svg_marks_and_names_each_area_on_the_map_colours(fixture_observations):
    values = maps.map_values(fixture_observations, FIXTURE_AREAS, "fixture_rate", 2024)
    svg = maps.build_legend_svg(values, "Rate per 10,000", "Colour scale: *fixture* [test]")
    root = ElementTree.fromstring(svg)
    texts = [element.text for element in root.iter(f"{SVG}text")]
    # The two areas with a figure are named; the suppressed one is not drawn on the scale.
    assert {"Leicestershire", "Rutland"} <= set(texts) and "Leicester" not in texts
    assert "Rate per 10,000" in texts and "0.0" in texts and "40.0" in texts
    bands = maps.legend_frame(0.0, 40.0)
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    assert fills == list(bands["colour"])
    # Placed through Markdown: no character in its text may read as emphasis or a link.
    assert root.find(f"{SVG}title").text == "Colour scale: *fixture* [test]"
    assert "*" not in svg and "[" not in svg


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.0, 49.5, [0, 10, 20, 30, 40]),
        (0.0, 2400.0, [0, 500, 1000, 1500, 2000]),
        (-3.0, 12.0, [-2, 0, 2, 4, 6, 8, 10, 12]),
        (5.0, 5.0, [5.0]),
    ],
)
def test_nice_ticks_are_round_and_within_the_scale(low, high, expected):
    assert maps.nice_ticks(low, high, count=6) == expected


def test_prepared_deck_is_the_same_map_in_compact_json(fixture_observations, upper_tier):
    values = maps.map_values(fixture_observations, FIXTURE_AREAS, "fixture_rate", 2024)
    deck = maps.build_area_map(values, upper_tier)
    prepared = maps.PreparedDeck(deck)
    assert json.loads(prepared.to_json()) == json.loads(deck.to_json())
    assert "\n" not in prepared.to_json() and len(prepared.to_json()) < len(deck.to_json())


def _points(collection: dict) -> list[tuple[float, float]]:
    return [
        (point[0], point[1])
        for feature in collection["features"]
        for ring in maps._rings(feature["geometry"])
        for point in ring
    ]


def _square_pair(offsets_m: list[float]) -> tuple[dict, dict]:
    """Test fixture: two squares of a degree sharing a wiggly east-west border, its vertices
    these many metres north (or south) of the line y = 0."""
    step = 1 / (len(offsets_m) - 1)
    border = [[x * step, offset / maps.METRES_PER_DEGREE] for x, offset in enumerate(offsets_m)]
    north = [*border, [1.0, 1.0], [0.0, 1.0], border[0]]
    south = [*reversed(border), [0.0, -1.0], [1.0, -1.0], border[-1]]

    def collection(ring: list[list[float]]) -> dict:
        feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon"}}
        feature["geometry"]["coordinates"] = [ring]
        return {"type": "FeatureCollection", "features": [feature]}

    return collection(north), collection(south)


def test_simplify_boundaries_drops_wiggles_within_tolerance_and_keeps_the_rest():
    small = [10.0 * (-1) ** i for i in range(11)]  # 10 m either side of the line
    north, _ = maps.simplify_boundaries(*_square_pair(small), tolerance_m=75)
    ring = north["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]  # still closed
    assert len(ring) == 5  # the border is a straight line again: the square's corners remain
    assert set(map(tuple, ring)) <= set(_points(_square_pair(small)[0]))  # published vertices
    large = [500.0 * (-1) ** i for i in range(11)]
    north, _ = maps.simplify_boundaries(*_square_pair(large), tolerance_m=75)
    assert len(north["features"][0]["geometry"]["coordinates"][0]) == 14  # nothing to drop


def test_simplify_boundaries_thins_a_shared_border_the_same_way_in_both_areas():
    offsets = [0.0, 30.0, -80.0, 10.0, 120.0, -20.0, 0.0, 60.0, -40.0, 5.0, 0.0]
    kept = []
    for tolerance in (50, 75):
        north, south = maps.simplify_boundaries(*_square_pair(offsets), tolerance_m=tolerance)
        on_border = [{p for p in _points(area) if abs(p[1]) < 0.5} for area in (north, south)]
        assert on_border[0] == on_border[1]
        kept.append(len(on_border[0]))
    assert len(offsets) > kept[0] > kept[1]


def test_published_boundaries_thinned_for_drawing_still_meet_exactly(upper_tier, districts):
    thin_upper, thin_districts = maps.simplify_boundaries(upper_tier, districts)
    assert len(_points(thin_upper)) < len(_points(upper_tier)) / 2
    assert len(_points(thin_districts)) < len(_points(districts)) / 2
    # Every county and unitary edge is still drawn along district vertices: no slivers.
    assert set(_points(thin_upper)) <= set(_points(thin_districts))
    assert [f["properties"] for f in thin_upper["features"]] == [
        f["properties"] for f in upper_tier["features"]
    ]

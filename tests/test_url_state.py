"""URL parameters: validated, with a named problem for anything that cannot be used."""

from dashboard.url_state import (
    FLAG,
    MANY,
    NUMBER,
    TEXT,
    YEAR,
    UrlParam,
    encode,
    read_choice,
    read_many,
    read_year,
)


def test_choice_accepts_known_value_and_defaults_when_absent():
    assert read_choice({"measure": "count"}, "measure", ["count", "index"], "index") == (
        "count",
        None,
    )
    assert read_choice({}, "measure", ["count"], "count") == ("count", None)


def test_unknown_choice_falls_back_and_names_the_parameter_and_value():
    value, problem = read_choice({"indicator": "nope"}, "indicator", ["a"], "a")
    assert value == "a"
    assert problem is not None
    assert "indicator='nope'" in problem.message()
    assert "showing 'a' instead" in problem.message()


def test_many_drops_unknown_items_in_one_grouped_note():
    values, problems = read_many(
        {"areas": "rutland,mars,,venus"}, "areas", ["rutland"], ["x"], describe="area"
    )
    assert values == ["rutland"]
    assert len(problems) == 1
    assert problems[0].message() == (
        "The link asked for areas='mars', 'venus', which are unknown (2 items that are not a "
        "known area); "
        "showing 'rutland' instead."
    )


def test_a_crafted_long_list_costs_two_notes_at_most():
    crafted = ",".join(f"fixture{n}" for n in range(50_000))
    values, problems = read_many({"areas": crafted}, "areas", ["rutland"], ["rutland"])
    assert values == ["rutland"]
    assert len(problems) == 2
    assert "only the first 100 are read" in problems[0].message()
    assert "'fixture0', 'fixture1', 'fixture2' and 97 more" in problems[1].message()
    assert len(" ".join(p.message() for p in problems)) < 400


def test_a_value_longer_than_the_limit_is_refused_whole():
    param = UrlParam("indicators", "fixture_key", MANY, "indicator")
    value, problems = param.read({"indicators": "a," * 5000}, ["a"], ["a"])
    assert value == ["a"]
    assert "is longer than 2,000 characters" in problems[0].message()
    assert "(10,000 characters)" in problems[0].message()


def test_many_with_nothing_usable_falls_back_to_default():
    values, problems = read_many({"areas": "mars"}, "areas", ["rutland"], ["rutland"])
    assert values == ["rutland"]
    assert len(problems) == 1


def test_year_must_be_a_year_with_data():
    years = [2019, 2020]
    assert read_year({"from": "2020"}, "from", years, 2019) == (2020, None)
    value, problem = read_year({"from": "soon"}, "from", years, 2019)
    assert value == 2019 and problem is not None and "not a year" in problem.reason
    value, problem = read_year({"from": "1990"}, "from", years, 2019)
    assert value == 2019 and problem is not None and "2019 to 2020" in problem.reason


def test_encode_joins_lists_and_skips_empty_values():
    assert encode({"areas": ["a", "b"], "from": 2019, "base": None, "theme": ""}) == {
        "areas": "a,b",
        "from": "2019",
    }


# --- Declared parameters (UrlParam): read and written one way on every page ---------------

AREAS = UrlParam("areas", "fixture_areas", MANY, "area", omit_default=True)
SWITCH = UrlParam("intervals", "fixture_intervals", FLAG)
SLIDE = UrlParam("slide", "fixture_slide", NUMBER, "slide (1 to 3)")
SEARCH = UrlParam("q", "fixture_query", TEXT)
YEAR_ENDING = UrlParam("year", "fixture_year", YEAR)


def test_a_declared_parameter_reads_as_its_kind_says():
    assert AREAS.read({"areas": "a,b"}, ["a", "b", "c"], ["a"]) == (["a", "b"], [])
    assert SWITCH.read({"intervals": "1"}, (), False) == (True, [])
    assert SLIDE.read({"slide": "2"}, [1, 2, 3], 1) == (2, [])
    assert SEARCH.read({"q": "Encompass"}, (), "") == ("Encompass", [])
    assert YEAR_ENDING.read({}, [2020, 2021], 2021) == (2021, [])


def test_a_declared_parameter_reports_what_it_could_not_use():
    value, problems = SLIDE.read({"slide": "9"}, [1, 2, 3], 1)
    assert value == 1
    assert [p.message() for p in problems] == [
        "The link asked for slide='9', which is not a known slide (1 to 3); showing '1' instead."
    ]
    assert SWITCH.read({"intervals": "maybe"}, (), True)[1][0].fallback == "on"


def test_defaults_are_left_out_of_the_link_where_declared():
    assert AREAS.encode(["a"], ["a"]) is None
    assert AREAS.encode(["a", "b"], ["a"]) == ["a", "b"]
    assert SWITCH.encode(False, False) is None and SWITCH.encode(True, False) == "1"
    assert YEAR_ENDING.encode(2021, 2021) == 2021  # not declared: always in the link
    assert SEARCH.encode("  ", "") is None


def test_what_a_page_writes_reads_back_the_same():
    values = {AREAS: ["b", "c"], SWITCH: True, SLIDE: 3, SEARCH: "MARAC", YEAR_ENDING: 2020}
    defaults = {AREAS: ["a"], SWITCH: False, SLIDE: 1, SEARCH: "", YEAR_ENDING: 2021}
    options = {
        AREAS: ["a", "b", "c"],
        SWITCH: (),
        SLIDE: [1, 2, 3],
        SEARCH: (),
        YEAR_ENDING: [2020, 2021],
    }
    link = encode({p.name: p.encode(value, defaults[p]) for p, value in values.items()})
    for param, value in values.items():
        assert param.read(link, options[param], defaults[param]) == (value, [])

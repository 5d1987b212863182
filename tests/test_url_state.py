"""URL parameters: validated, with a named problem for anything that cannot be used."""

from dashboard.url_state import encode, read_choice, read_many, read_year


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


def test_many_drops_unknown_items_one_problem_each():
    values, problems = read_many({"areas": "rutland,mars,,venus"}, "areas", ["rutland"], ["x"])
    assert values == ["rutland"]
    assert [p.value for p in problems] == ["mars", "venus"]


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

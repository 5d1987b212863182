"""AppTest: events, commentary and source differences on the Indicator, Compare and themed pages,
on the real built data."""

from dashboard.headlines import REASON_NOT_STATED

from helpers.apptest import chart_specs, open_page

INDICATOR = "pages/indicator.py"
COMPARE = "pages/compare.py"


def rule_layers(spec: dict) -> list[dict]:
    return [
        layer
        for layer in spec.get("layer", [])
        if isinstance(layer.get("mark"), dict)
        and layer["mark"].get("type") == "rule"
        and any(t.get("title") == "Event" for t in layer.get("encoding", {}).get("tooltip", []))
    ]


def test_indicator_events_switch_is_on_by_default_and_in_the_link():
    at = open_page(INDICATOR, {"indicator": "cin_referral_rate"})
    assert not at.exception
    switch = next(t for t in at.toggle if t.label == "Show events")
    assert switch.value is True
    off = open_page(INDICATOR, {"indicator": "cin_referral_rate", "events": "0"})
    assert next(t for t in off.toggle if t.label == "Show events").value is False
    assert not any(rule_layers(spec) for spec in chart_specs(off))
    switch = next(t for t in off.toggle if t.label == "Show events")
    switch.set_value(True).run()
    assert "events" not in off.query_params  # on is the default: the link stays short


def test_report_and_official_referrals_differences_are_said_on_both_pages():
    for indicator in ("report_referrals", "cin_referrals"):
        at = open_page(INDICATOR, {"indicator": indicator})
        assert not at.exception
        text = " ".join(m.value.replace("\\", "") for m in at.markdown)
        assert "The two sources give different figures for" in text
        assert "the largest: Leicestershire, 2015/16" in text
        reasons = at.table[0].value["Why they differ"].tolist()
        assert REASON_NOT_STATED in reasons


def test_compare_and_theme_pages_offer_an_events_switch_off_by_default():
    compare = open_page("pages/compare.py")
    assert next(t for t in compare.toggle if t.label == "Show events").value is False
    theme = open_page("pages/theme_front_door.py", {"events": "1"})
    assert not theme.exception
    assert next(t for t in theme.toggle if t.label == "Show events on the line charts").value


def test_compare_says_why_its_year_range_is_short():
    at = open_page(
        "pages/compare.py",
        {"theme": "exploitation", "indicators": "report_cse_referrals", "from": "2013"},
    )
    assert not at.exception
    captions = " ".join(c.value.replace("\\", "") for c in at.caption)
    assert "Years offered are those with figures." in captions
    cse = "Child sexual exploitation referrals (partnership report): 2014/15 to 2015/16"
    assert cse in captions


def test_the_table_and_rule_switches_are_kept_in_the_link():
    """A shared link opens with the same tables showing; switching one on writes it."""
    at = open_page(INDICATOR, {"indicator": "cla_rate", "table": "1", "rules": "1"})
    assert not at.exception
    assert at.toggle(key="indicator_show_table").value is True
    assert at.toggle(key="indicator_rules_shown").value is True
    assert any("Rule" in frame.value.columns for frame in at.dataframe)
    assert any(table.value["Area"].is_unique for table in at.table)
    plain = open_page(INDICATOR, {"indicator": "cla_rate"})
    assert not plain.table
    plain.toggle(key="indicator_show_table").set_value(True).run()
    assert plain.query_params["table"] == ["1"] or plain.query_params["table"] == "1"
    compare = open_page(COMPARE, {"table": "1"})
    assert compare.toggle(key="compare_show_table").value is True
    assert compare.table


def test_a_crafted_link_gets_grouped_notes_not_one_per_item():
    crafted = ",".join(f"x{n}" for n in range(300))  # FIXTURE ids, under the length limit
    at = open_page(INDICATOR, {"indicator": "cla_rate", "areas": crafted})
    assert not at.exception
    assert len(at.warning) == 2
    assert "only the first 100 are read" in at.warning[0].value
    assert "and 97 more" in at.warning[1].value
    too_long = open_page(INDICATOR, {"indicator": "cla_rate", "areas": "x" * 5000})
    assert len(too_long.warning) == 1
    assert "longer than 2,000 characters" in too_long.warning[0].value

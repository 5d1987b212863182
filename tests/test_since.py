"""Meeting dates (file rules, build and update flow), what arrived since a date, the ranked
summary and the Since page. Meeting dates and figures written here are TEST FIXTURES."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from dashboard import meeting_widgets
from dashboard.build.pipeline import build_tables
from dashboard.build.validation import BuildError
from dashboard.catalogue import build_catalogue
from dashboard.config import OVERVIEW_INDICATORS
from dashboard.data import read_areas, read_indicators, read_observations
from dashboard.meetings import (
    Meeting,
    MeetingFileError,
    last_meeting_before,
    parse_meetings,
)
from dashboard.since import (
    GROUP_WORDS,
    GROUPS,
    after_meeting,
    arrivals,
    arrived_indicators,
    group_of,
    observations_as_at,
    ranked_summary,
    releases_arrived,
    slide_lines,
)
from dashboard.transforms import LatestChange, area_names
from dashboard.update.apply import apply_plan, read_history
from dashboard.update.plan import plan_update
from dashboard.url_state import read_date

from helpers.apptest import open_page
from helpers.update_fixtures import (
    RUTLAND_CSE,
    add_fixture_document,
    copy_data,
    data_files,
    figures_csv,
)

SINCE = "pages/since.py"


def problems_of(text: str) -> list[str]:
    with pytest.raises(MeetingFileError) as caught:
        parse_meetings(text, "meetings.csv")
    return [str(problem) for problem in caught.value.problems]


def test_meetings_are_read_oldest_first():
    meetings = parse_meetings(
        "date,title\n2026-09-10,Board meeting\n2026-06-11,Board meeting\n", "m.csv"
    )
    assert [m.when for m in meetings] == [date(2026, 6, 11), date(2026, 9, 10)]
    assert meetings[1].label == "Board meeting, 10 September 2026"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "date,title\n2026-13-01,Board\n",
            "meetings.csv, row 2, field date: '2026-13-01' is not a date written YYYY-MM-DD",
        ),
        (
            "date,title\n10/09/2026,Board\n",
            "meetings.csv, row 2, field date: '10/09/2026' is not a date written YYYY-MM-DD",
        ),
        ("date,title\n,Board\n", "meetings.csv, row 2, field date: is empty"),
        (
            "date,title\n2026-09-10,\n",
            "meetings.csv, row 2, field title: is empty; say what the meeting was",
        ),
        (
            "date,title\n2026-09-10,Board\n2026-09-10,Board again\n",
            "meetings.csv, row 3, field date: 2026-09-10 is already the date of row 2",
        ),
        (
            "date,name\n2026-09-10,Board\n",
            "meetings.csv, row 1: the columns must be date, title; found date, name",
        ),
        (
            "date,title\n2026-09-10,Board,extra\n",
            "meetings.csv, row 2: has more cells than the header",
        ),
    ],
)
def test_bad_meeting_rows_are_named(text, expected):
    assert problems_of(text) == [expected]


def test_default_meeting_is_the_most_recent_before_today():
    meetings = (
        Meeting(date(2026, 6, 11), "Board"),
        Meeting(date(2026, 9, 10), "Board"),
        Meeting(date(2026, 12, 10), "Board"),
    )
    assert last_meeting_before(meetings, date(2026, 12, 3)).when == date(2026, 9, 10)
    assert last_meeting_before(meetings, date(2026, 6, 11)) is None


def test_since_link_reads_a_date_no_later_than_today():
    today = date(2026, 12, 3)
    default = date(2026, 9, 3)
    assert read_date({"since": "2026-10-01"}, "since", today, default) == (date(2026, 10, 1), None)
    day, problem = read_date({"since": "2027-01-01"}, "since", today, default)
    assert day == default and "after 2026-12-03" in problem.message()
    day, problem = read_date({"since": "yesterday"}, "since", today, default)
    assert day == default and "YYYY-MM-DD" in problem.message()


# The build and the data-update flow


@pytest.fixture(scope="module")
def dirs(tmp_path_factory):
    dirs = copy_data(tmp_path_factory.mktemp("since") / "data")
    add_fixture_document(dirs)
    return dirs


def test_build_refuses_a_bad_meetings_file_and_writes_nothing(tmp_path):
    copy = copy_data(tmp_path / "data")
    (copy.sources / "meetings.csv").write_text("date,title\n2026-02-30,Board\n", encoding="utf-8")
    before = data_files(copy.root)
    with pytest.raises(BuildError) as caught:
        build_tables(copy.inputs())
    assert "meetings.csv, row 2, field date: '2026-02-30' is not a date" in str(caught.value)
    assert data_files(copy.root) == before


def test_meetings_upload_adds_dates_and_is_logged(dirs):
    content = b"date,title\n2026-09-10,Board meeting (test fixture)\n"
    plan = plan_update("meetings.csv", content, dirs)
    assert plan.ready and plan.kind == "meetings"
    assert plan.new.to_dict("records") == [
        {"Meeting date": "2026-09-10", "Title": "Board meeting (test fixture)"}
    ]
    apply_plan(plan, dirs)
    assert (dirs.sources / "meetings.csv").read_text(encoding="utf-8") == (
        "date,title\n2026-09-10,Board meeting (test fixture)\n"
    )
    assert "2026-09-10 Board meeting (test fixture)" in read_history(dirs)[0].summary
    assert not plan_update("meetings.csv", content, dirs).ready  # nothing new the second time


def test_bad_meetings_upload_is_refused_by_row_and_nothing_written(dirs):
    before = data_files(dirs.root)
    plan = plan_update("meetings.csv", b"date,title\n2026-09-31,Board\n", dirs)
    assert not plan.ready
    assert plan.messages == [
        "meetings.csv, row 2, field date: '2026-09-31' is not a date written YYYY-MM-DD"
    ]
    assert data_files(dirs.root) == before


# What arrived


def fixture_rows(values: dict[str, float]) -> pd.DataFrame:
    """TEST FIXTURE observations: one headline row per period of one made-up series."""
    return pd.DataFrame(
        [
            {
                "indicator_id": "fixture_indicator",
                "area": "rutland",
                "period": period,
                "breakdown": "",
                "source": "fixture.csv",
                "release": "Fixture release",
                "value": value,
                "value_symbol": "",
            }
            for period, value in values.items()
        ]
    )


def test_arrivals_are_new_and_revised_rows_only():
    before = fixture_rows({"2023/24": 10.0, "2024/25": 11.0})
    live = fixture_rows({"2023/24": 10.0, "2024/25": 12.0, "2025/26": 13.0})
    arrived = arrivals(live, before)
    assert arrived[["period", "arrival"]].values.tolist() == [
        ["2024/25", "revised"],
        ["2025/26", "new"],
    ]
    assert releases_arrived(arrived).to_dict("records") == [
        {"Release": "Fixture release", "New values": 1, "Revised values": 1}
    ]
    assert arrivals(live, None).empty


def test_data_as_at_a_meeting_comes_from_the_update_history(tmp_path):
    copy = copy_data(tmp_path / "data")
    add_fixture_document(copy)
    meeting = date(2026, 9, 10)
    assert observations_as_at(after_meeting(meeting), copy) is None
    before = read_observations(copy.root / "observations.parquet")
    plan = plan_update(
        "f.csv", figures_csv({**RUTLAND_CSE, "figure_id": "fixture-since-rutland-cse"}), copy
    )
    apply_plan(plan, copy, now=datetime(2026, 10, 1, tzinfo=UTC))
    then = observations_as_at(after_meeting(meeting), copy)
    assert len(then) == len(before)
    live = read_observations(copy.root / "observations.parquet")
    arrived = arrivals(live, then)
    assert arrived["record_id"].tolist() == ["fixture-since-rutland-cse"]
    # A meeting after the update sees nothing new.
    assert observations_as_at(after_meeting(date(2026, 10, 1)), copy) is None
    catalogue = build_catalogue(read_indicators(copy.root / "indicators.parquet"))
    assert arrived_indicators(arrived, catalogue) == ["report_cse_referrals"]
    names = area_names(read_areas(copy.root / "areas.parquet"))
    lines = ranked_summary(live, catalogue, ["report_cse_referrals"], names, arrived)
    rutland = next(line for line in lines if line.area == "rutland")
    # The new count has no population yet to make a rate: it is said as published, and new.
    assert rutland.new and rutland.change.period == "2025/26" and rutland.measure == "count"
    assert not next(line for line in lines if line.area == "leicestershire").new


def change(judgement: str, significant: bool | None = None) -> LatestChange:
    """A TEST FIXTURE change with only what the grouping reads."""
    from dashboard.stats import ChangeTest

    test = None
    if significant is not None:
        test = ChangeTest(p_value=0.001 if significant else 0.5, method="fixture")
    return LatestChange(
        2025, "2024/25", (1.0,), "", "published", None, None, 1.0, judgement, test=test
    )


@pytest.mark.parametrize(
    ("judgement", "significant", "group"),
    [
        ("worse", True, "worse"),
        ("better", True, "better"),
        ("no_judgement", True, "changed"),
        ("no_judgement", False, "no_change"),
        ("within_chance", False, "no_change"),
        ("not_tested", None, "not_tested"),
        ("unknown", None, "not_tested"),
    ],
)
def test_groups_only_call_tested_changes_better_or_worse(judgement, significant, group):
    assert group_of(change(judgement, significant)) == group


def test_summary_of_the_real_data_is_ranked_deteriorations_first():
    catalogue = build_catalogue(read_indicators())
    lines = ranked_summary(
        read_observations(), catalogue, OVERVIEW_INDICATORS, area_names(read_areas())
    )
    order = [group for group, _ in GROUPS]
    ranks = [order.index(line.group) for line in lines]
    assert lines and ranks == sorted(ranks)
    assert {line.area for line in lines} <= {"leicestershire", "rutland"}
    for line in lines:
        assert line.area_name in line.sentence


# The page


def test_since_page_without_meetings_offers_a_date_a_quarter_ago():
    at = open_page(SINCE)
    assert not at.exception
    assert at.title[0].value == "Since the last meeting"
    assert at.date_input[0].label == "Since"
    assert [h.value for h in at.subheader][:2] == [
        "What arrived",
        "Where the headline indicators stand",
    ]
    assert any(m.value.startswith("#### Deteriorations") for m in at.markdown)
    assert at.query_params["since"] == at.date_input[0].value.isoformat()


def test_since_page_reports_a_bad_date_in_the_link():
    at = open_page(SINCE, {"since": "2999-01-01"})
    assert not at.exception
    assert any("2999" in warning.value for warning in at.warning)


def test_since_page_defaults_to_the_last_meeting_before_today(monkeypatch):
    meetings = (
        Meeting(date(2020, 1, 15), "Board meeting (test fixture)"),
        Meeting(date(2021, 3, 10), "Board meeting (test fixture)"),
        Meeting(date(2999, 1, 1), "Board meeting (test fixture)"),
    )
    monkeypatch.setattr(meeting_widgets, "read_meetings", lambda: meetings)
    meeting_widgets.load_meetings.clear()
    try:
        at = open_page(SINCE)
        assert not at.exception
        assert at.selectbox[0].label == "Since the meeting of"
        assert at.selectbox[0].value == "2021-03-10"
        at.selectbox[0].set_value("2020-01-15").run()
        assert at.query_params["since"] == "2020-01-15"
        linked = open_page(SINCE, {"since": "2020-01-15"})
        assert linked.selectbox[0].value == "2020-01-15"
    finally:
        meeting_widgets.load_meetings.clear()


def test_slide_lines_start_with_the_counts_and_keep_the_ranking():
    catalogue = build_catalogue(read_indicators())
    lines = ranked_summary(
        read_observations(), catalogue, OVERVIEW_INDICATORS, area_names(read_areas())
    )
    said = slide_lines(lines, limit=3)
    assert said[0].startswith(f"Of {len(lines)} figures (indicator and area): ")
    assert len(said) == 1 + 3 + (len(lines) > 3)
    for line, text in zip(lines[:3], said[1:4], strict=True):
        assert text.startswith(f"{line.area_name}, ")
        assert GROUP_WORDS[line.group] in text

"""The events and commentary files: each bad row gives file, row, field and reason, and a build
with any of them writes nothing. Rows written here are TEST FIXTURES in temporary copies."""

import csv
from datetime import date

import pandas as pd
import pytest

from dashboard.build.context import (
    COMMENTARY_FILE_COLUMNS,
    EVENT_FILE_COLUMNS,
    read_commentary,
    read_events,
)
from dashboard.build.pipeline import build_tables, rebuild
from dashboard.build.validation import BuildError
from dashboard.data import read_commentary as read_built_commentary
from dashboard.data import read_events as read_built_events
from dashboard.paths import DATA_DIR

from helpers.update_fixtures import copy_data, data_files

TODAY = date(2026, 12, 3)
AREAS = {"leicestershire", "rutland", "england"}
DOCUMENTS = pd.DataFrame(
    {
        "document": ["fixture.txt"],
        "title": ["Fixture report"],
        "text": ["The fixture board became a partnership in\nSeptember 2019."],
    }
)
GOOD = {
    "event_id": "fixture-event",
    "date": "2019-09-01",
    "areas": "leicestershire;rutland",
    "title": "Fixture event",
    "kind": "structure",
    "document": "fixture.txt",
    "quote": "The fixture board became a partnership in September 2019.",
    "note": "TEST FIXTURE",
}


def write_rows(path, columns, *rows):
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    return path


def event_problems(tmp_path, **changes) -> list[str]:
    path = write_rows(tmp_path / "events.csv", EVENT_FILE_COLUMNS, GOOD | changes)
    official = tmp_path / "raw" / "official" / "fixture"
    official.mkdir(parents=True, exist_ok=True)
    (official / "fixture.csv").write_text("sheet_row,Inspection date\n12,2019-09-23\n")
    table, problems = read_events(path, AREAS, DOCUMENTS, tmp_path, TODAY)
    return [str(problem) for problem in problems]


def test_a_good_event_reads_with_its_source_said(tmp_path):
    path = write_rows(tmp_path / "events.csv", EVENT_FILE_COLUMNS, GOOD)
    table, problems = read_events(path, AREAS, DOCUMENTS, tmp_path, TODAY)
    assert problems == []
    assert table["source_text"].tolist() == [
        'Fixture report: "The fixture board became a partnership in September 2019."'
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"date": "2019-13-01"},
            "row 2, field date: '2019-13-01' is not a date written YYYY-MM-DD",
        ),
        ({"date": "2027-01-01"}, "row 2, field date: 2027-01-01 is in the future"),
        (
            {"areas": "rutland;atlantis"},
            "row 2, field areas: 'atlantis' is not an area in areas.csv",
        ),
        ({"areas": ""}, "row 2, field areas: '' is not an area in areas.csv"),
        ({"kind": "party"}, "row 2, field kind: 'party' is not one of inspection, structure"),
        ({"event_id": "Bad Id"}, "row 2, field event_id: 'Bad Id' must be lower-case"),
        ({"document": "", "quote": ""}, "row 2, field source: has no source: give exactly one of"),
        (
            {"publisher": "Fixture publisher"},
            "row 2, field source: mixes sources (a quote from a document and a named public",
        ),
        ({"quote": "Not in the text."}, "row 2, field quote: not found verbatim in fixture.txt"),
        ({"document": "other.txt"}, "row 2, field document: 'other.txt' is not listed"),
        (
            {
                "document": "",
                "quote": "",
                "official_file": "raw/official/fixture/fixture.csv",
                "official_row": "13",
            },
            "row 2, field official_row: row 13 is not in raw/official/fixture/fixture.csv",
        ),
        (
            {
                "document": "",
                "quote": "",
                "official_file": "raw/official/fixture/fixture.csv",
                "official_row": "12",
            },
            "row 2, field date: 2019-09-01 is not a date in raw/official/fixture/fixture.csv",
        ),
        (
            {"document": "", "quote": "", "official_file": "../secrets.csv", "official_row": "1"},
            "row 2, field official_file: '../secrets.csv' is not a file under data/raw/",
        ),
        (
            {
                "document": "",
                "quote": "",
                "publisher": "Fixture publisher",
                "source_title": "Fixture title",
                "source_date": "March 2020",
            },
            "row 2, field source_date: 'March 2020' is not a date YYYY-MM-DD",
        ),
        (
            {"document": "", "quote": "", "publisher": "Fixture publisher"},
            "row 2, field source_title: is empty; a named public source needs publisher",
        ),
    ],
)
def test_bad_events_are_named_by_row_and_field(tmp_path, changes, expected):
    problems = event_problems(tmp_path, **changes)
    assert len(problems) == 1 and expected in problems[0], problems


def test_an_official_row_that_holds_the_date_is_a_source(tmp_path):
    changes = {
        "document": "",
        "quote": "",
        "date": "2019-09-23",
        "official_file": "raw/official/fixture/fixture.csv",
        "official_row": "12",
    }
    assert event_problems(tmp_path, **changes) == []


def test_bad_commentary_rows_are_named(tmp_path):
    catalogue = pd.DataFrame({"indicator_id": ["fixture_count"]})
    observations = pd.DataFrame(
        {"indicator_id": ["fixture_count"], "area": ["rutland"], "period": ["2015/16"]}
    )
    path = write_rows(
        tmp_path / "commentary.csv",
        COMMENTARY_FILE_COLUMNS,
        {
            "commentary_id": "fixture-a",
            "indicator_id": "fixture_unknown",
            "area": "rutland",
            "period": "2015/16",
            "document": "fixture.txt",
            "quote": GOOD["quote"],
        },
        {
            "commentary_id": "fixture-b",
            "indicator_id": "fixture_count",
            "area": "rutland",
            "period": "2016/17",
            "document": "fixture.txt",
            "quote": "Not there.",
        },
    )
    _, problems = read_commentary(path, catalogue, observations, DOCUMENTS)
    said = [str(problem) for problem in problems]
    assert said[0].endswith("row 2, field indicator_id: 'fixture_unknown' is not in indicators.csv")
    assert "row 3, field period: fixture_count has no figure for 'rutland' in '2016/17'" in said[1]
    assert said[2].endswith("row 3, field quote: not found verbatim in fixture.txt")


def test_the_real_files_build_and_every_inspection_has_an_event():
    events = read_built_events()
    inspections = pd.read_csv(
        DATA_DIR / "raw/official/ofsted/ilacs_inspection_history_llr_subset.csv", dtype=str
    )
    assert set(inspections["Inspection date"]) <= set(events["date"])
    assert events["source_text"].str.len().gt(0).all()
    commentary = read_built_commentary()
    assert commentary["quote"].str.len().gt(0).all()


def test_a_bad_events_file_stops_the_build_and_nothing_is_written(tmp_path):
    copy = copy_data(tmp_path / "data")
    with (copy.sources / "events.csv").open("a", encoding="utf-8") as out:
        out.write("fixture-bad,2019-02-30,rutland,Fixture,structure,,,,,,,,TEST FIXTURE\n")
    before = data_files(copy.root)
    with pytest.raises(BuildError) as caught:
        rebuild(copy.inputs(), copy.root)
    assert "events.csv, row 13, field date: '2019-02-30' is not a date" in str(caught.value)
    assert data_files(copy.root) == before
    with pytest.raises(BuildError):
        build_tables(copy.inputs())

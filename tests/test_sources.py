"""sources.py: document and release summaries, SOURCE.md parsing, coverage grid and search."""

import pandas as pd
import pytest

from dashboard import sources
from dashboard.paths import RAW_OFFICIAL_DIR
from dashboard.schema import OBSERVATION_COLUMNS

from helpers.frames import fixture_frame, fixture_row

# Fixture rows: made up for these tests, not figures from any source.


def observation(**values: object) -> dict[str, object]:
    defaults = {
        "record_id": "r",
        "indicator_id": "fixture_a",
        "area": "leicestershire",
        "period": "2015/16",
        "period_type": "financial_year",
        "year_end": 2016,
        "value": 1.0,
        "unit": "count",
        "status": "reported",
        "source_family": "partnership_report",
        "source": "doc_one.txt",
        "release": "Document one",
    }
    return fixture_row(OBSERVATION_COLUMNS, **(defaults | values))


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    return fixture_frame(rows, OBSERVATION_COLUMNS)


FIXTURE_INDICATORS = pd.DataFrame(
    {
        "indicator_id": ["fixture_a", "fixture_b", "fixture_c"],
        "name": ["A things", "B things", "C things"],
        "theme": ["front_door", "front_door", "money"],
        "source_family": ["partnership_report", "official_statistics", "official_statistics"],
    }
)

FIXTURE_DOCUMENTS = pd.DataFrame(
    {
        "document": ["doc_one.txt", "doc_two.txt"],
        "title": ["Document one", "Document two"],
        "publisher": ["Board", "Board"],
        "period": ["2015/16", "2018"],
        "areas": ["Leicestershire", "Leicester"],
        "contributes": ["Referrals", "Campaigns"],
        "text": [
            "Contacts rose.\nThe board launched\nOperation   Encompass in schools.",
            "Nothing about that here. operation encompass again, lower case.",
        ],
    }
)


@pytest.fixture
def fixture_observations() -> pd.DataFrame:
    return frame(
        observation(record_id="1"),
        observation(record_id="2", year_end=2018, period="2017/18"),
        observation(
            record_id="3",
            indicator_id="fixture_b",
            year_end=2017,
            value=float("nan"),
            value_symbol="c",
            source_family="official_statistics",
            source="dfe_x/file_one.csv",
            release="Release one",
        ),
        observation(
            record_id="4",
            indicator_id="fixture_b",
            year_end=2018,
            breakdown="Male",
            source_family="official_statistics",
            source="dfe_x/file_one.csv",
            release="Release one",
        ),
        observation(record_id="5", indicator_id="fixture_c", area="rutland"),
        observation(
            record_id="6",
            indicator_id="fixture_b",
            source_family="official_statistics",
            source="dfe_x/file_one.csv; dfe_y/pop.csv",
            release="Release one; Population",
            status="computed",
        ),
        observation(
            record_id="7",
            indicator_id="fixture_c",
            source_family="official_statistics",
            source="dfe_y/pop.csv",
            release="Population",
            year_end=2016,
        ),
    )


def test_document_summary_counts_figures_per_document(fixture_observations):
    summary = sources.document_summary(FIXTURE_DOCUMENTS, fixture_observations)
    assert summary["Document"].tolist() == ["Document one", "Document two"]
    assert summary["Figures drawn"].tolist() == [3, 0]
    assert summary["Indicators"].tolist() == [2, 0]
    assert summary["Period"].tolist() == ["2015/16", "2018"]


def test_release_summary_pairs_files_with_releases(fixture_observations):
    provenance = pd.DataFrame(
        {
            "folder": ["dfe_x", "dfe_y"],
            "file": ["file_one.csv", "pop.csv"],
            "licence": ["Open Government Licence v3.0", "Open Government Licence v3.0"],
            "taken_from": ["owner/repo", "owner/repo"],
            "documented_in": [
                "data/raw/official/dfe_x/SOURCE.md",
                "data/raw/official/dfe_y/SOURCE.md",
            ],
        }
    )
    summary = sources.release_summary(fixture_observations, provenance).set_index("Release")
    assert summary.index.tolist() == ["Population", "Release one"]
    assert summary.loc["Release one", "Files"] == "file_one.csv"
    # rows 3, 4 and the computed row 6, which draws on both releases
    assert summary.loc["Release one", "Values drawn"] == 3
    assert summary.loc["Population", "Values drawn"] == 2
    assert summary.loc["Release one", "Licence"] == "Open Government Licence v3.0"
    assert summary.loc["Release one", "Documented in"] == "data/raw/official/dfe_x/SOURCE.md"


SOURCE_MD = """# Sources for `x/`

## Further files

### `a_subset.csv`

- **Where found:** Repository `someone/data_repo`, path `raw/a.csv`, commit `abc`.
- **Licence:** Open Government Licence v3.0 (stated in the release; Crown copyright).

## `*_subset.csv` files from the thing

**Original publisher:** Somebody. **Licence:** Open Government
Licence v3.0. **Taken from:** GitHub `owner/other_repo`, path `x`.

| file here | repo path |
| --- | --- |
| `b_subset.csv` | `raw/b.csv` |
"""


def test_parse_source_md_finds_each_files_section_licence_and_origin():
    parsed = sources.parse_source_md(SOURCE_MD, ["a_subset.csv", "b_subset.csv", "c.csv"])
    assert parsed["a_subset.csv"].licence == "Open Government Licence v3.0"
    assert parsed["a_subset.csv"].taken_from == "someone/data_repo"
    assert parsed["b_subset.csv"].licence == "Open Government Licence v3.0"
    assert parsed["b_subset.csv"].taken_from == "owner/other_repo"
    assert "c.csv" not in parsed


def test_every_real_official_file_has_an_ogl_licence_and_an_origin():
    provenance = sources.read_provenance(RAW_OFFICIAL_DIR)
    assert len(provenance) > 0
    assert provenance["licence"].str.startswith("Open Government Licence v3.0").all()
    # owner/name of the repository a file was found in; "" for a file taken from its publisher
    assert provenance["taken_from"].str.count("/").isin([0, 1]).all()
    assert (provenance["taken_from"] != "").sum() >= len(provenance) - 1


def test_declared_publishers_are_named_in_each_source_md():
    folders = {path.parent.name for path in RAW_OFFICIAL_DIR.glob("*/SOURCE.md")}
    assert folders == set(sources.OFFICIAL_PUBLISHERS)
    for folder, publisher in sources.OFFICIAL_PUBLISHERS.items():
        text = " ".join((RAW_OFFICIAL_DIR / folder / "SOURCE.md").read_text().split())
        abbreviation = "DfE" if publisher == "Department for Education" else "ONS"
        assert publisher in text or abbreviation in text


def test_coverage_grid_marks_value_suppressed_and_missing(fixture_observations):
    grid = sources.coverage_grid(fixture_observations, FIXTURE_INDICATORS, "leicestershire")
    cells = grid.set_index(["indicator_id", "year_end"])["status"]
    assert cells[("fixture_a", 2016)] == sources.HAS_VALUE
    assert cells[("fixture_a", 2017)] == sources.MISSING
    assert cells[("fixture_b", 2017)] == sources.SUPPRESSED
    # a breakdown-only figure still counts as a figure for that year
    assert cells[("fixture_b", 2018)] == sources.HAS_VALUE
    assert sorted(grid["year_end"].unique()) == [2016, 2017, 2018]
    assert grid.groupby("indicator_id").size().eq(3).all()


def test_indicator_labels_tell_families_and_duplicates_apart():
    indicators = pd.DataFrame(
        {
            "indicator_id": ["a", "b", "c"],
            "name": ["Referrals", "Referrals", "Referrals"],
            "source_family": ["partnership_report", "official_statistics", "official_statistics"],
        }
    )
    assert sources.indicator_labels(indicators) == {
        "a": "Referrals (report)",
        "b": "Referrals (DfE/ONS, b)",
        "c": "Referrals (DfE/ONS, c)",
    }


def test_coverage_grid_filters_by_theme_and_area(fixture_observations):
    money = sources.coverage_grid(fixture_observations, FIXTURE_INDICATORS, "rutland", "money")
    assert money["indicator_id"].unique().tolist() == ["fixture_c"]
    assert money["status"].tolist() == [sources.HAS_VALUE]
    none = sources.coverage_grid(fixture_observations, FIXTURE_INDICATORS, "rutland", "front_door")
    assert none.empty


def test_coverage_chart_is_a_rect_heatmap_coloured_by_status(fixture_observations):
    grid = sources.coverage_grid(fixture_observations, FIXTURE_INDICATORS, "leicestershire")
    spec = sources.build_coverage_chart(grid).to_dict()
    assert spec["mark"]["type"] == "rect"
    colour = spec["encoding"]["color"]
    assert colour["field"] == "status"
    assert colour["scale"]["domain"] == list(sources.COVERAGE_STATES)
    assert colour["scale"]["range"] == list(sources.COVERAGE_COLOURS)
    assert spec["encoding"]["x"]["field"] == "year_end"
    assert spec["encoding"]["y"]["field"] == "indicator"


def test_search_finds_a_phrase_across_line_breaks_ignoring_case():
    hits = sources.search_documents(FIXTURE_DOCUMENTS, "operation encompass")
    assert hits["document"].tolist() == ["doc_one.txt", "doc_two.txt"]
    assert hits["match"].tolist() == ["Operation Encompass", "operation encompass"]
    first = hits.iloc[0]
    assert first["before"].endswith("The board launched ")
    assert first["after"].startswith(" in schools.")
    assert sources.passage_text(first) == (
        "Contacts rose. The board launched »Operation Encompass« in schools."
    )


def test_search_treats_the_query_literally_and_ignores_short_queries():
    assert sources.search_documents(FIXTURE_DOCUMENTS, "Contacts.*").empty
    assert sources.search_documents(FIXTURE_DOCUMENTS, "  ").empty
    assert sources.search_documents(FIXTURE_DOCUMENTS, "ro").empty
    assert len(sources.search_documents(FIXTURE_DOCUMENTS, "rose.")) == 1


def test_search_limit_and_context_ellipsis():
    hits = sources.search_documents(FIXTURE_DOCUMENTS, "operation", context=5, limit=1)
    assert len(hits) == 1
    assert hits.iloc[0]["before"].startswith("…")
    assert hits.iloc[0]["after"].endswith("…")


def test_files_not_drawn_lists_only_files_without_values(fixture_observations):
    provenance = pd.DataFrame(
        {
            "folder": ["dfe_x", "dfe_x"],
            "file": ["file_one.csv", "lookup.csv"],
            "licence": ["OGL", "OGL"],
            "taken_from": ["o/r", "o/r"],
            "documented_in": ["data/raw/official/dfe_x/SOURCE.md"] * 2,
        }
    )
    unused = sources.files_not_drawn(fixture_observations, provenance)
    assert unused["File"].tolist() == ["lookup.csv"]


def test_coverage_chart_rows_keep_their_height_however_many(fixture_observations):
    grid = sources.coverage_grid(fixture_observations, FIXTURE_INDICATORS, "leicestershire")
    spec = sources.build_coverage_chart(grid, row_px=24).to_dict()
    assert spec["height"] == 24 * grid["indicator_id"].nunique()
    assert spec["autosize"]["type"] == "fit-x"


def test_coverage_rows_follow_the_theme_order_then_name(fixture_observations):
    grid = sources.coverage_grid(fixture_observations, FIXTURE_INDICATORS, "leicestershire")
    y_sort = sources.build_coverage_chart(grid).to_dict()["encoding"]["y"]["sort"]
    # front_door comes before money in config.THEME_LABELS
    assert y_sort == ["A things (report)", "B things (DfE/ONS)", "C things (DfE/ONS)"]


def test_a_source_md_without_sections_names_no_files():
    assert sources.parse_source_md("# Title only\n\nNo sections here.\n", ["file.csv"]) == {}

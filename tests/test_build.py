"""The data build: committed Parquet is reproducible; each kind of bad input is named, refused."""

import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from dashboard.build.pipeline import TABLE_COLUMNS, BuildInputs, build_tables, rebuild, write_tables
from dashboard.build.report import link_conflicts
from dashboard.build.validation import BuildError, normalise_whitespace
from dashboard.data import read_build_info, read_table
from dashboard.paths import (
    BUILD_INFO_JSON,
    DATA_DIR,
    DOCUMENTS_DIR,
    PROJECT_ROOT,
    RAW_OFFICIAL_DIR,
    SOURCES_DIR,
)
from dashboard.schema import OBSERVATION_COLUMNS
from dashboard.transaction import LOCK_FILE

NEWSLETTER_FIGURES = "figures/leicester_lscb_newsletter_2018.csv"


@pytest.fixture(scope="session")
def fresh_tables() -> dict[str, pd.DataFrame]:
    return build_tables()


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A private copy of the hand-kept sources that a test may break."""
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, copy)
    return copy


def edit_csv(path: Path, row: int, field: str, value: str) -> None:
    """Set one cell; `row` counts data rows from 0, as pandas does."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, field] = value
    frame.to_csv(path, index=False)


def build_errors(sources: Path) -> str:
    with pytest.raises(BuildError) as raised:
        build_tables(BuildInputs(sources, DOCUMENTS_DIR, RAW_OFFICIAL_DIR))
    return str(raised.value)


@pytest.mark.parametrize("table", sorted(TABLE_COLUMNS))
def test_committed_parquet_equals_a_fresh_build(table, fresh_tables):
    committed = read_table(DATA_DIR / f"{table}.parquet", TABLE_COLUMNS[table])
    pd.testing.assert_frame_equal(
        committed.reset_index(drop=True), fresh_tables[table].reset_index(drop=True)
    )


def test_every_report_quote_is_in_its_document(fresh_tables):
    documents = fresh_tables["documents"].set_index("document")["text"].map(normalise_whitespace)
    report = fresh_tables["observations"].query("source_family == 'partnership_report'")
    assert len(report) > 0
    missing = [
        row.record_id for row in report.itertuples() if row.source_ref not in documents[row.source]
    ]
    assert missing == []


def test_every_catalogue_indicator_has_data_and_every_observation_is_catalogued(fresh_tables):
    catalogue = set(fresh_tables["indicators"]["indicator_id"])
    observed = set(fresh_tables["observations"]["indicator_id"])
    assert catalogue == observed


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("indicator_id", "no_such_indicator", "is not in indicators.csv"),
        ("area", "narnia", "is not in areas.csv"),
        ("value", "about forty", "cannot be read as a number"),
        ("year_end", "twenty", "cannot be read as a whole number"),
        ("status", "guessed", "must be one of"),
        ("period_type", "fortnight", "must be one of"),
        ("quote", "A sentence that no document contains.", "not found verbatim"),
        ("period", "", "must not be empty"),
        ("unit", "percent", "differs from the catalogue unit"),
    ],
)
def test_bad_figure_cell_names_file_row_field_and_reason(sources, field, value, reason):
    edit_csv(sources / NEWSLETTER_FIGURES, 1, field, value)
    message = build_errors(sources)
    assert f"{NEWSLETTER_FIGURES}, row 3, field {field}" in message
    assert reason in message


def test_percentage_outside_0_to_100_is_refused(sources):
    figures = pd.read_csv(sources / NEWSLETTER_FIGURES, dtype=str, keep_default_na=False)
    percent_row = int(figures.index[figures["unit"] == "percent"][0])
    edit_csv(sources / NEWSLETTER_FIGURES, percent_row, "value", "138")
    message = build_errors(sources)
    assert f"row {percent_row + 2}, field value: a percentage must be within 0-100" in message


def test_figure_id_used_twice_across_files_is_refused(sources):
    other = sources / "figures/lrlscb_business_plan_2018-19.csv"
    first_id = pd.read_csv(other, dtype=str)["figure_id"][0]
    edit_csv(sources / NEWSLETTER_FIGURES, 0, "figure_id", first_id)
    assert f"field figure_id: {first_id!r} is used more than once" in build_errors(sources)


def test_missing_column_is_refused(sources):
    path = sources / NEWSLETTER_FIGURES
    pd.read_csv(path, dtype=str).drop(columns=["quote"]).to_csv(path, index=False)
    assert f"{NEWSLETTER_FIGURES}, row 1: header must be exactly" in build_errors(sources)


def test_unreadable_csv_is_refused(sources):
    (sources / NEWSLETTER_FIGURES).write_bytes(b'figure_id,"unterminated\n\xff\xfe')
    assert "unreadable CSV" in build_errors(sources)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("polarity", "better_if_up", "must be one of"),
        ("unit", "furlongs", "must be one of"),
        ("theme", "misc", "must be one of"),
        ("definition", "", "must not be empty"),
        ("counterpart_id", "no_such_indicator", "is not an indicator_id in this file"),
        ("numerator_id", "no_such_indicator", "is not an indicator_id in this file"),
        # Row 2 is a count indicator: it cannot take counts from others.
        ("denominator_id", "population_0_17", "only a percentage takes its counts"),
    ],
)
def test_bad_catalogue_entry_is_refused(sources, field, value, reason):
    edit_csv(sources / "indicators.csv", 0, field, value)
    message = build_errors(sources)
    assert f"indicators.csv, row 2, field {field}" in message
    assert reason in message


def test_a_report_percentage_takes_the_counts_its_document_states(fresh_tables):
    """Pinned to the 2015-16 summary: 89 of Rutland's 161 school contacts were referred (55%)."""
    observations = fresh_tables["observations"]
    row = observations[
        (observations["indicator_id"] == "school_contacts_referred_pct")
        & (observations["area"] == "rutland")
    ].iloc[0]
    assert (row["value"], row["numerator"], row["denominator"]) == (55.0, 89.0, 161.0)
    assert row["rule"] == "", "the percentage is the document's, not computed"
    assert "Counts behind it, as the documents state them: 89" in row["note"]
    assert row["ci95_lower"] < 55.0 < row["ci95_upper"]


def test_duplicate_catalogue_id_is_refused(sources):
    catalogue = pd.read_csv(sources / "indicators.csv", dtype=str, keep_default_na=False)
    pd.concat([catalogue, catalogue.head(1)]).to_csv(sources / "indicators.csv", index=False)
    assert "duplicate key" in build_errors(sources)


def test_listed_document_missing_is_refused(sources, tmp_path):
    missing = "leicester_lscb_newsletter_2018.txt"
    listed = pd.read_csv(sources / "documents.csv", dtype=str)["document"].tolist()
    row = listed.index(missing) + 2  # the header is row 1
    documents = tmp_path / "documents"
    shutil.copytree(DOCUMENTS_DIR, documents)
    (documents / missing).unlink()
    with pytest.raises(BuildError, match=f"documents.csv, row {row}, field document"):
        build_tables(BuildInputs(sources, documents, RAW_OFFICIAL_DIR))


def test_failed_build_leaves_previous_parquet_untouched(sources, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for table in TABLE_COLUMNS:
        shutil.copy(DATA_DIR / f"{table}.parquet", out)
    shutil.copy(BUILD_INFO_JSON, out)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    edit_csv(sources / NEWSLETTER_FIGURES, 0, "value", "n/a")
    with pytest.raises(BuildError):
        rebuild(BuildInputs(sources, DOCUMENTS_DIR, RAW_OFFICIAL_DIR), out)
    # Only the (empty) writer lock file is new: no journal, copies or temporary files remain.
    assert (out / LOCK_FILE).read_bytes() == b""
    after = {path.name: path.read_bytes() for path in out.iterdir() if path.name != LOCK_FILE}
    assert after == before


def test_build_record_says_when_and_how_many_rows(tmp_path):
    tables = {"areas": read_table(DATA_DIR / "areas.parquet", TABLE_COLUMNS["areas"])}
    write_tables(tables, tmp_path, built_at=datetime(2026, 4, 1, 9, 30, tzinfo=UTC))
    info = read_build_info(tmp_path / "build_info.json")
    assert info.built_on == "1 April 2026"
    assert info.rows == {"areas": len(tables["areas"])}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["areas.parquet", "build_info.json"]


def test_command_line_build_reports_problem_and_exits_non_zero(sources, tmp_path):
    edit_csv(sources / NEWSLETTER_FIGURES, 0, "area", "narnia")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard.build",
            "--sources-dir",
            str(sources),
            "--out-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "row 2, field area" in result.stderr
    assert list(tmp_path.glob("*.parquet")) == []


def test_disagreeing_passages_are_both_kept_and_linked():
    # Test fixture: two passages giving different values for one key, a third agreeing row.
    base = {column: "" for column, dtype in OBSERVATION_COLUMNS.items() if dtype == "string"}
    rows = [
        {
            **base,
            "record_id": "a",
            "indicator_id": "x",
            "area": "rutland",
            "period": "2014/15",
            "value": 3.0,
        },
        {
            **base,
            "record_id": "b",
            "indicator_id": "x",
            "area": "rutland",
            "period": "2014/15",
            "value": 2.0,
        },
        {
            **base,
            "record_id": "c",
            "indicator_id": "x",
            "area": "leicestershire",
            "period": "2014/15",
            "value": 5.0,
        },
    ]
    linked = link_conflicts(pd.DataFrame(rows)).set_index("record_id")["conflict_id"]
    assert linked["a"] == linked["b"] != ""
    assert linked["c"] == ""

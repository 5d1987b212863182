"""Data update: every kind of bad file is refused with its exact message and changes nothing;
good files are applied atomically, kept as versions and can be rolled back.

All work is on temporary copies of data/ (see helpers.update_fixtures); the rows added are FIXTURES.
"""

import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from dashboard.build.validation import FIGURE_COLUMNS
from dashboard.update import apply as apply_module
from dashboard.update.__main__ import main as update_cli
from dashboard.update.access import password_matches
from dashboard.update.apply import UpdateError, apply_plan, read_history, rollback
from dashboard.update.common import DataDirs
from dashboard.update.figures import DOCUMENT_COLUMNS
from dashboard.update.parse import MAX_BYTES
from dashboard.update.plan import plan_update
from dashboard.update.template import build_template

from helpers.update_fixtures import (
    C1_BUNDLED,
    FIXTURE_DOCUMENT,
    FIXTURE_DOCUMENT_ROW,
    FIXTURE_REVISED_QUOTE,
    FIXTURE_TEXT,
    RUTLAND_CSE,
    data_files,
    dfe_fixture,
    figures_csv,
)

FIX_FORMAT = "upload the template filled in, saved as .xlsx or 'CSV UTF-8'"


def refused_messages(dirs: DataDirs, name: str, content: bytes) -> list[str]:
    """Plan and try to apply; assert nothing under data/ changed; return the messages."""
    before = data_files(dirs.root)
    plan = plan_update(name, content, dirs)
    assert not plan.ready
    with pytest.raises(UpdateError):
        apply_plan(plan, dirs)
    assert data_files(dirs.root) == before
    assert not (dirs.history / "log.csv").exists()
    return plan.messages


def row(**changes: str) -> bytes:
    return figures_csv({**RUTLAND_CSE, **changes})


def test_a_valid_row_is_planned_as_new(dirs):
    plan = plan_update("new.csv", row(), dirs)
    assert plan.ready, plan.messages
    assert plan.new[["Indicator", "Area", "Period", "Value"]].values.tolist() == [
        ["report_cse_referrals", "rutland", "2025/26", 4.0]
    ]
    assert plan.revised.empty and plan.conflicts.empty


def test_unknown_indicator(dirs):
    assert refused_messages(dirs, "f.csv", row(indicator_id="cse_referals")) == [
        "f.csv, row 2, field indicator_id: is not in indicators.csv (got 'cse_referals')"
    ]


def test_percentage_over_100(dirs):
    content = row(
        indicator_id="cse_referrals_male_pct",
        value="120",
        unit="percent",
        quote="Of CSE referrals, 120 per cent concerned boys.",
    )
    assert refused_messages(dirs, "f.csv", content) == [
        "f.csv, row 2, field value: a percentage must be within 0-100 (got 120.0)"
    ]


def test_negative_count(dirs):
    assert refused_messages(dirs, "f.csv", row(value="-4")) == [
        "f.csv, row 2, field value: a count cannot be negative (got -4)"
    ]


def test_bad_period(dirs):
    assert refused_messages(dirs, "f.csv", row(period="2025-26")) == [
        "f.csv, row 2, field period: bad period: '2025-26' is not a financial year written like "
        "2025/26"
    ]
    assert refused_messages(dirs, "f.csv", row(year_end="2025")) == [
        "f.csv, row 2, field year_end: bad period: year_end 2025 does not match period "
        "'2025/26' (2026)"
    ]


def test_duplicate_without_revision_note(dirs):
    apply_plan(plan_update("first.csv", row(), dirs), dirs)
    before = data_files(dirs.root)
    plan = plan_update("again.csv", row(value="5"), dirs)
    assert plan.messages == [
        "again.csv, row 2, field value: duplicate of an existing value without a revision "
        f"note: {FIXTURE_DOCUMENT} gives 4 for this indicator, area, period and breakdown "
        "(record upd-report-cse-referrals-rutland-2025-26). If this corrects or updates it, "
        "start the note with 'Revision:' and say why; otherwise delete the row"
    ]
    assert plan.rejected["Value"].tolist() == ["5"]
    assert data_files(dirs.root) == before


def test_revision_note_shows_old_and_new(dirs):
    apply_plan(plan_update("first.csv", row(), dirs), dirs)
    content = row(value="5", quote=FIXTURE_REVISED_QUOTE, note="Revision: TEST FIXTURE")
    plan = plan_update("fix.csv", content, dirs)
    assert plan.ready, plan.messages
    revised = plan.revised.iloc[0]
    assert (revised["Old value"], revised["New value"]) == (4.0, 5.0)
    assert len(plan.conflicts) == 2  # both rows are kept and marked as disagreeing


def test_missing_source(dirs):
    reason = (
        "missing source: every figure names its document (a file in documents.csv or on the "
        "documents sheet) and quotes the sentence that states it, word for word"
    )
    assert refused_messages(dirs, "f.csv", row(document="", quote="")) == [
        f"f.csv, row 2, field document: {reason}",
        f"f.csv, row 2, field quote: {reason}",
    ]


def test_quote_not_in_document(dirs):
    assert refused_messages(dirs, "f.csv", row(quote="Rutland received 5 referrals")) == [
        f"f.csv, row 2, field quote: not found verbatim in {FIXTURE_DOCUMENT}"
    ]


def test_wrong_encoding(dirs):
    content = row(note="TEST FIXTURE café").decode().encode("cp1252")
    assert refused_messages(dirs, "f.csv", content) == [
        "f.csv, row 2: wrong encoding: byte 0xe9 is not UTF-8 text; in Excel use Save As > "
        "'CSV UTF-8 (Comma delimited)'"
    ]


def test_utf8_bom_is_accepted(dirs):
    assert plan_update("f.csv", b"\xef\xbb\xbf" + row(), dirs).ready


def test_empty_file(dirs):
    expected = [f"f.csv: the file is empty; {FIX_FORMAT} with at least one row"]
    assert refused_messages(dirs, "f.csv", b"") == expected
    assert refused_messages(dirs, "f.csv", b"\n\n  \n") == expected


def test_row_longer_than_header(dirs):
    content = row() + b",,,,,,,,,,,,,extra\n"
    assert refused_messages(dirs, "f.csv", content) == [
        "f.csv, row 3: this row has 14 cells but the header has 13 columns; a cell containing a "
        "comma must be in double quotes (Excel adds them when saving as CSV)"
    ]


def test_wrong_columns(dirs):
    columns = tuple(c for c in FIGURE_COLUMNS if c != "quote") + ("comment",)
    content = figures_csv({c: "" for c in columns}, columns=columns)
    assert refused_messages(dirs, "f.csv", content) == [
        "f.csv, row 1: wrong columns: missing column(s) quote; unexpected column(s) comment. "
        "This is not the figures template, a DfE Explore Education Statistics table or a "
        "meetings file (date, title); "
        "use the template's columns (download it above, or `--template` on the command line)"
    ]


def test_not_csv_or_excel(dirs):
    assert refused_messages(dirs, "report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") == [
        f"report.csv: this is a PDF, not a CSV or Excel file; {FIX_FORMAT}"
    ]
    assert refused_messages(dirs, "sheet.xlsx", b"PK\x03\x04not really a zip") == [
        f"sheet.xlsx: this is a zip archive that is not an Excel workbook, not a CSV or Excel "
        f"file; {FIX_FORMAT}"
    ]


def test_file_over_50_mb(dirs):
    content = row() + b"#" * (MAX_BYTES - len(row()) + 1)
    assert refused_messages(dirs, "big.csv", content) == [
        "big.csv: the file is 50 MB; the limit is 50 MB. Upload only the new rows (for DfE "
        "files, the published CSV of one table)."
    ]


def test_template_example_row_is_refused(dirs):
    assert refused_messages(dirs, "figures_template.xlsx", build_template(dirs)) == [
        "figures_template.xlsx (sheet figures), row 2, field figure_id: this is the template's "
        "example row; delete it, or clear its figure_id if you typed your own figure over it"
    ]


def test_template_lists_allowed_values(dirs):
    book = load_workbook(io.BytesIO(build_template(dirs)), read_only=True)
    assert book.sheetnames == ["figures", "documents", "allowed values", "how to"]
    allowed = list(book["allowed values"].iter_rows(values_only=True))
    assert allowed[0][:4] == ("indicator_id", "indicator name", "indicator unit", "area")
    indicator_ids = {r[0] for r in allowed[1:]}
    assert "report_cse_referrals" in indicator_ids
    assert "cin_referrals" not in indicator_ids  # official indicators come from DfE files


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.text(max_size=500).map(str.encode),
        st.lists(st.text(alphabet=',"\n\r ab1é', max_size=20), max_size=10).map(
            lambda cells: ",".join(cells).encode()
        ),
        st.binary(max_size=500).map(lambda tail: b"PK\x03\x04" + tail),
    )
)
def test_random_garbage_is_refused_without_exception(prepared, content):
    before = data_files(prepared.root)
    plan = plan_update("garbage.csv", content, prepared)
    assert not plan.ready
    assert plan.messages
    assert data_files(prepared.root) == before


def test_apply_adds_the_row_and_rollback_restores_every_byte(dirs):
    before = data_files(dirs.root)
    version = apply_plan(plan_update("rutland.csv", row(), dirs), dirs)
    figures = pd.read_csv(dirs.figures / "test_fixture_annual_report_2025-26.csv", dtype=str)
    assert figures["figure_id"].tolist() == ["upd-report-cse-referrals-rutland-2025-26"]
    observations = pd.read_parquet(dirs.root / "observations.parquet")
    added = observations[observations["record_id"] == figures["figure_id"][0]]
    assert added[["area", "period", "value"]].values.tolist() == [["rutland", "2025/26", 4.0]]
    [change] = read_history(dirs)
    assert (change.version, change.action, change.file, change.new) == (
        version,
        "update",
        "rutland.csv",
        1,
    )
    after_update = data_files(dirs.root)
    kept = rollback(version, dirs)
    assert data_files(dirs.root) == before
    rollback(kept, dirs)  # a rollback can itself be undone
    assert data_files(dirs.root) == after_update


def test_appending_keeps_existing_bytes(dirs):
    path = dirs.figures / "lrlscb_annual_report_summary_2015-16.csv"
    old = path.read_bytes()
    content = row(
        document="lrlscb_annual_report_summary_2015-16.txt",
        quote="CSE referrals n/a 3 8 CSE referrals n/a 184 303",
        period="2016/17",
        year_end="2017",
        value="3",
        note="TEST FIXTURE: a made-up value for an existing document",
    )
    apply_plan(plan_update("f.csv", content, dirs), dirs)
    assert path.read_bytes().startswith(old)


def test_interrupted_build_leaves_previous_data(dirs, monkeypatch):
    before = data_files(dirs.root)
    plan = plan_update("f.csv", row(), dirs)

    def fail_mid_build(*args, **kwargs):
        raise RuntimeError("disk full (test)")

    monkeypatch.setattr(apply_module, "write_tables", fail_mid_build)
    with pytest.raises(RuntimeError, match="disk full"):
        apply_plan(plan, dirs)
    assert data_files(dirs.root) == before
    assert read_history(dirs) == []
    assert not dirs.history.exists() or not any(dirs.history.iterdir())


def test_interrupted_parquet_write_leaves_previous_data(dirs, monkeypatch):
    before = data_files(dirs.root)
    plan = plan_update("f.csv", row(), dirs)
    calls = []
    original = pd.DataFrame.to_parquet

    def fail_on_second(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("interrupted (test)")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail_on_second)
    # A disk error is said in words, without the exception's own text, and everything is undone.
    with pytest.raises(UpdateError, match=r"could not be written \(a disk error\); the change"):
        apply_plan(plan, dirs)
    assert data_files(dirs.root) == before
    assert read_history(dirs) == []


def test_new_document_with_its_text(dirs):
    book = Workbook()
    figures = book.active
    figures.title = "figures"
    figures.append(list(FIGURE_COLUMNS))
    figures.append(
        [{**RUTLAND_CSE, "document": "test_fixture_report_b.txt"}[c] for c in FIGURE_COLUMNS]
    )
    documents = book.create_sheet("documents")
    documents.append(list(DOCUMENT_COLUMNS))
    documents.append(["test_fixture_report_b.txt", *FIXTURE_DOCUMENT_ROW[1:]])
    out = io.BytesIO()
    book.save(out)
    plan = plan_update("b.xlsx", out.getvalue(), dirs)
    assert plan.messages == [
        "b.xlsx (sheet documents), row 2, field document: missing source: add the text file "
        "test_fixture_report_b.txt with the upload, so each quote can be checked against it",
        "b.xlsx (sheet figures), row 2, field document: is not listed in documents.csv (got "
        "'test_fixture_report_b.txt')",
    ]
    texts = {"test_fixture_report_b.txt": FIXTURE_TEXT.encode()}
    plan = plan_update("b.xlsx", out.getvalue(), dirs, texts)
    assert plan.ready, plan.messages
    apply_plan(plan, dirs)
    assert (dirs.documents / "test_fixture_report_b.txt").read_text() == FIXTURE_TEXT
    listed = pd.read_csv(dirs.sources / "documents.csv", dtype=str)
    assert listed["document"].iloc[-1] == "test_fixture_report_b.txt"


def test_rollback_of_unknown_version(dirs):
    with pytest.raises(UpdateError, match="no version 'nope'"):
        rollback("nope", dirs)


def test_password_is_compared_exactly():
    assert password_matches("s3cret", "s3cret")
    assert not password_matches("s3cre", "s3cret")
    assert not password_matches("", "")


def test_dfe_release_is_recognised_subset_and_latest_wins(dirs):
    name = "children in need referrals 2013 to 2026.csv"  # any name: the columns say what it is
    plan = plan_update(name, dfe_fixture(dirs), dirs)
    assert plan.ready, plan.messages
    assert plan.kind == "dfe"
    new = plan.new[plan.new["Indicator"] == "cin_referrals"]
    assert set(new["Period"]) == {"2025/26"}
    assert set(new["Area"]) >= {"england", "east_midlands", "leicestershire", "rutland"}
    revised = plan.revised[plan.revised["Indicator"] == "cin_referrals"]
    assert revised[["Area", "Period", "New value"]].values.tolist() == [
        ["rutland", "2023/24", 999.0]
    ]
    apply_plan(plan, dirs)
    stored = (
        dirs.raw_official / "dfe_cin" / "c1_children_in_need_referrals_2013_to_2026_llr_subset.csv"
    )
    kept_codes = set(pd.read_csv(stored, dtype=str, keep_default_na=False)["old_la_code"])
    assert "999" not in kept_codes and {"855", "857"} <= kept_codes
    assert "(added by a data update)" in (stored.parent / "SOURCE.md").read_text()
    observations = pd.read_parquet(dirs.root / "observations.parquet")
    rutland = observations[
        (observations["indicator_id"] == "cin_referrals") & (observations["area"] == "rutland")
    ].set_index("year_end")
    assert rutland.loc[2024, "value"] == 999.0
    assert rutland.loc[2024, "source"] == f"dfe_cin/{stored.name}"
    assert "Revised:" in rutland.loc[2024, "note"]
    assert 2026 in rutland.index
    again = plan_update(name, dfe_fixture(dirs), dirs)
    assert again.messages == [
        f"{name}: dfe_cin/{stored.name} is already stored; this release has been added before"
    ]


def test_dfe_table_with_other_columns_is_refused(dirs):
    frame = pd.read_csv(dirs.raw_official / "dfe_cin" / C1_BUNDLED, dtype=str)
    content = frame.drop(columns="rereferral_count").to_csv(index=False).encode()
    assert refused_messages(dirs, "c1.csv", content) == [
        "c1.csv, row 1: wrong columns: a DfE Explore Education Statistics file, but not one of "
        "the children-in-need tables this dashboard reads (b1, c1, c3, c4, d3, d5) with their "
        "published columns; upload the table's CSV exactly as downloaded"
    ]


def test_command_line_shares_the_page_steps(dirs, tmp_path, capsys):
    template = tmp_path / "template.xlsx"
    assert update_cli(["--template", str(template), "--data-dir", str(dirs.root)]) == 0
    assert update_cli([str(template), "--data-dir", str(dirs.root), "--yes"]) == 1
    assert "this is the template's example row" in capsys.readouterr().err
    upload = tmp_path / "rutland.csv"
    upload.write_bytes(row())
    assert update_cli([str(upload), "--data-dir", str(dirs.root), "--yes"]) == 0
    [change] = read_history(dirs)
    assert f"--rollback {change.version}" in capsys.readouterr().out
    assert update_cli(["--history", "--data-dir", str(dirs.root)]) == 0
    assert "report_cse_referrals rutland 2025/26" in capsys.readouterr().out
    assert update_cli(["--rollback", change.version, "--data-dir", str(dirs.root)]) == 0
    assert not (dirs.figures / "test_fixture_annual_report_2025-26.csv").exists()

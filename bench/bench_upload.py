"""Benchmark checking the largest uploads the limits allow, and refusing crafted ones.

    .venv/bin/python bench/bench_upload.py [--skip-plan]

Every FIXTURE is written into a temporary directory (with a temporary copy of data/); nothing
under data/ changes. Each case runs in its own process so its peak memory is its own: "extra_mb"
is the peak resident memory while checking minus the memory before (the file's bytes and the
data's tables already held, as the server holds them). Prints one JSON object. Targets (issue
16): extra memory under 300 MB for the largest allowed file of each kind (any file read; the
most figures a full check takes; a DfE table at the row limit), crafted files refused in under
2 s.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from openpyxl import Workbook  # noqa: E402

from dashboard.build.validation import FIGURE_COLUMNS  # noqa: E402
from dashboard.update.common import DataDirs  # noqa: E402
from dashboard.update.parse import LIMITS, UploadError, read_upload  # noqa: E402
from dashboard.update.plan import plan_update  # noqa: E402

from helpers.update_fixtures import (  # noqa: E402
    RUTLAND_CSE,
    add_fixture_document,
    copy_data,
    dfe_fixture,
)


def figure_rows(rows: int, bad: bool, chars: int) -> Iterator[list[str]]:
    """FIXTURE: the figures template's header and `rows` rows holding about `chars` characters
    in all; valid rows differ by breakdown, bad ones have a value and a year that are not
    numbers."""
    base = sum(len(str(value)) for value in RUTLAND_CSE.values()) + 18  # with the breakdown
    note = "TEST FIXTURE " + "x" * max(chars // rows - base - 13, 0)
    yield list(FIGURE_COLUMNS)
    for i in range(rows):
        rec = {**RUTLAND_CSE, "breakdown": f"test fixture {i}", "note": note}
        if bad:
            rec |= {"value": f"x{i}", "year_end": "twenty"}
        yield [rec[c] for c in FIGURE_COLUMNS]


def figures_file(path: Path, rows: int, bad: bool, chars: int) -> None:
    """FIXTURE: figure_rows as a CSV file."""
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(figure_rows(rows, bad, chars))


def figures_workbook(path: Path, rows: int, chars: int) -> None:
    """FIXTURE: figure_rows (valid) as the figures sheet of an .xlsx, the same 100,000 rows that
    come near the CSV size limit (the workbook is smaller: each distinct text is stored once)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("figures")
    for row in figure_rows(rows, False, chars):
        sheet.append(row)
    book.save(path)


def dfe_table(path: Path, dirs: DataDirs, rows: int) -> None:
    """FIXTURE: the tests' DfE release (the bundled c1 table with a 2026 year added), padded to
    `rows` rows with copies of a row for LA codes the dashboard does not keep, as a national
    table of every authority is mostly rows the upload drops."""
    table = pd.read_csv(io.BytesIO(dfe_fixture(dirs)), dtype=str, keep_default_na=False)
    other = table[table["old_la_code"] == "999"].iloc[[0] * (rows - len(table))]
    other = other.assign(old_la_code=[str(100 + i % 99) for i in range(len(other))])
    pd.concat([table, other]).to_csv(path, index=False)


def bomb_file(path: Path, unzipped: int) -> None:
    """FIXTURE: an .xlsx declaring A1:M1048576 whose sheet is `unzipped` bytes of formatted
    empty rows (3 MB zipped, as in issue 16)."""
    book = Workbook()
    book.active.title = "figures"
    plain = io.BytesIO()
    book.save(plain)
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension '
        b'ref="A1:M1048576"/><sheetData>'
    )
    chunk = b'<row><c s="0"/></row>' * 50_000
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(info.filename, "w", force_zip64=True) as stream:
                    stream.write(head)
                    for _ in range(unzipped // len(chunk)):
                        stream.write(chunk)
                    stream.write(b"</sheetData></worksheet>")
            else:
                target.writestr(info.filename, source.read(info.filename))


def run_case(kind: str, path: Path, data: Path) -> dict:
    """In a child process: check one file, report seconds, outcome and memory. The data's tables
    are read first, as the server holding the dashboard has them, so "extra" is the upload's."""
    served = [pd.read_parquet(table) for table in sorted(data.glob("*.parquet"))]
    content = path.read_bytes()
    process = psutil.Process()
    before = process.memory_info().rss
    peak = [before]
    done = threading.Event()

    def sample() -> None:  # ru_maxrss would include the parent's peak (kept across exec)
        while not done.wait(0.005):
            peak[0] = max(peak[0], process.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    if kind == "read":
        try:
            upload = read_upload(path.name, content)
            outcome = f"read {len(upload.figures.rows):,} rows"
        except UploadError as error:
            outcome = f"refused: {error.problem.reason[:160]}"
    else:
        plan = plan_update(path.name, content, DataDirs(data))
        outcome = (
            f"ready: {plan.summary()}"
            if plan.ready
            else f"refused, {len(plan.messages)} lines: {plan.messages[-1][:160]}"
        )
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    peak[0] = max(peak[0], process.memory_info().rss)
    del served
    return {
        "file_mb": round(len(content) / 2**20, 1),
        "seconds": round(seconds, 2),
        "extra_mb": round((peak[0] - before) / 2**20, 1),
        "outcome": outcome,
    }


def child(kind: str, path: Path, data: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--case", kind, str(path), str(data)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--skip-plan", action="store_true", help="only read, no validation")
    args = parser.parse_args()
    if args.case:
        kind, path, data = args.case
        print(json.dumps(run_case(kind, Path(path), Path(data))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as temporary:
        folder = Path(temporary)
        data = folder / "data"
        dirs = copy_data(data)
        add_fixture_document(dirs)
        at_byte_limit = LIMITS.bytes - 2**16  # text of 100,000 rows just under the size limit
        largest = folder / "largest_csv.csv"  # valid rows: read, then refused as figures
        figures_file(largest, LIMITS.rows, bad=False, chars=at_byte_limit)
        workbook = folder / "largest_xlsx.xlsx"
        figures_workbook(workbook, LIMITS.rows, chars=at_byte_limit)
        figures = folder / "figures_at_limit.csv"
        figures_file(figures, LIMITS.figure_rows, bad=False, chars=LIMITS.figure_chars - 2**16)
        bad = folder / "bad_figures_at_limit.csv"
        figures_file(bad, LIMITS.figure_rows, bad=True, chars=LIMITS.figure_chars - 2**16)
        dfe = folder / "dfe_table_at_row_limit.csv"
        dfe_table(dfe, dirs, LIMITS.rows)
        over = folder / "over_size.csv"
        over.write_bytes(largest.read_bytes() + b"\n" * 2**21)
        too_many = folder / "rows_over_limit.csv"
        figures_file(too_many, LIMITS.rows + 50_000, bad=False, chars=0)
        one_row = folder / "one_row_50mb.csv"  # 25 million cells on one line
        one_row.write_bytes(b"a," * ((LIMITS.bytes - 1) // 2))
        bomb = folder / "bomb_804mb.xlsx"
        bomb_file(bomb, 804 * 2**20)
        results = {
            "limits": {
                "bytes_mb": LIMITS.bytes // 2**20,
                "rows": LIMITS.rows,
                "columns": LIMITS.columns,
                "row_chars": LIMITS.row_chars,
                "sheet_chars": LIMITS.sheet_chars,
                "figure_rows": LIMITS.figure_rows,
                "figure_chars": LIMITS.figure_chars,
                "unzipped_mb": LIMITS.unzipped_bytes // 2**20,
            },
            "read_largest_csv": child("read", largest, data),
            "read_largest_xlsx": child("read", workbook, data),
            "refuse_csv_over_size": child("read", over, data),
            "refuse_csv_over_row_limit": child("read", too_many, data),
            "refuse_csv_one_long_row": child("read", one_row, data),
            "refuse_xlsx_bomb": child("read", bomb, data),
        }
        if not args.skip_plan:
            results["refuse_figures_over_limit"] = child("plan", largest, data)
            results["check_bad_figures_at_limit"] = child("plan", bad, data)
            results["check_dfe_table_at_row_limit"] = child("plan", dfe, data)
            results["check_figures_at_limit"] = child("plan", figures, data)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

"""Benchmark checking the largest uploads the limits allow, and refusing crafted ones.

    .venv/bin/python bench/bench_upload.py [--skip-plan]

Every FIXTURE is written into a temporary directory (with a temporary copy of data/); nothing
under data/ changes. Each case runs in its own process so its peak memory is its own: "extra_mb"
is the peak resident memory while checking minus the memory before (file bytes already held,
as the server holds an upload). Prints one JSON object. Targets (issue 16): extra memory under
300 MB for the largest allowed file, crafted files refused in under 2 s.
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
)


def figure_rows(rows: int, bad: bool) -> Iterator[list[str]]:
    """FIXTURE: the figures template's header and `rows` rows near LIMITS.bytes in all as CSV;
    valid rows differ by breakdown, bad ones have a value and a year that are not numbers."""
    base = sum(len(str(value)) + 1 for value in RUTLAND_CSE.values()) + 30
    row_bytes = (LIMITS.bytes - 2**16) // LIMITS.rows  # all rows together just under the limit
    note = "TEST FIXTURE " + "x" * (row_bytes - base - 13)
    yield list(FIGURE_COLUMNS)
    for i in range(rows):
        rec = {**RUTLAND_CSE, "breakdown": f"test fixture {i}", "note": note}
        if bad:
            rec |= {"value": f"x{i}", "year_end": "twenty"}
        yield [rec[c] for c in FIGURE_COLUMNS]


def figures_file(path: Path, rows: int, bad: bool) -> None:
    """FIXTURE: figure_rows as a CSV file."""
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(figure_rows(rows, bad))


def figures_workbook(path: Path, rows: int) -> None:
    """FIXTURE: figure_rows (valid) as the figures sheet of an .xlsx, the same 100,000 rows that
    come near the CSV size limit (the workbook is smaller: each distinct text is stored once)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("figures")
    for row in figure_rows(rows, bad=False):
        sheet.append(row)
    book.save(path)


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
    """In a child process: check one file, report seconds, outcome and memory."""
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
    parser.add_argument(
        "--skip-valid-plan", action="store_true", help="no full check of 100,000 valid rows"
    )
    args = parser.parse_args()
    if args.case:
        kind, path, data = args.case
        print(json.dumps(run_case(kind, Path(path), Path(data))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as temporary:
        folder = Path(temporary)
        data = folder / "data"
        add_fixture_document(copy_data(data))
        valid, bad = folder / "valid_rows_at_limit.csv", folder / "bad_rows_at_limit.csv"
        figures_file(valid, LIMITS.rows, bad=False)
        figures_file(bad, LIMITS.rows, bad=True)
        workbook = folder / "valid_rows_at_limit.xlsx"
        figures_workbook(workbook, LIMITS.rows)
        over = folder / "over_size.csv"
        over.write_bytes(bad.read_bytes() + b"\n" * (LIMITS.bytes - bad.stat().st_size + 2**20))
        too_many = folder / "rows_over_limit.csv"
        figures_file(too_many, LIMITS.rows + 50_000, bad=False)  # over 50 MB: a row-limit
        too_many.write_bytes(too_many.read_bytes()[: LIMITS.bytes - 1])  # file under the size
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
                "unzipped_mb": LIMITS.unzipped_bytes // 2**20,
            },
            "read_valid_csv_at_limit": child("read", valid, data),
            "read_valid_xlsx_at_row_limit": child("read", workbook, data),
            "refuse_csv_over_size": child("read", over, data),
            "refuse_csv_over_row_limit": child("read", too_many, data),
            "refuse_csv_one_long_row": child("read", one_row, data),
            "refuse_xlsx_bomb": child("read", bomb, data),
        }
        if not args.skip_plan:
            results["check_bad_csv_at_limit"] = child("plan", bad, data)
        if not args.skip_plan and not args.skip_valid_plan:  # minutes: a staged full build
            results["check_valid_csv_at_limit"] = child("plan", valid, data)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

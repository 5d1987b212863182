"""FIXTURES for the data update tests: a temporary copy of data/ with a made-up test document.

The document and its figure are invented for tests and say so; they are only ever written to
temporary copies, never to the real data/.
"""

import csv
import io
import shutil
from pathlib import Path

import pandas as pd

from dashboard.build.pipeline import rebuild
from dashboard.build.validation import FIGURE_COLUMNS
from dashboard.paths import DATA_DIR
from dashboard.transaction import LOCK_FILE
from dashboard.update.common import DataDirs

FIXTURE_DOCUMENT = "test_fixture_annual_report_2025-26.txt"
FIXTURE_TEXT = (
    "TEST FIXTURE, not a real report. In 2025/26 Rutland received 4 referrals about child "
    "sexual exploitation. Of CSE referrals, 120 per cent concerned boys. Corrected figure: "
    "Rutland received 5 CSE referrals in 2025/26.\n"
)
FIXTURE_REVISED_QUOTE = "Corrected figure: Rutland received 5 CSE referrals in 2025/26."
FIXTURE_QUOTE = "In 2025/26 Rutland received 4 referrals about child sexual exploitation."
FIXTURE_DOCUMENT_ROW = [
    FIXTURE_DOCUMENT,
    "TEST FIXTURE annual report 2025/26",
    "Test fixture",
    "2025/26",
    "Rutland",
    "CSE referrals (test fixture)",
]
RUTLAND_CSE = {
    "figure_id": "",
    "indicator_id": "report_cse_referrals",
    "area": "rutland",
    "period": "2025/26",
    "period_type": "financial_year",
    "year_end": "2026",
    "breakdown": "",
    "value": "4",
    "unit": "count",
    "status": "reported",
    "document": FIXTURE_DOCUMENT,
    "quote": FIXTURE_QUOTE,
    "note": "TEST FIXTURE",
}


def copy_data(target: Path) -> DataDirs:
    """A copy of the real data/ (without update history) to change freely."""
    skipped = shutil.ignore_patterns("history", LOCK_FILE, ".journal", ".pending")
    shutil.copytree(DATA_DIR, target, ignore=skipped)
    return DataDirs(target)


def add_fixture_document(dirs: DataDirs) -> None:
    """Register the test document in the copy and rebuild it, as if it had been added before."""
    (dirs.documents / FIXTURE_DOCUMENT).write_text(FIXTURE_TEXT, encoding="utf-8")
    with (dirs.sources / "documents.csv").open("a", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerow(FIXTURE_DOCUMENT_ROW)
    rebuild(dirs.inputs(), dirs.root)


def figures_csv(*rows: dict[str, str], columns: tuple[str, ...] = FIGURE_COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def data_files(root: Path) -> dict[str, bytes]:
    """Every file under a data directory except the update history and the (empty) writer
    lock file, by relative path."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and "history" not in path.relative_to(root).parts
        and path.relative_to(root) != Path(LOCK_FILE)
    }


C1_BUNDLED = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025_llr_subset.csv"


def dfe_fixture(dirs: DataDirs) -> bytes:
    """TEST FIXTURE: the bundled c1 file plus its 2025 rows relabelled 2026 with referral_count
    + 1, a 2024 Rutland value changed (its re-referral percentage kept consistent with it, as
    the build checks), and a row for an LA the project does not keep."""
    frame = pd.read_csv(
        dirs.raw_official / "dfe_cin" / C1_BUNDLED, dtype=str, keep_default_na=False
    )
    next_year = frame[frame["time_period"] == "2025"].copy()
    next_year["time_period"] = "2026"
    next_year["referral_count"] = [
        str(int(v) + 1) if v.isdigit() else v for v in next_year["referral_count"]
    ]
    rutland_2024 = (frame["time_period"] == "2024") & (frame["old_la_code"] == "857")
    frame.loc[rutland_2024, "referral_count"] = "999"
    rereferrals = int(frame.loc[rutland_2024, "rereferral_count"].iloc[0])
    frame.loc[rutland_2024, "rereferral_percent"] = f"{rereferrals / 999 * 100:.1f}"
    other = next_year[next_year["old_la_code"] == "857"].assign(old_la_code="999")
    return pd.concat([next_year, other, frame]).to_csv(index=False).encode("utf-8")

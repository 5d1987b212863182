"""A DfE Explore Education Statistics CSV, as published, -> a new release file in dfe_cin/.

The table is recognised by its columns (the same as a bundled file's), cut to the rows the
project keeps (England, East Midlands, and the local authorities the bundled file keeps), and
stored with its cells unchanged beside the bundled files; the build reads every file of a table
and keeps the latest release where they overlap (official.table_releases).
"""

import logging
import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from dashboard.build.official import CIN_FOLDER, EAST_MIDLANDS_CODE, EES_MEASURES, LEGACY_SYMBOLS
from dashboard.build.validation import BuildError, Problem
from dashboard.problems import ProblemList
from dashboard.schema import DFE_SYMBOLS
from dashboard.units import value_problem
from dashboard.update.common import (
    ChangePlan,
    DataDirs,
    csv_bytes,
    refused,
    shown,
    staged,
    staged_build,
)
from dashboard.update.parse import Sheet, Upload, plain

LOG = logging.getLogger(__name__)

EES_COLUMNS = {"time_period", "time_identifier", "geographic_level", "old_la_code"}
TABLE_NAMES = "b1, c1, c3, c4, d3, d5"


def is_ees_header(header: tuple[str, ...]) -> bool:
    return set(header) >= EES_COLUMNS


def bundled_tables(dirs: DataDirs) -> dict[tuple[str, ...], Path]:
    """Each children-in-need table's header -> its bundled (oldest-named) file."""
    tables: dict[tuple[str, ...], Path] = {}
    for path in sorted((dirs.raw_official / CIN_FOLDER).glob("*.csv")):
        with path.open(encoding="utf-8-sig") as handle:
            header = tuple(cell.strip() for cell in handle.readline().rstrip("\r\n").split(","))
        tables.setdefault(header, path)
    return tables


def measure_columns(bundled: Path) -> dict[str, str]:
    """The table's value columns and the unit each is published in."""
    prefix = bundled.name.split("_", 1)[0] + "_"
    return {
        measure.column: measure.unit
        for release, measures in EES_MEASURES.items()
        if release.path.startswith(f"{CIN_FOLDER}/{prefix}")
        for measure in measures
    }


def kept(rec: dict[str, str], la_codes: set[str]) -> bool:
    """The rows the project keeps, as the bundled subsets were cut (see dfe_cin/SOURCE.md)."""
    level = rec["geographic_level"]
    return (
        level == "National"
        or (level == "Regional" and rec.get("region_code") == EAST_MIDLANDS_CODE)
        or (level == "Local authority" and rec["old_la_code"] in la_codes)
    )


def cell_problems(
    sheet: Sheet, rows: list[int], columns: dict[str, str], file: str
) -> Iterator[Problem]:
    """Each kept row's period and values, yielded one by one (a collector keeps the first)."""
    for index in rows:
        rec = sheet.record(index)
        number = sheet.row_numbers[index]
        if not re.fullmatch(r"\d{4}", rec["time_period"]) or not (
            1990 <= int(rec["time_period"]) <= 2035
        ):
            reason = "bad period: time_period must be a reporting year like 2026"
            yield Problem(file, number, "time_period", reason)
        for column, unit in columns.items():
            value = rec[column]
            if value in DFE_SYMBOLS or value in LEGACY_SYMBOLS:
                continue
            try:
                number_value = float(value)
            except ValueError:
                reason = f"not a number or a DfE symbol ({', '.join(DFE_SYMBOLS)})"
                yield Problem(file, number, column, reason)
                continue
            if not math.isfinite(number_value):
                yield Problem(file, number, column, f"{value_problem(number_value, unit)}")
            elif number_value < 0:
                yield Problem(file, number, column, "a count cannot be negative")
            elif (column.endswith("percent") or unit == "percent") and number_value > 100:
                yield Problem(file, number, column, "a percentage must be within 0-100")
            elif reason := value_problem(number_value, unit):
                yield Problem(file, number, column, reason)


def stored_name(upload_name: str, bundled: Path) -> str:
    """A safe file name that starts with the table's prefix (c1_, ...), so the build finds it."""
    prefix = bundled.name.split("_", 1)[0] + "_"
    stem = re.sub(r"[^A-Za-z0-9_\-]+", "_", Path(upload_name).stem).strip("_")
    stem = stem.removesuffix("_llr_subset")
    return f"{'' if stem.startswith(prefix) else prefix}{stem}_llr_subset.csv"


def source_note(name: str, upload_name: str, bundled: Path, when: datetime) -> str:
    """What SOURCE.md records for a release added by a data update."""
    return (
        f"\n## `{name}` (added by a data update)\n\n"
        "**Original publisher:** Department for Education (DfE), official statistics "
        "*Characteristics of children in need* (Explore Education Statistics data file).\n"
        "**Licence:** Open Government Licence v3.0.\n"
        f"**Added:** {when:%Y-%m-%d %H:%M} UTC through the data update, from the uploaded file "
        f"`{upload_name}`. Rows kept as for `{bundled.name}` (England, East Midlands and the same "
        "local authorities); columns and cell values unchanged.\n"
    )


def plan_release(upload: Upload, dirs: DataDirs) -> ChangePlan:
    """Recognise the table, subset it, check its cells, stage it and diff the built values."""
    sheet, name = upload.figures, upload.name
    tables = bundled_tables(dirs)
    bundled = tables.get(sheet.header)
    if bundled is None:
        return refused(
            name,
            [
                Problem(
                    name,
                    1,
                    None,
                    "wrong columns: a DfE Explore Education Statistics file, but not one of the "
                    f"children-in-need tables this dashboard reads ({TABLE_NAMES}) with their "
                    "published columns; upload the table's CSV exactly as downloaded",
                )
            ],
        )
    la_codes = set(pd.read_csv(bundled, dtype=str, keep_default_na=False)["old_la_code"]) - {""}
    rows = [i for i in range(len(sheet.rows)) if kept(sheet.record(i), la_codes)]
    problems = ProblemList()
    problems.extend(cell_problems(sheet, rows, measure_columns(bundled), name))
    if not rows:
        reason = "no rows for England, the East Midlands, Leicestershire or Rutland"
        problems.add(Problem(name, None, None, reason))
    target = stored_name(name, bundled)
    if (bundled.parent / target).exists():
        reason = f"{CIN_FOLDER}/{target} is already stored; this release has been added before"
        problems.add(Problem(name, None, None, reason))
    if problems:
        return refused(name, problems.problems(name))
    latest = max(int(sheet.record(i)["time_period"]) for i in rows)
    newest_stored = max(
        int(pd.read_csv(path, dtype=str, usecols=["time_period"])["time_period"].max())
        for path in bundled.parent.glob(f"{bundled.name.split('_', 1)[0]}_*.csv")
    )
    if latest <= newest_stored:
        reason = (
            f"this release ends in {latest}, but the stored files of this table already reach "
            f"{newest_stored}; only a later release can be added"
        )
        return refused(name, [Problem(name, None, "time_period", reason)])
    folder = Path("raw") / "official" / CIN_FOLDER
    source_md = bundled.parent / "SOURCE.md"
    note = source_note(target, name, bundled, datetime.now(UTC))
    writes = {
        str(folder / target): csv_bytes([list(sheet.header), *(sheet.rows[i] for i in rows)], "\n"),
        str(folder / "SOURCE.md"): source_md.read_bytes() + note.encode("utf-8"),
    }
    try:
        built = staged_build(dirs, writes)["observations"]
    except BuildError as error:
        found = ProblemList()
        found.extend(plain(staged(p)) for p in error.problems)
        return refused(name, found.problems(name))
    except ValueError as error:  # the official-statistics reader's own refusals
        LOG.info("staged build of %s refused it", name, exc_info=error)
        reason = (
            "the full build could not read this table's cells as the bundled release's "
            "(a cell is neither a number nor a DfE symbol, or a value is given twice); upload "
            "the table's CSV exactly as downloaded"
        )
        return refused(name, [staged(Problem(name, None, None, reason))])
    return diff_official(name, built, pd.read_parquet(dirs.root / "observations.parquet"), writes)


def diff_official(
    name: str, built: pd.DataFrame, current: pd.DataFrame, writes: dict[str, bytes]
) -> ChangePlan:
    """New official values, and values the later release revises (old and new side by side)."""
    official = built[built["source_family"] == "official_statistics"]
    before = current[current["source_family"] == "official_statistics"].set_index("record_id")
    new = official[~official["record_id"].isin(before.index)]
    both = official[official["record_id"].isin(before.index)].set_index("record_id")
    old = before.loc[both.index]
    changed = (both["value"].fillna(-1) != old["value"].fillna(-1)) | (
        both["value_symbol"] != old["value_symbol"]
    )
    revised = pd.DataFrame(
        {
            "Indicator": both.loc[changed, "indicator_id"],
            "Area": both.loc[changed, "area"],
            "Period": both.loc[changed, "period"],
            "Breakdown": both.loc[changed, "breakdown"],
            "Old value": old.loc[changed, "value"],
            "Old source": old.loc[changed, "source"],
            "New value": both.loc[changed, "value"],
            "New source": both.loc[changed, "source"],
        }
    ).reset_index(drop=True)
    return ChangePlan(name, "dfe", new=shown(new), revised=revised, file_writes=writes)

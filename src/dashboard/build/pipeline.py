"""Sources -> validated tables -> Parquet, replacing the previous files only when all is well."""

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from dashboard.build.context import read_commentary, read_events
from dashboard.build.national import build_national, national_problems
from dashboard.build.official import build_official_observations
from dashboard.build.report import (
    display_path,
    figures_to_observations,
    link_conflicts,
    read_areas,
    read_catalogue,
    read_document_list,
    read_figures,
)
from dashboard.build.validation import BuildError, Problem, observation_schema, schema_problems
from dashboard.meetings import MeetingFileError, read_meetings
from dashboard.paths import (
    BUILD_INFO_JSON,
    DATA_DIR,
    DOCUMENTS_DIR,
    RAW_NATIONAL_DIR,
    RAW_OFFICIAL_DIR,
    SOURCES_DIR,
)
from dashboard.schema import (
    AREA_COLUMNS,
    COMMENTARY_COLUMNS,
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    INDICATOR_COLUMNS,
    NATIONAL_COLUMNS,
    OBSERVATION_COLUMNS,
    OBSERVATION_KEY,
)
from dashboard.transaction import writing


@dataclass(frozen=True)
class BuildInputs:
    """Where a build reads from; tests point these at temporary copies."""

    sources_dir: Path = SOURCES_DIR
    documents_dir: Path = DOCUMENTS_DIR
    raw_official_dir: Path = RAW_OFFICIAL_DIR
    raw_national_dir: Path = RAW_NATIONAL_DIR


TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "observations": OBSERVATION_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "areas": AREA_COLUMNS,
    "documents": DOCUMENT_COLUMNS,
    "national": NATIONAL_COLUMNS,
    "events": EVENT_COLUMNS,
    "commentary": COMMENTARY_COLUMNS,
}


def catalogue_problems(observations: pd.DataFrame, catalogue: pd.DataFrame, file: str) -> list:
    """Observations agree with the catalogue on unit and family; every catalogue entry has data."""
    merged = observations.merge(
        catalogue[["indicator_id", "unit", "source_family"]],
        on="indicator_id",
        suffixes=("", "_catalogue"),
    )
    problems = [
        Problem(
            row.source,
            None,
            "unit",
            f"{row.record_id}: unit {row.unit!r} differs from catalogue {row.unit_catalogue!r}",
        )
        for row in merged[merged["unit"] != merged["unit_catalogue"]].itertuples()
    ]
    problems += [
        Problem(
            row.source,
            None,
            "source_family",
            f"{row.record_id}: {row.indicator_id} is a {row.source_family_catalogue} indicator",
        )
        for row in merged[merged["source_family"] != merged["source_family_catalogue"]].itertuples()
    ]
    unused = sorted(set(catalogue["indicator_id"]) - set(observations["indicator_id"]))
    problems += [
        Problem(file, None, "indicator_id", f"{indicator} has no data") for indicator in unused
    ]
    return problems


def duplicate_problems(observations: pd.DataFrame) -> list[Problem]:
    """Official statistics give one value per key; only documents may disagree with each other."""
    official = observations[observations["source_family"] == "official_statistics"]
    repeated = official[official.duplicated(OBSERVATION_KEY, keep="first")]
    return [
        Problem(
            row.source,
            None,
            None,
            f"{row.record_id}: more than one official value for the same indicator, area, "
            "period and breakdown",
        )
        for row in repeated.itertuples()
    ]


def meeting_problems(path: Path) -> list[Problem]:
    """The board's meeting dates are checked with the data, so a bad edit is found at build."""
    try:
        read_meetings(path)
    except MeetingFileError as error:
        return error.problems
    return []


def build_tables(inputs: BuildInputs = BuildInputs()) -> dict[str, pd.DataFrame]:
    """Everything the app reads, validated; raises BuildError listing every problem."""
    catalogue_path = inputs.sources_dir / "indicators.csv"
    catalogue = read_catalogue(catalogue_path)
    areas = read_areas(inputs.sources_dir / "areas.csv")
    documents = read_document_list(inputs.sources_dir / "documents.csv", inputs.documents_dir)
    figures = read_figures(inputs.sources_dir / "figures", catalogue, areas, documents)
    report = figures_to_observations(figures, documents, catalogue)
    official = build_official_observations(inputs.raw_official_dir)
    observations = link_conflicts(pd.concat([report, official], ignore_index=True))
    observations = observations.sort_values(
        ["indicator_id", "area", "year_end", "period", "breakdown", "record_id"], ignore_index=True
    ).astype(OBSERVATION_COLUMNS)

    schema = observation_schema(catalogue["indicator_id"], areas["area"])
    _, problems = schema_problems(observations, schema, "observations (built)", row_offset=0)
    problems += duplicate_problems(observations)
    problems += catalogue_problems(observations, catalogue, display_path(catalogue_path))
    national = build_national(inputs.raw_national_dir)
    problems += national_problems(national)
    problems += meeting_problems(inputs.sources_dir / "meetings.csv")
    events, found = read_events(
        inputs.sources_dir / "events.csv",
        set(areas["area"]),
        documents,
        inputs.raw_official_dir.parents[1],
        datetime.now(UTC).date(),
    )
    problems += found
    commentary, found = read_commentary(
        inputs.sources_dir / "commentary.csv", catalogue, observations, documents
    )
    problems += found
    if problems:
        raise BuildError(problems)
    return {
        "observations": observations,
        "indicators": catalogue.astype(INDICATOR_COLUMNS),
        "areas": areas.astype(AREA_COLUMNS),
        "documents": documents.astype(DOCUMENT_COLUMNS),
        "national": national,
        "events": events.astype(EVENT_COLUMNS),
        "commentary": commentary.astype(COMMENTARY_COLUMNS),
    }


def build_record(tables: Mapping[str, pd.DataFrame], built_at: datetime) -> dict[str, object]:
    """When the data was built and how many rows each table has: shown on the Sources page and
    printed on exported charts, so a pasted chart says how fresh its data was."""
    return {
        "built_at": built_at.astimezone(UTC).isoformat(timespec="seconds"),
        "rows": {name: len(frame) for name, frame in tables.items()},
    }


def _stage(out_dir: Path, name: str, suffix: str) -> Path:
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=f"{suffix}.tmp", dir=out_dir)
    os.close(handle)
    return Path(temporary)


def write_tables(
    tables: Mapping[str, pd.DataFrame], out_dir: Path = DATA_DIR, built_at: datetime | None = None
) -> list[Path]:
    """Write each table (and the build record) to a temporary file, then rename all: a failed
    write leaves the old data."""
    staged: list[tuple[Path, Path]] = []
    try:
        for name, frame in tables.items():
            temporary = _stage(out_dir, name, ".parquet")
            staged.append((temporary, out_dir / f"{name}.parquet"))
            frame[list(TABLE_COLUMNS[name])].to_parquet(temporary, index=False)
        record = build_record(tables, built_at or datetime.now(UTC))
        temporary = _stage(out_dir, "build_info", ".json")
        staged.append((temporary, out_dir / BUILD_INFO_JSON.name))
        temporary.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        for temporary, _ in staged:
            os.chmod(temporary, 0o644)  # mkstemp makes it private; the app may run as another user
            descriptor = os.open(temporary, os.O_RDONLY)
            try:
                os.fsync(descriptor)  # on disk before it replaces the old file
            finally:
                os.close(descriptor)
    except Exception:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)
    return [target for _, target in staged]


def rebuild(
    inputs: BuildInputs = BuildInputs(), out_dir: Path = DATA_DIR
) -> dict[str, pd.DataFrame]:
    """Build and write under the writer lock, as one transaction (dashboard.transaction): on
    any problem, or if the process is killed, nothing in out_dir changes."""
    with writing(out_dir, "build") as transaction:
        tables = build_tables(inputs)
        transaction.begin([*(f"{name}.parquet" for name in tables), BUILD_INFO_JSON.name])
        write_tables(tables, out_dir)
    return tables

"""Cached loaders for the built Parquet tables; the only place the app reads data from disk."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard.paths import (
    AREAS_PARQUET,
    BUILD_INFO_JSON,
    COMMENTARY_PARQUET,
    DOCUMENTS_PARQUET,
    EVENTS_PARQUET,
    INDICATORS_PARQUET,
    NATIONAL_PARQUET,
    OBSERVATIONS_PARQUET,
)
from dashboard.schema import (
    AREA_COLUMNS,
    COMMENTARY_COLUMNS,
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    INDICATOR_COLUMNS,
    NATIONAL_COLUMNS,
    OBSERVATION_COLUMNS,
)
from dashboard.transaction import recover_if_interrupted

# Arrow's default allocator keeps freed memory for reuse; the tables here are a few MB, and the
# system allocator cut the server's memory after loading them by about 25 MB (bench_pages.py).
pa.set_memory_pool(pa.system_memory_pool())


class DataFileError(ValueError):
    """A built data file is missing or does not have the expected shape."""


def read_table(path: Path, columns: dict[str, str]) -> pd.DataFrame:
    """Read a Parquet table; fail loudly, naming the file, if it breaks the contract. A change a
    killed writer left half done is undone first (dashboard.transaction)."""
    recover_if_interrupted(path.parent)
    if not path.exists():
        raise DataFileError(f"{path}: file not found; run `python -m dashboard.build` to create it")
    frame = pd.read_parquet(path)
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise DataFileError(f"{path}: missing column(s) {', '.join(missing)}")
    for name, dtype in columns.items():
        if str(frame[name].dtype) not in {dtype, "str"}:
            raise DataFileError(
                f"{path}: column {name} has type {frame[name].dtype}, expected {dtype}"
            )
    return frame[list(columns)]


@dataclass(frozen=True)
class BuildInfo:
    """When the Parquet tables were last built, and their row counts."""

    built_at: datetime
    rows: dict[str, int]

    @property
    def built_on(self) -> str:
        """The build date as people write it, e.g. "27 November 2026"."""
        return f"{self.built_at.day} {self.built_at:%B %Y}"


def read_build_info(path: Path = BUILD_INFO_JSON) -> BuildInfo:
    """The record `python -m dashboard.build` writes beside the tables."""
    recover_if_interrupted(path.parent)
    if not path.exists():
        raise DataFileError(f"{path}: file not found; run `python -m dashboard.build` to create it")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return BuildInfo(datetime.fromisoformat(record["built_at"]), dict(record["rows"]))
    except (ValueError, KeyError, TypeError) as error:
        raise DataFileError(f"{path}: not a build record ({error})") from error


def read_observations(path: Path = OBSERVATIONS_PARQUET) -> pd.DataFrame:
    return read_table(path, OBSERVATION_COLUMNS)


def read_indicators(path: Path = INDICATORS_PARQUET) -> pd.DataFrame:
    return read_table(path, INDICATOR_COLUMNS)


def read_areas(path: Path = AREAS_PARQUET) -> pd.DataFrame:
    return read_table(path, AREA_COLUMNS)


def read_documents(path: Path = DOCUMENTS_PARQUET) -> pd.DataFrame:
    return read_table(path, DOCUMENT_COLUMNS)


def read_national(path: Path = NATIONAL_PARQUET) -> pd.DataFrame:
    return read_table(path, NATIONAL_COLUMNS)


def read_events(path: Path = EVENTS_PARQUET) -> pd.DataFrame:
    return read_table(path, EVENT_COLUMNS)


def read_commentary(path: Path = COMMENTARY_PARQUET) -> pd.DataFrame:
    return read_table(path, COMMENTARY_COLUMNS)


def shared_table(read: Callable[[Path], pd.DataFrame]) -> Callable[[Path], pd.DataFrame]:
    """Read a table once per process and hand every session the same frame, never a copy:
    copying the tables on each run (st.cache_data) took 8 ms of every page. Nothing may change
    a loaded table; tests/test_shared_tables.py checks that every page leaves them as read. A
    new build or update reaches the app through forget_loaded_data."""
    return st.cache_resource(show_spinner=False, max_entries=4)(read)


@shared_table
def load_events(path: Path = EVENTS_PARQUET) -> pd.DataFrame:
    """Dated events (inspections, changes of structure, national events) with their sources."""
    return read_events(path)


@shared_table
def load_commentary(path: Path = COMMENTARY_PARQUET) -> pd.DataFrame:
    """The documents' own sentences explaining a movement, by indicator, area and period."""
    return read_commentary(path)


@shared_table
def load_observations(path: Path = OBSERVATIONS_PARQUET) -> pd.DataFrame:
    """Every value, report and official, in one long table (see schema.OBSERVATION_COLUMNS)."""
    return read_observations(path)


@shared_table
def load_indicators(path: Path = INDICATORS_PARQUET) -> pd.DataFrame:
    """The indicator catalogue, one row per indicator_id."""
    return read_indicators(path)


@shared_table
def load_areas(path: Path = AREAS_PARQUET) -> pd.DataFrame:
    return read_areas(path)


@shared_table
def load_documents(path: Path = DOCUMENTS_PARQUET) -> pd.DataFrame:
    """The partnership documents, with their full text for search and quote display."""
    return read_documents(path)


@st.cache_resource(show_spinner=False, max_entries=2)
def load_national(version: str, path: Path = NATIONAL_PARQUET) -> pd.DataFrame:
    """Every English authority's official series (see schema.NATIONAL_COLUMNS): ranks, funnel
    plots and the statistical neighbours' range. Five times the observations' size, so it is
    read once per data version (`version`) and shared by every session, never copied per run;
    nothing changes it."""
    return read_national(path)


@st.cache_data(show_spinner=False)
def load_build_info(path: Path = BUILD_INFO_JSON) -> BuildInfo:
    return read_build_info(path)


# The build-info file this process last loaded from, by modification time and size.
_loaded_stamp: list[tuple[int, int] | None] = [None]


def reload_if_rebuilt(path: Path = BUILD_INFO_JSON) -> None:
    """Forget the cached tables when the data on disk is newer than what was loaded: another
    server sharing data/ (a second replica) may have applied an update. Every build and update
    rewrites the build-info file last, so one stat per run sees it."""
    try:
        stat = path.stat()
    except OSError:
        return
    stamp = (stat.st_mtime_ns, stat.st_size)
    if _loaded_stamp[0] is not None and stamp != _loaded_stamp[0]:
        forget_loaded_data()
    _loaded_stamp[0] = stamp


# How many times this process has forgotten its tables: what was built from them is current
# while this has not moved (components.load_dashboard_data).
_generation: list[int] = [0]


def data_generation() -> int:
    return _generation[0]


def forget_loaded_data() -> None:
    """Let the next run read every table afresh: after an update, a rollback or a rebuild."""
    st.cache_data.clear()
    for loader in SHARED_TABLES:
        loader.clear()
    _generation[0] += 1


SHARED_TABLES = (
    load_events,
    load_commentary,
    load_observations,
    load_indicators,
    load_areas,
    load_documents,
)

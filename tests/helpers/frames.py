"""The one way tests build FIXTURE frames: rows that name only the cells a test cares about, the
other columns of the schema filled with their empty value, made into a frame typed by that schema
(so a fixture meets the same dtypes as the built tables). Fixture values are made up for tests."""

import math
from collections.abc import Iterable, Mapping

import pandas as pd


def fixture_row(columns: Mapping[str, str], **cells: object) -> dict[str, object]:
    """One FIXTURE row with every column of `columns` ("" for text, NaN for numbers)."""
    empty = {name: ("" if dtype == "string" else math.nan) for name, dtype in columns.items()}
    return empty | cells


def fixture_frame(rows: Iterable[Mapping[str, object]], columns: Mapping[str, str]) -> pd.DataFrame:
    """FIXTURE rows as a frame with exactly the schema's columns and dtypes."""
    return pd.DataFrame.from_records(list(rows), columns=list(columns)).astype(dict(columns))

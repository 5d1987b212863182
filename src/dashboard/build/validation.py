"""Pandera schemas for every source and built table; errors name file, row, field and reason."""

import re
from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa

from dashboard.areas import KINDS, ROLES, YES
from dashboard.problems import Problem, ProblemList
from dashboard.schema import (
    DFE_SYMBOLS,
    PERIOD_TYPES,
    POLARITIES,
    SOURCE_FAMILIES,
    THEMES,
)
from dashboard.statuses import OFFICIAL_STATUSES, REPORT_STATUSES
from dashboard.units import UNITS

# A CSV's first data line is line 2 (line 1 is the header); people fix files by line number.
CSV_HEADER_LINES = 1
# A share of a whole: a value outside 0-100 is a typing error.
BOUNDED_UNITS = tuple(unit_id for unit_id, unit in UNITS.items() if unit.at_most_100)
SLUG = r"^[a-z0-9][a-z0-9_]*$"
DTYPE_WORDS = {"float64": "a number", "int64": "a whole number", "str": "text"}


class BuildError(Exception):
    """Raised with every problem found, so one run reports them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def normalise_whitespace(text: str) -> str:
    """Collapse line breaks and runs of spaces, which PDF conversion scatters through sentences."""
    return re.sub(r"\s+", " ", text).strip()


def text_column(checks: list[pa.Check] | None = None, *, required: bool = True) -> pa.Column:
    """A string column; empty cells read as "" so optional text never becomes NaN."""
    all_checks = list(checks or [])
    if required:
        all_checks.append(pa.Check.str_length(min_value=1, error="must not be empty"))
    return pa.Column(str, checks=all_checks, coerce=True, nullable=False)


def one_of(allowed: Iterable[str]) -> pa.Check:
    allowed = tuple(allowed)
    return pa.Check.isin(allowed, error=f"must be one of: {', '.join(allowed)}")


def slug_check() -> pa.Check:
    return pa.Check.str_matches(SLUG, error="must be lower-case letters, digits and underscores")


CATALOGUE_SCHEMA = pa.DataFrameSchema(
    {
        "indicator_id": text_column([slug_check()]),
        "name": text_column(),
        "theme": text_column([one_of(THEMES)]),
        "unit": text_column([one_of(UNITS)]),
        "polarity": text_column([one_of(POLARITIES)]),
        "definition": text_column(),
        "source_family": text_column([one_of(SOURCE_FAMILIES)]),
        "counterpart_id": text_column(required=False),
        "notes": text_column(required=False),
        "rate_denominator": text_column(required=False),
        "numerator_label": text_column(required=False),
        "denominator_label": text_column(required=False),
        "numerator_id": text_column(required=False),
        "denominator_id": text_column(required=False),
    },
    strict=True,
    unique=["indicator_id"],
    report_duplicates="all",
)

AREA_SCHEMA = pa.DataFrameSchema(
    {
        "area": text_column([slug_check()]),
        "name": text_column(),
        "kind": text_column([one_of(KINDS)]),
        "role": text_column([one_of(ROLES)]),
        "dfe_la_code": text_column(required=False),
        "ons_code": text_column(required=False),
        "colour": text_column(
            [pa.Check.str_matches(r"^#[0-9a-f]{6}$", error="must be a colour like #1f5fa8")]
        ),
        "dash": text_column(
            [pa.Check.str_matches(r"^\d+( \d+)*$", error="must be whole numbers like '9 4'")]
        ),
        "order": pa.Column(
            str,
            checks=[pa.Check.str_matches(r"^\d+$", error="must be a whole number")],
            coerce=True,
            nullable=False,
            unique=True,
        ),
        **{
            flag: text_column([one_of((YES, ""))], required=False)
            for flag in ("headline", "default", "map")
        },
        "neighbours_of": text_column(required=False),
        "notes": text_column(required=False),
    },
    strict=True,
    unique=["area"],
)

DOCUMENT_SCHEMA = pa.DataFrameSchema(
    {
        "document": text_column([pa.Check.str_matches(r"^[\w.\-]+\.txt$", error="must be a .txt")]),
        "title": text_column(),
        "publisher": text_column(),
        "period": text_column(),
        "areas": text_column(),
        "contributes": text_column(),
    },
    strict=True,
    unique=["document"],
)

FIGURE_COLUMNS = (
    "figure_id",
    "indicator_id",
    "area",
    "period",
    "period_type",
    "year_end",
    "breakdown",
    "value",
    "unit",
    "status",
    "document",
    "quote",
    "note",
)


def figure_schema(indicator_ids: Iterable[str], areas: Iterable[str], documents: Iterable[str]):
    """Types and allowed values of one figures CSV; cross-file rules are checked after coercion."""
    return pa.DataFrameSchema(
        {
            "figure_id": text_column(
                [pa.Check.str_matches(r"^[a-z0-9][a-z0-9\-_]*$", error="must be a lower-case slug")]
            ),
            "indicator_id": text_column(
                [pa.Check.isin(tuple(indicator_ids), error="is not in indicators.csv")]
            ),
            "area": text_column([pa.Check.isin(tuple(areas), error="is not in areas.csv")]),
            "period": text_column(),
            "period_type": text_column([one_of(PERIOD_TYPES)]),
            "year_end": pa.Column(
                int, pa.Check.in_range(1990, 2035, error="must be a year 1990-2035"), coerce=True
            ),
            "breakdown": text_column(required=False),
            "value": pa.Column(float, nullable=False, coerce=True),
            "unit": text_column([one_of(UNITS)]),
            "status": text_column([one_of(REPORT_STATUSES)]),
            "document": text_column(
                [pa.Check.isin(tuple(documents), error="is not listed in documents.csv")]
            ),
            "quote": text_column(),
            "note": text_column(required=False),
        },
        strict=True,
        ordered=True,
    )


# Values are published rounded (to 1 dp, some to whole numbers); their limits come from the
# unrounded counts, so a value may sit up to half a unit outside them.
INTERVAL_ROUNDING = 0.5
FLOAT_NOISE = 1e-9  # a zero count's limits differ from 0 by floating-point error only


def observation_schema(indicator_ids: Iterable[str], areas: Iterable[str]) -> pa.DataFrameSchema:
    """The built long table: the guarantees the app relies on."""
    numeric = pa.Column(float, nullable=True)
    return pa.DataFrameSchema(
        {
            "record_id": text_column(),
            "indicator_id": text_column(
                [pa.Check.isin(tuple(indicator_ids), error="is not in indicators.csv")]
            ),
            "area": text_column([pa.Check.isin(tuple(areas), error="is not in areas.csv")]),
            "period": text_column(),
            "period_type": text_column([one_of(PERIOD_TYPES)]),
            "year_end": pa.Column(int, pa.Check.in_range(1990, 2035)),
            "breakdown": text_column(required=False),
            "value": numeric,
            "value_symbol": text_column([one_of(("", *DFE_SYMBOLS))], required=False),
            "unit": text_column([one_of(UNITS)]),
            "status": text_column([one_of(REPORT_STATUSES + OFFICIAL_STATUSES)]),
            "source_family": text_column([one_of(SOURCE_FAMILIES)]),
            "source": text_column(),
            "source_ref": text_column(),
            "release": text_column(),
            "note": text_column(required=False),
            "numerator": numeric,
            "denominator": numeric,
            "rule": text_column(required=False),
            "conflict_id": text_column(required=False),
            "ci95_lower": numeric,
            "ci95_upper": numeric,
            "ci998_lower": numeric,
            "ci998_upper": numeric,
            "ci_method": text_column(required=False),
        },
        checks=[
            pa.Check(
                lambda frame: frame["value"].notna() | (frame["value_symbol"] != ""),
                name="value or symbol",
                error="a value without a number must carry its DfE symbol",
            ),
            pa.Check(
                lambda frame: (
                    frame["ci95_lower"].isna()
                    | (
                        (frame["ci998_lower"] <= frame["ci95_lower"] + FLOAT_NOISE)
                        & (frame["ci95_lower"] <= frame["ci95_upper"])
                        & (frame["ci95_upper"] <= frame["ci998_upper"] + FLOAT_NOISE)
                    )
                ),
                name="nested intervals",
                error="95% limits must lie within the 99.8% limits, lower below upper",
            ),
            pa.Check(
                lambda frame: (
                    frame["ci95_lower"].isna()
                    | (
                        (frame["ci95_lower"] <= frame["value"] + INTERVAL_ROUNDING)
                        & (frame["value"] - INTERVAL_ROUNDING <= frame["ci95_upper"])
                    )
                ),
                name="value within its interval",
                error="a value must lie within its own 95% interval",
            ),
        ],
        strict=True,
        ordered=True,
        unique=["record_id"],
    )


def schema_problems(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str, row_offset: int = CSV_HEADER_LINES
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate lazily, all rows at once (uniqueness is across the whole file); return the
    coerced frame, or None with every problem located by row."""
    found = ProblemList(limit=(len(frame) + 1) * (len(frame.columns) + 1) * 4)
    coerced = bounded_schema_problems(frame, schema, file, found, row_offset, len(frame))
    return coerced, found.problems(file)


# Rows validated at a time: pandera's table of failures for one chunk stays a few megabytes
# however many rows of the file are wrong.
SCHEMA_CHUNK_ROWS = 5_000


def bounded_schema_problems(
    frame: pd.DataFrame,
    schema: pa.DataFrameSchema,
    file: str,
    found: ProblemList,
    row_offset: int = CSV_HEADER_LINES,
    chunk_rows: int = SCHEMA_CHUNK_ROWS,
) -> pd.DataFrame | None:
    """Validate in chunks of rows, adding each problem to found (which keeps the first few and
    counts the rest); the coerced frame, or None if any row failed. Chunks suit schemas whose
    checks are row by row; a schema with a unique key needs chunk_rows = len(frame)."""
    coerced, failed = [], False
    step = max(chunk_rows, 1)
    for start in range(0, max(len(frame), 1), step):
        chunk = frame.iloc[start : start + step]
        try:
            coerced.append(schema.validate(chunk, lazy=True))
        except pa.errors.SchemaErrors as errors:
            failed = True
            cases = errors.failure_cases
            seen = set()  # pandera may report one cell's failed coercion twice
            for case in zip(*(cases[c].tolist() for c in cases.columns), strict=True):
                problem = failure_to_problem(
                    dict(zip(cases.columns, case, strict=True)), schema, file, row_offset
                )
                if problem is not None and problem not in seen:
                    seen.add(problem)
                    found.add(problem)
    if failed:
        return None
    return coerced[0] if len(coerced) == 1 else pd.concat(coerced)


# pandera reports a check that could not run (on a column that failed to coerce) with the
# exception's text as the "failure case"; the coercion problem already says what is wrong.
EXCEPTION_TEXT = re.compile(r"^[A-Z]\w*(Error|Exception|Warning)\(")


def failure_to_problem(
    case: dict, schema: pa.DataFrameSchema, file: str, row_offset: int
) -> Problem | None:
    index = case.get("index")
    row = None if index is None or pd.isna(index) else int(index) + 1 + row_offset
    column = case.get("column")
    check = str(case.get("check"))
    value = case.get("failure_case")
    if isinstance(value, str) and EXCEPTION_TEXT.match(value):
        return None
    if check == "column_in_dataframe":
        return Problem(file, None, str(value), "required column is missing")
    if check == "column_in_schema":
        return Problem(file, None, str(value), "unexpected column")
    if check.startswith(("coerce_dtype", "dtype")):
        expected = next((words for dtype, words in DTYPE_WORDS.items() if dtype in check), check)
        return Problem(file, row, column, f"cannot be read as {expected} (got {value!r})")
    if check == "not_nullable":
        return Problem(file, row, column, "must not be empty")
    if check in {"field_uniqueness", "multiple_fields_uniqueness"} or "unique" in check:
        return Problem(file, row, column, f"duplicate key ({value!r})")
    reason = check_error(schema, column, check) or check
    field = column if isinstance(column, str) else None
    return Problem(file, row, field, f"{reason} (got {value!r})")


def check_error(schema: pa.DataFrameSchema, column: object, check_name: str) -> str | None:
    """The human sentence attached to a check, so messages read 'must be one of ...'."""
    checks = schema.columns[column].checks if column in schema.columns else schema.checks
    for check in checks:
        if check.error and (check.name == check_name or str(check) == check_name):
            return check.error
    return None

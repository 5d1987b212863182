"""Read the hand-kept sources (catalogue, areas, documents, figures); figures -> observations."""

from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.build.validation import (
    AREA_SCHEMA,
    BOUNDED_UNITS,
    CATALOGUE_SCHEMA,
    CSV_HEADER_LINES,
    DOCUMENT_SCHEMA,
    FIGURE_COLUMNS,
    BuildError,
    Problem,
    figure_schema,
    normalise_whitespace,
    schema_problems,
)
from dashboard.intervals import add_intervals
from dashboard.paths import PROJECT_ROOT
from dashboard.schema import OBSERVATION_COLUMNS, OBSERVATION_KEY
from dashboard.statuses import EXACT_REPORT_STATUSES
from dashboard.units import value_problem


def display_path(path: Path) -> str:
    """Paths in messages are relative to the repository, as a person would type them."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def read_text_csv(path: Path) -> pd.DataFrame:
    """Every cell as text, empty cells as "": types are the schema's job, not the CSV reader's."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise BuildError(
            [Problem(display_path(path), None, None, f"unreadable CSV: {error}")]
        ) from error


def read_validated(path: Path, schema) -> pd.DataFrame:
    frame, problems = schema_problems(read_text_csv(path), schema, display_path(path))
    if problems:
        raise BuildError(problems)
    return frame


def read_catalogue(path: Path) -> pd.DataFrame:
    catalogue = read_validated(path, CATALOGUE_SCHEMA)
    known = set(catalogue["indicator_id"])
    problems = [
        Problem(
            display_path(path),
            index + 1 + CSV_HEADER_LINES,
            field,
            f"{linked!r} is not an indicator_id in this file",
        )
        for field in ("counterpart_id", "rate_denominator", *COUNT_LINKS)
        for index, linked in catalogue[field].items()
        if linked and linked not in known
    ]
    units = dict(zip(catalogue["indicator_id"], catalogue["unit"], strict=True))
    problems += [
        Problem(
            display_path(path),
            index + 1 + CSV_HEADER_LINES,
            field,
            "only a percentage takes its counts from two count indicators, and both must be counts",
        )
        for field in COUNT_LINKS
        for index, row in catalogue.iterrows()
        if row[field] and (row["unit"] != "percent" or units.get(row[field], "count") != "count")
    ]
    problems += [
        Problem(
            display_path(path),
            index + 1 + CSV_HEADER_LINES,
            "rate_denominator",
            "only a count can be turned into a rate",
        )
        for index, row in catalogue.iterrows()
        if row["rate_denominator"] and row["unit"] != "count"
    ]
    if problems:
        raise BuildError(problems)
    return catalogue


def read_areas(path: Path) -> pd.DataFrame:
    return read_validated(path, AREA_SCHEMA)


def read_document_list(path: Path, documents_dir: Path) -> pd.DataFrame:
    """The document list with each document's full text; a listed but absent file is an error."""
    documents = read_validated(path, DOCUMENT_SCHEMA)
    problems = [
        Problem(
            display_path(path),
            index + 1 + CSV_HEADER_LINES,
            "document",
            f"{name} not found in {display_path(documents_dir)}",
        )
        for index, name in documents["document"].items()
        if not (documents_dir / name).is_file()
    ]
    if problems:
        raise BuildError(problems)
    documents["text"] = [
        (documents_dir / name).read_text(encoding="utf-8") for name in documents["document"]
    ]
    return documents


def figure_rule_problems(
    figures: pd.DataFrame,
    file: str,
    catalogue: pd.DataFrame,
    document_texts: dict[str, str],
    row_offset: int = CSV_HEADER_LINES,
) -> list[Problem]:
    """Rules across files: unit as in the catalogue, percentages in range, quote in its text.
    row_offset: index + 1 + row_offset is the row a person sees (uploads index by row)."""
    units = catalogue.set_index("indicator_id")["unit"]
    problems = []
    for index, figure in figures.iterrows():
        row = index + 1 + row_offset
        expected_unit = units[figure["indicator_id"]]
        if figure["unit"] != expected_unit:
            problems.append(
                Problem(
                    file,
                    row,
                    "unit",
                    f"{figure['unit']!r} differs from the catalogue unit "
                    f"{expected_unit!r} of {figure['indicator_id']}",
                )
            )
        if figure["unit"] in BOUNDED_UNITS and not 0 <= figure["value"] <= 100:
            problems.append(
                Problem(
                    file, row, "value", f"a percentage must be within 0-100 (got {figure['value']})"
                )
            )
        elif reason := value_problem(figure["value"], figure["unit"]):
            problems.append(Problem(file, row, "value", reason))
        if normalise_whitespace(figure["quote"]) not in document_texts[figure["document"]]:
            problems.append(
                Problem(file, row, "quote", f"not found verbatim in {figure['document']}")
            )
    duplicated = figures.duplicated(
        ["indicator_id", "area", "period", "breakdown", "document", "quote"], keep="first"
    )
    problems += [
        Problem(
            file,
            index + 1 + row_offset,
            "quote",
            "this passage is already recorded for the same indicator, area, period, breakdown",
        )
        for index in figures.index[duplicated]
    ]
    return problems


def read_figures(
    figures_dir: Path, catalogue: pd.DataFrame, areas: pd.DataFrame, documents: pd.DataFrame
) -> pd.DataFrame:
    """All figure files, validated together so ids are unique across files."""
    schema = figure_schema(catalogue["indicator_id"], areas["area"], documents["document"])
    document_texts = {
        name: normalise_whitespace(text)
        for name, text in zip(documents["document"], documents["text"], strict=True)
    }
    frames, problems = [], []
    for path in sorted(figures_dir.glob("*.csv")):
        file = display_path(path)
        raw = read_text_csv(path)
        if list(raw.columns) != list(FIGURE_COLUMNS):
            problems.append(
                Problem(file, 1, None, f"header must be exactly: {','.join(FIGURE_COLUMNS)}")
            )
            continue
        figures, file_problems = schema_problems(raw, schema, file)
        if figures is None:
            problems += file_problems
            continue
        problems += figure_rule_problems(figures, file, catalogue, document_texts)
        frames.append(figures.assign(figure_file=file, figure_row=figures.index + 2))
    if not frames and not problems:
        problems.append(Problem(display_path(figures_dir), None, None, "no figures CSV found"))
    if problems:
        raise BuildError(problems)
    figures = pd.concat(frames, ignore_index=True)
    repeated = figures[figures.duplicated("figure_id", keep="first")]
    if not repeated.empty:
        raise BuildError(
            Problem(
                row.figure_file,
                row.figure_row,
                "figure_id",
                f"{row.figure_id!r} is used more than once",
            )
            for row in repeated.itertuples()
        )
    return figures.drop(columns=["figure_file", "figure_row"])


COUNT_LINKS = ("numerator_id", "denominator_id")


def figures_to_observations(
    figures: pd.DataFrame, documents: pd.DataFrame, catalogue: pd.DataFrame
) -> pd.DataFrame:
    titles = documents.set_index("document")["title"]
    observations = pd.DataFrame(
        {
            "record_id": figures["figure_id"],
            "indicator_id": figures["indicator_id"],
            "area": figures["area"],
            "period": figures["period"],
            "period_type": figures["period_type"],
            "year_end": figures["year_end"].astype("int64"),
            "breakdown": figures["breakdown"],
            "value": figures["value"].astype("float64"),
            "value_symbol": "",
            "unit": figures["unit"],
            "status": figures["status"],
            "source_family": "partnership_report",
            "source": figures["document"],
            "source_ref": figures["quote"].map(normalise_whitespace),
            "release": figures["document"].map(titles),
            "note": figures["note"],
            "numerator": np.nan,
            "denominator": np.nan,
            "rule": "",
            "conflict_id": "",
        }
    )
    return add_intervals(with_stated_counts(observations, catalogue)).astype(OBSERVATION_COLUMNS)


def with_stated_counts(observations: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """A report percentage takes as numerator and denominator the figures of its catalogue's
    count indicators for the same area, period and breakdown, when the documents state each one
    once, exactly (not 'around' or 'over'); the note names the figures used. The value stays
    as the document gives it (no rule: nothing is computed but its interval)."""
    key = ["area", "period", "breakdown"]
    exact = observations[observations["status"].isin(EXACT_REPORT_STATUSES)]
    counts = {}
    for link in COUNT_LINKS:
        rows = exact[exact["indicator_id"].isin(set(catalogue[link]) - {""})]
        single = rows.groupby(["indicator_id", *key])["value"].transform("nunique") == 1
        counts[link] = rows[single].drop_duplicates(["indicator_id", *key])
    out = observations.copy()
    links = catalogue[catalogue["numerator_id"] != ""].set_index("indicator_id")
    for indicator_id, link in links.iterrows():
        wanted = (out["indicator_id"] == indicator_id) & out["status"].isin(EXACT_REPORT_STATUSES)
        for row in out[wanted].itertuples():
            parts = []
            for field in COUNT_LINKS:
                rows = counts[field]
                found = rows[
                    (rows["indicator_id"] == link[field])
                    & (rows["area"] == row.area)
                    & (rows["period"] == row.period)
                    & (rows["breakdown"] == row.breakdown)
                ]
                parts.append(found.iloc[0] if len(found) else None)
            if any(part is None for part in parts):
                continue
            numerator, denominator = parts
            out.loc[row.Index, ["numerator", "denominator"]] = [
                numerator["value"],
                denominator["value"],
            ]
            stated = (
                f"Counts behind it, as the documents state them: {numerator['value']:,.0f} "
                f"({numerator['record_id']}) of {denominator['value']:,.0f} "
                f"({denominator['record_id']})."
            )
            out.loc[row.Index, "note"] = " ".join(part for part in (row.note, stated) if part)
    return out


def link_conflicts(observations: pd.DataFrame) -> pd.DataFrame:
    """Rows that give different values for the same key share a conflict_id; none is dropped."""
    keyed = observations[observations["value"].notna()]
    distinct_values = keyed.groupby(OBSERVATION_KEY)["value"].transform("nunique")
    in_conflict = distinct_values[distinct_values > 1].index
    conflict_ids = keyed.loc[in_conflict, OBSERVATION_KEY].apply(
        lambda key: "conflict:" + "|".join(str(part) for part in key), axis=1
    )
    linked = observations.copy()
    linked.loc[conflict_ids.index, "conflict_id"] = conflict_ids
    return linked

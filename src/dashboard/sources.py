"""Where the figures come from: document and release summaries, a coverage grid, and text search."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from dashboard.config import AXIS_LABEL_SIZE, AXIS_TITLE_SIZE, LEGEND_SIZE, THEME_LABELS
from dashboard.paths import PROJECT_ROOT, RAW_OFFICIAL_DIR

# How the raw folder is named on screen: relative to the project, as in the README.
RAW_OFFICIAL_LABEL = "data/raw/official"
REPORT_FAMILY = "partnership_report"
OFFICIAL_FAMILY = "official_statistics"

HAS_VALUE = "Figure published"
SUPPRESSED = "Suppressed or not available"
MISSING = "No figure"
COVERAGE_STATES: tuple[str, ...] = (HAS_VALUE, SUPPRESSED, MISSING)
# Dark / amber / pale: the three states differ in lightness, so they read in greyscale too.
COVERAGE_COLOURS: tuple[str, ...] = ("#2f5d7c", "#e8a33d", "#ececec")

# The publisher of each official folder. Short and declared here (SOURCE.md prose varies too
# much to parse a publisher from); tests check each name appears in that folder's SOURCE.md.
OFFICIAL_PUBLISHERS: dict[str, str] = {
    "dfe_cin": "Department for Education",
    "dfe_cla": "Department for Education",
    "dfe_workforce": "Department for Education",
    "lait": "Department for Education",
    "population": "Office for National Statistics",
    "statistical_neighbours": "Department for Education",
    "ofsted": "Ofsted",
}


# --- documents and releases -------------------------------------------------------------


def figures_per_source(observations: pd.DataFrame) -> pd.Series:
    """How many values each source file gives; a computed value counts for each of its inputs."""
    sources = observations["source"].fillna("").str.split("; ").explode()
    return sources[sources != ""].value_counts()


def document_summary(documents: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """One row per partnership document: title, period, what it contributes, figures drawn."""
    reports = observations[observations["source_family"] == REPORT_FAMILY]
    per_document = documents["document"]
    figures = per_document.map(figures_per_source(reports))
    indicators = per_document.map(reports.groupby("source")["indicator_id"].nunique())
    return pd.DataFrame(
        {
            "Document": documents["title"].to_numpy(),
            "Period": documents["period"].to_numpy(),
            "Publisher": documents["publisher"].to_numpy(),
            "What it contributes": documents["contributes"].to_numpy(),
            "Figures drawn": figures.fillna(0).astype("int64").to_numpy(),
            "Indicators": indicators.fillna(0).astype("int64").to_numpy(),
            "File": per_document.to_numpy(),
        }
    )


@dataclass(frozen=True)
class FileProvenance:
    """What a folder's SOURCE.md says about one raw file."""

    section: str
    licence: str
    taken_from: str


_SECTION = re.compile(r"^#{2,3} +(.+)$", re.MULTILINE)
_LICENCE = re.compile(r"\*\*Licence:\*\*\s*(.+?)(?:\s\(|\.\s|\.$|;|$)")
# The GitHub repository (`owner/name`, no file extension) named after "Taken from"/"Where found".
_TAKEN_FROM = re.compile(r"\*\*(?:Taken from|Where found):\*\*[^*]*?`([\w.-]+/[\w-]+)`")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def parse_source_md(text: str, file_names: list[str]) -> dict[str, FileProvenance]:
    """For each file, the first SOURCE.md section that names it, with its licence and origin.

    A section is a `##`/`###` heading and the text up to the next one. A section that states no
    licence inherits the nearest earlier one that does.
    """
    starts = [(m.start(), _squash(m.group(1))) for m in _SECTION.finditer(text)]
    ends = [start for start, _ in starts[1:]] + [len(text)] if starts else []
    found: dict[str, FileProvenance] = {}
    licence = ""
    for (start, heading), end in zip(starts, ends, strict=True):
        flat = _squash(text[start:end])
        licence_match = _LICENCE.search(flat)
        licence = licence_match.group(1).strip() if licence_match else licence
        origin_match = _TAKEN_FROM.search(flat)
        origin = origin_match.group(1) if origin_match else ""
        for name in file_names:
            if name not in found and name in flat:
                found[name] = FileProvenance(heading.replace("`", ""), licence, origin)
    return found


def read_provenance(raw_dir: Path = RAW_OFFICIAL_DIR) -> pd.DataFrame:
    """Folder, file, licence and origin of every raw official CSV, read from the SOURCE.md files."""
    rows = []
    for source_md in sorted(raw_dir.glob("*/SOURCE.md")):
        folder = source_md.parent.name
        names = sorted(path.name for path in source_md.parent.glob("*.csv"))
        parsed = parse_source_md(source_md.read_text(encoding="utf-8"), names)
        for name in names:
            provenance = parsed.get(name, FileProvenance("", "", ""))
            rows.append(
                {
                    "folder": folder,
                    "file": name,
                    "licence": provenance.licence,
                    "taken_from": provenance.taken_from,
                    "documented_in": f"{RAW_OFFICIAL_LABEL}/{folder}/SOURCE.md",
                }
            )
    return pd.DataFrame(
        rows, columns=["folder", "file", "licence", "taken_from", "documented_in"], dtype="string"
    )


def release_summary(observations: pd.DataFrame, provenance: pd.DataFrame) -> pd.DataFrame:
    """One row per official release the dashboard draws on: publisher, files, licence, values."""
    official = observations[observations["source_family"] == OFFICIAL_FAMILY]
    pairs = (
        official.assign(
            release=official["release"].str.split("; "), source=official["source"].str.split("; ")
        )
        .explode("release")
        .explode("source")
    )
    # A joined (computed) row lists several releases and files; keep only matching pairs by
    # checking the file belongs to a release that names it in some single-source row.
    single = official[~official["source"].str.contains("; ", regex=False)]
    known_pairs = single[["release", "source"]].drop_duplicates()
    pairs = pairs.merge(known_pairs, on=["release", "source"])
    pairs = pairs.assign(
        folder=pairs["source"].str.split("/").str[0], file=pairs["source"].str.split("/").str[-1]
    )
    licence_of = {(r.folder, r.file): r.licence for r in provenance.itertuples(index=False)}
    rows = []
    for release, group in pairs.groupby("release", sort=True):
        folders = sorted(group["folder"].unique())
        files = group[["folder", "file"]].drop_duplicates().sort_values("file")
        licences = {licence_of.get(key, "") for key in files.itertuples(index=False, name=None)}
        publishers = dict.fromkeys(OFFICIAL_PUBLISHERS.get(f, "see SOURCE.md") for f in folders)
        rows.append(
            {
                "Release": release,
                "Publisher": "; ".join(publishers),
                "Files": ", ".join(files["file"]),
                "Values drawn": int(group["record_id"].nunique()),
                "Licence": "; ".join(sorted(licences - {""})) or "see SOURCE.md",
                "Documented in": ", ".join(f"{RAW_OFFICIAL_LABEL}/{f}/SOURCE.md" for f in folders),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["Release", "Publisher", "Files", "Values drawn", "Licence", "Documented in"],
    )


def files_not_drawn(observations: pd.DataFrame, provenance: pd.DataFrame) -> pd.DataFrame:
    """Raw official files no value is read from directly (checks, lookups, denominators)."""
    used = set(figures_per_source(observations).index)
    paths = provenance["folder"] + "/" + provenance["file"]
    unused = provenance[~paths.isin(used)]
    publishers = [OFFICIAL_PUBLISHERS.get(folder, "see SOURCE.md") for folder in unused["folder"]]
    return pd.DataFrame(
        {
            "File": unused["file"].to_numpy(),
            "Publisher": publishers,
            "Licence": unused["licence"].to_numpy(),
            "Documented in": unused["documented_in"].to_numpy(),
        }
    )


# --- coverage ---------------------------------------------------------------------------


FAMILY_SHORT: dict[str, str] = {REPORT_FAMILY: "report", OFFICIAL_FAMILY: "DfE/ONS"}


def indicator_labels(indicators: pd.DataFrame) -> dict[str, str]:
    """A unique row label per indicator: report and official indicators often share a name."""
    labels = {
        row.indicator_id: f"{row.name} ({FAMILY_SHORT.get(row.source_family, row.source_family)})"
        for row in indicators.itertuples(index=False)
    }
    counts = pd.Series(list(labels.values())).value_counts()
    return {
        key: f"{label[:-1]}, {key})" if counts[label] > 1 else label
        for key, label in labels.items()
    }


def coverage_grid(
    observations: pd.DataFrame,
    indicators: pd.DataFrame,
    area: str,
    theme: str | None = None,
) -> pd.DataFrame:
    """Indicator x year for one area: a figure, a suppressed/unavailable cell, or nothing.

    Every breakdown counts (some indicators are published only by category). Years run from the
    first to the last year of any shown indicator, so a missing year is a visible gap. Only
    indicators with at least one row for the area are listed.
    """
    catalogue = indicators if theme is None else indicators[indicators["theme"] == theme]
    rows = observations[
        (observations["area"] == area)
        & observations["indicator_id"].isin(catalogue["indicator_id"])
    ]
    columns = ["indicator_id", "indicator", "theme", "year_end", "status", "values", "periods"]
    if rows.empty:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    suppressed = rows["value"].isna()
    per_cell = (
        rows.assign(_has=~suppressed, _sup=suppressed)
        .groupby(["indicator_id", "year_end"])
        .agg(
            has=("_has", "any"),
            sup=("_sup", "any"),
            values=("_has", "sum"),
            periods=("period", lambda p: ", ".join(sorted(dict.fromkeys(p)))),
        )
        .reset_index()
    )
    years = range(int(rows["year_end"].min()), int(rows["year_end"].max()) + 1)
    shown = catalogue[catalogue["indicator_id"].isin(rows["indicator_id"])]
    full = pd.MultiIndex.from_product(
        [shown["indicator_id"], years], names=["indicator_id", "year_end"]
    ).to_frame(index=False)
    grid = full.merge(per_cell, on=["indicator_id", "year_end"], how="left")
    grid["status"] = MISSING
    grid.loc[grid["sup"].eq(True), "status"] = SUPPRESSED
    grid.loc[grid["has"].eq(True), "status"] = HAS_VALUE
    grid["values"] = grid["values"].fillna(0).astype("int64")
    grid["periods"] = grid["periods"].fillna("")
    names = shown.set_index("indicator_id")
    grid["indicator"] = grid["indicator_id"].map(indicator_labels(shown))
    grid["theme"] = grid["indicator_id"].map(names["theme"])
    grid["year_end"] = grid["year_end"].astype("int64")
    return grid[columns]


def coverage_counts(grid: pd.DataFrame) -> dict[str, int]:
    """Cells in each state, for a one-line summary above the grid."""
    counts = grid["status"].value_counts()
    return {state: int(counts.get(state, 0)) for state in COVERAGE_STATES}


def build_coverage_chart(grid: pd.DataFrame, row_px: int = 24) -> alt.Chart:
    """Heatmap: one rect per indicator and year, coloured by whether a figure exists."""
    # Rows grouped by theme in the dashboard's theme order, then by name.
    theme_rank = {theme: rank for rank, theme in enumerate(THEME_LABELS)}
    rows = grid[["theme", "indicator"]].drop_duplicates("indicator")
    rows = rows.assign(rank=rows["theme"].map(lambda t: theme_rank.get(t, len(theme_rank))))
    order = rows.sort_values(["rank", "indicator"])["indicator"].tolist()
    years = sorted(grid["year_end"].unique().tolist())
    return (
        alt.Chart(grid)
        .mark_rect(stroke="white", strokeWidth=1.5)
        .encode(
            x=alt.X(
                "year_end:O",
                title="Year ending",
                sort=years,
                axis=alt.Axis(
                    labelAngle=0,
                    orient="top",
                    labelFontSize=AXIS_LABEL_SIZE,
                    labelColor="#1f1f1f",
                ),
            ),
            y=alt.Y(
                "indicator:N",
                title=None,
                sort=order,
                axis=alt.Axis(
                    labelLimit=520,
                    labelFontSize=AXIS_LABEL_SIZE,
                    labelColor="#1f1f1f",
                    labelOverlap=False,
                ),
            ),
            color=alt.Color(
                "status:N",
                title="Cell shows",
                scale=alt.Scale(domain=list(COVERAGE_STATES), range=list(COVERAGE_COLOURS)),
                legend=alt.Legend(
                    orient="top",
                    labelFontSize=LEGEND_SIZE,
                    titleFontSize=LEGEND_SIZE,
                    labelLimit=400,
                    symbolSize=300,
                    symbolType="square",
                ),
            ),
            tooltip=[
                alt.Tooltip("indicator:N", title="Indicator"),
                alt.Tooltip("year_end:O", title="Year ending"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("values:Q", title="Figures"),
                alt.Tooltip("periods:N", title="Periods"),
            ],
        )
        # Plot height from the row count, and width-only fitting: Streamlit's default fits the
        # whole chart (legend and axes too) into the height, squashing rows until labels overlap.
        .properties(
            height=max(len(order), 1) * row_px,
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        )
        .configure_axis(titleFontSize=AXIS_TITLE_SIZE)
        .configure_view(stroke=None)
    )


# --- search -----------------------------------------------------------------------------

SEARCH_COLUMNS = ["document", "title", "position", "before", "match", "after"]
MIN_QUERY_LENGTH = 3


def normalise_space(text: str) -> str:
    """Documents wrap lines mid-sentence: search and show them as running text."""
    return re.sub(r"\s+", " ", text).strip()


def search_documents(
    documents: pd.DataFrame, query: str, context: int = 160, limit: int | None = None
) -> pd.DataFrame:
    """Case-insensitive literal matches of `query` in each document, with text either side.

    The query is matched as typed (no wildcards or regular expressions), with its spaces
    matching any run of whitespace in the document.
    """
    query = normalise_space(query)
    if len(query) < MIN_QUERY_LENGTH:
        return pd.DataFrame(columns=SEARCH_COLUMNS)
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    rows = []
    for document in documents.itertuples(index=False):
        text = normalise_space(str(document.text))
        for match in pattern.finditer(text):
            start, end = match.span()
            before = text[max(0, start - context) : start]
            after = text[end : end + context]
            rows.append(
                {
                    "document": document.document,
                    "title": document.title,
                    "position": start,
                    "before": ("…" if start > context else "") + before,
                    "match": match.group(0),
                    "after": after + ("…" if end + context < len(text) else ""),
                }
            )
            if limit is not None and len(rows) >= limit:
                return pd.DataFrame(rows, columns=SEARCH_COLUMNS)
    return pd.DataFrame(rows, columns=SEARCH_COLUMNS)


def passage_text(hit: Mapping[str, str]) -> str:
    """One hit as plain text, the match set off by » « so it stands out without any markup."""
    return f"{hit['before']}»{hit['match']}«{hit['after']}"


def reading_guide(path: Path = PROJECT_ROOT / "docs" / "reading_intervals.md") -> str:
    """The plain-English guide to intervals, tests and funnels (also linked from the README)."""
    return path.read_text(encoding="utf-8")

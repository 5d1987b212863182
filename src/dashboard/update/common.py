"""What every kind of upload shares: the data directory, the change plan, staging a build."""

import csv
import io
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from dashboard.build.pipeline import BuildInputs, build_tables
from dashboard.build.validation import Problem
from dashboard.paths import DATA_DIR

REJECTED_COLUMNS = ["File", "Row", "Field", "Value", "Reason"]


@dataclass(frozen=True)
class DataDirs:
    """One copy of data/: sources, documents, official files, built tables and update history."""

    root: Path = DATA_DIR

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def figures(self) -> Path:
        return self.sources / "figures"

    @property
    def documents(self) -> Path:
        return self.root / "documents"

    @property
    def raw_official(self) -> Path:
        return self.root / "raw" / "official"

    @property
    def raw_national(self) -> Path:
        return self.root / "raw" / "national"

    @property
    def history(self) -> Path:
        return self.root / "history"

    def inputs(self) -> BuildInputs:
        return BuildInputs(self.sources, self.documents, self.raw_official, self.raw_national)


LIVE_DATA = DataDirs()


@dataclass
class ChangePlan:
    """What applying an upload would do; `ready` only when nothing is refused and something
    changes. file_writes holds the complete new bytes of each changed file under data/, computed
    from the data of version `data_version` (apply.data_version): the apply refuses the plan
    unless the data is still that version."""

    upload_name: str
    kind: str = ""  # "figures" or "dfe"
    new: pd.DataFrame = field(default_factory=pd.DataFrame)
    revised: pd.DataFrame = field(default_factory=pd.DataFrame)
    conflicts: pd.DataFrame = field(default_factory=pd.DataFrame)
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECTED_COLUMNS))
    file_writes: dict[str, bytes] = field(default_factory=dict)
    data_version: str = ""

    @property
    def ready(self) -> bool:
        return self.rejected.empty and bool(self.file_writes)

    @property
    def messages(self) -> list[str]:
        """Each refusal as one line: file, row N, field F: reason (got value)."""
        lines = []
        for rec in self.rejected.to_dict("records"):
            problem = Problem(rec["File"], rec["Row"], rec["Field"] or None, rec["Reason"])
            lines.append(str(problem))
        return lines

    def summary(self) -> str:
        return f"{len(self.new)} new value(s), {len(self.revised)} revised"


def rejections(problems: list[Problem], values: Mapping[tuple[int, str], str]) -> pd.DataFrame:
    """Problems as the table the page shows, with the refused cell's value beside each."""
    return pd.DataFrame(
        [
            {
                "File": p.file,
                "Row": p.row,
                "Field": p.field or "",
                "Value": values.get((p.row, p.field or ""), ""),
                "Reason": p.reason,
            }
            for p in problems
        ],
        columns=REJECTED_COLUMNS,
    ).astype({"Row": "Int64"})


def refused(name: str, problems: list[Problem], values: Mapping | None = None) -> ChangePlan:
    return ChangePlan(name, rejected=rejections(problems, values or {}))


def staged(problem: Problem) -> Problem:
    """A build problem in the staged copy, said so: the upload is refused as a whole."""
    return Problem(
        problem.file, problem.row, problem.field, f"the full build refused it: {problem.reason}"
    )


def csv_bytes(rows: list[list[str]], newline: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def appended(path: Path, header: list[str], rows: list[list[str]]) -> bytes:
    """A source CSV with rows added at the end, in the file's own line ending; new files get a
    header. Existing bytes are kept exactly, so the change is a plain append."""
    if not path.exists():
        return csv_bytes([header, *rows], "\n")
    old = path.read_bytes()
    newline = "\r\n" if b"\r\n" in old.split(b"\n", 1)[0] + b"\n" else "\n"
    if old and not old.endswith(b"\n"):
        old += newline.encode()
    return old + csv_bytes(rows, newline)


def staged_build(dirs: DataDirs, writes: Mapping[str, bytes]) -> dict[str, pd.DataFrame]:
    """Build from a temporary copy of the sources with the writes applied; dirs is untouched."""
    with tempfile.TemporaryDirectory(prefix="dashboard-update-") as temporary:
        staging = DataDirs(Path(temporary))
        shutil.copytree(dirs.sources, staging.sources)
        shutil.copytree(dirs.documents, staging.documents)
        shutil.copytree(dirs.raw_official, staging.raw_official)
        for relative, content in writes.items():
            target = staging.root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        # Uploads never change the national files, so the staged build reads them where they are.
        return build_tables(replace(staging.inputs(), raw_national_dir=dirs.raw_national))


SHOWN_COLUMNS = {
    "indicator_id": "Indicator",
    "area": "Area",
    "period": "Period",
    "breakdown": "Breakdown",
    "value": "Value",
    "value_symbol": "Symbol",
    "unit": "Unit",
    "source": "Source",
}


def shown(observations: pd.DataFrame) -> pd.DataFrame:
    """Built rows as the preview lists them."""
    return observations[list(SHOWN_COLUMNS)].rename(columns=SHOWN_COLUMNS).reset_index(drop=True)


def conflicts_of(built: pd.DataFrame, ids: set[str]) -> pd.DataFrame:
    """Rows that will disagree with an uploaded one: the app shows both, marked as disputed."""
    touched = built.loc[built["record_id"].isin(ids) & built["conflict_id"].ne(""), "conflict_id"]
    rows = built[built["conflict_id"].isin(set(touched))]
    return shown(rows.assign(source=rows["source"] + " (" + rows["record_id"] + ")"))

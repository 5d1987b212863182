"""An upload -> a ChangePlan: what would be added or revised, what disagrees, what is refused.

The file's columns decide what it is: the figures template, a DfE Explore Education
Statistics table, or the board's meeting dates (date, title). Nothing is written to the data
directory here (see apply.py). The data is read under the shared lock, so never half way
through a change, and the plan records the version it was checked against.
"""

from collections.abc import Mapping

from dashboard.build.validation import FIGURE_COLUMNS, Problem
from dashboard.transaction import DataBusyError, reading
from dashboard.update import dfe
from dashboard.update.apply import data_version
from dashboard.update.common import LIVE_DATA, ChangePlan, DataDirs, refused
from dashboard.update.figures import plan_figures
from dashboard.update.meetings import is_meetings_header, plan_meetings
from dashboard.update.parse import Sheet, UploadError, read_upload

FIX_COLUMNS = "use the template's columns (download it above, or `--template` on the command line)"


def plan_update(
    name: str,
    content: bytes,
    dirs: DataDirs = LIVE_DATA,
    document_texts: Mapping[str, bytes] | None = None,
) -> ChangePlan:
    """Read, validate and diff an upload; never raises for bad input, never writes to dirs."""
    try:
        upload = read_upload(name, content)
    except UploadError as error:
        return refused(name, [error.problem])
    header = upload.figures.header
    try:
        with reading(dirs.root):
            version = data_version(dirs)
            if set(header) == set(FIGURE_COLUMNS) and len(header) == len(FIGURE_COLUMNS):
                plan = plan_figures(upload, dirs, document_texts or {})
            elif dfe.is_ees_header(header):
                plan = dfe.plan_release(upload, dirs)
            elif is_meetings_header(header):
                plan = plan_meetings(upload, dirs)
            else:
                return refused(name, [column_problem(upload.figures, name)])
    except DataBusyError as error:
        return refused(name, [Problem(name, None, None, str(error))])
    plan.data_version = version
    return plan


def column_problem(sheet: Sheet, name: str) -> Problem:
    missing = [column for column in FIGURE_COLUMNS if column not in sheet.header]
    unexpected = [column for column in sheet.header if column not in FIGURE_COLUMNS]
    parts = []
    if missing:
        parts.append(f"missing column(s) {', '.join(missing)}")
    if unexpected:
        parts.append(f"unexpected column(s) {', '.join(c or '(blank)' for c in unexpected)}")
    if not parts:
        parts.append("a column is repeated")
    return Problem(
        name,
        1,
        None,
        f"wrong columns: {'; '.join(parts)}. This is not the figures template, a DfE "
        f"Explore Education Statistics table or a meetings file (date, title); {FIX_COLUMNS}",
    )

"""Data update: add next year's figures or a new DfE release, check, preview, confirm, roll back."""

import logging

import streamlit as st

from dashboard.admin import admin_password, session_key
from dashboard.build.validation import BuildError
from dashboard.components import csv_download
from dashboard.data import forget_loaded_data
from dashboard.formatting import escape_markdown
from dashboard.frame import ensure_app_frame
from dashboard.problems import MAX_LISTED, total_problems
from dashboard.update import access
from dashboard.update.access import (
    audit,
    audit_path,
    file_digest,
    locked_out_message,
    password_matches,
    plan_outcome,
    switched_off_reason,
)
from dashboard.update.apply import (
    CHANGED,
    UpdateError,
    apply_plan,
    history_table,
    read_history,
    rollback,
)
from dashboard.update.common import ChangePlan, DataDirs
from dashboard.update.parse import LIMITS, MAX_BYTES
from dashboard.update.plan import plan_update
from dashboard.update.template import build_csv_template, build_template

LOG = logging.getLogger(__name__)
ensure_app_frame()

st.title("Data update")
password = admin_password()
off = switched_off_reason(password)
if off:
    st.info(off, icon=":material/lock:")
    st.stop()
dirs = DataDirs()
audit_file = audit_path(dirs.history)


def record(event: str, outcome: str, file_name: str = "", sha256: str = "") -> None:
    """One line in the audit log for every sign-in attempt, check, update and rollback."""
    audit(audit_file, event, outcome, session=session_key(), file_name=file_name, sha256=sha256)


# Buttons act through callbacks: they run once per click, before the page script.
def sign_in(configured: str) -> None:
    """Check the password unless this session or the server is locked out after wrong ones;
    a lockout is a message, never a sleep (that would hold a server thread)."""
    gate, session = access.SIGN_IN_GATE, session_key()
    wait = gate.wait_seconds(session)
    if wait:
        record("sign-in", f"refused: locked out for {wait} s")
        st.session_state["update_login_failed"] = locked_out_message(wait)
        return
    signed_in = password_matches(st.session_state.get("update_password", ""), configured)
    gate.record(session, signed_in)
    record("sign-in", "signed in" if signed_in else "refused: wrong password")
    st.session_state["update_signed_in"] = signed_in
    if not signed_in:
        wait = gate.wait_seconds(session)
        st.session_state["update_login_failed"] = (
            locked_out_message(wait) if wait else "That password is not right."
        )


def check_upload(dirs: DataDirs) -> None:
    """Validate and diff the upload (a full staged build, a few seconds); nothing is written."""
    upload = st.session_state.get("update_file")
    if upload is not None:
        content = upload.getvalue()
        texts = {text.name: text.getvalue() for text in st.session_state.get("update_texts") or []}
        plan = plan_update(upload.name, content, dirs, texts)
        st.session_state["update_plan"] = plan
        # The digest, not a second copy of the file, is kept for the audit line of the apply.
        st.session_state["update_plan_sha256"] = file_digest(content)
        record("check", plan_outcome(plan), upload.name, file_digest(content))
        for name, text in texts.items():
            record("check document", f"uploaded with {upload.name}", name, file_digest(text))


def confirm(plan: ChangePlan, dirs: DataDirs) -> None:
    digest = st.session_state.get("update_plan_sha256", "")
    try:
        version = apply_plan(plan, dirs)
    except UpdateError as error:  # refused (data changed, another update running) or undone
        record("apply", f"refused or failed, nothing changed: {error}", plan.upload_name, digest)
        st.session_state["update_failed"] = f"Nothing was changed: {error}."
        if str(error) == CHANGED:  # the preview is out of date: it must be checked again
            st.session_state.pop("update_plan", None)
        return
    except (BuildError, OSError, ValueError) as error:
        # The detail (exception text, temporary paths) goes to the log, plain words to the page.
        LOG.warning("update of %s failed and was undone", plan.upload_name, exc_info=error)
        record("apply", f"failed and undone: {type(error).__name__}", plan.upload_name, digest)
        st.session_state["update_failed"] = (
            "The update failed and was undone: nothing has changed. Check the file again; if "
            "this happens again, the server's log says why."
        )
        return
    record(
        "apply", f"applied: {plan.summary()}; before kept as {version}", plan.upload_name, digest
    )
    forget_loaded_data()
    st.session_state.pop("update_plan", None)
    st.session_state["update_done"] = (
        f"Updated: {plan.summary()}. The data as it was before is kept as version {version}; "
        "roll back to it below to undo this."
    )


def undo(dirs: DataDirs) -> None:
    chosen = st.session_state["update_rollback_version"]
    try:
        kept = rollback(chosen, dirs)
    except UpdateError as error:
        record("rollback", f"refused {chosen}: {error}")
        st.session_state["update_failed"] = str(error)
        return
    record("rollback", f"rolled back to {chosen}; before kept as {kept}")
    forget_loaded_data()
    st.session_state["update_done"] = (
        f"Rolled back to {chosen}. The data before the rollback is kept as {kept}."
    )


if not st.session_state.get("update_signed_in"):
    st.text_input("Admin password", type="password", key="update_password", width=420)
    st.button("Sign in", type="primary", key="update_sign_in", on_click=sign_in, args=(password,))
    refused = st.session_state.pop("update_login_failed", "")
    if refused:
        st.error(refused)
    st.stop()

done = st.session_state.pop("update_done", None)
if done:
    st.success(done, icon=":material/check_circle:")
failed = st.session_state.pop("update_failed", None)
if failed:
    st.error(escape_markdown(failed))

st.markdown(
    "Add figures from a new annual report, correct a figure, or add DfE's next children-in-need "
    "release. Nothing changes until you confirm, and every change can be undone below."
)
st.subheader("1. Fill in the template", anchor=False)
st.markdown(
    "One row per figure: the indicator, area, period, value, the report it is from and the "
    "sentence that states it, copied word for word. The sheet *allowed values* lists the "
    "indicators, areas, units and statuses; *how to* explains each column. A DfE Explore "
    "Education Statistics CSV (tables b1, c1, c3, c4, d3, d5) is uploaded as downloaded. The "
    "board's meeting dates (what *Since the last meeting* compares with) are a CSV with two "
    "columns, `date` (YYYY-MM-DD) and `title`: new dates are added, a known date takes the new "
    "title."
)
MAX_UPLOAD_MB = MAX_BYTES // 2**20  # the same limit the server and the parser enforce
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
template_downloads = (  # label, builder, file name, mime type, icon
    (
        "Download the Excel template",
        build_template,
        "figures_template.xlsx",
        XLSX,
        ":material/download:",
    ),
    ("Download as CSV", build_csv_template, "figures_template.csv", "text/csv", None),
)
for column, (label, builder, file_name, mime, icon) in zip(
    st.columns(len(template_downloads)), template_downloads, strict=True
):
    column.download_button(
        label,
        data=lambda builder=builder: builder(dirs),
        file_name=file_name,
        mime=mime,
        icon=icon,
        key=f"update_template_{file_name.rsplit('.', 1)[1]}",
    )

st.subheader("2. Upload and check", anchor=False)
upload = st.file_uploader(
    "Filled-in template (.xlsx or .csv), a DfE CSV, or meeting dates (.csv)",
    max_upload_size=MAX_UPLOAD_MB,
    help=f"Up to {MAX_UPLOAD_MB} MB and {LIMITS.rows:,} rows; a figures file holds at most "
    f"{LIMITS.figure_rows:,} figures (a year's reports hold a few dozen).",
    key="update_file",
)
st.file_uploader(
    "Text of a new report (.txt), if it is on the template's documents sheet",
    accept_multiple_files=True,
    max_upload_size=MAX_UPLOAD_MB,
    key="update_texts",
)
st.button(
    "Check the file",
    type="primary",
    disabled=upload is None,
    key="update_check",
    on_click=check_upload,
    args=(dirs,),
)

plan = st.session_state.get("update_plan")
if plan is not None and upload is not None and plan.upload_name == upload.name:
    st.subheader("3. Check what changes", anchor=False)
    if not plan.rejected.empty:
        found = total_problems(plan.rejected["Reason"])
        listed = "" if found == len(plan.rejected) else f" (the first {MAX_LISTED} listed)"
        st.error(
            f"{found:,} problem(s) found{listed}, so nothing has been changed. Fix each row "
            "listed below in your file and upload it again.",
            icon=":material/block:",
        )
        st.dataframe(plan.rejected, hide_index=True, width="stretch", key="update_rejected")
        csv_download(
            plan.rejected,
            "Download the problems (CSV)",
            file_name="upload_problems.csv",
            key="update_rejected_csv",
        )
    elif not plan.ready:
        st.info("This file changes nothing.")
    else:
        counts = st.columns(3)
        counts[0].metric("New values", len(plan.new))
        counts[1].metric("Revised values", len(plan.revised))
        counts[2].metric("Disagreeing with a source", len(plan.conflicts))
        if not plan.new.empty:
            st.markdown("**New values**")
            st.dataframe(plan.new, hide_index=True, width="stretch", key="update_new")
        if not plan.revised.empty:
            st.markdown("**Revised values: old and new side by side**")
            st.dataframe(plan.revised, hide_index=True, width="stretch", key="update_revised")
        if not plan.conflicts.empty:
            st.markdown(
                "**Values that will disagree** (both are kept and shown, marked as disputed)"
            )
            st.dataframe(plan.conflicts, hide_index=True, width="stretch", key="update_conflicts")
        st.button(
            "Confirm and update the data",
            type="primary",
            key="update_confirm",
            on_click=confirm,
            args=(plan, dirs),
        )

st.subheader("History", anchor=False)
changes = read_history(dirs)
if not changes:
    st.caption("No updates yet.")
else:
    st.dataframe(history_table(changes), hide_index=True, width="stretch", key="update_history")
    versions = [change.version for change in changes]
    st.selectbox(
        "Version to return to (the data as it was before that change)",
        versions,
        key="update_rollback_version",
    )
    st.button("Roll back to this version", key="update_rollback", on_click=undo, args=(dirs,))

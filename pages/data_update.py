"""Data update: add next year's figures or a new DfE release, check, preview, confirm, roll back."""

import streamlit as st

from dashboard.admin import admin_password
from dashboard.build.validation import BuildError
from dashboard.formatting import escape_markdown
from dashboard.frame import ensure_app_frame
from dashboard.update.access import SWITCHED_OFF, password_matches
from dashboard.update.apply import UpdateError, apply_plan, history_table, read_history, rollback
from dashboard.update.common import ChangePlan, DataDirs
from dashboard.update.plan import plan_update
from dashboard.update.template import build_csv_template, build_template

ensure_app_frame()

st.title("Data update")
password = admin_password()
if not password:
    st.info(SWITCHED_OFF, icon=":material/lock:")
    st.stop()


# Buttons act through callbacks: they run once per click, before the page script.
def sign_in(configured: str) -> None:
    entered = st.session_state.get("update_password", "")
    st.session_state["update_signed_in"] = password_matches(entered, configured)
    st.session_state["update_login_failed"] = not st.session_state["update_signed_in"]


def check_upload(dirs: DataDirs) -> None:
    """Validate and diff the upload (a full staged build, a few seconds); nothing is written."""
    upload = st.session_state.get("update_file")
    if upload is not None:
        texts = {text.name: text.getvalue() for text in st.session_state.get("update_texts") or []}
        st.session_state["update_plan"] = plan_update(upload.name, upload.getvalue(), dirs, texts)


def confirm(plan: ChangePlan, dirs: DataDirs) -> None:
    try:
        version = apply_plan(plan, dirs)
    except (BuildError, OSError, ValueError) as error:
        st.session_state["update_failed"] = f"The update failed and was undone: {error}"
        return
    st.cache_data.clear()
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
        st.session_state["update_failed"] = str(error)
        return
    st.cache_data.clear()
    st.session_state["update_done"] = (
        f"Rolled back to {chosen}. The data before the rollback is kept as {kept}."
    )


if not st.session_state.get("update_signed_in"):
    st.text_input("Admin password", type="password", key="update_password", width=420)
    st.button("Sign in", type="primary", key="update_sign_in", on_click=sign_in, args=(password,))
    if st.session_state.pop("update_login_failed", False):
        st.error("That password is not right.")
    st.stop()

dirs = DataDirs()
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
    max_upload_size=50,
    key="update_file",
)
st.file_uploader(
    "Text of a new report (.txt), if it is on the template's documents sheet",
    accept_multiple_files=True,
    max_upload_size=50,
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
        st.error(
            f"{len(plan.rejected)} problem(s) found, so nothing has been changed. Fix each row "
            "listed below in your file and upload it again.",
            icon=":material/block:",
        )
        st.dataframe(plan.rejected, hide_index=True, width="stretch", key="update_rejected")
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

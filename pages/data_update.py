"""Data update: add next year's figures or a new DfE release, check, preview, confirm, roll back."""

import streamlit as st

from dashboard.formatting import escape_markdown
from dashboard.frame import ensure_app_frame
from dashboard.update.access import SWITCHED_OFF, admin_password, password_matches
from dashboard.update.apply import UpdateError, apply_plan, history_table, read_history, rollback
from dashboard.update.common import DataDirs
from dashboard.update.plan import plan_update
from dashboard.update.template import build_csv_template, build_template

ensure_app_frame()

st.title("Data update")
password = admin_password()
if not password:
    st.info(SWITCHED_OFF, icon=":material/lock:")
    st.stop()

if not st.session_state.get("update_signed_in"):
    with st.form("update_login"):
        entered = st.text_input("Admin password", type="password", key="update_password")
        signed_in = st.form_submit_button("Sign in")
    if signed_in and password_matches(entered, password):
        st.session_state["update_signed_in"] = True
        st.rerun()
    if signed_in:
        st.error("That password is not right.")
    st.stop()

dirs = DataDirs()
done = st.session_state.pop("update_done", None)
if done:
    st.success(done, icon=":material/check_circle:")

st.markdown(
    "Add figures from a new annual report, correct a figure, or add DfE's next children-in-need "
    "release. Nothing changes until you confirm, and every change can be undone below."
)
st.subheader("1. Fill in the template", anchor=False)
st.markdown(
    "One row per figure: the indicator, area, period, value, the report it is from and the "
    "sentence that states it, copied word for word. The sheet *allowed values* lists the "
    "indicators, areas, units and statuses; *how to* explains each column. A DfE Explore "
    "Education Statistics CSV (tables b1, c1, c3, c4, d3, d5) is uploaded as downloaded."
)
left, right = st.columns(2)
with left:
    st.download_button(
        "Download the Excel template",
        data=lambda: build_template(dirs),
        file_name="figures_template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="update_template_xlsx",
    )
with right:
    st.download_button(
        "Download as CSV",
        data=lambda: build_csv_template(dirs),
        file_name="figures_template.csv",
        mime="text/csv",
        key="update_template_csv",
    )

st.subheader("2. Upload and check", anchor=False)
upload = st.file_uploader(
    "Filled-in template (.xlsx or .csv), or a DfE CSV (at most 50 MB)",
    key="update_file",
)
texts = st.file_uploader(
    "Text of a new report (.txt), if it is on the template's documents sheet",
    accept_multiple_files=True,
    key="update_texts",
)
if st.button("Check the file", type="primary", disabled=upload is None, key="update_check"):
    with st.spinner("Checking every row and building the data with it..."):
        st.session_state["update_plan"] = plan_update(
            upload.name, upload.getvalue(), dirs, {t.name: t.getvalue() for t in texts or []}
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
        if st.button("Confirm and update the data", type="primary", key="update_confirm"):
            with st.spinner("Saving the previous version and rebuilding..."):
                version = apply_plan(plan, dirs)
            st.cache_data.clear()
            del st.session_state["update_plan"]
            st.session_state["update_done"] = (
                f"Updated: {plan.summary()}. The data as it was before is kept as version "
                f"{version}; roll back to it below to undo this."
            )
            st.rerun()

st.subheader("History", anchor=False)
changes = read_history(dirs)
if not changes:
    st.caption("No updates yet.")
else:
    st.dataframe(history_table(changes), hide_index=True, width="stretch", key="update_history")
    versions = [change.version for change in changes]
    chosen = st.selectbox(
        "Version to return to (the data as it was before that change)",
        versions,
        key="update_rollback_version",
    )
    if st.button("Roll back to this version", key="update_rollback"):
        try:
            kept = rollback(chosen, dirs)
        except UpdateError as error:
            st.error(escape_markdown(str(error)))
        else:
            st.cache_data.clear()
            st.session_state["update_done"] = (
                f"Rolled back to {chosen}. The data before the rollback is kept as {kept}."
            )
            st.rerun()

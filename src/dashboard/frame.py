"""Run every page inside app.py's frame, even when a deep link is a fresh server's first hit."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_app_frame() -> None:
    """Switch Streamlit out of its legacy pages/ mode, then rerun through app.py's navigation.

    Streamlit 1.67 treats an app beside a `pages/` folder as an old-style multipage app until
    st.navigation has run once in the server process; until then a shared link such as
    /indicator?indicator=cla_rate runs the page file bare: no layout, menu or footer. The rerun
    keeps the URL, so the reader lands on the page they were sent to, framed.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()

"""The admin password from Streamlit secrets: the page side of update.access.

The update package stays Streamlit-free (it runs from the command line too); only the app reads
`st.secrets`, here.
"""

import os

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from dashboard.update.access import PASSWORD_ENV, PASSWORD_SECRET


def admin_password() -> str:
    """The configured password ("" = updates off): Streamlit secrets first, then the env var."""
    try:
        secret = st.secrets.get(PASSWORD_SECRET, "")
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        secret = ""
    return str(secret or os.environ.get(PASSWORD_ENV, ""))

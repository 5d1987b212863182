"""The admin side of the app: the password from Streamlit secrets, and who is asking.

The update package stays Streamlit-free (it runs from the command line too); only the app reads
`st.secrets` and the session state, here.
"""

import os
import uuid

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from dashboard.update.access import PASSWORD_ENV, PASSWORD_SECRET, switched_off_reason


def admin_password() -> str:
    """The configured password ("" = updates off): Streamlit secrets first, then the env var."""
    try:
        secret = st.secrets.get(PASSWORD_SECRET, "")
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        secret = ""
    return str(secret or os.environ.get(PASSWORD_ENV, ""))


def updates_off_reason() -> str:
    """Why data updates are off on this server ("" = on): no password, or a blank one."""
    return switched_off_reason(admin_password())


def session_key() -> str:
    """A random id for this browser session: the sign-in throttle counts per session, and the
    audit log tells sessions apart without recording who anyone is."""
    return st.session_state.setdefault("update_session", uuid.uuid4().hex[:12])

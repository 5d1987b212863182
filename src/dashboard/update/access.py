"""Whether data updates are switched on, and the admin password check (constant time).

Reading the configured password needs Streamlit's secrets, so that lives in dashboard.admin.
"""

import hmac

PASSWORD_ENV = "DASHBOARD_ADMIN_PASSWORD"
PASSWORD_SECRET = "admin_password"
SWITCHED_OFF = (
    "Data updates are switched off on this server: no admin password is configured. To switch "
    f"them on, set `{PASSWORD_SECRET}` in `.streamlit/secrets.toml` or the environment variable "
    f"`{PASSWORD_ENV}`, then restart the app."
)


def password_matches(entered: str, configured: str) -> bool:
    """Compare in constant time, so response time does not reveal how much of a guess is right."""
    if not configured:
        return False
    return hmac.compare_digest(entered.encode("utf-8"), configured.encode("utf-8"))

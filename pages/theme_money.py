"""Theme: Money. The sections are declared in dashboard.themes."""

from dashboard.frame import ensure_app_frame
from dashboard.theme_page import render_theme_page

ensure_app_frame()

render_theme_page("money")

"""Theme: Online safety. The sections are declared in dashboard.themes."""

from dashboard.theme_page import render_theme_page

render_theme_page("online_safety")

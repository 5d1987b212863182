"""Theme: Child protection. The sections are declared in dashboard.themes."""

from dashboard.theme_page import render_theme_page

render_theme_page("child_protection")

"""Theme: Domestic abuse and education. The sections are declared in dashboard.themes."""

from dashboard.theme_page import render_theme_page

render_theme_page("domestic_abuse_education")

"""Theme: Reviews and learning. The sections are declared in dashboard.themes."""

from dashboard.theme_page import render_theme_page

render_theme_page("reviews_learning")

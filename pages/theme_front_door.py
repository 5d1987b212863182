"""Theme: the front door (contacts, referrals, assessments); sections in dashboard.themes."""

from dashboard.theme_page import render_theme_page

render_theme_page("front_door")

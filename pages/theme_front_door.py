"""Theme: the front door (contacts, referrals, assessments); sections in dashboard.themes."""

from dashboard.frame import ensure_app_frame
from dashboard.theme_page import render_theme_page

ensure_app_frame()

render_theme_page("front_door")

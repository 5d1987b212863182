"""The frame: page config, navigation over pages/, and the footer every page shares."""

import streamlit as st

from dashboard.admin import updates_off_reason
from dashboard.frame import favicon, menu_pages
from dashboard.memory import freeze_long_lived_objects
from dashboard.navigation import is_presenting
from dashboard.page_styles import FOCUS_CSS, PARTS_CSS, PRINT_CSS, SCREEN_CSS

st.set_page_config(
    page_title="Leicestershire & Rutland Safeguarding Dashboard",
    # A local file: a material-icon favicon would be fetched from the internet.
    page_icon=favicon(),
    layout="wide",
)

# Pages are declared once in dashboard.navigation (adding one is a line there); sections keep
# their first-seen order.
page = st.navigation(menu_pages(updates_on=not updates_off_reason()))
st.html(PRINT_CSS + SCREEN_CSS + FOCUS_CSS + PARTS_CSS)
page.run()

# A slide fills the projector's screen: nothing under it.
if not is_presenting(page.url_path, st.query_params.to_dict()):
    st.divider()
    # One caption, two paragraphs: spaced as two captions are, one element fewer to send.
    st.caption(
        "**Sources.** Figures come from two families, always labelled: the published annual reports"
        " and plans of the Leicestershire and Rutland safeguarding board/partnership (each figure "
        "with the passage that states it), and official statistics from the Department for "
        "Education (Children in need, Children looked after, Children's social work workforce, "
        "Local Authority Interactive Tool) and the Office for National Statistics (mid-year "
        "population estimates). DfE and ONS data: contains public sector information licensed "
        "under the [Open Government Licence v3.0]"
        "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).\n\n"
        "**Accessibility.** Every chart has a text description for screen readers, the table behind"
        " it one switch away, and a CSV download. Area colours are chosen to be distinguishable "
        "with colour-blindness, benchmarks (England, East Midlands, statistical neighbours) are "
        "grey dashed lines, and changes are described in words (better/worse) as well as by colour."
        " What still fails, and how to report a problem: the [accessibility statement (opens in a "
        "new tab)](accessibility)."
    )
freeze_long_lived_objects()

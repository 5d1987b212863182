"""The app's pages in one list: app.py builds st.navigation from it; browser tests visit each."""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page: its file in pages/, its title, its menu section and its URL path."""

    file: str
    title: str
    section: str
    icon: str
    admin: bool = False  # hidden from the menu unless an admin password is configured

    @property
    def url_path(self) -> str:
        return self.file.removeprefix("pages/").removesuffix(".py")


# Adding a page is one line here plus its file in pages/.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", "Dashboard", ":material/dashboard:"),
    PageSpec("pages/compare.py", "Compare", "Dashboard", ":material/stacked_line_chart:"),
    PageSpec("pages/indicator.py", "Indicator", "Dashboard", ":material/query_stats:"),
    PageSpec("pages/theme_front_door.py", "Front door", "Themes", ":material/door_front:"),
    PageSpec("pages/theme_child_protection.py", "Child protection", "Themes", ":material/shield:"),
    PageSpec("pages/theme_children_in_care.py", "Children in care", "Themes", ":material/home:"),
    PageSpec("pages/theme_exploitation.py", "Exploitation", "Themes", ":material/report:"),
    PageSpec("pages/theme_online_safety.py", "Online safety", "Themes", ":material/devices:"),
    PageSpec(
        "pages/theme_workforce_training.py", "Workforce and training", "Themes", ":material/school:"
    ),
    PageSpec(
        "pages/theme_reviews_learning.py",
        "Reviews and learning",
        "Themes",
        ":material/rate_review:",
    ),
    PageSpec("pages/theme_money.py", "Money", "Themes", ":material/payments:"),
    PageSpec(
        "pages/theme_domestic_abuse_education.py",
        "Domestic abuse and education",
        "Themes",
        ":material/diversity_3:",
    ),
    PageSpec("pages/since.py", "Since the last meeting", "Present", ":material/event_repeat:"),
    PageSpec("pages/present.py", "Presentation", "Present", ":material/slideshow:"),
    PageSpec("pages/briefing.py", "Briefing pack", "Present", ":material/download:"),
    PageSpec("pages/map.py", "Map", "Reference", ":material/map:"),
    PageSpec("pages/sources.py", "Sources", "Reference", ":material/library_books:"),
    PageSpec("pages/accessibility.py", "Accessibility", "Reference", ":material/accessibility:"),
    PageSpec("pages/data_update.py", "Data update", "Reference", ":material/upload_file:", True),
)

DEFAULT_PAGE = PAGES[0]


PRESENT_PAGE = "present"  # pages/present.py
PRESENT_PARAM = "present"  # its presentation-mode switch in the link (?present=1)


def is_presenting(url_path: str, params: Mapping[str, str]) -> bool:
    """Whether this run shows slides for a projector (the Presentation page with its switch on
    in the link, which the page keeps in step with the switch): the frame then adds no footer."""
    return url_path == PRESENT_PAGE and params.get(PRESENT_PARAM) == "1"

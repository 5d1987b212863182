"""The app's pages in one list: app.py builds st.navigation from it; browser tests visit each."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """One page: its file in pages/, its title, its menu section and its URL path."""

    file: str
    title: str
    section: str
    icon: str

    @property
    def url_path(self) -> str:
        return self.file.removeprefix("pages/").removesuffix(".py")


# Adding a page is one line here plus its file in pages/.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", "Dashboard", ":material/dashboard:"),
    PageSpec("pages/compare.py", "Compare", "Dashboard", ":material/stacked_line_chart:"),
    PageSpec("pages/indicator.py", "Indicator", "Dashboard", ":material/query_stats:"),
)

DEFAULT_PAGE = PAGES[0]

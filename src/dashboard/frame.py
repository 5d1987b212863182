"""app.py's frame: the pages it navigates between, its favicon, and running every page inside
it, even when a deep link is a fresh server's first hit."""

from base64 import b64encode
from copy import copy
from functools import cache

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.navigation import DEFAULT_PAGE, PAGES, PageSpec
from dashboard.paths import PROJECT_ROOT


def ensure_app_frame() -> None:
    """Switch Streamlit out of its legacy pages/ mode, then rerun through app.py's navigation.

    Streamlit 1.67 treats an app beside a `pages/` folder as an old-style multipage app until
    st.navigation has run once in the server process; until then a shared link such as
    /indicator?indicator=cla_rate runs the page file bare: no layout, menu or footer. The rerun
    keeps the URL, so the reader lands on the page they were sent to, framed.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_page_templates: dict[tuple[str, bool], dict[str, list[st.Page]]] = {}


def app_folder() -> str:
    """The running app's folder: pages are made for it (tests run copies from elsewhere)."""
    context = get_script_run_ctx()
    return str(context.pages_manager.main_script_parent) if context else ""


def menu_pages(updates_on: bool) -> dict[str, list[st.Page]]:
    """The pages for st.navigation, by menu section in first-seen order.

    st.Page resolves its file and checks it exists each time it is made: twenty pages cost every
    rerun of every page about a millisecond of file-system calls, each letting the server's
    other thread take the interpreter. So they are made once per process and each run gets
    shallow copies: st.navigation marks the page it picks as runnable on the object itself, so
    two sessions must never share one. Made again for another app folder (main script).
    """
    key = (app_folder(), updates_on)
    templates = _page_templates.get(key)
    if templates is None:
        templates = {}
        for spec in PAGES:
            templates.setdefault(spec.section, []).append(
                st.Page(
                    spec.file,
                    title=spec.title,
                    icon=spec.icon,
                    url_path=spec.url_path,
                    default=spec == DEFAULT_PAGE,
                    # Without a usable password the page still answers its URL, to say updates
                    # are off.
                    visibility="hidden" if spec.admin and not updates_on else "visible",
                )
            )
        _page_templates[key] = templates
    return {section: [copy(page) for page in pages] for section, pages in templates.items()}


def link_target(spec: PageSpec) -> st.Page | str:
    """What st.page_link should be given for a page: the page made for the menu, once there is
    one. Given a file name instead, st.page_link resolves it on the file system on every call
    (the Since page links to its indicators a dozen times a rerun)."""
    root = app_folder()
    for (made_for, _), templates in _page_templates.items():
        if made_for == root:
            for page in (page for pages in templates.values() for page in pages):
                if page.url_path == spec.url_path:
                    return page
    return spec.file


@cache
def favicon() -> str:
    """The favicon as a data URL, read once: given a file path, st.set_page_config reads and
    registers the file again on every rerun."""
    icon = PROJECT_ROOT / "assets" / "favicon.png"
    return "data:image/png;base64," + b64encode(icon.read_bytes()).decode()

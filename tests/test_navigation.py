"""The page registry matches the pages folder, and every page runs inside app.py's frame."""

from dashboard.navigation import PAGES, is_presenting
from dashboard.paths import PROJECT_ROOT


def test_every_page_file_is_registered_once():
    files = sorted(str(path.relative_to(PROJECT_ROOT)) for path in PROJECT_ROOT.glob("pages/*.py"))
    assert sorted(page.file for page in PAGES) == files


def test_every_page_asks_for_the_app_frame_first():
    for page in PAGES:
        source = (PROJECT_ROOT / page.file).read_text(encoding="utf-8")
        assert "\nensure_app_frame()\n" in source, page.file


def test_only_the_presentation_page_with_its_switch_on_is_presenting():
    assert is_presenting("present", {"present": "1", "slide": "2"})
    assert not is_presenting("present", {"present": "0"})
    assert not is_presenting("present", {})
    assert not is_presenting("overview", {"present": "1"})

"""The loaded tables are one object shared by every session (data.shared_table): no page may
change them. Every page runs (some with their tables and options on), then each table must
still equal a fresh read of its file."""

import pandas as pd
import pytest

from dashboard import components, data
from dashboard.navigation import PAGES

from helpers.apptest import open_page

READERS = {
    data.load_events: data.read_events,
    data.load_commentary: data.read_commentary,
    data.load_observations: data.read_observations,
    data.load_indicators: data.read_indicators,
    data.load_areas: data.read_areas,
    data.load_documents: data.read_documents,
}
VISITS = [(page.file, {}) for page in PAGES if not page.admin] + [
    ("pages/indicator.py", {"table": "1", "indicator": "cpp_rate"}),
    ("pages/compare.py", {"measure": "index", "table": "1"}),
    ("pages/theme_front_door.py", {"section": "volumes", "intervals": "1", "events": "1"}),
]


def test_every_shared_table_has_a_reader():
    assert set(READERS) == set(data.SHARED_TABLES)


@pytest.fixture(scope="module")
def after_every_page() -> None:
    for page, query in VISITS:
        at = open_page(page, query)
        assert not at.exception, page


@pytest.mark.parametrize("loader", list(READERS), ids=lambda loader: loader.__name__)
def test_no_page_changes_a_shared_table(after_every_page, loader):
    pd.testing.assert_frame_equal(loader(), READERS[loader]())


def test_every_run_gets_the_same_data_until_it_is_forgotten():
    """load_dashboard_data puts the tables together once per data generation; an update (which
    calls forget_loaded_data) makes the next run read them afresh."""
    first = components.load_dashboard_data()
    assert components.load_dashboard_data() is first
    data.forget_loaded_data()
    fresh = components.load_dashboard_data()
    assert fresh is not first
    assert fresh.observations is data.load_observations()
    assert components.load_dashboard_data() is fresh

"""Pytest fixtures: tiny FIXTURE frames for unit tests (made-up numbers for made-up indicators,
never app data), and the browser and app server for the tests marked `browser`."""

import math
import shutil
from collections.abc import Iterator
from importlib.util import find_spec
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from dashboard.catalogue import Catalogue, build_catalogue
from dashboard.intervals import add_intervals
from dashboard.paths import PROJECT_ROOT
from dashboard.schema import AREA_COLUMNS, INDICATOR_COLUMNS, OBSERVATION_COLUMNS
from dashboard.update import access
from dashboard.update.common import DataDirs

from helpers.browser import launch_chromium, streamlit_server
from helpers.update_fixtures import add_fixture_document, copy_data

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Without Playwright (a plain `pip install -r requirements.txt`), `pytest -m "not browser"` still
# runs: the browser test modules are not even collected.
collect_ignore_glob = [] if find_spec("playwright") else ["test_browser*.py"]

NAN = math.nan


@pytest.fixture(autouse=True)
def fresh_admin_gate(monkeypatch, tmp_path_factory) -> None:
    """Every test starts with no wrong passwords counted on the server, and audits to a
    temporary file (inherited by the app servers tests start): no test writes data/history/."""
    monkeypatch.setattr(access, "SIGN_IN_GATE", access.SignInGate())
    monkeypatch.setenv(access.AUDIT_ENV, str(tmp_path_factory.getbasetemp() / "audit.jsonl"))


# id | name | theme | unit | polarity | family | counterpart
INDICATOR_TABLE = """
fixture_rate | Fixture rate | front_door | rate_per_10k | lower_is_better | official_statistics |
fixture_count | Fixture count | front_door | count | no_judgement | partnership_report | fixture_official_count
fixture_official_count | Fixture count | front_door | count | no_judgement | official_statistics |
fixture_pct | Fixture percentage | online_safety | percent | higher_is_better | partnership_report |
fixture_money | Fixture money | money | gbp | no_judgement | partnership_report |
"""  # noqa: E501

# indicator | area | period | period type | year | breakdown | value | symbol | status | conflict
OBSERVATION_TABLE = """
fixture_rate | leicestershire | 2018/19 | financial_year | 2019 | | 40 | | published |
fixture_rate | leicestershire | 2019/20 | financial_year | 2020 | | 42 | | computed |
fixture_rate | leicestershire | 2021/22 | financial_year | 2022 | | 45 | | published |
fixture_rate | rutland | 2019/20 | financial_year | 2020 | | 30 | | published |
fixture_rate | rutland | 2021/22 | financial_year | 2022 | | | c | suppressed |
fixture_rate | england | 2018/19 | financial_year | 2019 | | 50 | | published |
fixture_rate | england | 2019/20 | financial_year | 2020 | | 51 | | published |
fixture_rate | england | 2020/21 | financial_year | 2021 | | 52 | | published |
fixture_rate | england | 2021/22 | financial_year | 2022 | | 53 | | published |
fixture_count | leicestershire | 2019/20 | financial_year | 2020 | | 100 | | reported |
fixture_count | leicestershire | 2020/21 | financial_year | 2021 | | 120 | | reported | conflict-1
fixture_count | leicestershire | 2020/21 | financial_year | 2021 | | 125 | | reported | conflict-1
fixture_count | leicestershire | 2021/22 | financial_year | 2022 | | 130 | | provisional |
fixture_count | leicestershire | 2021/22 Q1 | quarter | 2022 | | 30 | | reported |
fixture_count | leicestershire | 2022/23 | financial_year | 2023 | | 150 | | target |
fixture_official_count | leicestershire | 2019/20 | financial_year | 2020 | | 98 | | published |
fixture_official_count | leicestershire | 2021/22 | financial_year | 2022 | | 131 | | published |
fixture_pct | leicestershire | 2019/20 | academic_year | 2020 | Year 6 | 20 | | reported |
fixture_pct | leicestershire | 2019/20 | academic_year | 2020 | Year 9 | 35 | | reported |
fixture_pct | rutland | 2019/20 | academic_year | 2020 | Year 6 | 18 | | reported |
fixture_pct | rutland | 2019/20 | academic_year | 2020 | Year 9 | 31 | | reported |
fixture_money | leicestershire_and_rutland | 2019/20 | financial_year | 2020 | Police | 1000 | | reported |
fixture_money | leicestershire_and_rutland | 2019/20 | financial_year | 2020 | Council | 5000 | | reported |
fixture_money | leicestershire_and_rutland | 2020/21 | financial_year | 2021 | Police | 1100 | | reported |
fixture_money | leicestershire_and_rutland | 2020/21 | financial_year | 2021 | Council | 5200 | | reported |
"""  # noqa: E501


def _table(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


INDICATOR_ROWS = _table(INDICATOR_TABLE)
OBSERVATION_ROWS = _table(OBSERVATION_TABLE)

AREA_NAMES = {
    "leicestershire": "Leicestershire",
    "rutland": "Rutland",
    "leicestershire_and_rutland": "Leicestershire and Rutland",
    "england": "England",
}


def _observation(number: int, row: list[str]) -> dict:
    indicator, area, period, period_type, year, breakdown, value, symbol, status, conflict = row
    catalogue_row = next(item for item in INDICATOR_ROWS if item[0] == indicator)
    unit, family = catalogue_row[3], catalogue_row[5]
    report = family == "partnership_report"
    computed = status == "computed"
    return {
        "record_id": f"fixture-{number:03d}",
        "indicator_id": indicator,
        "area": area,
        "period": period,
        "period_type": period_type,
        "year_end": int(year),
        "breakdown": breakdown,
        "value": float(value) if value else NAN,
        "value_symbol": symbol,
        "unit": unit,
        "status": status,
        "source_family": family,
        "source": "fixture_document.txt" if report else "fixture/official.csv",
        "source_ref": f"FIXTURE passage {number} [with *markdown*]" if report else f"row {number}",
        "release": "Fixture report" if report else "Fixture release",
        "note": "",
        "numerator": 84.0 if computed else NAN,
        "denominator": 20000.0 if computed else NAN,
        "rule": "numerator / denominator * 10000" if computed else "",
        "conflict_id": conflict,
    }


@pytest.fixture
def observations() -> pd.DataFrame:
    rows = [_observation(number, row) for number, row in enumerate(OBSERVATION_ROWS)]
    # Limits filled as the build fills them, from the fixture's own counts.
    return add_intervals(pd.DataFrame(rows)).astype(OBSERVATION_COLUMNS)


@pytest.fixture
def indicators() -> pd.DataFrame:
    rows = [
        {
            "indicator_id": ident,
            "name": name,
            "theme": theme,
            "unit": unit,
            "polarity": polarity,
            "definition": f"FIXTURE definition of {name}.",
            "source_family": family,
            "counterpart_id": counterpart,
            "notes": "",
            "rate_denominator": "",
            "numerator_label": "",
            "denominator_label": "",
            "numerator_id": "",
            "denominator_id": "",
        }
        for ident, name, theme, unit, polarity, family, counterpart in INDICATOR_ROWS
    ]
    return pd.DataFrame(rows).astype(INDICATOR_COLUMNS)


@pytest.fixture
def catalogue(indicators: pd.DataFrame) -> Catalogue:
    return build_catalogue(indicators)


@pytest.fixture
def areas() -> pd.DataFrame:
    rows = [
        {column: "" for column in AREA_COLUMNS} | {"area": area, "name": name}
        for area, name in AREA_NAMES.items()
    ]
    return pd.DataFrame(rows).astype(AREA_COLUMNS)


@pytest.fixture
def area_names() -> dict[str, str]:
    return dict(AREA_NAMES)


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    """One headless Chromium for every browser test; launched only when one of them runs."""
    with launch_chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The app on the project's own data, started once per browser test module."""
    with streamlit_server(PROJECT_ROOT) as url:
        yield url


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> DataDirs:
    """One copy of data/ with the fixture document registered, built once per module."""
    dirs = copy_data(tmp_path_factory.mktemp("prepared") / "data")
    add_fixture_document(dirs)
    return dirs


@pytest.fixture
def dirs(prepared, tmp_path) -> DataDirs:
    """A fresh copy of the prepared data for a test that may change it."""
    target = tmp_path / "data"
    shutil.copytree(prepared.root, target)
    return DataDirs(target)

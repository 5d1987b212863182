"""Where the project's data lives; nothing is read at import time but one environment variable.

DASHBOARD_DATA_DIR points the whole app at another copy of data/ (tests of the data update
page run the app on a temporary copy, so the real data is never touched).
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("DASHBOARD_DATA_DIR") or PROJECT_ROOT / "data")
SOURCES_DIR = DATA_DIR / "sources"
FIGURES_DIR = SOURCES_DIR / "figures"
DOCUMENTS_DIR = DATA_DIR / "documents"
RAW_OFFICIAL_DIR = DATA_DIR / "raw" / "official"
RAW_NATIONAL_DIR = DATA_DIR / "raw" / "national"
BOUNDARIES_DIR = DATA_DIR / "raw" / "boundaries"

OBSERVATIONS_PARQUET = DATA_DIR / "observations.parquet"
INDICATORS_PARQUET = DATA_DIR / "indicators.parquet"
AREAS_PARQUET = DATA_DIR / "areas.parquet"
DOCUMENTS_PARQUET = DATA_DIR / "documents.parquet"
NATIONAL_PARQUET = DATA_DIR / "national.parquet"
EVENTS_PARQUET = DATA_DIR / "events.parquet"
COMMENTARY_PARQUET = DATA_DIR / "commentary.parquet"
BUILD_INFO_JSON = DATA_DIR / "build_info.json"
HISTORY_DIR = DATA_DIR / "history"

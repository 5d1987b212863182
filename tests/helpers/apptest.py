"""Open a page of the real app under AppTest and read what it drew, one way for every test."""

import json

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from dashboard.paths import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")


def open_page(
    page: str | None = None, query: dict[str, str] | None = None, timeout_s: float = 60
) -> AppTest:
    """Run the app once (st.navigation registers the pages), then switch to `page` with exactly
    the link parameters `query` and run it; without `page`, the default page opened on `query`."""
    at = AppTest.from_file(APP, default_timeout=timeout_s)
    if page is None:
        at.query_params.update(query or {})
        return at.run()
    at.run()
    at.query_params.clear()
    at.query_params.update(query or {})
    at.switch_page(page)
    return at.run()


def chart_specs(at: AppTest) -> list[dict]:
    """Each chart's Vega-Lite spec with its data, which Streamlit sends apart as Arrow."""
    specs = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        spec["datasets"] = {
            dataset.name: pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
            for dataset in chart.proto.datasets
        }
        specs.append(spec)
    return specs


def warnings(at: AppTest) -> list[str]:
    """Each warning's text as a reader sees it (pages escape Markdown in values from the URL)."""
    return [element.value.replace("\\", "") for element in at.warning]

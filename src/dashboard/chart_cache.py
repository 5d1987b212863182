"""Chart builders, cached: each chart is built and prepared for Streamlit once per process.

The data never changes while the app runs, so a chart drawn for one reader (or one rerun) is
the same object for the next: shared, never changed after it is built. A filter change only
builds the charts it alters. Building is in charts.py; this module turns a chart into what
Streamlit sends (Arrow marshalling is Streamlit's, so it lives here, not in the pure builders)
and remembers it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from dashboard import charts

MAX_CHARTS = 2048  # a few hundred charts in all: the limit only guards against growth


@dataclass(frozen=True)
class PreparedChart:
    """A chart with the Vega-Lite spec Streamlit sends for it, datasets already as Arrow bytes.

    Turning an Altair chart into that spec validates it against the Vega-Lite schema, which
    took most of a page's script time; a prepared chart pays it once, when it is built.
    """

    chart: alt.TopLevelMixin
    spec: dict[str, Any]


def prepare_chart(chart: alt.TopLevelMixin) -> PreparedChart:
    """Validate and marshal a chart once, so drawing it again costs nothing."""
    spec = chart.to_dict()
    spec["datasets"] = {
        name: convert_anything_to_arrow_bytes(pd.DataFrame(rows))
        for name, rows in spec.get("datasets", {}).items()
    }
    return PreparedChart(chart, spec)


def _cached(builder: Callable[..., object]) -> Callable[..., PreparedChart]:
    def prepared(*args: object, **options: object) -> PreparedChart:
        return prepare_chart(builder(*args, **options))

    # Streamlit keys a cache by the function's qualified name: one name per builder.
    prepared.__name__ = prepared.__qualname__ = f"prepared_{builder.__name__}"
    return st.cache_resource(show_spinner=False, max_entries=MAX_CHARTS)(prepared)


trend_chart = _cached(charts.build_trend_chart)
grouped_bars = _cached(charts.build_grouped_bars)
breakdown_chart = _cached(charts.build_breakdown_chart)
category_chart = _cached(charts.build_category_chart)
funnel_chart = _cached(charts.build_funnel_chart)

"""Chart builders, cached: each chart is built and prepared for Streamlit once per process.

The data never changes while the app runs, so a chart drawn for one reader (or one rerun) is
the same object for the next: shared, never changed after it is built. A filter change only
builds the charts it alters. Building is in charts.py; this module only remembers.
"""

from collections.abc import Callable

import streamlit as st

from dashboard import charts
from dashboard.charts import PreparedChart, prepare_chart

MAX_CHARTS = 2048  # a few hundred charts in all: the limit only guards against growth


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

"""Shared FIXTURE helpers for the statistics tests: made-up catalogue entries, and the Wilson
interval written out independently of the app's code (Newcombe 1998)."""

import math

import pandas as pd

from dashboard.catalogue import Indicator

Z95 = 1.959964
Z998 = 3.090232


def fixture_indicator(**fields: str) -> Indicator:
    """A made-up catalogue entry; tests name only the fields they care about."""
    defaults = {
        "id": "fixture",
        "name": "Fixture",
        "theme": "front_door",
        "unit": "percent",
        "polarity": "no_judgement",
        "definition": "FIXTURE definition.",
        "source_family": "official_statistics",
        "counterpart_id": "",
        "notes": "",
    }
    return Indicator(**{**defaults, **fields})


def wilson(numerator: float, denominator: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score limits as proportions of 1."""
    p = numerator / denominator
    centre = p + z * z / (2 * denominator)
    spread = z * math.sqrt(p * (1 - p) / denominator + z * z / (4 * denominator**2))
    scale = 1 + z * z / denominator
    return (centre - spread) / scale, (centre + spread) / scale


def fixture_rows(
    indicator: Indicator,
    before: float,
    after: float,
    counts: tuple[tuple[float, float], tuple[float, float]] | None = None,
    statuses: tuple[str, str] = ("published", "published"),
) -> pd.DataFrame:
    """Two years of one FIXTURE series, with counts behind them when given."""
    counted = counts or ((math.nan, math.nan), (math.nan, math.nan))
    return pd.DataFrame(
        {
            "record_id": ["fixture-2023", "fixture-2025"],
            "indicator_id": "fixture",
            "area": "rutland",
            "period": ["2022/23", "2024/25"],
            "breakdown": "",
            "year_end": [2023, 2025],
            "value": [before, after],
            "value_symbol": "",
            "unit": indicator.unit,
            "status": list(statuses),
            "source_family": indicator.source_family,
            "numerator": [counted[0][0], counted[1][0]],
            "denominator": [counted[0][1], counted[1][1]],
        }
    )

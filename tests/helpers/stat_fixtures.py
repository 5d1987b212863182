"""Shared FIXTURE helpers for the statistics tests: made-up catalogue entries, and the Wilson
interval written out independently of the app's code (Newcombe 1998)."""

import math

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

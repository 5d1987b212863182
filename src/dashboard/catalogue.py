"""Typed access to the indicator catalogue: the one place names, units and polarity come from."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields

import pandas as pd

from dashboard.config import FAMILY_IN_LABEL, FAMILY_LABELS, POLARITY_LABELS, THEME_LABELS
from dashboard.units import lookup_unit


@dataclass(frozen=True)
class Indicator:
    """One row of the catalogue."""

    id: str
    name: str
    theme: str
    unit: str
    polarity: str
    definition: str
    source_family: str
    counterpart_id: str
    notes: str
    rate_denominator: str = ""  # e.g. population_0_17: the count can be shown per 10,000 children
    numerator_label: str = ""  # what the count behind a rate or percentage counts: re-referrals
    denominator_label: str = ""  # what it is out of, e.g. referrals, children aged 0-17

    @property
    def unit_label(self) -> str:
        return lookup_unit(self.unit).label

    @property
    def family_label(self) -> str:
        return FAMILY_LABELS.get(self.source_family, self.source_family)

    @property
    def theme_label(self) -> str:
        return THEME_LABELS.get(self.theme, self.theme.replace("_", " ").capitalize())

    @property
    def polarity_label(self) -> str:
        return POLARITY_LABELS.get(self.polarity, self.polarity)

    @property
    def label(self) -> str:
        """Name plus family: report and DfE indicators often share a name ("Referrals to
        children's social care (partnership report)" / "(official statistics)")."""
        return f"{self.name} ({FAMILY_IN_LABEL.get(self.source_family, self.source_family)})"


class Catalogue:
    """Indicators by id, in catalogue order."""

    def __init__(self, indicators: Iterable[Indicator]) -> None:
        self._by_id = {indicator.id: indicator for indicator in indicators}

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    @property
    def labels(self) -> dict[str, str]:
        """Each indicator's label by id, for pickers that show names and keep ids."""
        return {indicator.id: indicator.label for indicator in self}

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    def themes(self) -> list[str]:
        """Themes that have at least one indicator, in the order of config.THEME_LABELS."""
        present = {indicator.theme for indicator in self}
        known = [theme for theme in THEME_LABELS if theme in present]
        return known + sorted(present - set(known))

    def in_theme_order(self) -> list[Indicator]:
        """Every indicator, theme by theme (for one long picker)."""
        return [indicator for theme in self.themes() for indicator in self.in_theme(theme)]

    def in_theme(self, theme: str) -> list[Indicator]:
        return [indicator for indicator in self if indicator.theme == theme]

    def counterparts(self, indicator_id: str) -> list[Indicator]:
        """Indicators of the other family measuring the same thing, linked in either direction."""
        own = self._by_id[indicator_id]
        linked = {own.counterpart_id} if own.counterpart_id else set()
        linked |= {other.id for other in self if other.counterpart_id == indicator_id}
        return [self._by_id[other] for other in self._by_id if other in linked]

    def restricted_to(self, indicator_ids: Iterable[str]) -> "Catalogue":
        """The same catalogue limited to some ids (e.g. those that have data)."""
        keep = set(indicator_ids)
        return Catalogue(indicator for indicator in self if indicator.id in keep)


def _text(value: object) -> str:
    return "" if pd.isna(value) else str(value)


def build_catalogue(indicators: pd.DataFrame) -> Catalogue:
    """Catalogue from the indicators table (see schema.INDICATOR_COLUMNS)."""
    ordered = indicators.sort_values(["name", "source_family", "indicator_id"], kind="stable")
    columns = {field.name: field.name for field in fields(Indicator)} | {"id": "indicator_id"}
    return Catalogue(
        Indicator(**{name: _text(getattr(row, column)) for name, column in columns.items()})
        for row in ordered.itertuples(index=False)
    )

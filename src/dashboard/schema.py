"""The shape of the built tables: the contract between the data build and the app."""

# Unified long table of every value, from partnership documents and official statistics.
OBSERVATION_COLUMNS: dict[str, str] = {
    "record_id": "string",  # unique per row
    "indicator_id": "string",
    "area": "string",  # id from areas.csv
    "period": "string",  # "2015/16", "2015/16 Q1", "31 March 2016", "2016"
    "period_type": "string",
    "year_end": "int64",  # calendar year in which the period ends; the x axis of trends
    "breakdown": "string",  # "" = headline value
    "value": "float64",  # NaN when not published (see value_symbol)
    "value_symbol": "string",  # "" or DfE symbol: c, x, z, low, k, -
    "unit": "string",
    "status": "string",
    "source_family": "string",  # partnership_report | official_statistics
    "source": "string",  # document file name, or raw CSV path under data/raw/official
    "source_ref": "string",  # verbatim quote, or "row N: ..." of the official file
    "release": "string",  # document title, or official release name
    "note": "string",
    "numerator": "float64",  # for computed rates and percentages
    "denominator": "float64",
    "rule": "string",  # how a computed value was derived; "" when published as is
    "conflict_id": "string",  # shared by rows that state different values for the same key
    # Confidence limits in the value's own unit (percent, per 10,000), from numerator and
    # denominator; NaN where the source gives no counts. ci_method names the method, or "".
    "ci95_lower": "float64",
    "ci95_upper": "float64",
    "ci998_lower": "float64",
    "ci998_upper": "float64",
    "ci_method": "string",
}

OBSERVATION_KEY = ["indicator_id", "area", "period", "breakdown"]

INDICATOR_COLUMNS: dict[str, str] = {
    "indicator_id": "string",
    "name": "string",
    "theme": "string",
    "unit": "string",
    "polarity": "string",
    "definition": "string",
    "source_family": "string",
    "counterpart_id": "string",
    "notes": "string",
    "rate_denominator": "string",  # indicator id whose value makes a count a rate per 10,000
    # What the counts behind a rate or percentage count, in words: "9 of 39 plans started".
    "numerator_label": "string",
    "denominator_label": "string",
    # For a report percentage: the count indicators whose figures for the same area, period and
    # breakdown are its numerator and denominator, where the document states both.
    "numerator_id": "string",
    "denominator_id": "string",
}

AREA_COLUMNS: dict[str, str] = {
    "area": "string",
    "name": "string",
    "kind": "string",
    "role": "string",
    "dfe_la_code": "string",
    "ons_code": "string",
    "colour": "string",  # the rest: how the app draws and lists the area (see areas.py)
    "dash": "string",
    "order": "string",
    "headline": "string",
    "default": "string",
    "map": "string",
    "neighbours_of": "string",
    "notes": "string",
}

DOCUMENT_COLUMNS: dict[str, str] = {
    "document": "string",
    "title": "string",
    "publisher": "string",
    "period": "string",
    "areas": "string",
    "contributes": "string",
    "text": "string",
}

# Dated events that explain a chart's shape (data/sources/events.csv), each with its source.
EVENT_COLUMNS: dict[str, str] = {
    "event_id": "string",
    "date": "string",  # YYYY-MM-DD
    "areas": "string",  # area ids joined by ";" ("england" for a national event)
    "title": "string",
    "kind": "string",  # inspection | structure | policy | national_event | definition_change
    "source_text": "string",  # the source as a reader sees it: document and quote, or file and row
}

# A document's own explanation of an indicator's movement (data/sources/commentary.csv).
COMMENTARY_COLUMNS: dict[str, str] = {
    "commentary_id": "string",
    "indicator_id": "string",
    "area": "string",
    "period": "string",
    "quote": "string",  # verbatim
    "source_text": "string",  # the document's title
    "note": "string",
}

POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
SOURCE_FAMILIES = ("partnership_report", "official_statistics")
THEMES = (
    "front_door",
    "child_protection",
    "children_in_care",
    "exploitation",
    "online_safety",
    "workforce_training",
    "reviews_learning",
    "money",
    "domestic_abuse",
    "education",
    "context",
)
PERIOD_TYPES = (
    "financial_year",
    "quarter",
    "snapshot",
    "calendar_year",
    "academic_year",
    "survey",
    "multi_year",
    "months",  # a span of months shorter than a year: "October 2022-January 2023"
)
DFE_SYMBOLS = ("c", "x", "z", "low", "k", "-", "u")

# Every English authority's official series (data/national.parquet): ranks, funnel plots and the
# statistical neighbours' range. One row per indicator, authority (or England) and year.
NATIONAL_COLUMNS: dict[str, str] = {
    "indicator_id": "string",  # the same ids as observations.parquet
    "year_end": "int64",  # DfE's time_period
    "period": "string",  # labelled as in observations.parquet: "2024/25", "31 March 2025"
    "geographic_level": "string",  # National | Local authority
    "la_code": "string",  # DfE old_la_code, e.g. "855"; "" for England
    "la_name": "string",  # "England" for England
    "area": "string",  # the dashboard's area id where there is one, else ""
    "neighbour_of": "string",  # "leicestershire", "rutland", both joined by ";", or ""
    "value": "float64",  # NaN when not published (see value_symbol)
    "value_symbol": "string",  # "" or DfE symbol
    "numerator": "float64",  # the count behind a rate or percentage
    "denominator": "float64",  # the base: referrals, plans started, children aged 0-17
    "unit": "string",  # rate_per_10k | percent | ratio
    "ci95_lower": "float64",  # limits in the value's unit; NaN without counts
    "ci95_upper": "float64",
    "ci998_lower": "float64",
    "ci998_upper": "float64",
    "ci_method": "string",  # stats.WILSON_METHOD, stats.BYAR_METHOD or ""
    "series_note": "string",  # why an authority's series breaks (boundary change), or ""
    "source": "string",  # file under data/raw/national
    "source_ref": "string",  # "row N: <key cells>; <column>=<raw>", as in observations
}

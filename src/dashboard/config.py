"""Palette, labels and defaults shared by every page; reads nothing at import time."""

from dataclasses import dataclass

# Colours for breakdown categories (partners, school years, outcomes): Paul Tol's "muted"
# scheme, colour-blind safe and deliberately without the Leicestershire blue and Rutland orange.
CATEGORY_COLOURS = (
    "#332288",
    "#88ccee",
    "#44aa99",
    "#117733",
    "#999933",
    "#ddcc77",
    "#cc6677",
    "#882255",
    "#aa4499",
    "#dddddd",
)

# Change since the previous year, judged by the indicator's polarity. Streamlit's metric only
# takes its own named colours, so each polarity maps to a delta_color whose hues (better green
# #1a7f37, worse red #c62828, neutral grey) are set in .streamlit/config.toml; the words "better"
# and "worse" always accompany the colour so it is never the only cue.
POLARITY_DELTA_COLOURS: dict[str, str] = {
    "higher_is_better": "normal",
    "lower_is_better": "inverse",
    "no_judgement": "off",
}
POLARITY_LABELS: dict[str, str] = {
    "higher_is_better": "Higher is better",
    "lower_is_better": "Lower is better",
    "no_judgement": "No judgement (a volume: neither higher nor lower is better in itself)",
}

THEME_LABELS: dict[str, str] = {
    "front_door": "Front door: contacts, referrals and assessments",
    "child_protection": "Child protection",
    "children_in_care": "Children in care",
    "exploitation": "Exploitation and missing children",
    "online_safety": "Online safety",
    "workforce_training": "Workforce and training",
    "reviews_learning": "Reviews and learning",
    "money": "Money",
    "domestic_abuse": "Domestic abuse",
    "education": "Education",
    "context": "Context",
}

FAMILY_LABELS: dict[str, str] = {
    "partnership_report": "Partnership report",
    "official_statistics": "Official statistics (DfE/ONS)",
}
# The same after a name, without brackets inside brackets: "Referrals (official statistics)".
FAMILY_IN_LABEL: dict[str, str] = {
    "partnership_report": "partnership report",
    "official_statistics": "official statistics",
}
# The same, inside a sentence: "369 in the partnership report, 206 in the official statistics".
FAMILY_IN_SENTENCE: dict[str, str] = {
    "partnership_report": "the partnership report",
    "official_statistics": "the official statistics",
}

SYMBOL_LABELS: dict[str, str] = {
    "c": "suppressed by DfE because the number is small",
    "x": "not available",
    "z": "not applicable",
    "low": "rounds to zero",
    "k": "fewer than 0.5",
    "-": "nil or not applicable",
    "u": "low reliability",
}

# The figures that matter most to the board, in the order the overview shows them. Ids missing
# from the built catalogue are skipped with a visible note rather than failing the page.
OVERVIEW_INDICATORS: tuple[str, ...] = (
    "cin_referrals",
    "cin_referral_rate",
    "cin_rereferral_pct",
    "cpp_rate",
    "cpp_subsequent_pct",
    "cla_rate",
    "report_cse_referrals",
)

# Chart text sizes chosen for a projector at the back of a board room.
AXIS_LABEL_SIZE = 15
AXIS_TITLE_SIZE = 16
TITLE_SIZE = 22
SUBTITLE_SIZE = 16
LEGEND_SIZE = 15
CHART_HEIGHT = 360  # the plotting area; titles, axes and legend are added around it


@dataclass(frozen=True)
class JudgementStyle:
    """How a comparison with a benchmark is shown: the word first, then a symbol and a colour."""

    label: str
    symbol: str
    colour: str


# Judged against England (or the chosen benchmark) by whether the 95% interval includes its
# value. Never the area blue and orange: better and worse are Paul Tol's "muted" green and wine,
# a pair that stays apart for every common colour-vision deficiency; higher, lower, similar and
# not tested are neutral greys, since a volume going up is neither good nor bad. Symbols do not
# point up or down for better and worse, because lower is better for many indicators. Every
# colour has at least 4.5:1 contrast on white, so it can colour text as well as marks.
JUDGEMENT_STYLES: dict[str, JudgementStyle] = {
    "better": JudgementStyle("Better", "✓", "#117733"),
    "similar": JudgementStyle("Similar", "●", "#6b6b6b"),
    "worse": JudgementStyle("Worse", "✗", "#882255"),
    "higher": JudgementStyle("Higher", "▲", "#4d4d4d"),
    "lower": JudgementStyle("Lower", "▼", "#4d4d4d"),
    "not_tested": JudgementStyle("Not tested", "–", "#767676"),
}

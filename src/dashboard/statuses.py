"""What a figure's status says about it: one record each, the only place its words, chart mark,
caveat and precision are decided. No Streamlit here."""

from dataclasses import dataclass
from functools import cache

REPORT = "partnership_report"
OFFICIAL = "official_statistics"


@dataclass(frozen=True)
class Status:
    id: str
    label: str  # table cells, tooltips and badges
    family: str  # the source family whose rows may carry it (REPORT or OFFICIAL)
    caveat: bool = False  # flagged beside the figure (a badge, "figures marked ...")
    # Caution order when passages restate one figure: the lowest rank is the row a chart keeps
    # (a profile table's "provisional" outranks the prose restating it). None: no caution.
    rank: int | None = None
    # Why a figure with this status is not exact enough for a 95% interval or a test ("" if it
    # is): a test would pretend a precision the source does not claim.
    not_exact: str = ""
    chart_mark: str = ""  # beside the value on narrow upright bars, explained in the subtitle
    mark_key: str = ""  # that explanation: "* provisional"
    bar_words: str = ""  # beside the value on bars lying down, which have room for words
    qualifier: str = ""  # before the figure in a sentence: "at least 5,000"

    @property
    def exact(self) -> bool:
        return not self.not_exact


STATUSES: dict[str, Status] = {
    record.id: record
    for record in (
        Status("reported", "Reported", REPORT),
        Status(
            "provisional",
            "Provisional",
            REPORT,
            caveat=True,
            rank=0,
            chart_mark="*",
            mark_key="* provisional",
            bar_words=" (provisional)",
            qualifier="(provisional) ",
        ),
        Status(
            "approximate",
            "Approximate ('around')",
            REPORT,
            caveat=True,
            rank=1,
            not_exact="the figure is approximate",
            chart_mark="~",
            mark_key="~ approximate",
            bar_words=" (approx.)",
            qualifier="about ",
        ),
        Status(
            "lower_bound",
            "At least ('over')",
            REPORT,
            caveat=True,
            rank=2,
            not_exact="the figure is a lower bound ('over')",
            chart_mark="+",
            mark_key="+ at least",
            bar_words=" (at least)",
            qualifier="at least ",
        ),
        Status(
            "stated_in_words",
            "Stated in words",
            REPORT,
            caveat=True,
            rank=3,
            not_exact="the figure is stated in words",
        ),
        Status(
            "target",
            "Target (planned, not an outcome)",
            REPORT,
            caveat=True,
            not_exact="the figure is a target",
        ),
        Status("published", "Published", OFFICIAL),
        Status("computed", "Computed from published figures", OFFICIAL),
        Status("suppressed", "Suppressed", OFFICIAL, not_exact="the figure is suppressed"),
    )
}

REPORT_STATUSES: tuple[str, ...] = tuple(
    s for s, record in STATUSES.items() if record.family == REPORT
)
OFFICIAL_STATUSES: tuple[str, ...] = tuple(
    s for s, record in STATUSES.items() if record.family == OFFICIAL
)
CAVEAT_STATUSES: tuple[str, ...] = tuple(s for s, record in STATUSES.items() if record.caveat)
# Report figures exact enough to be the counts behind a percentage's interval.
EXACT_REPORT_STATUSES: tuple[str, ...] = tuple(s for s in REPORT_STATUSES if STATUSES[s].exact)


@cache
def lookup_status(status_id: str) -> Status:
    """The record for a status; an unknown one is shown as written, with no caveat claimed."""
    return STATUSES.get(status_id) or Status(
        status_id, status_id.replace("_", " ").capitalize(), ""
    )


def caution_rank(status_id: str) -> int:
    """Lower ranks win when passages restate one figure; statuses with no caution come last."""
    rank = lookup_status(status_id).rank
    return len(STATUSES) if rank is None else rank

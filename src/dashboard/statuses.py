"""What a figure's status says about it: one record each, the only place its words, chart mark,
caveat and precision are decided. No Streamlit here."""

from dataclasses import dataclass
from functools import cache

REPORT = "partnership_report"
OFFICIAL = "official_statistics"


@dataclass(frozen=True)
class Caveat:
    """How a caveat is written beside a figure, so a projector audience sees it without a
    tooltip: narrow upright bars get a mark explained in the subtitle, bars lying down have room
    for words, and a sentence puts a qualifier before the figure."""

    mark: str  # "*"
    key: str  # the subtitle's explanation of the mark: "* provisional"
    bar_words: str  # " (provisional)"
    qualifier: str  # "(provisional) 5,000", "at least 5,000"


NO_CAVEAT = Caveat("", "", "", "")


@dataclass(frozen=True)
class Status:
    id: str
    label: str  # table cells, tooltips and badges
    family: str  # the source family whose rows may carry it (REPORT or OFFICIAL)
    caveat: bool = False  # flagged beside the figure (a badge, "figures marked ...")
    # Caution order when passages restate one figure: the lowest rank is the row a chart keeps
    # (a profile table's "provisional" outranks the prose restating it). None: no caution.
    rank: int | None = None
    # What the figure is, if not exact enough for a 95% interval or a test ("approximate"): a
    # test would pretend a precision the source does not claim. "" for an exact figure.
    inexact: str = ""
    written: Caveat = NO_CAVEAT

    @property
    def exact(self) -> bool:
        return not self.inexact

    @property
    def why_inexact(self) -> str:
        return f"the figure is {self.inexact}" if self.inexact else ""


# Caveats written beside a figure.
PROVISIONAL = Caveat("*", "* provisional", " (provisional)", "(provisional) ")
APPROXIMATE = Caveat("~", "~ approximate", " (approx.)", "about ")
OVER = Caveat("+", "+ at least", " (at least)", "at least ")
BELOW = Caveat("<", "< below", " (below)", "below ")

STATUSES: dict[str, Status] = {
    record.id: record
    for record in (
        # id, label, family, caveat, caution rank, what an inexact figure is, how it is written
        Status("reported", "Reported", REPORT),
        Status("provisional", "Provisional", REPORT, True, 0, written=PROVISIONAL),
        Status(
            "approximate", "Approximate ('around')", REPORT, True, 1, "approximate", APPROXIMATE
        ),
        Status("lower_bound", "At least ('over')", REPORT, True, 2, "a lower bound ('over')", OVER),
        Status(
            "upper_bound", "Below ('below', 'less than')", REPORT, True, 2, "an upper bound", BELOW
        ),
        Status("stated_in_words", "Stated in words", REPORT, True, 3, "stated in words"),
        Status("target", "Target (planned, not an outcome)", REPORT, True, None, "a target"),
        Status("published", "Published", OFFICIAL),
        Status("computed", "Calculated by the dashboard from published figures", OFFICIAL),
        Status(
            "suppressed",
            "Suppressed by DfE because the number is small",
            OFFICIAL,
            inexact="suppressed",
        ),
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

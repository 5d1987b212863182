"""One reason a file cannot be used, located precisely enough to fix it: the build, the data
update and the meetings file all say file, row, field and reason the same way. No Streamlit."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be built, located precisely enough to fix it."""

    file: str
    row: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field}")
        return f"{', '.join(where)}: {self.reason}"


# A person fixes a file from the first problems; past these, only how many more of each kind.
MAX_LISTED = 200
MORE_PREFIX = "and "
KINDS_NAMED = 10


def reason_kind(reason: str) -> str:
    """A reason without the refused value, so 'cannot be read as a number (got 'x')' and
    '... (got 'y')' count as one kind."""
    return re.sub(r"\s*\(got .*\)$", "", reason, flags=re.DOTALL)[:200]


class ProblemList:
    """Problems collected while rows stream past: the first MAX_LISTED kept in full, later ones
    only counted by field and reason, so a file of a million bad rows costs a few kilobytes."""

    def __init__(self, limit: int = MAX_LISTED) -> None:
        self.limit = limit
        self.listed: list[Problem] = []
        self.more: Counter[tuple[str, str]] = Counter()
        self._seen: set[Problem] = set()

    def add(self, problem: Problem) -> None:
        if problem in self._seen:  # the same cell reported twice says nothing new
            return
        if len(self.listed) < self.limit:
            self.listed.append(problem)
            self._seen.add(problem)
        else:
            self.more[(problem.field or "", reason_kind(problem.reason))] += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __len__(self) -> int:
        return len(self.listed) + self.more.total()

    def __bool__(self) -> bool:
        return bool(self.listed)

    @property
    def full(self) -> bool:
        return len(self.listed) >= self.limit

    def problems(self, file: str) -> list[Problem]:
        """The listed problems, then one line counting the rest by field and reason."""
        if not self.more:
            return list(self.listed)
        return [*self.listed, Problem(file, None, None, more_reason(self.more))]


def more_reason(more: Counter[tuple[str, str]]) -> str:
    kinds = [
        f"{count:,} x {f'field {field}: ' if field else ''}{reason}"
        for (field, reason), count in more.most_common(KINDS_NAMED)
    ]
    if len(more) > KINDS_NAMED:
        rest = sum(count for _, count in more.most_common()[KINDS_NAMED:])
        kinds.append(f"{rest:,} of {len(more) - KINDS_NAMED:,} other kinds")
    total = more.total()
    return (
        f"{MORE_PREFIX}{total:,} more problem{'s' if total != 1 else ''} of the same kinds, "
        f"not listed one by one: {'; '.join(kinds)}"
    )


def total_problems(reasons: Iterable[str]) -> int:
    """How many problems a list of reasons stands for, counting a 'and N more' line as N."""
    total = 0
    for reason in reasons:
        match = re.match(rf"^{MORE_PREFIX}([\d,]+) more problem", reason)
        total += int(match.group(1).replace(",", "")) if match else 1
    return total

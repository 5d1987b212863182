"""One reason a file cannot be used, located precisely enough to fix it: the build, the data
update and the meetings file all say file, row, field and reason the same way. No Streamlit."""

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

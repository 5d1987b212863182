"""The words the dashboard uses, explained once: data/sources/glossary.csv, reviewed like the
catalogue. Pages show an entry where its term appears (a tooltip, or "Words used here") and the
whole list on the Sources page. No Streamlit here."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dashboard.paths import SOURCES_DIR
from dashboard.problems import Problem

GLOSSARY_CSV = SOURCES_DIR / "glossary.csv"
GLOSSARY_COLUMNS = ["term", "also_written", "definition"]
MAX_DEFINITION = 400  # characters: a tooltip, not an essay


class GlossaryError(ValueError):
    """glossary.csv breaks its rules; each problem names the file, row, field and reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Entry:
    term: str
    also_written: tuple[str, ...]
    definition: str

    @property
    def tooltip(self) -> str:
        return f"{self.term}: {self.definition}"

    def found_in(self, text: str) -> bool:
        """Whether the term, or one of its other spellings, appears in `text` as whole words."""
        return any(
            re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", text, flags=re.IGNORECASE)
            for spelling in (self.term, *self.also_written)
            if len(spelling) > 2 or spelling.isupper()
        )


def read_glossary(path: Path = GLOSSARY_CSV) -> tuple[Entry, ...]:
    """Every entry, in the file's order; any broken row stops it, all problems named."""
    problems: list[Problem] = []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != GLOSSARY_COLUMNS:
            found = ", ".join(reader.fieldnames or []) or "nothing"
            reason = f"the columns must be {', '.join(GLOSSARY_COLUMNS)}; found {found}"
            raise GlossaryError([Problem(path.name, 1, None, reason)])
        for row, record in enumerate(reader, 2):
            if None in record:
                problems.append(Problem(path.name, row, None, "has more cells than columns"))
                continue
            term = (record["term"] or "").strip()
            definition = (record["definition"] or "").strip()
            also = tuple(s.strip() for s in (record["also_written"] or "").split(";") if s.strip())
            for field, text in (("term", term), ("definition", definition)):
                if not text:
                    problems.append(Problem(path.name, row, field, "is empty"))
                elif "\n" in text or "<" in text:
                    problems.append(
                        Problem(path.name, row, field, "must be one line of plain text")
                    )
            if len(definition) > MAX_DEFINITION:
                reason = f"is {len(definition)} characters; at most {MAX_DEFINITION}"
                problems.append(Problem(path.name, row, "definition", reason))
            if term.lower() in seen:
                reason = f"{term!r} is already defined in row {seen[term.lower()]}"
                problems.append(Problem(path.name, row, "term", reason))
            seen.setdefault(term.lower(), row)
            entries.append(Entry(term, also, definition))
    if problems:
        raise GlossaryError(problems)
    return tuple(entries)


def entries_in(glossary: Iterable[Entry], *texts: str) -> list[Entry]:
    """The entries whose terms appear in any of `texts`, in glossary order."""
    joined = " ".join(texts)
    return [entry for entry in glossary if entry.found_in(joined)]


def lookup(glossary: Iterable[Entry], term: str) -> Entry | None:
    wanted = term.lower()
    return next((entry for entry in glossary if entry.term.lower() == wanted), None)

"""Filters as URL query parameters: validate what a link asks for, and encode the current view.

Parsing is pure (a mapping in, values and problems out) so it is tested without Streamlit;
components.py moves the values between st.query_params and widget state.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

LIST_SEPARATOR = ","
# Bounds on what a link can ask for: no real view needs more, and a crafted link must cost the
# server and the reader no more than a normal one (one grouped note, never one per item).
MAX_VALUE_CHARS = 2000  # one parameter's value
MAX_LIST_ITEMS = 100  # items of a list parameter (indicators, areas)
NAMED_UNKNOWN = 3  # unknown items named in the note; the rest are counted
INTERVALS_PARAM = "intervals"  # the 95%-interval switch, on every page that has one


@dataclass(frozen=True)
class ParamProblem:
    """A query parameter that could not be used, and what is shown instead."""

    param: str
    value: str
    reason: str
    fallback: str
    quoted: bool = False  # `value` already names its items in quotes

    def message(self) -> str:
        value = self.value if self.quoted else repr(self.value)
        return (
            f"The link asked for {self.param}={value}, which {self.reason}; "
            f"showing {self.fallback} instead."
        )


def read_choice(
    params: Mapping[str, str],
    name: str,
    allowed: Sequence[str],
    default: str,
    *,
    describe: str = "",
) -> tuple[str, ParamProblem | None]:
    """One value from a fixed list; anything else falls back to the default, with a problem."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default, None
    if raw in allowed:
        return raw, None
    reason = f"is not a known {describe or name}"
    return default, ParamProblem(name, raw, reason, repr(default))


def read_many(
    params: Mapping[str, str],
    name: str,
    allowed: Sequence[str],
    default: Sequence[str],
    *,
    describe: str = "",
) -> tuple[list[str], list[ParamProblem]]:
    """A comma-separated list; unknown items are dropped and named in one note (the first few,
    then how many more); past MAX_LIST_ITEMS the rest are ignored; none left -> default."""
    raw = params.get(name)
    if raw is None or raw == "":
        return list(default), []
    items = [item.strip() for item in raw.split(LIST_SEPARATOR) if item.strip()]
    problems = []
    if len(items) > MAX_LIST_ITEMS:
        reason = f"lists {len(items):,} items; only the first {MAX_LIST_ITEMS} are read"
        problems.append(ParamProblem(name, abridged(raw), reason, "those"))
        items = items[:MAX_LIST_ITEMS]
    good = [item for item in dict.fromkeys(items) if item in allowed]
    fallback = LIST_SEPARATOR.join(good or default) or "nothing"
    unknown = list(dict.fromkeys(item for item in items if item not in allowed))
    if unknown:
        kind = describe or name
        named = ", ".join(repr(item[:40]) for item in unknown[:NAMED_UNKNOWN])
        more = len(unknown) - NAMED_UNKNOWN
        value = named + (f" and {more:,} more" if more > 0 else "")
        reason = f"is not a known {kind}"
        if len(unknown) > 1:
            reason = f"are unknown ({len(unknown):,} items that are not a known {kind})"
        problems.append(ParamProblem(name, value, reason, repr(fallback), quoted=True))
    return (good or list(default)), problems


def abridged(raw: str, keep: int = 40) -> str:
    """A long value cut for a message: its start and its length."""
    return raw if len(raw) <= keep else f"{raw[:keep]}... ({len(raw):,} characters)"


def read_year(
    params: Mapping[str, str], name: str, years: Sequence[int], default: int
) -> tuple[int, ParamProblem | None]:
    """A year that must be one of `years` (the years that have data)."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default, None
    try:
        year = int(raw)
    except ValueError:
        return default, ParamProblem(name, raw, "is not a year", str(default))
    if year not in years:
        span = f"{min(years)} to {max(years)}" if years else "none"
        reason = f"has no data (years available: {span})"
        return default, ParamProblem(name, raw, reason, str(default))
    return year, None


FLAG_VALUES = {"1": True, "0": False}


def read_flag(
    params: Mapping[str, str], name: str, default: bool
) -> tuple[bool, ParamProblem | None]:
    """A switch written as 1 (on) or 0 (off); anything else falls back to the default."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default, None
    if raw in FLAG_VALUES:
        return FLAG_VALUES[raw], None
    fallback = "on" if default else "off"
    return default, ParamProblem(name, raw, "is not 1 (on) or 0 (off)", fallback)


def read_date(
    params: Mapping[str, str], name: str, latest: date, default: date
) -> tuple[date, ParamProblem | None]:
    """A day written YYYY-MM-DD, no later than `latest`."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default, None
    try:
        day = date.fromisoformat(raw)
        if len(raw) != len("2026-09-12"):
            raise ValueError
    except ValueError:
        return default, ParamProblem(name, raw, "is not a date written YYYY-MM-DD", str(default))
    if day > latest:
        return default, ParamProblem(name, raw, f"is after {latest}", str(default))
    return day, None


def encode_flag(value: bool, default: bool) -> str | None:
    """A switch for the link: omitted at its default, so plain links stay short."""
    return None if value == default else ("1" if value else "0")


def encode(values: Mapping[str, str | int | Sequence[str] | None]) -> dict[str, str]:
    """Query parameters for the current view; lists are comma-separated, empty values omitted."""
    encoded: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        text = value if isinstance(value, str | int) else LIST_SEPARATOR.join(value)
        if str(text) != "":
            encoded[name] = str(text)
    return encoded


CHOICE = "choice"  # one of a list
MANY = "many"  # several of a list, comma-separated
YEAR = "year"  # a year that has data
NUMBER = "number"  # one of a list of whole numbers (a slide)
TEXT = "text"  # free text (a search), never a problem
FLAG = "flag"  # a switch, 1 or 0
DATE = "date"  # a day, YYYY-MM-DD, no later than the one option given


@dataclass(frozen=True)
class UrlParam:
    """One widget kept in the link: its query parameter, its Session State key, how it reads.

    Options and defaults are given when the page binds it, since they are often known only
    from the data and the other choices.
    """

    name: str
    key: str
    kind: str = CHOICE
    describe: str = ""  # what a value is, for a problem message ("area", "theme")
    omit_default: bool = False  # left out of the link at its default, so plain links stay short

    def read(
        self, params: Mapping[str, str], options: Sequence, default: object
    ) -> tuple[object, list[ParamProblem]]:
        """The value the link asks for, or the default with the reason it could not be used."""
        raw = params.get(self.name) or ""
        if len(raw) > MAX_VALUE_CHARS:
            reason = f"is longer than {MAX_VALUE_CHARS:,} characters"
            shown = "the default" if default in (None, "", []) else repr(default)
            return default, [ParamProblem(self.name, abridged(raw), reason, shown)]
        if self.kind == TEXT:
            return params.get(self.name) or default, []
        if self.kind == MANY:
            return read_many(params, self.name, options, default, describe=self.describe)
        if self.kind == YEAR:
            value, problem = read_year(params, self.name, options, default)
        elif self.kind == NUMBER:
            allowed = [str(option) for option in options]
            text, problem = read_choice(
                params, self.name, allowed, str(default), describe=self.describe
            )
            value = int(text)
        elif self.kind == FLAG:
            value, problem = read_flag(params, self.name, bool(default))
        elif self.kind == DATE:
            value, problem = read_date(params, self.name, options[0], default)  # type: ignore[arg-type]
        else:
            value, problem = read_choice(
                params, self.name, options, default, describe=self.describe
            )
        return value, [problem] if problem else []

    def encode(self, value: object, default: object) -> str | int | Sequence[str] | None:
        """The value as the link writes it: a switch at its default is left out."""
        if self.kind == FLAG:
            return encode_flag(bool(value), bool(default))
        if self.kind == TEXT:
            return str(value or "").strip() or None
        if self.kind == DATE:
            return value.isoformat() if isinstance(value, date) else None
        if self.omit_default and _same(value, default):
            return None
        return value  # type: ignore[return-value]


def _same(value: object, default: object) -> bool:
    if isinstance(value, list | tuple) and isinstance(default, list | tuple):
        return list(value) == list(default)
    return value == default

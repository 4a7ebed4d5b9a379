"""Partial publication dates (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`) and ages in whole months.

A page dated only by its year could have been published on any day of that year; ages and
staleness use the *latest* day the date allows, so a partial date never makes a source look
older than it may be.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def latest(self) -> dt.date:
        """The last day this date can stand for."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


def parse_partial_date(text: str) -> PartialDate | None:
    """`2024-03-12`, `2024-03` or `2024` -> PartialDate; anything else (incl. "unknown") -> None."""
    match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is not None and not 1 <= month <= 12:
            return None
        date = PartialDate(year, month, day)
        if year < 1900 or date.latest.year > 9999:
            return None
        return date
    except ValueError:  # e.g. 2024-02-30
        return None


def months_between(older: dt.date, newer: dt.date) -> int:
    """Whole months from `older` to `newer` (negative when `older` is later)."""
    months = (newer.year - older.year) * 12 + newer.month - older.month
    return months - 1 if newer.day < older.day else months

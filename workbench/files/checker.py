"""The one line-aware checker every study file goes through (criteria sets, profiles, costs, scenarios).

A `Checker` walks a parsed `YamlDoc` and collects every problem as `FILE:LINE: field: message`,
where LINE is the line of the field itself (found with `YamlDoc.line`) and the field is written
from the data path: `costs.annual.licences.m365`, `scores.2025`, `criteria[1].scale`. Readers
collect all problems of a file before failing, so a user fixes them in one pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from ..errors import LoadError, Problem
from ..evidence.dates import UNKNOWN, parse_partial_date
from ..methods import method_names
from ..model import SOURCE_KINDS, Source, Text
from .yamlfile import YamlDoc

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")
SOURCE_KEYS = ("title", "url", "published", "accessed", "kind", "quote", "locator", "date")
MAX_QUOTE = 300
MAX_TEXT = 20_000
MAX_PROBLEMS = 100  # listed per file; the rest are counted (a huge broken file stays readable and fast)
MAX_URL = 2_000


class Checker:
    """Collects problems for one YAML document, each located by the line of its field.

    Paths are tuples of the data's own keys and list indices, e.g. `("costs", "annual", 2025)`.
    """

    def __init__(self, doc: YamlDoc):
        self.doc = doc
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.more = 0
        for path, line in doc.duplicates:
            self.problems.append(Problem(doc.file, line, self.field(path), "duplicate key"))

    def field(self, path: tuple) -> str:
        """`path` written for people: keys joined by dots, list indices in brackets.

        The data decides: an int that indexes a list is `[i]`, an int key of a mapping (`2025:`)
        is `.2025`. Past the end of the data (a missing field), ints are taken as indices.
        """
        out, node = "", self.doc.data
        for part in path:
            is_index = isinstance(node, list) or (node is None and isinstance(part, int))
            out += f"[{part}]" if is_index else (f".{part}" if out else str(part))
            try:
                node = node[part] if isinstance(node, (list, dict)) else None
            except (IndexError, KeyError, TypeError):
                node = None
        return out

    def add(self, path: tuple, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            return
        self.problems.append(Problem(self.doc.file, self.doc.line(path), self.field(path), message))

    def warn(self, path: tuple, code: str, message: str) -> None:
        """A warning: the file stays usable (`validate --strict` fails on it)."""
        if len(self.warnings) >= MAX_PROBLEMS:
            return
        self.warnings.append(
            Problem(self.doc.file, self.doc.line(path), self.field(path), message, code=code, severity="warning")
        )

    def mapping(self, value: Any, path: tuple, allowed: Iterable[str], required: Iterable[str] = ()) -> dict | None:
        """`value` if it is a mapping; unknown keys and missing required ones are reported."""
        if not isinstance(value, dict):
            self.add(path, f"expected a mapping, got {kind_of(value)}")
            return None
        allowed = set(allowed)
        for key in value:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.add(path + (key,), f"unknown key {key!r} (expected one of: {hint})")
        for key in required:
            if key not in value or value[key] is None:
                self.add(path, f"missing required field {key!r}")
        return value

    def text(self, value: Any, path: tuple, required: bool = True) -> Text | None:
        if value is None:
            if required:
                self.add(path, "missing text")
            return None
        if isinstance(value, str):
            return Text.plain(value[:MAX_TEXT])
        if isinstance(value, dict):
            self.mapping(value, path, ("en", "fr"), ("en", "fr"))
            en, fr = value.get("en"), value.get("fr")
            if not isinstance(en, str) or not isinstance(fr, str):
                if en is not None and fr is not None:
                    self.add(path, "texts 'en' and 'fr' must be strings")
                return None
            return Text(en=en[:MAX_TEXT], fr=fr[:MAX_TEXT])
        self.add(path, f"expected a text or {{en, fr}}, got {kind_of(value)}")
        return None

    def number(self, value: Any, path: tuple, minimum: float | None = None) -> float | None:
        """A finite number (bools refused), at least `minimum` when given."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, f"expected a number, got {kind_of(value)}")
            return None
        number = float(value)
        if not math.isfinite(number):
            self.add(path, "expected a finite number")
            return None
        if minimum is not None and number < minimum:
            self.add(path, f"must be ≥ {minimum:g}, got {number:g}")
            return None
        return number

    def string(self, value: Any, path: tuple, choices: Iterable[str] | None = None) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"expected a string, got {kind_of(value)}")
            return None
        if choices is not None and value not in choices:
            self.add(path, f"{value!r} is not one of: {', '.join(choices)}")
            return None
        return value

    def ident(self, value: Any, path: tuple) -> str | None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(path, f"invalid id {value!r} (letters, digits, '-', '_', '.')")
            return None
        return value

    def months(self, value: Any, path: tuple) -> int | None:
        """A `freshness_months`: a whole number of months from 1 to 600."""
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 600:
            self.add(path, f"expected a whole number of months from 1 to 600, got {value!r}")
            return None
        return value

    def method(self, value: Any, path: tuple) -> str | None:
        """A method name (criteria sets and scenarios both check theirs here)."""
        return self.string(value, path, method_names())

    def sources(self, raw: Any, path: tuple) -> tuple[Source, ...]:
        """A list of `{title, url, published, accessed, kind, quote, locator}` (scores and cost
        blocks cite the same way). The old single `date` is read as `published`, with a warning."""
        if not isinstance(raw, list):
            self.add(path, f"expected a list of sources, got {kind_of(raw)}")
            return ()
        out = []
        for i, item in enumerate(raw):
            where = path + (i,)
            if self.mapping(item, where, SOURCE_KEYS, ("title",)) is None:
                continue
            title = self.string(item.get("title"), where + ("title",)) if "title" in item else None
            url = self._optional_text(item, where, "url", MAX_URL)
            if "date" in item:
                self.warn(where + ("date",), "source-date-deprecated",
                          "'date' is ambiguous: write the page's own 'published' date and when it was 'accessed'")  # fmt: skip
            published = self._date(item, where, "published" if "published" in item else "date", partial=True)
            accessed = self._date(item, where, "accessed", partial=False)
            kind = self.string(item["kind"], where + ("kind",), SOURCE_KINDS) or "" if "kind" in item else ""
            quote = self._optional_text(item, where, "quote", MAX_TEXT)
            if len(quote) > MAX_QUOTE:
                self.add(where + ("quote",), f"a quote is at most {MAX_QUOTE} characters (this one has {len(quote)})")
            locator = self._optional_text(item, where, "locator", MAX_URL)
            if title is not None:
                out.append(
                    Source(
                        title=title[:MAX_TEXT],
                        url=url,
                        published=published,
                        accessed=accessed,
                        kind=kind,
                        quote=quote[:MAX_QUOTE],
                        locator=locator,
                        line=self.doc.line(where),
                    )  # fmt: skip
                )
        return tuple(out)

    def _optional_text(self, item: dict, where: tuple, key: str, limit: int) -> str:
        value = item.get(key, "")
        if not isinstance(value, str):
            self.add(where + (key,), f"expected a string, got {kind_of(value)}")
            return ""
        return value[:limit]

    def _date(self, item: dict, where: tuple, key: str, *, partial: bool) -> str:
        """A source's date as text: YYYY-MM-DD (or, when `partial`, YYYY-MM, YYYY or "unknown")."""
        if key not in item:
            return ""
        value = item[key]
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = value.strip() if isinstance(value, str) else None
        parsed = parse_partial_date(text) if text is not None else None
        if partial and text == UNKNOWN:
            return UNKNOWN
        if parsed is None or (not partial and parsed.precision != "day"):
            expected = "YYYY-MM-DD, YYYY-MM, YYYY or unknown" if partial else "a date YYYY-MM-DD"
            self.add(where + (key,), f"expected {expected}, got {value!r}")
            return ""
        return str(parsed)

    def fail_if_any(self) -> None:
        if self.more:
            self.problems.append(Problem(self.doc.file, 1, "", f"… and {self.more:,} more problem(s) in this file"))
            self.more = 0
        if self.problems:
            raise LoadError(self.problems)


def kind_of(value: Any) -> str:
    """How a value's type is named in messages ("a number", "a list", "nothing"...)."""
    if value is None:
        return "nothing"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string"}.get(
        type(value),
        "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else type(value).__name__,
    )

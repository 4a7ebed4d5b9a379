"""Numbers and small texts as the reading formats (HTML, Markdown, PDF) show them, in the
report's locale. The data formats keep numbers as numbers: XLSX with display formats, CSV with a
dot and fixed decimals (`tabular.py`)."""

from __future__ import annotations

from typing import Any

from ..i18n import fmt_number, fmt_percent
from .document import Kind, Label

MISSING = "—"


def colon(lang: str) -> str:
    """French typography puts a no-break space before the colon."""
    return "\u00a0: " if lang == "fr" else ": "


def plain_number(value: float, lang: str) -> str:
    """A number with as few decimals as it needs (at most 2)."""
    return fmt_number(value, lang, 0 if float(value).is_integer() else 2)


def cell_text(value: Any, kind: Kind, lang: str) -> str:
    """A table cell as text: numbers formatted for the locale, "—" for a missing number.

    Labels give their text (renderers add depth, emphasis and flags themselves); references and
    flags are joined with the separators a reader expects.
    """
    if kind is Kind.REFS:
        return " ".join(f"[{n}]" for n in value or ())
    if kind is Kind.FLAGS:
        return "; ".join(value or ())
    if isinstance(value, Label):
        return value.text
    if kind in (Kind.TEXT, Kind.CODE):
        return "" if value is None else str(value)
    if value is None:
        return MISSING
    if kind is Kind.INT:
        return str(int(value))
    if kind is Kind.SCORE:
        return fmt_number(value, lang, 3)
    if kind is Kind.SHARE:
        return fmt_percent(value, lang, 1)
    if kind is Kind.MONEY:
        return fmt_number(value, lang, 1)
    return plain_number(value, lang)

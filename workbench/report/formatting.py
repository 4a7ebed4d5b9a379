"""Numbers and small texts as the reading formats (HTML, Markdown, PDF) show them, in the
report's locale. The data formats keep numbers as numbers: XLSX with display formats, CSV with a
dot and fixed decimals (`tabular.py`)."""

from __future__ import annotations

from typing import Any

from ..i18n import fmt_number, fmt_percent, t
from .document import Kind, Label

MISSING = "—"
# Countable units a criterion may give, plural -> singular (English and French): "1 point",
# "0 point" in French, "0 points" in English. Other units ("M CAD", "%") are left as written.
SINGULAR_UNITS = {
    "points": "point", "years": "year", "ans": "an", "années": "année", "months": "month",
    "days": "day", "jours": "jour", "hours": "hour", "heures": "heure", "weeks": "week",
    "semaines": "semaine", "minutes": "minute", "seconds": "second", "secondes": "seconde",
    "people": "person", "personnes": "personne", "users": "user", "utilisateurs": "utilisateur",
    "sites": "site", "servers": "server", "serveurs": "serveur", "employees": "employee",
    "employés": "employé", "certifications": "certification", "countries": "country", "pays": "pays",
    "regions": "region", "régions": "région", "incidents": "incident", "licences": "licence",
    "licenses": "license",
}  # fmt: skip


def colon(lang: str) -> str:
    """French typography puts a no-break space before the colon."""
    return "\u00a0: " if lang == "fr" else ": "


def singular(value: float, lang: str) -> bool:
    """Whether `value` takes the singular in `lang`: 1 in English; 0 and 1 (below 2) in French."""
    return abs(value) < 2 if lang == "fr" else abs(value) == 1


def counted(n: float, lang: str, one: str, other: str, **params: object) -> str:
    """The catalogue message `one` or `other` (keys) for a count `n`, given to it as `n`."""
    return t(one if singular(n, lang) else other, lang, n=plain_number(n, lang), **params)


def unit_for(value: float, unit: str, lang: str) -> str:
    """`unit` in the number that `value` takes: "points" after 1 is "point"."""
    return SINGULAR_UNITS.get(unit, unit) if singular(value, lang) else unit


def plain_number(value: float, lang: str) -> str:
    """A number with as few decimals as it needs (at most 2)."""
    return fmt_number(value, lang, 0 if float(value).is_integer() else 2)


def cell_text(value: Any, kind: Kind, lang: str) -> str:
    """A table cell as text: numbers formatted for the locale, "—" for a missing number.

    Labels give their text (renderers add depth, emphasis and flags themselves); references and
    flags are joined with the separators a reader expects.
    """
    if kind is Kind.REFS:
        return "; ".join(f"{c.mark} {c.brief}".strip() for c in value or ())
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

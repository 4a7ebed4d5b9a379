"""How evidence is shown to people: one mark per score status, one line per source (app and reports)."""

from __future__ import annotations

from ..i18n import t
from ..model import Source

# Marks that differ in shape, not only in colour, so they survive print and colour blindness.
STATUS_MARKS = {"verified": "✔", "vendor-claim": "◇", "estimate": "≈", "assumption": "?", "disputed": "⚑"}


def status_legend(lang: str) -> str:
    """`✔ verified · ◇ vendor claim · …` in `lang`."""
    return " · ".join(f"{mark} {t(f'status.{status}', lang)}" for status, mark in STATUS_MARKS.items())


def source_line(source: Source, lang: str, kind: str | None = None) -> str:
    """`title — kind, published 2024-03-12, read 2026-11-20, locator` (plain text: escape it to render)."""
    kind = kind or source.kind
    parts = [t(f"kind.{kind}", lang) if kind else t("kind.none", lang)]
    if source.published and source.published != "unknown":
        parts.append(t("source.published", lang, date=source.published))
    else:
        parts.append(t("source.published_unknown", lang))
    if source.accessed:
        parts.append(t("source.accessed", lang, date=source.accessed))
    if source.locator:
        parts.append(source.locator)
    return f"{source.title} — {', '.join(parts)}"

"""Small pieces the chapter builders share: typed headers, yes/no, the score's direction, the
failed must-haves of a row and the flags of a matrix cell."""

from __future__ import annotations

from ..i18n import t
from .document import Column, Kind, Label
from .formatting import plain_number
from .sections import Cell, RankRow, Report


def headers(lang: str, *keys: str, kind: Kind = Kind.TEXT) -> list[Column]:
    """One column per catalogue key, all of one kind."""
    return [Column(t(k, lang), kind) for k in keys]


def yes_no(flag: bool, lang: str) -> str:
    # Not core's `yes`/`no`: unquoted, YAML 1.1 reads those keys as booleans, so t() misses them.
    return t("report.yes" if flag else "report.no", lang)


def score_direction(report: Report) -> str:
    return t("report.score.higher" if report.higher_is_better else "report.score.lower", report.lang)


def failures_text(row: RankRow, lang: str) -> str:
    return "; ".join(
        t("must_have.failure", lang, criterion=f.name, required=f.required, actual=plain_number(f.actual, lang))
        for f in row.failed
    )


def cell_flags(cell: Cell, lang: str) -> tuple[str, ...]:
    """Warnings about a score: changed by the scenario, missing, disputed, its range, and the
    component file it comes from (a composed option)."""
    out = []
    if cell.overridden:
        out.append(t("report.flag.overridden", lang) + (f" — {cell.note}" if cell.note else ""))
    if cell.missing:
        out.append(t("report.flag.missing", lang))
    if cell.disputed:
        out.append(t("report.flag.disputed", lang))
    if cell.range:
        low, high = (plain_number(x, lang) for x in cell.range)
        out.append(t("report.flag.range", lang, low=low, high=high))
    if cell.origin:
        out.append(t("report.flag.origin", lang, origin=cell.origin))
    return tuple(out)


def option_label(report: Report, provider_id: str, name: str) -> Label | str:
    """An option's name; a reference model's is flagged as one."""
    if provider_id in {r.id for r in report.reference_models}:
        return Label(name, flags=(t("report.flag.reference", report.lang),))
    return name

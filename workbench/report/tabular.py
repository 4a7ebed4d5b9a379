"""CSV (the ranking) and JSON (the whole report) renderers.

CSV cells holding user text are neutralised with `safety.spreadsheet_text` (a spreadsheet would
evaluate a cell beginning with = + - @ tab or CR); numbers are written with a dot and fixed
decimals so the file reads the same in every locale. JSON keeps full-precision numbers, keys in
a fixed order and no timestamp except the one derived from SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import csv
import io
import json

from ..i18n import t
from . import common as c
from .model import Report
from .safety import spreadsheet_text as s

COST_KEYS = ("npv", "total", "p10", "p50", "p90")


def render_csv(report: Report) -> str:
    """Ranking table: rank, id, name, score, eligible, failed must-haves, flags, then the TCO
    (NPV, undiscounted total, P10/P50/P90 in millions of the study currency; empty when unknown)."""
    lang = report.lang
    costs = {row["id"]: row for row in (report.costs or {}).get("rows", [])}
    currency = (report.costs or {}).get("currency", "")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        [
            t("col.rank", lang),
            t("report.col.id", lang),
            t("col.provider", lang),
            t("col.score", lang),
            t("col.eligible", lang),
            t("col.failed", lang),
            t("report.col.flags", lang),
            *(f"{t(f'report.col.{k}', lang)} (M {currency})" for k in COST_KEYS),
        ]
    )
    for r in report.ranking:
        flags = [t("report.flag.overridden", lang) + f": {x}" for x in r.overridden]
        flags += [t("report.flag.missing", lang) + f": {x}" for x in r.missing]
        writer.writerow(
            [
                r.rank,
                s(r.id),
                s(r.name),
                f"{r.score:.6f}",
                c.yes_no(r.eligible, lang),
                s(c.failures_text(r, lang)),
                s("; ".join(flags)),
                *(_money(costs.get(r.id, {}).get(k)) for k in COST_KEYS),
            ]
        )
    return buf.getvalue()


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"

"""Workshop exports: CSV and JSON bytes, and the summary the reports embed.

CSV cells that come from people (names, titles) are neutralised against spreadsheet formulas
by the workbench's one rule, `workbench.files.formulas.neutralise_formula`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..files.formulas import neutralise_formula
from ..i18n import fmt_number, t
from ..model import CriteriaSet

KINDS = ("mean", "geometric", "median")
# An aggregate resting on fewer ballots, or on fewer than this share of the participants, is
# applied only after the facilitator confirms it.
MIN_BALLOTS = 3
MIN_SHARE = 0.5


def aggregate_support(results: Mapping[str, Any]) -> dict[str, Any]:
    """How many ballots the round's aggregate rests on, out of how many participants, and whether
    that is enough to use it without asking (`enough`: at least MIN_BALLOTS ballots and
    MIN_SHARE of the participants)."""
    count = int(results.get("ballots") or 0)
    joined = max(int(results.get("participants") or 0), count)
    share = count / joined if joined else 0.0
    return {
        "ballots": count,
        "participants": joined,
        "share": share,
        "enough": count >= MIN_BALLOTS and share >= MIN_SHARE,
        "minimum": MIN_BALLOTS,
    }


def _csv(rows: Sequence[Sequence[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        writer.writerow([neutralise_formula(c) for c in row])
    return buf.getvalue()


def aggregate_csv(results: Mapping[str, Any], criteria_set: CriteriaSet, lang: str) -> str:
    """One row per leaf: the three aggregates and the dispersion, in the set's order."""
    names = {leaf.id: leaf.name.get(lang) for leaf in criteria_set.leaves()}
    agg = results.get("aggregate") or {}
    disp = results.get("dispersion") or {}
    header = ["criterion_id", t("col.criterion", lang), *KINDS, "sd", "q1", "median_raw", "q3", "iqr", "min", "max"]
    rows: list[list[object]] = [header]
    for leaf_id in names:
        if leaf_id not in disp:
            continue
        d = disp[leaf_id]
        rows.append([leaf_id, names[leaf_id], *(agg.get(k, {}).get(leaf_id) for k in KINDS),
                     d["sd"], d["q1"], d["median"], d["q3"], d["iqr"], d["min"], d["max"]])  # fmt: skip
    return _csv(rows)


def ballots_csv(ballots: Sequence[Mapping[str, Any]], criteria_set: CriteriaSet, lang: str) -> str:
    """One row per ballot: its number, the participant's name (empty when anonymous), its
    revision and the normalised leaf weights."""
    leaf_ids = [leaf.id for leaf in criteria_set.leaves()]
    rows: list[list[object]] = [["ballot", t("workshop.col.participant", lang), "revision", *leaf_ids]]
    for b in ballots:
        rows.append([b["ballot"], b.get("name") or "", b["revision"], *(b["weights"].get(k) for k in leaf_ids)])
    return _csv(rows)


def results_json(results: Mapping[str, Any], rounds: Sequence[Mapping[str, Any]] | None = None) -> str:
    """The current results and (optionally) every round's, as UTF-8 JSON text."""
    data = {"format": "workbench-workshop/1", "results": results, "rounds": list(rounds or [])}
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def report_summary(results: Mapping[str, Any], criteria_set: CriteriaSet, kind: str, lang: str) -> dict[str, Any]:
    """The `workshop` argument of workbench.report.build_report: labelled facts in `lang` (texts
    and numbers), the three aggregates (leaf id -> share) and the dispersion, flat as
    `workbench.report.extra_sections.workshop_section` reads them."""
    names = {leaf.id: leaf.name.get(lang) for leaf in criteria_set.leaves()}
    consensus = results.get("consensus") or {}
    w = consensus.get("kendall_w")
    disputed = [names.get(k, k) for k in list(results.get("dispersion") or {})[:3]]
    aggregate = results.get("aggregate") or {}
    summary: dict[str, Any] = {
        t("workshop.report.title", lang): str((results.get("workshop") or {}).get("title", "")),
        t("workshop.report.round", lang): int(results.get("round", 0)),
        t("workshop.report.participants", lang): int(results.get("participants", 0)),
        t("workshop.report.ballots", lang): int(results.get("ballots", 0)),
        t("workshop.report.aggregate", lang): t(f"workshop.agg.{kind}", lang),
        t("workshop.report.disputed", lang): ", ".join(disputed),
        **{k: dict(aggregate.get(k) or {}) for k in KINDS},
        "dispersion": {k: dict(v) for k, v in (results.get("dispersion") or {}).items()},
    }
    if w is not None:
        label = t(f"workshop.consensus.{consensus.get('label')}", lang)
        summary[t("workshop.report.consensus", lang)] = f"{fmt_number(w, lang, 2)} ({label})"
    return summary

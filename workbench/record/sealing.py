"""Sealing: evaluate the study as it stands, against what was frozen, into one hashed record.

The record holds the frozen part and its hash, every score with its evidence, the cost models
the `source: tco` values come from, the results, the software, the field fingerprints and a
SHA-256 over all of it (`record_sha256`, over the canonical JSON of the record without that
field). Sealing refuses when anything frozen has changed.
"""

from __future__ import annotations

import platform
from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import __version__
from ..evaluate import Evaluation, evaluate
from ..study import Study
from .canonical import fingerprints, plain, sha256_hex
from .frozen import SealRefused, checked_frozen, frozen_content, frozen_differences, record_time
from .serialize import costs_data, evidence_data

RECORD_FORMAT = "workbench-record/1"


def seal(
    study: Study,
    frozen_document: Mapping[str, Any],
    method: str | None = None,
    normalization: str | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    moment: str | None = None,
) -> dict[str, Any]:
    """The sealed record of `study` (method, normalisation and weight overrides as when freezing).

    Raises:
        SealRefused: naming each difference from the frozen part (or an altered frozen file).
    """
    frozen = checked_frozen(frozen_document)
    now = frozen_content(study, method, normalization, weights)
    differences = frozen_differences(frozen, now)
    if differences:
        raise SealRefused(differences)
    evaluation = evaluate(study, now["method"], now["normalization"], dict(weights or {}))
    content: dict[str, Any] = plain(
        {
            "format": RECORD_FORMAT,
            "frozen": frozen,
            "frozen_sha256": frozen_document["frozen_sha256"],
            "sealed_at": moment or record_time(),
            "software": {
                "name": "workbench",
                "version": __version__,
                "python": platform.python_version(),
                "numpy": np.__version__,
            },
            "scores": scores_data(study),
            "costs": {
                p.id: costs_data(p.costs)
                for p in study.providers
                if p.costs is not None and any(leaf.source == "tco" for leaf in study.leaves)
            },
            "results": results_data(evaluation),
        }
    )
    content["fingerprints"] = fingerprints(content)
    content["record_sha256"] = sha256_hex(content)
    return content


def scores_data(study: Study) -> dict[str, dict[str, dict[str, Any]]]:
    """`{option: {leaf: {"value": value used, ...evidence}}}`; a what-if override keeps the
    profile's own value and the analyst's note under `override`."""
    notes = {(o.provider, o.criterion): o.note for o in study.scenario.overrides}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for i, provider in enumerate(study.providers):
        row: dict[str, dict[str, Any]] = {}
        for j, leaf in enumerate(study.leaves):
            score = provider.scores.get(leaf.id)
            entry: dict[str, Any] = {"value": float(study.matrix[i, j]), **evidence_data(score)}
            if study.overridden[i, j]:
                entry["override"] = {
                    "note": notes.get((provider.id, leaf.id), ""),
                    "profile_value": None if score is None else score.value,
                }
            row[leaf.id] = entry
        out[provider.id] = row
    return out


def results_data(evaluation: Evaluation) -> dict[str, Any]:
    """The ranking (ids, best first) and each option's score, rank, eligibility and failures."""
    return {
        "higher_is_better": evaluation.higher_is_better,
        "ranking": [r.id for r in evaluation.results],
        "options": {
            r.id: {
                "rank": r.rank,
                "score": r.score,
                "eligible": r.eligible,
                "failed_must_haves": [f.to_json() for f in r.failed_must_haves],
            }
            for r in evaluation.results
        },
    }

"""Rank-reversal audit: never with fixed bounds and an additive method; known cases otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from engine_helpers import make_study
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from workbench.cli import main
from workbench.evaluate import evaluate
from workbench.model import MustHave
from workbench.robustness.rank_reversal import describe, rank_reversal
from workbench.study import load_study

ROOT = Path(__file__).resolve().parent.parent
BOUNDS = (0.0, 10.0)
# Four options on two benefit criteria of equal weight. a2 sets the top of the second criterion's
# minmax scale (3..9); without it the scale is 3..7, a0's 7 becomes the best value and a0
# (0.405 -> 0.571) overtakes a1 (0.5).
KNOWN = [[2.0, 7.0], [8.0, 3.0], [6.0, 9.0], [1.0, 3.0]]


@st.composite
def studies(draw):
    n, m = draw(st.integers(2, 7)), draw(st.integers(1, 5))
    x = draw(arrays(float, (n, m), elements=st.integers(0, 10).map(float)))
    cost = draw(arrays(bool, (m,)))
    weights = draw(arrays(float, (m,), elements=st.floats(0.01, 1.0)))
    must_haves = {0: MustHave(min=draw(st.integers(0, 10)))} if draw(st.booleans()) else None
    return make_study(x, cost, weights, bounds=[BOUNDS] * m, must_haves=must_haves)


@settings(max_examples=80, deadline=None)
@given(studies(), st.floats(0.01, 0.5))
def test_scale_and_an_additive_method_never_reverse_a_rank(study, degradation):
    audit = rank_reversal(study, "weighted-sum", "scale", degradation=degradation)
    assert audit.count == 0
    assert len(audit.removals) == len(study.providers) and len(audit.dominated_copies) == len(study.providers)


def minmax_weighted_sum(x: np.ndarray) -> np.ndarray:
    """The scores written out independently of the engine: equal weights, benefit criteria."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    return ((x - lo) / (hi - lo)).mean(axis=1)


def test_minmax_reverses_a_rank_when_the_best_option_leaves():
    x = np.array(KNOWN)
    before, after = minmax_weighted_sum(x), minmax_weighted_sum(x[[0, 1, 3]])
    assert before[1] > before[0] and after[0] > after[1]  # the reversal, computed by hand
    audit = rank_reversal(make_study(KNOWN, bounds=[BOUNDS] * 2), "weighted-sum", "minmax")
    flips = {r.option: r.flipped_pairs for r in audit.removals}
    assert flips == {"a0": [], "a1": [], "a2": [("a1", "a0")], "a3": []}


def test_the_same_case_with_declared_bounds_has_no_reversal():
    audit = rank_reversal(make_study(KNOWN, bounds=[BOUNDS] * 2), "weighted-sum", "scale")
    assert audit.count == 0


def test_vector_normalisation_reverses_a_rank_with_a_dominated_copy():
    """x / ‖x‖₂: a worse copy of a1 enlarges the norm of the column a1 leads, so a1 falls behind a2."""
    x = np.array([[4.0, 7.0], [7.0, 2.0], [2.0, 7.0]])
    copy = np.clip(x[1] - 0.05 * 10, *BOUNDS)
    grown = np.vstack([x, copy])
    before = (x / np.linalg.norm(x, axis=0)).mean(axis=1)
    after = (grown / np.linalg.norm(grown, axis=0)).mean(axis=1)[:3]
    assert before[1] > before[2] and after[2] > after[1]
    audit = rank_reversal(make_study(x, bounds=[BOUNDS] * 2), "weighted-sum", "vector")
    copies = {r.option: r.flipped_pairs for r in audit.dominated_copies}
    assert ("a1", "a2") in copies["a1"]


@pytest.mark.parametrize("method", ["topsis", "promethee-ii", "vikor"])
def test_batched_removals_equal_one_evaluation_per_variant(method):
    rng = np.random.default_rng(7)
    x = rng.integers(0, 11, size=(6, 4)).astype(float)
    study = make_study(x, [False, True, False, False], [3, 1, 2, 1], bounds=[BOUNDS] * 4)
    audit = rank_reversal(study, method)
    base = {r.id: r.rank for r in evaluate(study, method).results}
    for k, reversal in enumerate(audit.removals):
        keep = [i for i in range(6) if i != k]
        smaller = make_study(x[keep], [False, True, False, False], [3, 1, 2, 1], bounds=[BOUNDS] * 4)
        names = {f"a{j}": f"a{i}" for j, i in enumerate(keep)}  # make_study renumbers the options
        ranks = {names[r.id]: r.rank for r in evaluate(smaller, method).results}
        expected = {
            tuple(sorted((a, b), key=lambda o: (base[o], o)))
            for a in ranks for b in ranks
            if a < b and np.sign(base[a] - base[b]) != np.sign(ranks[a] - ranks[b])
        }  # fmt: skip
        assert {tuple(sorted(p, key=lambda o: (base[o], o))) for p in reversal.flipped_pairs} == expected


def test_describe_says_it_in_plain_words():
    audit = rank_reversal(make_study(KNOWN, bounds=[BOUNDS] * 2), "weighted-sum", "minmax")
    names = {"a0": "Alpha", "a1": "Beta", "a2": "Gamma", "a3": "Delta"}
    assert describe(audit, names, "en") == ["Removing Gamma reverses the order of: Beta / Alpha."]
    assert describe(audit, names, "fr") == ["Retirer Gamma inverse l'ordre de : Beta / Alpha."]
    calm = rank_reversal(make_study(KNOWN, bounds=[BOUNDS] * 2), "weighted-sum", "scale")
    assert describe(calm, names, "en")[0].startswith("No rank reversal")


def test_sensitivity_rank_reversal_json(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["sensitivity", "--criteria", "criteria/health-data-sovereignty.yaml", "--rank-reversal",
                 "--method", "topsis", "--format", "json"])  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and set(data) == {"rank_reversal"}
    audit = data["rank_reversal"]
    assert audit["method"] == "topsis" and audit["normalization"] == "vector"
    assert {"removed", "flipped_pairs"} == set(audit["removals"][0])
    assert {"copy_of", "flipped_pairs"} == set(audit["dominated_copies"][0])
    options = load_study(ROOT / "criteria/health-data-sovereignty.yaml").provider_ids
    assert [r["removed"] for r in audit["removals"]] == [c["copy_of"] for c in audit["dominated_copies"]] == options
    for entry in audit["removals"]:
        assert all(len(pair) == 2 and entry["removed"] not in pair for pair in entry["flipped_pairs"])

"""Every method and normalisation matches pymcdm 1.4 (an independent implementation) to 1e-9."""

from __future__ import annotations

import numpy as np
import pytest
from engine_helpers import make_study
from pymcdm import methods as pm
from pymcdm import normalizations as pn

from workbench.errors import WorkbenchError
from workbench.evaluate import evaluate, score_batch
from workbench.model import Preference
from workbench.normalize import normalize

NORMS = {
    "minmax": pn.minmax_normalization,
    "vector": pn.vector_normalization,
    "max": pn.max_normalization,
    "sum": pn.sum_normalization,
    "linear": pn.linear_normalization,
}
SEEDS = range(8)


def random_problem(seed: int, n: int = 7, m: int = 5):
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 100.0, size=(n, m))
    cost = rng.random(m) < 0.4
    cost[0] = False
    w = rng.uniform(0.05, 1.0, size=m)
    w /= w.sum()
    return x, cost, w


def types(cost):
    return np.where(cost, -1, 1)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("norm", list(NORMS))
@pytest.mark.parametrize(
    ("method", "oracle"),
    [("weighted-sum", pm.WSM), ("weighted-product", pm.WPM), ("topsis", pm.TOPSIS)],
)
def test_additive_and_distance_methods_match_pymcdm(seed, norm, method, oracle):
    x, cost, w = random_problem(seed)
    study = make_study(x, cost, w)
    theirs = oracle(NORMS[norm])(x, w, types(cost))
    if method == "weighted-product" and np.any(normalize(x, cost, norm) <= 0):
        # The conventions make a zero factor a clear error rather than a silent zero product.
        with pytest.raises(WorkbenchError, match="weighted product"):
            score_batch(study, w[None, :], method, norm)
        return
    ours = score_batch(study, w[None, :], method, norm)[0]
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_scale_normalisation_equals_minmax_when_bounds_are_the_data_range(seed):
    x, cost, w = random_problem(seed)
    bounds = list(zip(x.min(axis=0), x.max(axis=0), strict=True))
    study = make_study(x, cost, w, bounds=bounds)
    ours = score_batch(study, w[None, :], "weighted-sum", "scale")[0]
    theirs = pm.WSM(pn.minmax_normalization)(x, w, types(cost))
    np.testing.assert_allclose(ours, theirs, atol=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("ours", "theirs", "q", "p"),
    [
        ("usual", "usual", None, None),
        ("u-shape", "ushape", 5.0, None),
        ("v-shape", "vshape", None, 30.0),
        ("level", "level", 5.0, 30.0),
        ("linear", "vshape_2", 5.0, 30.0),
    ],
)
def test_promethee_matches_pymcdm_for_every_preference_function(seed, ours, theirs, q, p):
    x, cost, w = random_problem(seed)
    m = x.shape[1]
    prefs = [Preference(function=ours, q=q or 0.0, p=p or 0.0)] * m
    study = make_study(x, cost, w, prefs=prefs)
    flows = score_batch(study, w[None, :], "promethee-ii", None)[0]
    oracle = pm.PROMETHEE_II(theirs, p=None if p is None else [p] * m, q=None if q is None else [q] * m)
    np.testing.assert_allclose(flows, oracle(x, w, types(cost)), atol=1e-9)


def test_promethee_gaussian_by_hand():
    """pymcdm has no Gaussian criterion; check P(d) = 1 − exp(−d²/2s²) on a 2 × 1 case."""
    study = make_study([[3.0], [1.0]], prefs=[Preference(function="gaussian", s=1.5)])
    expected = 1 - np.exp(-(2.0**2) / (2 * 1.5**2))
    flows = score_batch(study, np.array([[1.0]]), "promethee-ii", None)[0]
    np.testing.assert_allclose(flows, [expected, -expected], atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("norm", [None, *NORMS])
def test_vikor_matches_pymcdm(seed, norm):
    x, cost, w = random_problem(seed)
    study = make_study(x, cost, w)
    q = score_batch(study, w[None, :], "vikor", norm)[0]
    oracle = pm.VIKOR(None if norm is None else NORMS[norm])
    np.testing.assert_allclose(q, oracle(x, w, types(cost)), atol=1e-9)


def test_batch_equals_one_by_one():
    x, cost, _ = random_problem(3)
    study = make_study(x, cost)
    rng = np.random.default_rng(1)
    w = rng.dirichlet(np.ones(x.shape[1]), size=25)
    for method, norm in [("weighted-sum", "scale"), ("topsis", "vector"), ("promethee-ii", None), ("vikor", None),
                         ("weighted-product", "sum")]:  # fmt: skip
        batch = score_batch(study, w, method, norm)
        single = np.vstack([score_batch(study, w[k][None, :], method, norm)[0] for k in range(len(w))])
        np.testing.assert_allclose(batch, single, atol=1e-12)


def test_evaluate_reports_the_same_scores_as_the_kernel():
    x, cost, w = random_problem(5)
    study = make_study(x, cost, w)
    ev = evaluate(study, "topsis", "vector")
    expected = pm.TOPSIS(pn.vector_normalization)(x, w, types(cost))
    got = {r.id: r.score for r in ev.results}
    np.testing.assert_allclose([got[f"a{i}"] for i in range(len(x))], expected, atol=1e-9)

"""Invariants of the scoring engine, checked on generated decision matrices (hypothesis)."""

from __future__ import annotations

import numpy as np
from engine_helpers import make_study
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from workbench.evaluate import score_batch
from workbench.methods import get_method, method_names
from workbench.model import Preference
from workbench.normalize import normalize

METHODS = method_names()
BOUNDS = (0.0, 100.0)


@st.composite
def problems(draw, min_n=2, max_n=7, max_m=5):
    n = draw(st.integers(min_n, max_n))
    m = draw(st.integers(1, max_m))
    values = st.integers(1, 99).map(float)
    x = draw(arrays(float, (n, m), elements=values))
    cost = draw(arrays(bool, (m,)))
    w = draw(arrays(float, (m,), elements=st.floats(0.01, 1.0)))
    return x, cost, w / w.sum()


def scores(x, cost, w, method):
    study = make_study(x, cost, w, bounds=[BOUNDS] * x.shape[1])
    return score_batch(study, w[None, :], method, get_method(method).default_normalization)[0]


@settings(max_examples=60, deadline=None)
@given(problems(), st.sampled_from(METHODS), st.data())
def test_a_dominating_alternative_never_ranks_below(problem, method, data):
    x, cost, w = problem
    a, b = data.draw(st.sampled_from(range(len(x)))), data.draw(st.sampled_from(range(len(x))))
    if a == b:
        return
    # Make `a` at least as good as `b` on every criterion.
    x = x.copy()
    x[a] = np.where(cost, np.minimum(x[a], x[b]), np.maximum(x[a], x[b]))
    s = scores(x, cost, w, method)
    if not get_method(method).higher_is_better:
        assert s[a] <= s[b] + 1e-9
    else:
        assert s[a] >= s[b] - 1e-9


@settings(max_examples=60, deadline=None)
@given(problems(), st.sampled_from(METHODS), st.randoms(use_true_random=False))
def test_reordering_alternatives_reorders_results(problem, method, rnd):
    x, cost, w = problem
    perm = list(range(len(x)))
    rnd.shuffle(perm)
    np.testing.assert_allclose(scores(x[perm], cost, w, method), scores(x, cost, w, method)[perm], atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(problems(), st.sampled_from(["usual", "u-shape", "v-shape", "level", "linear", "gaussian"]))
def test_promethee_net_flows_sum_to_zero(problem, function):
    x, cost, w = problem
    prefs = [Preference(function=function, q=5, p=20, s=10)] * x.shape[1]
    study = make_study(x, cost, w, prefs=prefs)
    flows = score_batch(study, w[None, :], "promethee-ii", None)[0]
    assert abs(flows.sum()) < 1e-9
    assert np.all(np.abs(flows) <= 1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(problems(max_n=6), st.data())
def test_scale_normalisation_does_not_change_when_an_alternative_is_added(problem, data):
    x, cost, _ = problem
    extra = data.draw(arrays(float, (1, x.shape[1]), elements=st.integers(0, 100).map(float)))
    lo, hi = np.full(x.shape[1], BOUNDS[0]), np.full(x.shape[1], BOUNDS[1])
    before = normalize(x, cost, "scale", lo, hi)
    after = normalize(np.vstack([x, extra]), cost, "scale", lo, hi)
    np.testing.assert_allclose(after[:-1], before, atol=0)


@settings(max_examples=40, deadline=None)
@given(problems(), st.sampled_from(METHODS), st.floats(0.1, 10.0))
def test_scaling_all_weights_leaves_the_ranking_unchanged(problem, method, factor):
    x, cost, w = problem
    study = make_study(x, cost, w, bounds=[BOUNDS] * x.shape[1])
    norm = get_method(method).default_normalization
    base = score_batch(study, w[None, :], method, norm)[0]
    scaled = score_batch(study, (w * factor)[None, :] / (w * factor).sum(), method, norm)[0]
    np.testing.assert_allclose(base, scaled, atol=1e-9)


@settings(max_examples=80, deadline=None)
@given(st.integers(2, 6), st.integers(2, 8), st.data())
def test_kendall_w_stays_within_0_and_1_with_tied_ranks(k, n, data):
    """Ranks as the engine gives them (ties share the lowest rank: 1, 1, 3) never push W above 1,
    identical raters agree fully, and a rater reversed against another gives W = 0 for two raters."""
    from workbench.evaluate import kendall_w, rank

    scores = data.draw(arrays(float, (k, n), elements=st.integers(0, 3).map(float)))
    ranks = rank(scores, np.ones(n, dtype=bool)).astype(float)
    w = kendall_w(ranks)
    assert -1e-12 <= w <= 1 + 1e-12
    assert kendall_w(np.vstack([ranks[0]] * k)) == 1.0
    order = np.arange(1, n + 1, dtype=float)
    assert kendall_w(np.vstack([order, order[::-1]])) == 0.0

"""Robustness analysis: SMAA-2 against a closed form, thresholds re-evaluated on either side,
the flip linear programme against a brute-force grid, convergence, seeds, the CLI and charts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine_helpers import make_study
from workbench.charts import robustness as charts_robustness
from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.evaluate import eligibility, evaluate, rank, score_batch
from workbench.i18n import fmt_number
from workbench.methods import get_method, method_names
from workbench.model import MustHave, Override, Scenario
from workbench.robustness import (
    analyse,
    flip_thresholds,
    min_change_to_flip,
    smaa,
    sweep_weights,
    sweeps,
    verdict,
)
from workbench.robustness.draws import DrawScorer, draw_weights, score_bounds
from workbench.study import build_study, load_study

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "robustness" / "criteria.yaml"
HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"


def two_by_two():
    """A = (0.9, 0.3), B = (0.5, 0.6) on [0, 1]: 0.9 w1 + 0.3 (1 − w1) > 0.5 w1 + 0.6 (1 − w1), so A wins iff w1 > 3/7."""
    return make_study([[0.9, 0.3], [0.5, 0.6]], bounds=[(0, 1), (0, 1)])


def mixed_study():
    """Five alternatives, four criteria (one cost), values chosen so several leaders occur."""
    return make_study(
        [[7, 3, 40, 5], [4, 8, 55, 6], [6, 6, 35, 2], [9, 2, 70, 7], [5, 5, 50, 9]],
        cost=[False, False, True, False],
        weights=[3, 2, 2, 1],
        bounds=[(0, 10), (0, 10), (0, 100), (0, 10)],
    )


# --- SMAA-2 closed form ----------------------------------------------------------------------


def test_smaa_two_by_two_matches_the_closed_form():
    n = 200_000
    res = smaa(two_by_two(), samples=n, seed=0)
    se = np.sqrt((4 / 7) * (3 / 7) / n)
    assert abs(res.rank_acceptability[0, 0] - 4 / 7) < 3 * se
    assert abs(res.rank_acceptability[1, 0] - 3 / 7) < 3 * se
    np.testing.assert_allclose(res.rank_acceptability.sum(axis=1), 1.0)
    np.testing.assert_allclose(res.central_weights[0], [5 / 7, 2 / 7], atol=0.004)
    np.testing.assert_allclose(res.central_weights[1], [3 / 14, 11 / 14], atol=0.004)
    np.testing.assert_array_equal(res.confidence_factors, [1.0, 1.0])
    assert res.pairwise_winning[0, 1] == pytest.approx(res.rank_acceptability[0, 0])
    assert res.pairwise_winning[0, 1] + res.pairwise_winning[1, 0] == pytest.approx(1.0)
    assert res.standard_error == pytest.approx(np.sqrt(res.first_rank[0] * res.first_rank[1] / n))


def test_fixed_weights_and_scores_give_certainty():
    res = smaa(two_by_two(), samples=500, weights_model="fixed")
    np.testing.assert_array_equal(res.rank_acceptability, [[1, 0], [0, 1]])
    assert res.standard_error == 0.0
    np.testing.assert_allclose(res.central_weights[0], [0.5, 0.5])
    assert np.isnan(res.central_weights[1]).all() and np.isnan(res.confidence_factors[1])
    assert res.to_json()["central_weights"]["a1"] is None


def test_standard_error_falls_as_one_over_root_n():
    study = two_by_two()
    small, large = smaa(study, samples=5_000, seed=1), smaa(study, samples=80_000, seed=1)
    assert small.standard_error / large.standard_error == pytest.approx(4.0, rel=0.05)
    # The estimates themselves move towards 4/7 within their own error bars.
    for res in (small, large):
        assert abs(res.first_rank[0] - 4 / 7) < 4 * res.standard_error
    spread = np.std([smaa(study, samples=2_000, seed=s).first_rank[0] for s in range(30)])
    assert spread == pytest.approx(np.sqrt((4 / 7) * (3 / 7) / 2_000), rel=0.35)


def test_same_seed_same_numbers_and_chunking_does_not_matter():
    study = load_study(FIXTURE)
    kwargs = dict(samples=3_000, seed=7, weights_model="dirichlet", concentration=20, scores_model="triangular")
    a, b = smaa(study, **kwargs), smaa(study, **kwargs, chunk=700)
    np.testing.assert_array_equal(a.rank_acceptability, b.rank_acceptability)
    np.testing.assert_allclose(a.central_weights, b.central_weights)
    np.testing.assert_array_equal(a.confidence_factors, b.confidence_factors)
    other = smaa(study, **{**kwargs, "seed": 8})
    assert not np.array_equal(a.rank_acceptability, other.rank_acceptability)


def test_dirichlet_weights_centre_on_the_chosen_weights():
    w0 = np.array([0.5, 0.3, 0.2, 0.0])
    w = draw_weights(np.random.default_rng(3), 40_000, 4, "dirichlet", w0, 30.0)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    np.testing.assert_allclose(w.mean(axis=0), w0, atol=0.003)
    np.testing.assert_allclose(w.var(axis=0)[:3], w0[:3] * (1 - w0[:3]) / 31, rtol=0.05)
    assert (w[:, 3] == 0).all()
    u = draw_weights(np.random.default_rng(3), 40_000, 4, "uniform", w0, 1.0)
    np.testing.assert_allclose(u.mean(axis=0), 0.25, atol=0.003)


def test_score_draws_stay_in_their_ranges_and_overrides_stay_fixed():
    study = load_study(FIXTURE)
    low, high = score_bounds(study)
    assert (low[0, 0], high[0, 0]) == (0.7, 1.0) and low[2, 0] == high[2, 0] == 1.0
    scenario = Scenario(overrides=[Override("a", "quality", 0.8)])
    changed = build_study(study.criteria_set, study.providers, scenario)
    low, high = score_bounds(changed)
    assert low[0, 0] == high[0, 0] == 0.8


@pytest.mark.parametrize("method", method_names())
def test_per_draw_scoring_matches_the_engine_kernels(method):
    study = mixed_study()
    rng = np.random.default_rng(0)
    k = 25
    x = study.matrix[None] * rng.uniform(0.8, 1.0, size=(k, *study.matrix.shape))
    x[..., 2] = np.clip(x[..., 2], 1, 100)
    w = draw_weights(rng, k, 4, "uniform", study.weight_vector(), 1.0)
    normalization = get_method(method).default_normalization
    got = DrawScorer(study, x, method, normalization)(w)
    want = np.vstack([score_batch(study, w[i : i + 1], method, normalization, matrix=x[i])[0] for i in range(k)])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


# The fixture has zero scores, which the weighted product (rightly) refuses.
@pytest.mark.parametrize("method", [m for m in method_names() if m != "weighted-product"])
def test_every_method_runs_with_score_draws(method):
    study = load_study(FIXTURE)
    res = smaa(study, method=method, samples=2_000, seed=2, scores_model="uniform")
    np.testing.assert_allclose(res.rank_acceptability.sum(axis=1), 1.0)
    assert res.rank_acceptability[2, 0] == 0.0  # c fails the must-have
    assert res.first_rank[:2].sum() == pytest.approx(1.0)


def test_weighted_product_runs_where_every_score_is_positive():
    res = smaa(mixed_study(), method="weighted-product", samples=2_000)
    np.testing.assert_allclose(res.rank_acceptability.sum(axis=1), 1.0)
    assert res.method == "weighted-product" and res.normalization == "sum"


# --- hypothesis property ---------------------------------------------------------------------


@st.composite
def small_studies(draw):
    n = draw(st.integers(2, 5))
    m = draw(st.integers(2, 4))
    # Values from 1: a column of zeros is (rightly) refused by the vector normalisation of TOPSIS.
    values = draw(st.lists(st.lists(st.integers(1, 10), min_size=m, max_size=m), min_size=n, max_size=n))
    weights = draw(st.lists(st.integers(1, 5), min_size=m, max_size=m))
    gate = draw(st.integers(1, 11))
    study = make_study(values, weights=weights, bounds=[(0, 10)] * m, must_haves={0: MustHave(min=gate)})
    return (
        study,
        draw(st.sampled_from([m for m in method_names() if m != "weighted-product"])),
        draw(st.integers(0, 2**16)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_studies())
def test_acceptabilities_sum_to_one_and_ineligible_never_win(case):
    study, method, seed = case
    res = smaa(study, method=method, samples=300, seed=seed)
    np.testing.assert_allclose(res.rank_acceptability.sum(axis=1), 1.0)
    assert np.all(res.pairwise_winning + res.pairwise_winning.T <= 1.0 + 1e-12)
    if res.eligible.any():
        assert np.all(res.rank_acceptability[~res.eligible, 0] == 0.0)
        assert res.first_rank[res.eligible].sum() >= 1.0 - 1e-12


# --- thresholds ------------------------------------------------------------------------------


def _leader(study, leaf_weights, method):
    w = np.array([leaf_weights])
    ev_method = evaluate(study, method)  # resolves the default normalisation
    scores = score_batch(study, w, ev_method.method, ev_method.normalization)
    ranks = rank(scores, eligibility(study), ev_method.higher_is_better)[0]
    return {study.provider_ids[i] for i in np.flatnonzero(ranks == 1)}


def test_weighted_sum_thresholds_are_exact_on_the_closed_form():
    th = flip_thresholds(two_by_two())
    assert th["c0"].current == 0.5 and th["c0"].lower == pytest.approx(3 / 7) and th["c0"].upper is None
    assert th["c0"].leader_below == "a1" and th["c0"].leader_above is None
    assert th["c1"].upper == pytest.approx(4 / 7) and th["c1"].lower is None and th["c1"].leader_above == "a1"


@pytest.mark.parametrize("method", ["weighted-sum", "topsis", "vikor", "promethee-ii"])
def test_thresholds_hold_just_either_side(method):
    study = mixed_study()
    w0 = study.weight_vector()
    leader = evaluate(study, method).winner().id
    found = 0
    eps = 1e-7 if method == "weighted-sum" else 2e-4
    for j, (leaf, th) in enumerate(flip_thresholds(study, method).items()):
        assert th.leader == leader and th.current == pytest.approx(w0[j])
        for bound, inside, other in ((th.lower, +eps, th.leader_below), (th.upper, -eps, th.leader_above)):
            if bound is None:
                continue
            found += 1
            w_in, w_out = sweep_weights(w0, j, np.array([bound + inside, bound - inside]))
            assert leader in _leader(study, w_in, method), (leaf, bound)
            assert leader not in _leader(study, w_out, method), (leaf, bound)
            assert other in _leader(study, w_out, method)
        # Between the thresholds the leader never changes (checked on a fine grid).
        lo, hi = th.lower if th.lower is not None else 0.0, th.upper if th.upper is not None else 1.0
        for t in np.linspace(lo + eps, hi - eps, 15):
            assert leader in _leader(study, sweep_weights(w0, j, np.array([t]))[0], method)
    assert found >= 2


def test_sweep_keeps_proportions_and_the_simplex():
    w0 = np.array([0.5, 0.3, 0.2])
    w = sweep_weights(w0, 0, np.array([0.0, 0.5, 0.8, 1.0]))
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    np.testing.assert_allclose(w[:, 0], [0.0, 0.5, 0.8, 1.0])
    np.testing.assert_allclose(w[:3, 1] / w[:3, 2], 1.5)
    np.testing.assert_allclose(w[3], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(sweep_weights(np.array([1.0, 0.0, 0.0]), 0, np.array([0.4]))[0], [0.4, 0.3, 0.3])


def test_sweeps_scores_are_the_engine_scores():
    study = mixed_study()
    lines = sweeps(study, "weighted-sum", points=11)
    w = sweep_weights(study.weight_vector(), 2, lines["c2"].t)
    np.testing.assert_allclose(lines["c2"].scores, score_batch(study, w, "weighted-sum", "scale"))


def test_ineligible_alternatives_never_lead_a_sweep():
    # a0 is best everywhere but fails the must-have on c1.
    study = make_study([[10, 2], [5, 5], [4, 6]], bounds=[(0, 10)] * 2, must_haves={1: MustHave(min=3)})
    for th in flip_thresholds(study).values():
        assert th.leader != "a0" and th.leader_below != "a0" and th.leader_above != "a0"
    assert smaa(study, samples=1000).rank_acceptability[0, 0] == 0.0


# --- minimal flip (linear programme) ---------------------------------------------------------


def _simplex_grid(m: int, steps: int) -> np.ndarray:
    """Every weight vector with components in multiples of 1/steps."""
    pts = [c for c in np.ndindex(*(steps + 1,) * (m - 1)) if sum(c) <= steps]
    grid = np.array([[*c, steps - sum(c)] for c in pts], dtype=float)
    return grid / steps


def test_min_change_matches_a_brute_force_grid():
    study = make_study([[8, 3, 5], [5, 7, 4], [4, 4, 9], [3, 3, 3]], weights=[3, 2, 1], bounds=[(0, 10)] * 3)
    w0 = study.weight_vector()
    r = (study.matrix - 0) / 10
    grid = _simplex_grid(3, 400)
    scores = grid @ r.T
    flips = {f.challenger: f for f in min_change_to_flip(study)}
    assert set(flips) == {"a1", "a2", "a3"}
    assert flips["a3"].l1_change is None and flips["a3"].weights is None  # dominated by a0
    for c in (1, 2):
        wins = scores[:, c] >= np.delete(scores, c, axis=1).max(axis=1)
        brute = np.abs(grid[wins] - w0).sum(axis=1).min()
        flip = flips[f"a{c}"]
        assert flip.l1_change <= brute + 1e-9
        assert flip.l1_change >= brute - 2 * 3 / 400  # one grid step per coordinate
        w = np.array(list(flip.weights.values()))
        assert w.sum() == pytest.approx(1.0) and (w >= 0).all()
        s = r @ w
        assert s[c] >= np.delete(s, c).max() - 1e-9
        assert np.abs(w - w0).sum() == pytest.approx(flip.l1_change)
    ordered = [f.l1_change for f in min_change_to_flip(study) if f.l1_change is not None]
    assert ordered == sorted(ordered)


def test_min_change_skips_ineligible_challengers():
    flips = min_change_to_flip(load_study(FIXTURE))
    assert [f.challenger for f in flips] == ["b"]


# --- analysis, verdict, CLI, charts ----------------------------------------------------------


def test_verdict_in_both_languages():
    study = load_study(FIXTURE)
    analysis = analyse(study, samples=4_000, seed=0)
    share = analysis.smaa.first_rank[0]
    fr, en = verdict(analysis, study, "fr"), verdict(analysis, study, "en")
    assert en[0].startswith(f"Option A ranks first in {round(100 * share)}% of plausible weightings")
    assert fr[0].startswith(f"Option A arrive premier dans {round(100 * share)}\u00a0%")
    th = analysis.thresholds["quality"]
    assert en[-1] == (f"It loses first place to Option B if the weight of “Quality” falls below "
                      f"{100 * th.lower:.1f}% (now {100 * th.current:.1f}%).")  # fmt: skip
    assert "« Qualité » descend sous 33,3\u00a0% (actuellement 40,0\u00a0%)" in fr[-1]
    assert f"{fmt_number(4000, 'fr', 0)} tirages" in fr[1] and "4,000 draws" in en[1]


def test_verdict_when_nothing_is_eligible():
    study = make_study([[1, 2], [2, 1]], bounds=[(0, 10)] * 2, must_haves={0: MustHave(min=5)})
    analysis = analyse(study, samples=200)
    assert analysis.leader is None
    assert verdict(analysis, study, "en") == ["No option passes every must-have: there is no first place to defend."]


def test_cli_json_has_the_documented_shape(capsys):
    code = main(["sensitivity", "--criteria", str(FIXTURE), "--samples", "2000", "--seed", "3", "--format", "json",
                 "--weights-model", "dirichlet", "--concentration", "40", "--scores-model", "triangular"])  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    expected = {"method", "samples", "seed", "rank_acceptability", "central_weights", "confidence_factors",
                "pairwise_winning", "standard_error", "flip_thresholds", "min_change_to_flip"}  # fmt: skip
    assert expected <= set(data)
    assert data["method"] == "weighted-sum" and data["samples"] == 2000 and data["seed"] == 3
    assert set(data["rank_acceptability"]) == {"a", "b", "c"}
    assert sum(data["rank_acceptability"]["a"]) == pytest.approx(1.0)
    assert data["central_weights"]["c"] is None and data["confidence_factors"]["c"] is None
    assert set(data["central_weights"]["a"]) == {"quality", "price", "lawful"}
    assert data["flip_thresholds"]["price"] == {
        "current": pytest.approx(0.4), "lower": None, "upper": pytest.approx(8 / 17),
        "leader_below": None, "leader_above": "b",
    }  # fmt: skip
    assert [f["challenger"] for f in data["min_change_to_flip"]] == ["b"]
    again = main(["sensitivity", "--criteria", str(FIXTURE), "--samples", "2000", "--seed", "3", "--format", "json",
                  "--weights-model", "dirichlet", "--concentration", "40", "--scores-model", "triangular"])  # fmt: skip
    assert again == 0 and json.loads(capsys.readouterr().out) == data


def test_cli_table_and_other_methods(capsys):
    assert main(["sensitivity", "--criteria", str(FIXTURE), "--samples", "1000", "--method", "topsis"]) == 0
    out = capsys.readouterr().out
    leader = evaluate(load_study(FIXTURE), "topsis").winner().name
    assert "topsis / vector — 1000 draws" in out and f"{leader} ranks first in" in out
    assert "challenger" not in out  # the linear programme is for the weighted sum only
    assert main(["sensitivity", "--criteria", str(FIXTURE), "--samples", "1000", "--format", "json",
                 "--method", "vikor"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["min_change_to_flip"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--samples", "0"], "--samples must be between 1"),
        (["--weights-model", "dirichlet", "--concentration", "0"], "--concentration must be a positive number"),
        (["--method", "weighted-product", "--normalization", "linear"], "weighted product"),
    ],
)
def test_cli_refuses_bad_input_with_a_sentence(capsys, args, message):
    assert main(["sensitivity", "--criteria", str(FIXTURE), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_smaa_rejects_unknown_models():
    with pytest.raises(WorkbenchError, match="unknown weights model"):
        smaa(two_by_two(), weights_model="normal")
    with pytest.raises(WorkbenchError, match="unknown scores model"):
        smaa(two_by_two(), scores_model="beta")


def test_charts_carry_the_engine_numbers():
    study = load_study(FIXTURE)
    analysis = analyse(study, samples=1000)
    df = charts_robustness.acceptability_frame(analysis.smaa, study, "fr")
    assert df.groupby("provider")["share"].sum().to_dict() == pytest.approx(
        {"Option A": 1, "Option B": 1, "=Option *C*": 1}
    )
    assert df[df["order"] == 0]["provider"].iloc[0] == "Option A"
    spec = charts_robustness.acceptability_chart(analysis.smaa, study, "fr").to_dict()
    assert spec["title"] == "Fréquence de chaque rang"
    tornado = charts_robustness.tornado_frame(analysis.thresholds, study, "en")
    quality = tornado[tornado["criterion"] == "Quality"].set_index("side")["change"]
    assert quality["Decrease"] == pytest.approx(100 * (1 / 3 - 0.4))
    assert list(tornado["criterion"].iloc[::2]) == ["Quality", "Price", "Lawful"]  # nearest flip first
    lines = sweeps(study)
    spec = charts_robustness.sweep_chart(lines["price"], study, "en", eligible=analysis.smaa.eligible).to_dict()
    assert " ".join(spec["title"]) == "Score as the weight of “Price” varies"  # on two lines (phones)
    band = next(layer for layer in spec["layer"] if layer["mark"].get("type", layer["mark"]) == "rect")
    values = spec["datasets"][band["data"]["name"]]
    assert values[0]["start"] == 0.0 and values[0]["end"] == pytest.approx(8 / 17)


def test_shipped_health_study():
    study = load_study(HEALTH)
    analysis = analyse(study, samples=10_000, seed=0)
    res = analysis.smaa
    ineligible = [p for p, ok in zip(res.provider_ids, res.eligible, strict=True) if not ok]
    assert ineligible  # Azure and the Health Data Hub fail the extraterritorial gate
    for pid in ineligible:
        assert res.rank_acceptability[res.provider_ids.index(pid), 0] == 0.0
    assert analysis.leader == evaluate(study).winner().id
    assert res.standard_error < 0.01
    assert any(th.upper is not None for th in analysis.thresholds.values())


def test_scores_model_without_ranges_is_reported_and_fixed():
    res = smaa(two_by_two(), samples=1000, scores_model="triangular")
    assert res.scores_model == "fixed" and "no score has a range" in res.notes[0]
    assert res.to_json()["scores_model"] == "fixed"

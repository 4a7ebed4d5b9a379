"""Published worked examples, to the published precision (author and year in each test's name; docs/methods.md)."""

from __future__ import annotations

import numpy as np
import pytest
from engine_helpers import make_study

from workbench.evaluate import evaluate, rank, score_batch
from workbench.methods import vikor
from workbench.model import MustHave, Preference
from workbench.weights import ahp, rank_order_centroid

DRINKS = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]


def test_ahp_saaty_2008_drinks():
    ids = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
    result = ahp(ids, DRINKS, "saaty-1980")
    expected = [0.1775, 0.0191, 0.0418, 0.1164, 0.1896, 0.1288, 0.3268]
    np.testing.assert_allclose(list(result.weights.values()), expected, atol=5e-5)
    assert result.lambda_max == pytest.approx(7.1766, abs=5e-5)
    assert result.ci == pytest.approx(0.0294, abs=5e-5)
    assert result.cr == pytest.approx(0.0223, abs=5e-5)
    assert result.consistent
    assert ahp(ids, DRINKS, "donegan-dodd-1991").cr == pytest.approx(0.0235, abs=5e-5)
    assert ahp(ids, DRINKS, "tummala-ling-1998").cr == pytest.approx(0.0221, abs=5e-5)


def test_ahp_consistent_matrix_is_exact():
    result = ahp(["a", "b", "c"], [[1, 6, 3], [1 / 6, 1, 1 / 2], [1 / 3, 2, 1]])
    np.testing.assert_allclose(list(result.weights.values()), [2 / 3, 1 / 9, 2 / 9], atol=1e-12)
    assert result.lambda_max == pytest.approx(3.0, abs=1e-12)
    assert result.cr == pytest.approx(0.0, abs=1e-12)


def test_ahp_wang_chin_2011_inconsistent_matrix_is_flagged():
    matrix = [
        [1, 4, 3, 1, 3, 4],
        [1 / 4, 1, 7, 3, 1 / 5, 1],
        [1 / 3, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 6],
        [1, 1 / 3, 5, 1, 1, 1 / 3],
        [1 / 3, 5, 5, 1, 1, 3],
        [1 / 4, 1, 6, 3, 1 / 3, 1],
    ]
    result = ahp(list("abcdef"), matrix)
    np.testing.assert_allclose(
        list(result.weights.values()), [0.3208, 0.1395, 0.0348, 0.1285, 0.2374, 0.1391], atol=5e-5
    )
    assert result.lambda_max == pytest.approx(7.4199, abs=5e-5)
    assert result.cr == pytest.approx(0.2290, abs=5e-5)
    assert not result.consistent


def test_ahp_rejects_non_reciprocal_matrix():
    with pytest.raises(ValueError, match="reciprocal"):
        ahp(["a", "b"], [[1, 3], [3, 1]])


def test_topsis_tzeng_huang_2011():
    study = make_study([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], weights=[0.3, 0.4, 0.3])
    ev = evaluate(study, "topsis", "vector")
    got = [ev.result(f"a{i}").score for i in range(4)]
    np.testing.assert_allclose(got, [0.5037, 0.6581, 0.7482, 0.3340], atol=5e-5)
    assert [ev.result(f"a{i}").rank for i in range(4)] == [3, 2, 1, 4]


def test_topsis_opricovic_tzeng_2004_vector_normalisation():
    study = make_study([[1, 3000], [2, 3750], [5, 4500]], cost=[True, False], weights=[0.5, 0.5])
    got = score_batch(study, np.array([[0.5, 0.5]]), "topsis", "vector")[0]
    np.testing.assert_allclose(got, [0.7621, 0.7222, 0.2379], atol=5e-5)
    minmax = score_batch(study, np.array([[0.5, 0.5]]), "topsis", "minmax")[0]
    np.testing.assert_allclose(minmax, [0.5, 0.617, 0.5], atol=5e-4)


def test_vikor_opricovic_tzeng_2004():
    study = make_study([[1, 3000], [2, 3750], [5, 4500]], cost=[True, False], weights=[0.5, 0.5])
    ev = evaluate(study, "vikor")
    d = ev.details
    np.testing.assert_allclose([d["S"][f"a{i}"] for i in range(3)], [0.5, 0.375, 0.5])
    np.testing.assert_allclose([d["R"][f"a{i}"] for i in range(3)], [0.5, 0.25, 0.5])
    np.testing.assert_allclose([d["Q"][f"a{i}"] for i in range(3)], [1.0, 0.0, 1.0])
    assert d["acceptable_advantage"] and d["acceptable_stability"]
    assert d["compromise_set"] == ["a1"]
    assert not ev.higher_is_better and ev.winner().id == "a1"


def test_vikor_tzeng_huang_compromise_set():
    study = make_study([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], weights=[0.3, 0.4, 0.3])
    d = evaluate(study, "vikor").details
    np.testing.assert_allclose([d["Q"][f"a{i}"] for i in range(4)], [0.75, 0.25, 0.0, 1.0], atol=1e-12)
    assert d["acceptable_advantage"] is False and d["acceptable_stability"] is True
    assert sorted(d["compromise_set"]) == ["a1", "a2"]


EXTENDED = [
    [4184.3, 2914.0, 407.2, 251.0, 195, 244, 15, 2.41],
    [5211.9, 3630.0, 501.7, 308.3, 282, 346, 21, 1.41],
    [5021.3, 3920.5, 504.0, 278.6, 12, 56, 3, 4.42],
    [5566.1, 3957.9, 559.5, 335.3, 167, 268, 16, 3.36],
    [5060.5, 3293.5, 514.1, 284.2, 69, 90, 7, 4.04],
    [4317.9, 2925.9, 432.8, 239.3, 12, 55, 3, 4.36],
]
EXT_COST = [False, True, False, False, True, True, True, False]


@pytest.mark.parametrize(
    ("weights", "q"),
    [
        ([1] * 8, [0.991, 1.0, 0.473, 0.670, 0.0, 0.578]),
        ([2, 2, 2, 2, 1, 1, 1, 1], [1.0, 0.533, 0.552, 0.563, 0.0, 0.686]),
        ([1, 1, 1, 1, 2, 2, 2, 2], [0.684, 1.0, 0.147, 0.554, 0.041, 0.191]),
        ([1, 1, 1, 1, 3.2, 3.2, 3.2, 3.2], [0.668, 1.0, 0.051, 0.588, 0.058, 0.078]),
    ],
)
def test_vikor_opricovic_tzeng_2007_extended(weights, q):
    w = np.array(weights, dtype=float) / sum(weights)
    study = make_study(EXTENDED, cost=EXT_COST, weights=w)
    got = score_batch(study, w[None, :], "vikor", None)[0]
    np.testing.assert_allclose(got, q, atol=1.5e-3)


def test_vikor_acceptance_changes_winner_between_w3_and_w4():
    winners = []
    for weights in ([1, 1, 1, 1, 2, 2, 2, 2], [1, 1, 1, 1, 3.2, 3.2, 3.2, 3.2]):
        w = np.array(weights, dtype=float) / sum(weights)
        study = make_study(EXTENDED, cost=EXT_COST, weights=w)
        s, r, q = (a[0] for a in vikor.srq(np.where(study.cost_mask, -study.matrix, study.matrix), w[None, :]))
        winners.append(int(np.argmin(q)))
        assert not vikor.acceptance(s, r, q).acceptable_advantage
    assert winners == [4, 2]


def test_promethee_zhao_peng_li_2013_usual():
    study = make_study([[4, 3, 2], [3, 2, 4], [5, 1, 3]], weights=[0.5, 0.3, 0.2])
    ev = evaluate(study, "promethee-ii")
    np.testing.assert_allclose([ev.result(f"a{i}").score for i in range(3)], [0.1, -0.3, 0.2], atol=1e-12)
    np.testing.assert_allclose([ev.details["phi_plus"][f"a{i}"] for i in range(3)], [0.55, 0.35, 0.60])
    np.testing.assert_allclose([ev.details["phi_minus"][f"a{i}"] for i in range(3)], [0.45, 0.65, 0.40])


def test_promethee_papathanasiou_ploskas_2018_linear():
    matrix = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
    prefs = [Preference("linear", q=1, p=2)] * 4
    study = make_study(matrix, weights=[0.4, 0.3, 0.1, 0.2], prefs=prefs)
    flows = score_batch(study, np.array([[0.4, 0.3, 0.1, 0.2]]), "promethee-ii", None)[0]
    np.testing.assert_allclose(flows, [-0.26, -0.52, -0.22, 0.36, 0.70, -0.06], atol=1e-9)


def test_promethee_jmcdm_example_with_the_correct_sign():
    matrix = [[42, 35, 43, 51], [89, 72, 92, 85], [14, 85, 17, 40], [57, 60, 45, 80],
              [48, 32, 43, 40], [71, 45, 60, 85], [69, 40, 72, 55], [64, 35, 70, 60]]  # fmt: skip
    prefs = [Preference("linear", q=49, p=100), Preference("v-shape", p=98),
             Preference("linear", q=45, p=95), Preference("linear", q=30, p=80)]  # fmt: skip
    w = np.array([0.25, 0.35, 0.22, 0.18])
    study = make_study(matrix, weights=w, prefs=prefs)
    flows = score_batch(study, w[None, :], "promethee-ii", None)[0]
    np.testing.assert_allclose(flows, [-0.0699, 0.1486, 0.0614, 0.0478, -0.0986, 0.0006, -0.0324, -0.0575], atol=5e-5)
    assert int(np.argmax(flows)) == 1 and int(np.argmin(flows)) == 4


def test_pymcdm_self_reference_sum_normalisation():
    matrix = [[96, 83, 75, 7], [63, 5, 56, 9], [72, 30, 32, 48], [11, 4, 27, 9], [77, 21, 17, 11]]
    w = np.array([8, 5, 6, 7]) / 26
    study = make_study(matrix, cost=[False, False, True, True], weights=w)
    wsm = score_batch(study, w[None, :], "weighted-sum", "sum")[0] * 2  # pymcdm's test weights sum to 2
    np.testing.assert_allclose(wsm, [0.609, 0.313, 0.334, 0.265, 0.479], atol=5e-4)


def test_rank_order_centroid():
    np.testing.assert_allclose(rank_order_centroid(2), [0.75, 0.25])
    np.testing.assert_allclose(rank_order_centroid(4), [0.5208, 0.2708, 0.1458, 0.0625], atol=5e-5)
    np.testing.assert_allclose(rank_order_centroid(5), [0.4567, 0.2567, 0.1567, 0.09, 0.04], atol=5e-5)


def test_ties_share_the_lowest_rank_and_ineligible_rank_last():
    assert rank(np.array([0.5, 0.5, 0.2]), np.array([True, True, True])).tolist() == [1, 1, 3]
    assert rank(np.array([0.9, 0.5, 0.2]), np.array([False, True, True])).tolist() == [3, 1, 2]
    assert rank(np.array([0.1, 0.5, 0.2]), np.array([True, True, True]), higher_is_better=False).tolist() == [1, 3, 2]


def test_must_have_failure_is_reported_and_ranked_after_eligible():
    study = make_study([[9, 1], [5, 5], [1, 9]], must_haves={0: MustHave(min=4)})
    ev = evaluate(study, "weighted-sum")
    # All three score 0.5 (docs/methods.md: ties share the lowest rank, 1, 1, 3); a2 ties on score
    # yet ranks last because it fails the must-have.
    assert [(r.id, r.rank, r.eligible) for r in ev.results] == [("a0", 1, True), ("a1", 1, True), ("a2", 3, False)]
    assert [r.score for r in ev.results] == pytest.approx([0.5, 0.5, 0.5])
    last = ev.result("a2")
    assert last.failed_must_haves[0].criterion == "c0" and last.failed_must_haves[0].actual == 1.0
    assert last.failed_must_haves[0].required == "≥ 4"


def test_weighted_sum_contributions_add_up_by_leaf_and_group(tmp_path):
    from workbench.study import load_study

    study = load_study("tests/fixtures/mini/criteria.yaml")
    ev = evaluate(study, "weighted-sum")
    for r in ev.results:
        assert sum(r.contributions.values()) == pytest.approx(r.score, abs=1e-12)
        assert r.group_contributions["legal"] == pytest.approx(
            r.contributions["exposure"] + r.contributions["residency"]
        )
    # alpha: exposure 8/10·0.5 + residency 2/2·(1/6) + cost (100−60)/100·(1/3)
    assert ev.result("alpha").score == pytest.approx(0.4 + 1 / 6 + 0.4 / 3)


def test_reciprocal_matrix_from_upper_triangle():
    from workbench.weights import reciprocal_matrix

    a = reciprocal_matrix(np.array([[1, 6, 3], [np.nan, 1, 0.5], [0, 0, 1]]))
    np.testing.assert_allclose(a, [[1, 6, 3], [1 / 6, 1, 0.5], [1 / 3, 2, 1]])
    assert ahp(["a", "b", "c"], a).cr == pytest.approx(0.0, abs=1e-12)

"""Scenario diff: every difference between two scenarios, applied one at a time in a stated order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.evaluate import evaluate
from workbench.files.criteria import load_criteria_set
from workbench.scenario_diff import KINDS, diff_scenario_files
from workbench.study import load_study

ROOT = Path(__file__).resolve().parent.parent
HEALTH = ROOT / "criteria/health-data-sovereignty.yaml"
STATUS_QUO = ROOT / "scenarios/health-status-quo-view.yaml"
MINI = ROOT / "tests/fixtures/mini/criteria.yaml"
BUYABLE = ROOT / "scenarios/health-buyable-options.yaml"


def ranking(scenario: Path) -> list[str]:
    return [r.id for r in evaluate(load_study(HEALTH, scenario=scenario)).results]


@pytest.fixture(scope="module")
def shipped_diff():
    diff, _, problems = diff_scenario_files(HEALTH, STATUS_QUO, BUYABLE)
    assert problems == []
    return diff


def test_the_shipped_scenarios_give_every_difference_in_the_stated_order(shipped_diff):
    criteria_set = load_criteria_set(HEALTH)
    study_a, study_b = load_study(HEALTH, scenario=STATUS_QUO), load_study(HEALTH, scenario=BUYABLE)
    kinds = [c.kind for c in shipped_diff.changes]
    assert [KINDS.index(k) for k in kinds] == sorted(KINDS.index(k) for k in kinds)
    options = {c.target for c in shipped_diff.changes if c.kind == "option"}
    assert options == set(study_a.provider_ids) ^ set(study_b.provider_ids)
    a, b = study_a.scenario, study_b.scenario
    moved = [n.id for n in criteria_set.nodes() if a.weights.get(n.id, n.weight) != b.weights.get(n.id, n.weight)]
    assert [c.target for c in shipped_diff.changes if c.kind == "weight"] == moved
    rules = {leaf.id for leaf in criteria_set.leaves() if a.must_haves.get(leaf.id) != b.must_haves.get(leaf.id)}
    switched = {leaf.id for leaf in criteria_set.leaves() if b.must_haves.get(leaf.id, leaf.must_have)} & (
        set(a.disabled_must_haves) ^ set(b.disabled_must_haves)
    )
    assert {c.target for c in shipped_diff.changes if c.kind == "must-have"} == rules | switched
    assert ("method" in kinds) == (evaluate(study_a).method != evaluate(study_b).method)


def test_the_walk_starts_at_a_and_ends_at_b(shipped_diff):
    assert shipped_diff.ranking_a == ranking(STATUS_QUO)
    assert shipped_diff.ranking_b == ranking(BUYABLE)
    ranks = {r.id: r.rank for r in evaluate(load_study(HEALTH, scenario=STATUS_QUO)).results}
    for change in shipped_diff.changes:
        assert change.error is None
        assert {pid: before for pid, (before, _) in change.rank_moves.items() if before is not None} == ranks
        ranks = {pid: after for pid, (_, after) in change.rank_moves.items() if after is not None}
    assert ranks == {r.id: r.rank for r in evaluate(load_study(HEALTH, scenario=BUYABLE)).results}


def test_each_change_of_a_small_study_is_applied_in_turn(tmp_path):
    """Mini study: A is the set as it is; B drops gamma, switches the exposure must-have off, adds a
    cost must-have all pass, sets beta's cost to 0, a 12-year horizon, triples the cost weight,
    minmax and TOPSIS."""
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("title: as it is\n", encoding="utf-8")
    b.write_text(
        "providers: [alpha, beta]\ndisabled_must_haves: [exposure]\nmust_haves: {cost: {max: 90}}\n"
        "weights: {cost: 3}\nhorizon: 12\n"
        "overrides: [{provider: beta, criterion: cost, value: 0, note: free}]\n"
        "method: topsis\nnormalization: minmax\n",
        encoding="utf-8",
    )
    diff, _, _ = diff_scenario_files(MINI, a, b)
    assert [(c.kind, c.target, c.before, c.after) for c in diff.changes] == [
        ("option", "gamma", "included", "excluded"),
        ("must-have", "exposure", "on", "off"),
        ("must-have", "cost", "none", "≤ 90"),
        ("override", "beta/cost", 20.0, 0.0),
        ("cost", "horizon", 10, 12),
        ("weight", "cost", 1.0, 3),
        ("normalization", None, "scale", "minmax"),
        ("method", None, "weighted-sum", "topsis"),
    ]
    assert diff.changes[0].rank_moves == {"alpha": [1, 1], "gamma": [2, None], "beta": [3, 2]}
    # Cost weighs 3/5: beta's free cost (1.0 x 0.6) beats alpha's 0.85 x 0.4 + 0.4 x 0.6 = 0.58.
    assert diff.changes[5].rank_moves == {"alpha": [1, 2], "beta": [2, 1]}
    assert diff.changes[5].score_moves["alpha"][1] == pytest.approx(0.58)
    assert diff.ranking_a == ["alpha", "gamma", "beta"] and diff.ranking_b == ["beta", "alpha"]


def test_diff_json_has_the_documented_fields(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["diff", "--criteria", str(HEALTH), str(STATUS_QUO), str(BUYABLE), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(data) == {"changes", "ranking_a", "ranking_b"}
    first = data["changes"][0]
    assert {"kind", "target", "from", "to", "rank_moves"} <= set(first)
    assert data["ranking_b"] == ranking(BUYABLE)
    assert all(len(move) == 2 for change in data["changes"] for move in change["rank_moves"].values())


def test_a_scenario_against_itself_has_no_difference(capsys):
    code = main(["diff", "--criteria", str(HEALTH), str(BUYABLE), str(BUYABLE)])
    out = capsys.readouterr().out
    assert code == 0 and "no difference" in out


def test_the_table_lists_every_change(capsys):
    code = main(["diff", "--criteria", str(HEALTH), str(BUYABLE), str(STATUS_QUO)])
    out = capsys.readouterr().out
    assert code == 0
    diff, _, _ = diff_scenario_files(HEALTH, BUYABLE, STATUS_QUO)
    assert all(c.kind in out and (c.target or "") in out for c in diff.changes)
    assert out.count("\n") >= len(diff.changes) + 2


def test_a_missing_scenario_is_a_sentence(capsys, tmp_path):
    code = main(["diff", "--criteria", str(HEALTH), str(BUYABLE), str(tmp_path / "none.yaml")])
    assert code == 2 and "file not found" in capsys.readouterr().err

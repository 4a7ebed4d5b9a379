"""Scenario diff: every difference between two scenarios, applied one at a time in a stated order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.evaluate import evaluate
from workbench.scenario_diff import KINDS, diff_scenario_files
from workbench.study import load_study

ROOT = Path(__file__).resolve().parent.parent
HEALTH = ROOT / "criteria/health-data-sovereignty.yaml"
STATUS_QUO = ROOT / "scenarios/health-status-quo-view.yaml"
BUYABLE = ROOT / "scenarios/health-buyable-options.yaml"


def ranking(scenario: Path) -> list[str]:
    return [r.id for r in evaluate(load_study(HEALTH, scenario=scenario)).results]


@pytest.fixture(scope="module")
def shipped_diff():
    diff, _, problems = diff_scenario_files(HEALTH, STATUS_QUO, BUYABLE)
    assert problems == []
    return diff


def test_the_two_shipped_scenarios_differ_in_the_stated_order(shipped_diff):
    steps = [(c.kind, c.target, c.before, c.after) for c in shipped_diff.changes]
    assert steps == [
        ("option", "estonia-ehealth", "included", "excluded"),
        ("option", "health-data-hub", "included", "excluded"),
        ("option", "luxembourg-esante", "included", "excluded"),
        ("must-have", "extraterritorial-exposure", "off", "on"),
        ("override", "quebec-open-source-stack/maturity-adoption", 4.0, 3.0),
        ("cost", "horizon", 15, 10),
        ("cost", "discount_rate", 0.03, 0.04),
        ("weight", "legal-jurisdiction", 5, 20),
        ("weight", "residency-control", 5, 16),
        ("weight", "security-certification", 20, 8),
        ("weight", "cost", 30, 10),
        ("weight", "track-record-risk", 25, 8),
        ("normalization", None, "scale", "vector"),
        ("method", None, "weighted-sum", "topsis"),
    ]
    assert [KINDS.index(kind) for kind, *_ in steps] == sorted(KINDS.index(kind) for kind, *_ in steps)


def test_the_walk_starts_at_a_and_ends_at_b(shipped_diff):
    assert shipped_diff.ranking_a == ranking(STATUS_QUO)
    assert shipped_diff.ranking_b == ranking(BUYABLE)
    ranks = {pid: rank for rank, pid in enumerate(shipped_diff.ranking_a, 1)}  # no ties in this study
    for change in shipped_diff.changes:
        assert change.error is None
        assert {pid: before for pid, (before, _) in change.rank_moves.items()} == ranks
        ranks = {pid: after for pid, (_, after) in change.rank_moves.items() if after is not None}
    assert sorted(ranks, key=ranks.get) == shipped_diff.ranking_b


def test_each_change_moves_the_options_it_moves(shipped_diff):
    removal = shipped_diff.changes[0]
    assert removal.rank_moves["estonia-ehealth"] == [1, None]
    assert removal.rank_moves["quebec-open-source-stack"] == [2, 1]
    must_have = shipped_diff.changes[3]
    # Switching the jurisdiction must-have back on sends Azure behind every eligible option.
    assert must_have.rank_moves["azure-canada"] == [5, len(must_have.rank_moves)]
    assert must_have.score_moves["azure-canada"][0] == must_have.score_moves["azure-canada"][1]


def test_diff_json_has_the_documented_fields(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["diff", "--criteria", str(HEALTH), str(STATUS_QUO), str(BUYABLE), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(data) == {"changes", "ranking_a", "ranking_b"}
    first = data["changes"][0]
    assert {"kind", "target", "from", "to", "rank_moves"} <= set(first)
    assert first["rank_moves"]["estonia-ehealth"] == [1, None]


def test_a_scenario_against_itself_has_no_difference(capsys):
    code = main(["diff", "--criteria", str(HEALTH), str(BUYABLE), str(BUYABLE)])
    out = capsys.readouterr().out
    assert code == 0 and "no difference" in out


def test_the_table_lists_every_change(capsys):
    code = main(["diff", "--criteria", str(HEALTH), str(BUYABLE), str(STATUS_QUO)])
    out = capsys.readouterr().out
    assert code == 0
    assert "estonia-ehealth" in out and "included" in out and "weighted-sum" in out
    assert out.count("\n") > 14


def test_a_missing_scenario_is_a_sentence(capsys, tmp_path):
    code = main(["diff", "--criteria", str(HEALTH), str(BUYABLE), str(tmp_path / "none.yaml")])
    assert code == 2 and "file not found" in capsys.readouterr().err

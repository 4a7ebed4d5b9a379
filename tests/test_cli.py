"""The command line as a user runs it: exit codes, JSON fields, plain error sentences."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = "tests/fixtures/mini/criteria.yaml"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_evaluate_json_has_the_documented_fields():
    out = run("evaluate", "--criteria", MINI, "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"criteria_set", "method", "normalization", "higher_is_better", "weights", "results"}
    assert data["method"] == "weighted-sum" and data["normalization"] == "scale" and data["higher_is_better"]
    assert sum(data["weights"].values()) == pytest.approx(1.0)
    assert [r["rank"] for r in data["results"]] == [1, 2, 3]
    first = data["results"][0]
    assert set(first) >= {"id", "name", "score", "rank", "eligible", "failed_must_haves", "contributions"}
    beta = next(r for r in data["results"] if r["id"] == "beta")
    assert beta["eligible"] is False
    assert beta["failed_must_haves"] == [{"criterion": "exposure", "required": "≥ 3", "actual": 2.0}]


def test_evaluate_weights_override_changes_the_ranking():
    base = json.loads(run("evaluate", "--criteria", MINI, "--format", "json").stdout)
    cheap = json.loads(run("evaluate", "--criteria", MINI, "--format", "json", "--weights", "cost=100").stdout)
    assert base["results"][0]["id"] == "alpha"
    assert cheap["results"][0]["id"] == "gamma"  # cheaper than alpha; beta is ineligible whatever its cost
    assert cheap["weights"]["cost"] == pytest.approx(100 / 102)  # top level: legal 2, cost 100


def test_evaluate_vikor_reports_q_lower_is_better():
    data = json.loads(run("evaluate", "--criteria", MINI, "--method", "vikor", "--format", "json").stdout)
    assert data["higher_is_better"] is False
    scores = [r["score"] for r in data["results"] if r["eligible"]]
    assert scores == sorted(scores)


def test_evaluate_csv_and_table():
    csv_out = run("evaluate", "--criteria", MINI, "--format", "csv")
    assert csv_out.stdout.splitlines()[0] == "rank,id,name,score,eligible,failed_must_haves"
    assert csv_out.stdout.splitlines()[1].startswith("1,alpha,Alpha,")
    table = run("evaluate", "--criteria", MINI)
    assert "alpha" in table.stdout and "NO" in table.stdout


def test_usage_errors_exit_2_with_a_sentence():
    for args, needle in [
        (("evaluate", "--criteria", "missing.yaml"), "missing.yaml:1: file not found"),
        (("evaluate", "--criteria", MINI, "--weights", "cost=-1"), "non-negative"),
        (("evaluate", "--criteria", MINI, "--weights", "nope=1"), "unknown criteria: nope"),
        (("evaluate", "--criteria", MINI, "--method", "magic"), "invalid choice"),
    ]:
        out = run(*args)
        assert out.returncode == 2, (args, out.stderr)
        assert needle in out.stderr
        assert "Traceback" not in out.stderr


def test_validate_exit_codes_and_lines(tmp_path):
    assert run("validate", "tests/fixtures/mini").returncode == 0
    bad = tmp_path / "criteria" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text(
        "id: bad\nname: Bad\ncriteria:\n  - id: x\n    name: X\n    weight: -2\n    scale: {min: 0, max: 1}\n"
    )
    out = run("validate", str(bad))
    assert out.returncode == 1
    assert f"{bad}:6: criteria[0].weight: must be ≥ 0, got -2" in out.stdout
    assert "Traceback" not in out.stderr


def test_validate_coverage_lists_incomplete_scores():
    out = run("validate", "tests/fixtures/mini", "--coverage", "--stale-months", "6")
    assert out.returncode == 0
    assert "alpha: 33% complete" in out.stdout
    assert "stale source (2025-01-01): exposure: T" in out.stdout


def test_ahp_yaml_and_csv(tmp_path):
    yaml_file = tmp_path / "m.yaml"
    yaml_file.write_text("criteria: [a, b, c]\nmatrix:\n  - [1, 6, 3]\n  - [1/6, 1, 1/2]\n  - [1/3, 2, 1]\n")
    data = json.loads(run("ahp", str(yaml_file), "--format", "json").stdout)
    assert data["weights"] == pytest.approx({"a": 2 / 3, "b": 1 / 9, "c": 2 / 9})
    assert data["cr"] == pytest.approx(0.0, abs=1e-9) and data["consistent"] is True
    assert data["ri_table"] == "saaty-1980" and data["ri"] == 0.58
    csv_file = tmp_path / "m.csv"
    csv_file.write_text(",a,b,c\na,1,6,3\nb,1/6,1,1/2\nc,1/3,2,1\n")
    assert json.loads(run("ahp", str(csv_file), "--format", "json").stdout)["weights"] == pytest.approx(data["weights"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("criteria: [a, b]\nmatrix: [[1, x], [1, 1]]\n")
    out = run("ahp", str(bad))
    assert out.returncode == 2 and "is not a number" in out.stderr


def test_ahp_inconsistent_warns():
    out = run("ahp", "/dev/stdin")
    assert out.returncode == 2  # not YAML with criteria/matrix


def test_tco_json_hand_computed():
    out = run("tco", "--criteria", MINI, "--horizon", "2", "--discount-rate", "0", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["horizon"] == 2 and data["discount_rate"] == 0 and data["currency"] == "CAD"
    alpha = next(r for r in data["results"] if r["id"] == "alpha")
    assert alpha["npv"] == pytest.approx(10 + 5 + 5 + 2) and alpha["by_year"] == [10, 5, 7]
    beta = next(r for r in data["results"] if r["id"] == "beta")
    assert beta["npv"] == pytest.approx(2 * 2 * 1.5)  # EUR 2/yr at 1.5 CAD
    assert beta["p10"] is None


def test_tco_discounting():
    data = json.loads(run("tco", "--criteria", MINI, "--format", "json").stdout)
    beta = next(r for r in data["results"] if r["id"] == "beta")
    expected = sum(3.0 / 1.05**t for t in range(1, 11))
    assert beta["npv"] == pytest.approx(expected)


def test_validate_checks_scenario_ids_against_their_set(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "criteria: criteria/health-data-sovereignty.yaml\nproviders: [azure, quebec-open-source-stack]\nweights: {costs: 3}\n"
    )
    out = run("validate", str(scenario))
    assert out.returncode == 1
    assert out.stdout.splitlines() == [
        f"{scenario}:2: providers[0]: unknown provider 'azure'",
        f"{scenario}:3: weights.costs: unknown criterion 'costs'",
    ]


def test_shipped_scenarios_validate_and_evaluate():
    assert run("validate").returncode == 0
    out = run("evaluate", "--criteria", "criteria/health-data-sovereignty.yaml", "--scenario",
              "scenarios/health-buyable-options.yaml", "--format", "json")  # fmt: skip
    data = json.loads(out.stdout)
    assert data["method"] == "topsis" and data["normalization"] == "vector"
    assert len(data["results"]) == 6
    oss = next(r for r in data["results"] if r["id"] == "quebec-open-source-stack")
    assert oss["overridden"] == ["maturity-adoption"]

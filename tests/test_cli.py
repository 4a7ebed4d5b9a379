"""The command line as a user runs it: exit codes, JSON fields, plain error sentences.

Most tests call `workbench.cli.main(argv)` in-process (the same function the `workbench` script
and `python -m workbench` run); the last few start a real process, for what only a process shows:
the exit status, `python -m workbench` itself and a reader that closes the pipe early.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from workbench.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = "tests/fixtures/mini/criteria.yaml"
HEALTH = "criteria/health-data-sovereignty.yaml"
BAD_SET = "id: bad\nname: Bad\ncriteria:\n  - id: x\n    name: X\n    weight: -2\n    scale: {min: 0, max: 1}\n"  # line 6: a negative weight


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """`cli(*argv) -> Result`: `main(argv)` run from the repository root, output captured."""
    monkeypatch.chdir(ROOT)

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help and usage errors
            code = exc.code
        out, err = capsys.readouterr()
        return Result(int(code or 0), out, err)

    return run


def run_process(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, **kwargs
    )


def test_evaluate_json_has_the_documented_fields(cli):
    out = cli("evaluate", "--criteria", MINI, "--format", "json")
    assert out.code == 0, out.err
    data = json.loads(out.out)
    assert set(data) >= {"criteria_set", "method", "normalization", "higher_is_better", "weights", "results"}
    assert data["method"] == "weighted-sum" and data["normalization"] == "scale" and data["higher_is_better"]
    assert sum(data["weights"].values()) == pytest.approx(1.0)
    assert [r["rank"] for r in data["results"]] == [1, 2, 3]
    first = data["results"][0]
    assert set(first) >= {"id", "name", "score", "rank", "eligible", "failed_must_haves", "contributions"}
    beta = next(r for r in data["results"] if r["id"] == "beta")
    assert beta["eligible"] is False
    assert beta["failed_must_haves"] == [{"criterion": "exposure", "required": "≥ 3", "actual": 2.0}]


def test_evaluate_weights_override_changes_the_ranking(cli):
    base = json.loads(cli("evaluate", "--criteria", MINI, "--format", "json").out)
    cheap = json.loads(cli("evaluate", "--criteria", MINI, "--format", "json", "--weights", "cost=100").out)
    assert base["results"][0]["id"] == "alpha"
    assert cheap["results"][0]["id"] == "gamma"  # cheaper than alpha; beta is ineligible whatever its cost
    assert cheap["weights"]["cost"] == pytest.approx(100 / 102)  # top level: legal 2, cost 100


def test_evaluate_vikor_reports_q_lower_is_better(cli):
    data = json.loads(cli("evaluate", "--criteria", MINI, "--method", "vikor", "--format", "json").out)
    assert data["higher_is_better"] is False
    scores = [r["score"] for r in data["results"] if r["eligible"]]
    assert scores == sorted(scores)


def test_evaluate_csv_and_table(cli):
    csv_lines = cli("evaluate", "--criteria", MINI, "--format", "csv").out.splitlines()
    assert csv_lines[0] == "rank,id,name,score,eligible,failed_must_haves"
    assert csv_lines[1].startswith("1,alpha,Alpha,")
    table = cli("evaluate", "--criteria", MINI).out.splitlines()
    assert table[3].split()[:2] == ["1", "alpha"]  # title, header, rule, then rank 1
    beta = next(line for line in table if " beta " in line)
    assert beta.split()[-2:] == ["NO", "exposure"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("evaluate", "--criteria", "missing.yaml"), "missing.yaml:1: file not found"),
        (("evaluate", "--criteria", MINI, "--weights", "cost=-1"), "non-negative"),
        (("evaluate", "--criteria", MINI, "--weights", "nope=1"), "unknown criteria: nope"),
        (("evaluate", "--criteria", MINI, "--method", "magic"), "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_a_sentence(cli, args, needle):
    out = cli(*args)
    assert out.code == 2, out.err
    assert needle in out.err
    assert out.out == ""


def test_validate_exit_codes_and_lines(cli, tmp_path):
    assert cli("validate", "tests/fixtures/mini").code == 0
    bad = tmp_path / "criteria" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text(BAD_SET)
    out = cli("validate", str(bad))
    assert out.code == 1
    assert out.out.splitlines() == [f"{bad}:6: criteria[0].weight: must be ≥ 0, got -2"]
    assert out.err == "1 problem(s) in 1 file(s).\n"


def test_validate_coverage_lists_incomplete_scores(cli):
    out = cli("validate", "tests/fixtures/mini", "--coverage", "--stale-months", "6")
    assert out.code == 0
    assert "alpha: 33% complete" in out.out
    assert "stale source (2025-01-01): exposure: T" in out.out


def test_ahp_yaml_and_csv(cli, tmp_path):
    yaml_file = tmp_path / "m.yaml"
    yaml_file.write_text("criteria: [a, b, c]\nmatrix:\n  - [1, 6, 3]\n  - [1/6, 1, 1/2]\n  - [1/3, 2, 1]\n")
    data = json.loads(cli("ahp", str(yaml_file), "--format", "json").out)
    assert data["weights"] == pytest.approx({"a": 2 / 3, "b": 1 / 9, "c": 2 / 9})
    assert data["cr"] == pytest.approx(0.0, abs=1e-9) and data["consistent"] is True
    assert data["ri_table"] == "saaty-1980" and data["ri"] == 0.58
    csv_file = tmp_path / "m.csv"
    csv_file.write_text(",a,b,c\na,1,6,3\nb,1/6,1,1/2\nc,1/3,2,1\n")
    assert json.loads(cli("ahp", str(csv_file), "--format", "json").out)["weights"] == pytest.approx(data["weights"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("criteria: [a, b]\nmatrix: [[1, x], [1, 1]]\n")
    out = cli("ahp", str(bad))
    assert out.code == 2 and "is not a number" in out.err


def test_ahp_inconsistent_judgments_warn(cli, tmp_path):
    # a > b (3), b > c (3), yet c > a (3): a cycle, CR far above 0.1.
    cyclic = tmp_path / "cyclic.yaml"
    cyclic.write_text("criteria: [a, b, c]\nmatrix:\n  - [1, 3, 1/3]\n  - [1/3, 1, 3]\n  - [3, 1/3, 1]\n")
    out = cli("ahp", str(cyclic))
    assert out.code == 0
    assert "warning: CR > 0.1" in out.out
    data = json.loads(cli("ahp", str(cyclic), "--format", "json").out)
    assert data["consistent"] is False and data["cr"] > 0.1
    assert data["weights"] == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})  # symmetric cycle


def test_ahp_file_without_a_matrix_exits_2(cli, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text("id: not-a-matrix\n")
    out = cli("ahp", str(other))
    assert out.code == 2
    assert out.err == f"error: {other}:1: expected a mapping with 'criteria' and 'matrix'\n"


def test_tco_json_hand_computed(cli):
    out = cli("tco", "--criteria", MINI, "--horizon", "2", "--discount-rate", "0", "--format", "json")
    assert out.code == 0, out.err
    data = json.loads(out.out)
    assert data["horizon"] == 2 and data["discount_rate"] == 0 and data["currency"] == "CAD"
    alpha = next(r for r in data["results"] if r["id"] == "alpha")
    assert alpha["npv"] == pytest.approx(10 + 5 + 5 + 2) and alpha["by_year"] == [10, 5, 7]
    beta = next(r for r in data["results"] if r["id"] == "beta")
    assert beta["npv"] == pytest.approx(2 * 2 * 1.5)  # EUR 2/yr at 1.5 CAD
    assert beta["p10"] is None


def test_tco_discounting(cli):
    data = json.loads(cli("tco", "--criteria", MINI, "--format", "json").out)
    beta = next(r for r in data["results"] if r["id"] == "beta")
    expected = sum(3.0 / 1.05**t for t in range(1, 11))
    assert beta["npv"] == pytest.approx(expected)


def test_validate_checks_scenario_ids_against_their_set(cli, tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"criteria: {HEALTH}\nproviders: [azure, azure-open-source]\nweights: {{costs: 3}}\n")
    out = cli("validate", str(scenario))
    assert out.code == 1
    assert out.out.splitlines() == [
        f"{scenario}:2: providers[0]: unknown provider 'azure'",
        f"{scenario}:3: weights.costs: unknown criterion 'costs'",
    ]


def test_shipped_scenarios_validate_and_evaluate(cli):
    assert cli("validate").code == 0
    out = cli(
        "evaluate", "--criteria", HEALTH, "--scenario", "scenarios/health-buyable-options.yaml", "--format", "json"
    )
    data = json.loads(out.out)
    assert data["method"] == "topsis" and data["normalization"] == "vector"
    assert len(data["results"]) == 7  # the 7 host x stack options the scenario lists
    oss = next(r for r in data["results"] if r["id"] == "quebec-public-datacentre-open-source")
    assert oss["overridden"] == ["delivery-risk"]


def test_help_lists_every_command_the_readme_shows(cli):
    out = cli("--help")
    assert out.code == 0
    listed = out.out.split("{", 1)[1].split("}", 1)[0].split(",")
    documented = set(re.findall(r"^python -m workbench (\w+)", (ROOT / "README.md").read_text(), re.M))
    assert documented >= {"validate", "evaluate", "report", "workshop"}
    assert documented <= set(listed)


# --- a real process ---------------------------------------------------------------------------


def test_python_m_workbench_exit_codes_and_streams(tmp_path):
    ok = run_process("evaluate", "--criteria", MINI, "--format", "json")
    assert ok.returncode == 0, ok.stderr
    assert [r["id"] for r in json.loads(ok.stdout)["results"]] == ["alpha", "gamma", "beta"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_SET)
    findings = run_process("validate", str(bad))
    assert findings.returncode == 1
    assert f"{bad}:6: criteria[0].weight: must be ≥ 0, got -2" in findings.stdout
    usage = run_process("evaluate", "--criteria", "missing.yaml")
    assert usage.returncode == 2
    assert usage.stderr == "error: missing.yaml:1: file not found\n"  # a sentence, no traceback


def test_reader_closing_the_pipe_early_is_not_an_error():
    """`python -m workbench evaluate ... | head -1`: the reader goes away before the output is
    written; the command stops quietly with exit 0, no BrokenPipeError traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "evaluate", "--criteria", HEALTH, "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""

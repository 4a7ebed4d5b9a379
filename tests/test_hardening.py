"""Hostile input gets a sentence, never a traceback, and bounded work (issue: hardened against
hostile input). Each case failed before the fix it names."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tools.fuzz import run as fuzz
from workbench.cli import main
from workbench.errors import LoadError
from workbench.files.checker import MAX_PROBLEMS
from workbench.files.criteria import criteria_set_from_doc
from workbench.files.providers import provider_from_doc
from workbench.files.scenarios import parse_scenario
from workbench.files.yamlfile import parse_yaml, read_yaml
from workbench.study import load_study
from workbench.weights import global_weights

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
HUGE = "1" + "0" * 400


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "mini")
    crit = tmp_path / "mini" / "criteria.yaml"
    crit.write_text(crit.read_text().replace("tests/fixtures/mini/providers", str(tmp_path / "mini" / "providers")))
    return crit


@pytest.mark.parametrize(
    ("where", "text", "field"),
    [
        ("weight", (MINI / "criteria.yaml").read_text().replace("weight: 2", f"weight: {HUGE}"), "criteria[0].weight"),
        ("scale bound", (MINI / "criteria.yaml").read_text().replace("max: 100", f"max: {HUGE}"), "criteria[1].scale.max"),
        ("discount rate", (MINI / "criteria.yaml").read_text().replace("discount_rate: 0.05", f"discount_rate: {HUGE}"),
         "discount_rate"),
    ],
)  # fmt: skip
def test_a_400_digit_number_in_a_criteria_set_is_named(where, text, field):
    with pytest.raises(LoadError) as info:
        criteria_set_from_doc(parse_yaml(text, "set.yaml"))
    assert field in {p.field for p in info.value.problems}, where


def test_a_400_digit_score_or_cost_is_named():
    cs = criteria_set_from_doc(parse_yaml((MINI / "criteria.yaml").read_text(), "set.yaml"))
    leaves = {leaf.id: leaf for leaf in cs.leaves()}
    text = f"id: x\nname: X\nscores: {{exposure: {HUGE}, cost: 3}}\ncosts: {{currency: CAD, annual: {{hosting: {HUGE}}}}}\n"
    with pytest.raises(LoadError) as info:
        provider_from_doc(parse_yaml(text, "x.yaml"), leaves)
    assert {p.field for p in info.value.problems} >= {"scores.exposure", "costs.annual.hosting"}


@pytest.mark.parametrize(
    "text",
    [
        "disabled_must_haves: [[exposure]]\n",
        "providers: [[alpha]]\n",
        "overrides: [{provider: [a], criterion: {b: c}, value: 1}]\n",
    ],
)
def test_a_list_or_mapping_where_an_id_stands_is_named(text):
    cs = criteria_set_from_doc(parse_yaml((MINI / "criteria.yaml").read_text(), "set.yaml"))
    for criteria_set, ids in ((cs, ["alpha", "beta"]), (None, None)):
        with pytest.raises(LoadError) as info:
            parse_scenario(text, "s.yaml", criteria_set, ids)
        assert all(p.file == "s.yaml" and p.line == 1 for p in info.value.problems)


def test_an_ahp_matrix_with_a_huge_cell(tmp_path, capsys):
    path = tmp_path / "m.yaml"
    path.write_text(f"criteria: [a, b]\nmatrix: [[1, {HUGE}], [1, 1]]\n")
    assert main(["ahp", str(path)]) == 2
    assert "error:" in capsys.readouterr().err


def test_alias_amplification_is_refused_fast():
    levels = "".join(
        f"g{i}: &g{i} [*g{i - 1}, *g{i - 1}, *g{i - 1}, *g{i - 1}, *g{i - 1}, *g{i - 1}]\n" for i in range(1, 12)
    )
    start = time.perf_counter()
    with pytest.raises(LoadError, match="more than 200,000 values once its aliases"):
        parse_yaml("g0: &g0 {id: x, name: x, weight: 1, scale: {min: 0, max: 1}}\n" + levels, "bomb.yaml")
    assert time.perf_counter() - start < 5  # bounded: not the 47 s it took before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_dev_zero_named_yaml_is_refused_without_reading(tmp_path, capsys):
    fifo = tmp_path / "criteria" / "fifo.yaml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    (tmp_path / "criteria" / "zero.yaml").symlink_to("/dev/zero")
    for path in (fifo, tmp_path / "criteria" / "zero.yaml"):
        with pytest.raises(LoadError, match="not a regular file"):
            read_yaml(path)
    assert main(["evaluate", "--criteria", str(fifo)]) == 2  # and it returns: no hang
    assert "not a regular file" in capsys.readouterr().err


def test_problems_are_capped_per_file():
    text = "id: x\nname: X\nscores:\n" + "".join(f"  c{i}: 1\n" for i in range(5000))
    cs = criteria_set_from_doc(parse_yaml((MINI / "criteria.yaml").read_text(), "set.yaml"))
    with pytest.raises(LoadError) as info:
        provider_from_doc(parse_yaml(text, "x.yaml"), {leaf.id: leaf for leaf in cs.leaves()})
    problems = info.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == f"… and {5000 - MAX_PROBLEMS:,} more problem(s) in this file"


@pytest.mark.parametrize("command", ["sensitivity", "tco"])
def test_a_negative_seed_is_a_usage_error(mini, command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--criteria", str(mini), "--seed", "-1"])
    assert info.value.code == 2
    assert "a seed is a whole number from 0" in capsys.readouterr().err


def test_tco_samples_and_rates_are_bounded(mini, capsys):
    assert main(["tco", "--criteria", str(mini), "--samples", "20000000"]) == 2
    assert "--samples must be between 0 and 1,000,000" in capsys.readouterr().err
    assert main(["tco", "--criteria", str(mini), "--discount-rate", "1e308"]) == 2
    assert "inf" not in capsys.readouterr().err


def test_weights_near_the_float_limit_are_not_all_zero(mini, capsys):
    cs = load_study(mini).criteria_set
    weights = global_weights(cs, {"legal": 1e308, "cost": 1e308})
    assert weights["cost"] == pytest.approx(0.5) and sum(weights.values()) == pytest.approx(1.0)
    assert main(["evaluate", "--criteria", str(mini), "--weights", "legal=1e308", "cost=1e308"]) == 0


def test_a_workshop_json_nested_100000_deep(mini, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    args = [
        "report",
        "--criteria",
        str(mini),
        "--format",
        "md",
        "--out",
        str(tmp_path / "r.md"),
        "--workshop",
        str(deep),
    ]
    assert main(args) == 2
    assert "nested more than 64 levels deep" in capsys.readouterr().err


def test_workshop_db_that_is_not_a_database(mini, tmp_path, capsys):
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("these are my notes, not a database\n" * 100)
    args = ["workshop", "create", "--criteria", str(mini), "--title", "x", "--db", f"sqlite:///{bogus}"]
    assert main(args) == 2
    assert "as the workshop database (file is not a database)" in capsys.readouterr().err
    with pytest.raises(sqlite3.DatabaseError):  # the file was left as it was
        sqlite3.connect(bogus).execute("select 1 from sqlite_master")


def test_the_browser_never_sees_a_traceback():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_a_link_cannot_inject_markdown(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["set"] = (
        "[Session expired - log in here](https://evil.example) ![x](https://evil.example/p.png) www.evil.example"
    )
    at.run()
    warning = at.warning[0].value
    assert "](https" not in warning.replace("\\](https", "")
    assert "\\[Session expired" in warning and "!\\[x\\]" in warning and "www&#46;evil" in warning


def test_fuzzing_every_entry_point_gives_no_traceback():
    tracebacks, by_entry = fuzz(300, seed=20261202, show=3)
    assert tracebacks == 0, by_entry


def test_a_path_too_long_for_the_system_is_a_sentence(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("criteria: " + "x" * 5000 + "\n")
    assert main(["validate", str(scenario)]) == 1
    assert "criteria set 'xxx" in capsys.readouterr().out
    crit = tmp_path / "c.yaml"
    crit.write_text((MINI / "criteria.yaml").read_text().replace("tests/fixtures/mini/providers", "y" * 5000))
    assert main(["evaluate", "--criteria", str(crit)]) == 2
    assert "providers folder not found" in capsys.readouterr().err

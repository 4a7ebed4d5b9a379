"""A new method is one file: a throwaway module with only the five required fields, dropped into
workbench/methods/, appears in `evaluate`, `sensitivity` (fixed and triangular score draws), the
app's method menu and method agreement, the Robustness page and every report format.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import workbench.methods as methods_pkg
from workbench.cli import main
from workbench.evaluate import compare_methods, evaluate, normalized_matrix
from workbench.methods import Method, get_method, method_names
from workbench.robustness import smaa
from workbench.study import load_study

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini" / "criteria.yaml"
APP = str(ROOT / "app.py")
NAME = "best-of-weighted"
LABEL = {"en": "Best weighted criterion", "fr": "Meilleur critère pondéré"}
PLUGIN = f'''
"""Throwaway test method: an option's score is its best weighted normalised value."""

from workbench.methods import Method


def scores(r, w):
    return (w[:, None, :] * r[None, :, :]).max(axis=2)


METHOD = Method(
    name="{NAME}",
    label={LABEL!r},
    default_normalization="scale",
    higher_is_better=True,
    scores=scores,
)
'''


@pytest.fixture(scope="module")
def plugin():
    path = Path(methods_pkg.__file__).parent / "zz_throwaway_plugin.py"
    path.write_text(PLUGIN, encoding="utf-8")
    try:
        yield NAME
    finally:
        path.unlink()
        shutil.rmtree(path.parent / "__pycache__" / "zz_throwaway_plugin", ignore_errors=True)
    assert NAME not in method_names()


def expected_scores(study, normalization="scale"):
    r = normalized_matrix(study, normalization)
    w = study.weight_vector()
    return (w[None, :] * r).max(axis=1)


def test_the_registry_finds_the_module(plugin):
    assert method_names()[-1] == plugin  # after the shipped methods (their order is explicit)
    assert get_method(plugin).label == LABEL
    assert method_names()[:5] == ("weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor")


def test_engine_and_cli_evaluate(plugin, capsys):
    study = load_study(MINI)
    ev = evaluate(study, plugin)
    got = {r.id: r.score for r in ev.results}
    want = dict(zip(study.provider_ids, expected_scores(study).tolist(), strict=True))
    assert got == pytest.approx(want, abs=1e-12)
    assert ev.normalization == "scale" and ev.results[0].contributions == {}  # no additive hook
    assert plugin in compare_methods(study)["ranks"]

    assert main(["evaluate", "--criteria", str(MINI), "--method", plugin, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == plugin
    assert {r["id"]: r["score"] for r in data["results"]} == pytest.approx(want, abs=1e-12)


def test_a_fresh_interpreter_lists_it_as_a_cli_choice(plugin):
    out = subprocess.run(
        [sys.executable, "-m", "workbench", "evaluate", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert plugin in out


@pytest.mark.parametrize("scores_model", ["fixed", "triangular"])
def test_sensitivity_with_weight_and_score_draws(plugin, scores_model, capsys):
    args = ["sensitivity", "--criteria", str(MINI), "--method", plugin, "--samples", "400", "--seed", "3"]
    assert main([*args, "--scores-model", scores_model, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    study = load_study(MINI)
    direct = smaa(study, method=plugin, samples=400, seed=3, scores_model=scores_model)
    assert data["method"] == plugin and data["scores_model"] == scores_model
    first = {pid: row[0] for pid, row in data["rank_acceptability"].items()}
    assert first == pytest.approx(dict(zip(direct.provider_ids, direct.first_rank.tolist(), strict=True)))
    assert sum(first.values()) == pytest.approx(1.0)
    if scores_model == "triangular":
        # The generic per-draw scorer gives what the kernel gives draw by draw.
        from workbench.robustness.draws import DrawScorer, draw_matrices, score_bounds

        rng = np.random.default_rng(0)
        x = draw_matrices(rng, 7, study, "triangular", score_bounds(study))
        w = np.tile(study.weight_vector(), (7, 1))
        got = DrawScorer(study, x, plugin, "scale")(w)
        for k in range(7):
            want = get_method(plugin).scores(_normalise(study, x[k]), w[k : k + 1])[0]
            np.testing.assert_allclose(got[k], want, atol=1e-12)


def _normalise(study, x):
    from workbench.normalize import normalize

    return normalize(x, study.cost_mask, "scale", study.lower, study.upper)


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx", "md", "csv", "json"])
def test_every_report_format(plugin, fmt, tmp_path):
    out = tmp_path / f"report.{fmt}"
    args = ["report", "--criteria", str(MINI), "--method", plugin, "--format", fmt, "--out", str(out)]
    assert main([*args, "--lang", "fr", "--robustness-samples", "200"]) == 0
    data = out.read_bytes()
    assert len(data) > 300
    if fmt in ("html", "md", "json"):
        assert LABEL["fr"] in data.decode("utf-8")
    if fmt == "pdf":
        from pypdf import PdfReader

        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert LABEL["fr"] in " ".join(text.split())
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
        assert any(LABEL["fr"] in c for c in cells)
    if fmt == "csv":  # the ranking alone: its scores are the plug-in's
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        rows = rows[: rows.index([])] if [] in rows else rows  # the ranking block, before the extra blocks
        study = load_study(MINI)
        want = dict(zip(study.provider_ids, expected_scores(study).tolist(), strict=True))
        assert {row[1]: float(row[3]) for row in rows[1:]} == pytest.approx(want, abs=1e-6)
    if fmt == "json":
        report = json.loads(data)
        assert json.dumps(report, ensure_ascii=False).count(plugin) >= 1


def test_app_menu_agreement_and_robustness(plugin, tmp_path, monkeypatch):
    crit = tmp_path / "criteria"
    crit.mkdir()
    shutil.copy(MINI, crit / "mini.yaml")
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(str(ROOT / "ui" / "pages" / "compare.py")).run()
    assert not at.exception, at.exception
    menu = at.selectbox(key="cmp_method")
    assert LABEL["en"] in menu.options
    menu.set_value(plugin).run()
    assert not at.exception, at.exception
    at.session_state["cmp_tab"] = "Across methods"  # the agreement tab is built when opened
    at.run()
    assert not at.exception, at.exception
    assert any(LABEL["en"] in str(df.value.columns.tolist()) for df in at.dataframe)  # method agreement table
    at.switch_page(str(ROOT / "ui" / "pages" / "robustness.py")).run()
    assert not at.exception, at.exception
    assert at.session_state["wb_method"] == plugin


def test_a_malformed_method_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="label needs 'en' and 'fr'"):
        Method(name="x", label={"en": "X"}, default_normalization=None, higher_is_better=True, scores=np.add)
    with pytest.raises(ValueError, match="lower-case"):
        Method(name="Bad Name", label=LABEL, default_normalization=None, higher_is_better=True, scores=np.add)

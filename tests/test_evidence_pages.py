"""The app shows the evidence: status marks and their legend, reference models apart from the
ranking, first-place shares under score draws, and on the option page each source's kind, dates
and quote and where a composed option's score comes from (AppTest on tests/fixtures/evidence)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbench.robustness.smaa import FirstPlace
from workbench.study import load_study

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "evidence"


@pytest.fixture
def evidence_app(tmp_path, monkeypatch):
    crit = tmp_path / "criteria"
    crit.mkdir()
    shutil.copy(FIXTURE / "criteria.yaml", crit / "evidence.yaml")
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    monkeypatch.chdir(ROOT)

    def make(lang: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page(str(ROOT / "ui" / "pages" / "compare.py")).run()
        assert not at.exception, at.exception
        return at

    return make


def tables(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("| ")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_compare_ranks_options_and_shows_references_apart(evidence_app, lang):
    at = evidence_app(lang)
    ranking, references = tables(at)[:2]
    rows = [line.split("|")[1:-1] for line in ranking.splitlines()[2:]]
    assert [r[0].strip() for r in rows] == ["1", "2"]
    plain, composed = ("Option simple", "Pile sur hébergeur") if lang == "fr" else ("Plain option", "Stack on host")
    assert plain in rows[0][1] and composed in rows[1][1]
    shares = FirstPlace(load_study(FIXTURE / "criteria.yaml"))()
    percent = "\u00a0%" if lang == "fr" else "%"
    expected = [f"{round(100 * s)}{percent}" for s in (shares[1], shares[0])]
    assert [r[3].strip() for r in rows] == expected
    assert "national" not in ranking.lower() and (
        "Un système national" in references or "A national system" in references
    )
    header = "Modèles de référence (hors classement)" if lang == "fr" else "Reference models (not ranked)"
    assert any(header in m.value for m in at.markdown)


def test_the_matrix_marks_each_status_and_explains_the_marks(evidence_app):
    at = evidence_app("en")
    matrix = next(d.value for d in at.dataframe if "Plain option" in d.value.columns)
    assert matrix["Plain option"].tolist() == ["8 ✔", "5 ◇", "6 ≈"]
    assert matrix["Stack on host"].tolist() == ["4 ✔", "7 ≈", "⚠ 5 ≈"]
    legend = next(c.value for c in at.caption if "higher is better" in c.value)
    assert "✔ verified · ◇ vendor claim · ≈ estimate · ? assumption · ⚑ disputed" in legend


def test_the_option_page_lists_source_kinds_dates_quotes_and_origins(evidence_app):
    at = evidence_app("fr")
    at.session_state["prov_pick"] = "composed"
    at.switch_page(str(ROOT / "ui" / "pages" / "provider.py")).run()
    assert not at.exception, at.exception
    texts = [m.value for m in at.markdown]
    block = next(x for x in texts if "Court ruling" in x).splitlines()
    assert (
        block[0]
        == "- [Court ruling](https://www.canlii.org/ruling) — document officiel, publiée le 2025-09-25, consultée le 2026-11-20"
    )
    assert block[1].startswith("  > « The order reaches the parent")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("note du composant ") and c.endswith("components/host.yaml:4") for c in captions)
    assert any("✔ vérifiée" in x for x in texts)

"""AppTest of the Robustness page inside the app's navigation, in French and in English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGE = "ui/pages/robustness.py"
FIXTURE_DIR = ROOT / "tests" / "fixtures" / "robustness"
HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"


def _unescape(text: str) -> str:
    return text.replace("\\", "")


@pytest.fixture
def fixture_app(monkeypatch) -> AppTest:
    """The app on the robustness fixture (A leads, B challenges, C fails a must-have)."""
    import streamlit as st

    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(FIXTURE_DIR))
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["wb_lang"] = "fr"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _title(spec: dict) -> str:
    """A chart's title as one string (long titles are drawn on several lines)."""
    title = spec.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    return " ".join(title) if isinstance(title, list) else title


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]


def test_page_in_french(fixture_app):
    at = fixture_app
    assert at.title[0].value == "Robustesse du classement"
    verdict = _unescape(at.info[0].value)
    assert verdict.startswith("Option A arrive premier dans")
    assert "« Qualité » descend sous 33,3" in verdict and "au profit de Option B" in verdict
    assert at.metric[0].label == "Option A"
    titles = [_title(c) for c in _charts(at)]
    assert titles[:2] == ["Fréquence de chaque rang", "Distance avant un changement de premier"]
    assert titles[2] == "Score selon le poids de « Qualité »"  # the most sensitive criterion first
    flips = at.dataframe[0].value
    assert list(flips["Option"]) == ["Option B"]
    assert len(at.dataframe) == 1  # the chart tables and the details wait until opened
    at.session_state["rob_details"] = True  # open the details
    at.run()
    details = at.dataframe[1].value
    # Untrusted names are shown as data, never interpreted (a leading '=' or markdown stays as is).
    assert "=Option *C*" in list(details["Option"])
    row_c = details[details["Option"] == "=Option *C*"].iloc[0]
    assert row_c["Rang 1"].startswith("0,0") and row_c["Admissible"] == "✗ non"
    assert list(details["Option"])[0] == "Option A" and details["Admissible"].iloc[0] == "✓ oui"


def test_page_in_english(fixture_app):
    at = fixture_app
    at.sidebar.radio(key="wb_lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Robustness of the ranking"
    verdict = _unescape(at.info[0].value)
    assert verdict.startswith("Option A ranks first in")
    assert "falls below 33.3% (now 40.0%)" in verdict
    assert at.selectbox(key="rob_leaf").options[0] == "Quality"


def test_page_recomputes_when_weights_change(fixture_app):
    at = fixture_app
    before = _unescape(at.info[0].value)
    at.session_state["wb_weights"] = {"quality": 1, "price": 4, "lawful": 1}
    at.run()
    after = _unescape(at.info[0].value)
    assert before != after and after.startswith("Option B arrive premier")


def test_settings_change_the_analysis(fixture_app):
    at = fixture_app
    at.radio(key="rob_wmodel").set_value("fixed").run()
    assert not at.exception
    assert at.metric[0].value == "100,0\u00a0%"
    assert "robuste" in _unescape(at.info[0].value)
    at.radio(key="rob_wmodel").set_value("dirichlet").run()
    at.number_input(key="rob_conc").set_value(500.0).run()
    assert not at.exception
    at.selectbox(key="rob_leaf").set_value("price").run()
    sweep = next(c for c in _charts(at) if _title(c).startswith("Score selon"))
    assert _title(sweep) == "Score selon le poids de « Prix »"


def test_page_on_the_shipped_health_study(monkeypatch):
    import streamlit as st

    monkeypatch.delenv("WORKBENCH_CRITERIA_DIR", raising=False)
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["wb_lang"] = "en"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert "ranks first in" in _unescape(at.info[0].value)
    assert len(at.get("vega_lite_chart")) == 3


def test_other_method_with_score_draws(fixture_app):
    at = fixture_app
    at.session_state["wb_method"] = "vikor"
    at.run()
    at.radio(key="rob_smodel").set_value("triangular").run()
    assert not at.exception, at.exception
    expected = (
        "Calculé seulement pour les méthodes dont le score est une somme pondérée : Somme pondérée, PROMETHEE II."
    )
    assert expected in [c.value for c in at.caption]
    sweep = next(c for c in _charts(at) if _title(c).startswith("Score selon"))
    assert any(layer.get("encoding", {}).get("y", {}).get("title") == "Score (Q ↓)" for layer in sweep["layer"])
    # The analysis itself is the engine's, with the same settings.
    from workbench.evaluate import evaluate
    from workbench.robustness import smaa
    from workbench.study import load_study

    study = load_study(FIXTURE_DIR / "criteria.yaml")
    res = smaa(study, method="vikor", scores_model="triangular", samples=10_000)
    leader = res.provider_ids.index(evaluate(study, "vikor").winner().id)
    shown = at.metric[0].value
    assert shown == f"{100 * res.first_rank[leader]:.1f}".replace(".", ",") + "\u00a0%"


def test_rank_reversal_in_plain_words(fixture_app):
    """Weighted sum on declared scales: removing or copying an option never reorders the others;
    with min-max normalisation the page says what the engine's audit finds."""
    from workbench.robustness import rank_reversal
    from workbench.robustness.rank_reversal import describe
    from workbench.study import load_study

    at = fixture_app
    assert any(h.value == "Inversions de rang" for h in at.subheader)
    text = "\n".join(m.value for m in at.markdown)
    assert "Aucune inversion de rang" in text
    at.session_state["wb_normalization"] = "minmax"
    at.run()
    study = load_study(FIXTURE_DIR / "criteria.yaml")
    names = {p.id: p.name.get("fr") for p in study.providers}
    expected = describe(rank_reversal(study, "weighted-sum", "minmax"), names, "fr")
    shown = next(
        m.value for m in at.markdown if m.value.startswith("- ") and ("inversion" in m.value or "inverse" in m.value)
    )
    assert shown.count("\n") + 1 == len(expected)


# --- text alternatives and colour (issue 17) --------------------------------------------------


def test_charts_have_a_description_and_a_table_of_their_data(fixture_app):
    at = fixture_app
    alts = [el.proto.alt for el in at.get("vega_lite_chart")]
    assert alts[0].startswith("Barres empilées") and "Option A 5" in alts[0] and "=Option *C* 0\u00a0%" in alts[0]
    assert alts[1].startswith("Barres horizontales") and "« Qualité », à 6,7 points" in alts[1]
    assert alts[2].startswith("Courbes") and "« Qualité »" in alts[2] and "(actuellement 40,0\u00a0%)" in alts[2]
    for key in ("rob_acceptability_data", "rob_tornado_data", "rob_sweep_data"):
        at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    acceptability, tornado, sweep, _flips = (d.value for d in at.dataframe)
    shares = acceptability.set_index("Option")
    assert list(shares.index) == ["Option A", "Option B", "=Option *C*"]
    assert shares.loc["=Option *C*", "Admissible"] == "✗ non" and shares.loc["=Option *C*", "Rang 1"] == "0,0\u00a0%"
    assert list(tornado.columns) == ["Critère", "Poids actuel", "Baisse", "Hausse"]
    assert tornado.iloc[0].to_dict() == {"Critère": "Qualité", "Poids actuel": "40,0\u00a0%", "Baisse": "33,3\u00a0%",
                                         "Hausse": "aucun changement"}  # fmt: skip
    assert list(sweep.columns) == ["Option", "Admissible", "Poids actuel", "0\u00a0%", "25\u00a0%", "50\u00a0%",
                                   "75\u00a0%", "100\u00a0%"]  # fmt: skip
    assert len(sweep) == 3


def test_colour_is_never_the_only_carrier():
    from workbench.charts import robustness as charts
    from workbench.robustness import analyse, sweeps
    from workbench.study import load_study

    study = load_study(HEALTH)
    analysis = analyse(study, samples=2_000, seed=0)
    # Rank shades carry their share as a number, in a colour that reads on the shade.
    spec = charts.acceptability_chart(analysis.smaa, study, "fr").to_dict()
    bars, numbers = spec["layer"]
    fills = bars["encoding"]["color"]["scale"]["range"]
    assert fills[0] == charts.RANK_DARK and fills[-1] == charts.RANK_LIGHT
    rows = spec["datasets"][spec["data"]["name"]]
    labelled = [r for r in rows if r["share"] >= charts.LABEL_MIN_SHARE]
    assert labelled and all(r["label"].endswith("\u00a0%") for r in labelled)
    assert all(r["label"] == "" for r in rows if r["share"] < charts.LABEL_MIN_SHARE)
    assert numbers["mark"]["type"] == "text" and numbers["encoding"]["text"]["field"] == "label"
    assert all(charts.contrast(r["ink"], fills[r["rank"] - 1]) >= 4.5 for r in rows)
    # The tornado's sides without a change are dashed; the others carry their distance.
    tornado = charts.tornado_chart(analysis.thresholds, study, "en").to_dict()
    assert tornado["layer"][0]["encoding"]["strokeDash"]["value"] == [3, 2]
    assert [layer["mark"]["type"] for layer in tornado["layer"]] == ["bar", "text", "text"]
    # Each option's line has its own marker shape, and eligibility is a symbol and a word.
    lines = sweeps(study)
    sweep = charts.sweep_chart(next(iter(lines.values())), study, "fr", eligible=analysis.smaa.eligible).to_dict()
    shapes = next(layer for layer in sweep["layer"] if layer["mark"]["type"] == "point")["encoding"]["shape"]
    assert len(set(shapes["scale"]["range"])) == len(study.provider_ids)
    assert charts.eligible_text(True, "fr") == "✓ oui" and charts.eligible_text(False, "en") == "✗ no"

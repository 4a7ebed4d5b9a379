"""AppTest tests of the Streamlit app: every page in both languages, weights -> ranking exactly as
the engine and the CLI say, must-haves, confidence marks, what-ifs, broken files, scenarios, URL.

Most tests run on a temp copy of tests/fixtures/mini (WORKBENCH_CRITERIA_DIR points at it), so
they do not depend on the shipped studies, which other developers are still editing.
"""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from ui.widgets import md_escape, safe_url
from workbench.cli import main as cli_main
from workbench.evaluate import evaluate
from workbench.study import load_study
from workbench.weights import rebalance_locked

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
MINI = ROOT / "tests" / "fixtures" / "mini"
HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"
PAGES = ("study", "weights", "compare", "provider", "costs", "scenario")
TITLES = {
    "fr": {"study": "Étude", "weights": "Pondération", "compare": "Comparaison", "provider": "Fiche d'une option",
           "costs": "Coût total de possession", "scenario": "Scénario"},
    "en": {"study": "Study", "weights": "Weights", "compare": "Compare", "provider": "Option profile",
           "costs": "Total cost of ownership", "scenario": "Scenario"},
}  # fmt: skip


def make_study_dir(base: Path, *, broken: str | None = None, extra: dict[str, str] | None = None) -> Path:
    """A copy of the mini study under base/criteria + base/providers; `broken` adds a bad profile."""
    crit, prov = base / "criteria", base / "providers"
    crit.mkdir(parents=True)
    shutil.copytree(MINI / "providers", prov)
    data = (MINI / "criteria.yaml").read_text(encoding="utf-8")
    data = data.replace("providers: tests/fixtures/mini/providers", f"providers: {prov}")
    (crit / "mini.yaml").write_text(data, encoding="utf-8")
    if broken is not None:
        (prov / "delta.yaml").write_text(broken, encoding="utf-8")
    for name, text in (extra or {}).items():
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_text(text, encoding="utf-8")
    return crit


@pytest.fixture
def mini_dir(tmp_path, monkeypatch) -> Path:
    crit = make_study_dir(tmp_path)
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    return crit


def app(lang: str | None = "fr", params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at


def page(at: AppTest, name: str) -> AppTest:
    at.switch_page(str(ROOT / "ui" / "pages" / f"{name}.py")).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def ranking(at: AppTest) -> list[dict[str, str]]:
    """The ranking table shown on the Compare page, parsed from its markdown."""
    table = next(m.value for m in at.markdown if m.value.startswith("| ") and "---|" in m.value)
    rows = []
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        name = unescape(re.sub(r"\\(.)", r"\1", cells[1].removeprefix("**").removesuffix("**").replace("** ✎", " ✎")))
        eligible, _, failed = cells[4].partition(" — ")  # "✗ no — the unmet must-haves"
        rows.append({"rank": cells[0], "name": name, "score": cells[2], "first": cells[3],
                     "eligible": eligible, "failed": unescape(re.sub(r"\\(.)", r"\1", failed))})  # fmt: skip
    return rows


def matrix(at: AppTest):
    return next(d.value for d in at.dataframe if "Alpha" in d.value.columns)


def expected_order(crit: Path, weights: dict[str, float] | None = None, lang: str = "fr", **scenario) -> list[str]:
    study = load_study(crit / "mini.yaml", scenario=scenario.get("scenario"))
    return [r.name for r in evaluate(study, weights=weights, lang=lang).results]


# --- every page, both languages -----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_in_both_languages(mini_dir, name, lang):
    at = app(lang)
    at.run()
    assert not at.exception
    page(at, name)
    assert at.title[0].value == TITLES[lang][name]
    assert at.sidebar.radio(key="wb_lang").value == lang


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shipped_health_study_every_page(monkeypatch, lang):
    monkeypatch.delenv("WORKBENCH_CRITERIA_DIR", raising=False)
    at = app(lang)
    at.run()
    assert not at.exception
    for name in PAGES:
        page(at, name)
        assert at.title[0].value == TITLES[lang][name]
    page(at, "compare")
    study = load_study(HEALTH)
    expected = [r.name for r in evaluate(study, lang=lang).results]
    assert [r["name"] for r in ranking(at)] == expected


def test_language_follows_browser_then_french(mini_dir):
    at = app(None)
    at.context = {"locale": "en-US"}
    at.run()
    assert at.title[0].value == "Compare"
    at = app(None)
    at.context = {"locale": "de-DE"}
    at.run()
    assert at.title[0].value == "Comparaison"


def test_language_switch_in_sidebar_and_url(mini_dir):
    at = app("fr")
    at.run()
    assert at.title[0].value == "Comparaison"
    at.sidebar.radio(key="wb_lang").set_value("en").run()
    assert at.title[0].value == "Compare"
    assert at.query_params["lang"] == "en"
    header = at.markdown[1].value.splitlines()[0]
    assert header == "| Rank | Option | Score | First in | Eligible |"
    beta = next(r for r in ranking(at) if r["name"] == "Beta")
    assert beta["eligible"] == "✗ no" and beta["failed"].startswith("Exposure")


def test_numbers_use_the_locale(mini_dir):
    at = app("fr")
    at.run()
    scores_fr = [r["score"] for r in ranking(at)]
    assert all("," in s and "." not in s for s in scores_fr)
    at.sidebar.radio(key="wb_lang").set_value("en").run()
    assert [s.replace(",", ".") for s in scores_fr] == [r["score"] for r in ranking(at)]


# --- weights -> ranking -------------------------------------------------------------------------


def test_changing_a_weight_changes_the_ranking_as_the_engine_says(mini_dir):
    at = app("en")
    at.run()
    before = [r["name"] for r in ranking(at)]
    assert before == expected_order(mini_dir, lang="en") == ["Alpha", "Gamma", "Beta"]
    page(at, "weights")
    at.text_input(key="w_cost").input("10").run()
    assert not at.exception
    page(at, "compare")
    rows = ranking(at)
    assert [r["name"] for r in rows] == expected_order(mini_dir, {"cost": 10}, lang="en") == ["Gamma", "Alpha", "Beta"]
    study = load_study(mini_dir / "mini.yaml")
    ev = evaluate(study, weights={"cost": 10}, lang="en")
    assert [float(r["score"]) for r in rows] == pytest.approx([r.score for r in ev.results], abs=6e-4)
    assert [int(r["rank"]) for r in rows] == [r.rank for r in ev.results]


def cli_json(capsys, *args: str) -> dict:
    """`python -m workbench ARGS` in-process (the same `main`), its JSON output parsed."""
    capsys.readouterr()
    assert cli_main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_weights_match_the_cli(mini_dir, capsys):
    at = app("en")
    at.run()
    page(at, "weights")
    at.text_input(key="w_cost").input("10").run()
    at.text_input(key="w_residency").input("4").run()
    page(at, "compare")
    rows = ranking(at)
    weights = at.session_state["wb_weights"]
    args = [f"{k}={v:g}" for k, v in weights.items()]
    cli = cli_json(capsys, "evaluate", "--criteria", str(mini_dir / "mini.yaml"), "--format", "json", "--lang", "en",
                   "--weights", *args)["results"]  # fmt: skip
    assert [r["name"] for r in rows] == [r["name"] for r in cli]
    assert [float(r["score"]) for r in rows] == pytest.approx([r["score"] for r in cli], abs=6e-4)


def test_shares_are_shown_live(mini_dir):
    at = app("en")
    at.run()
    page(at, "weights")
    texts = [m.value for m in at.markdown]
    # legal 2 : cost 1 -> 66.7 % / 33.3 %; exposure 3 : residency 1 inside legal -> 75 % local, 50 % global
    assert "75.0%" in texts and "**50.0%**" in texts and "**33.3%**" in texts
    at.text_input(key="w_cost").input("2").run()
    texts = [m.value for m in at.markdown]
    assert "**50.0%**" in texts and "**37.5%**" in texts


def test_reset_restores_defaults(mini_dir):
    at = app("en")
    at.run()
    page(at, "weights")
    at.text_input(key="w_cost").input("10").run()
    at.button(key="weights_reset").click().run()
    assert at.text_input(key="w_cost").value == "1"
    assert at.session_state["wb_weights"]["cost"] == 1


def test_lock_keeps_a_share(mini_dir):
    at = app("en")
    at.run()
    page(at, "weights")
    # Under legal: exposure 3, residency 1. Lock nothing else -> there is no free sibling: refused.
    at.checkbox(key="w_lock_residency").check().run()
    at.text_input(key="w_exposure").input("5").run()
    assert at.text_input(key="w_exposure").value == "3"
    assert any("locked" in w.value for w in at.warning)


def test_rebalance_keeps_locked_shares():
    new, ok = rebalance_locked({"a": 2, "b": 1, "c": 1}, "a", 1, locked=["b"])
    assert ok and new == {"a": 1, "b": 1, "c": 2}  # total 4 kept, b keeps 25 %
    new, ok = rebalance_locked({"a": 2, "b": 1, "c": 1}, "a", 9, locked=["b"])
    assert ok and new == {"a": 3, "b": 1, "c": 0}  # capped at what the lock leaves
    new, ok = rebalance_locked({"a": 2, "b": 2}, "a", 5, locked=["b"])
    assert not ok and new == {"a": 2, "b": 2}
    new, ok = rebalance_locked({"a": 2, "b": 2}, "a", 5, locked=[])
    assert ok and new == {"a": 5, "b": 2}
    new, ok = rebalance_locked({"a": 1, "b": 1, "c": 0, "d": 0}, "a", 0, locked=["b"])
    assert ok and new == {"a": 0, "b": 1, "c": 0.5, "d": 0.5}


def test_roc_and_ahp_helpers(mini_dir):
    at = app("en")
    at.run()
    page(at, "weights")
    at.selectbox(key="roc_group").set_value("legal").run()
    at.multiselect(key="roc_order_exposure-residency").set_value(["residency", "exposure"]).run()
    at.button(key="roc_apply").click().run()
    weights = at.session_state["wb_weights"]
    assert weights["residency"] == pytest.approx(75.0) and weights["exposure"] == pytest.approx(25.0)
    # AHP on the top level: legal is 9× cost -> CR 0 (n = 2), weights 0.9 / 0.1
    at.selectbox(key="ahp_group").set_value("").run()
    at.radio(key="ahp_q_legal-cost").set_value(4)  # "Legal" is extremely more important than "Cost"
    at.button(key="ahp_next").click().run()
    at.button(key="ahp_apply").click().run()
    weights = at.session_state["wb_weights"]
    assert weights["legal"] == pytest.approx(90.0) and weights["cost"] == pytest.approx(10.0)


def test_ahp_warns_over_cr_threshold(tmp_path, monkeypatch):
    three = (
        (MINI / "criteria.yaml")
        .read_text()
        .replace(
            "  - id: cost\n",
            "  - id: extra\n    name: Extra\n    weight: 1\n    scale: {min: 0, max: 1}\n  - id: cost\n",
        )
    )
    crit = make_study_dir(tmp_path)
    (crit / "mini.yaml").write_text(three.replace("providers: tests/fixtures/mini/providers",
                                                  f"providers: {tmp_path / 'providers'}"))  # fmt: skip
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    at = app("en")
    at.run()
    page(at, "weights")
    at.selectbox(key="ahp_group").set_value("").run()
    # legal 9× extra, extra 9× cost, but cost 9× legal: circular, very inconsistent.
    for step in (4, -4, 4):  # pairs (legal, extra), (legal, cost), (extra, cost), answered in words
        at.radio(key="ahp_q_legal-extra-cost").set_value(step)
        at.button(key="ahp_next").click().run()
    assert any(w.value.startswith("The answers are inconsistent: consistency ratio (CR)") for w in at.warning)
    cr = float(next(w.value for w in at.warning).split("(CR) ")[1].split(",")[0])
    assert cr > 0.1


# --- must-haves, confidence, what-if -------------------------------------------------------------


def test_must_have_failure_and_low_confidence_are_shown(mini_dir):
    at = app("fr")
    at.run()
    beta = next(r for r in ranking(at) if r["name"] == "Bêta")
    assert beta["rank"] == "3" and "non" in beta["eligible"]
    assert beta["failed"] == r"Exposition : exigé ≥ 3, obtenu 2"
    cells = matrix(at)
    assert cells.loc["Exposition ↑", "Bêta"] == "⚠ 2"
    assert cells.loc["Exposition ↑", "Alpha"] == "8"
    assert cells.loc["Résidence ↑", "Alpha"] == "2 (quebec)"


def test_must_have_can_be_switched_off(mini_dir):
    at = app("en")
    at.run()
    at.toggle(key="mh_exposure").set_value(False).run()
    rows = ranking(at)
    assert all(r["eligible"] == "yes" for r in rows)
    assert at.session_state["wb_disabled"] == ["exposure"]
    study = load_study(mini_dir / "mini.yaml")
    study.scenario.disabled_must_haves = ["exposure"]
    assert [r["name"] for r in rows] == [r.name for r in evaluate(study, lang="en").results]
    assert at.query_params["off"] == "exposure"


def test_what_if_override_is_marked_and_saved(mini_dir):
    at = app("en")
    at.run()
    at.selectbox(key="wi_provider").set_value("gamma")
    at.selectbox(key="wi_leaf").set_value("exposure")
    at.text_input(key="wi_value").input("10")
    at.text_input(key="wi_note").input("vendor **promise**")
    at.button(key="wi_apply").click().run()
    assert not at.exception
    rows = ranking(at)
    assert rows[0]["name"] == "Gamma ✎"
    assert matrix(at).loc["Exposure ↑", "Gamma"] == "✎ 10"
    assert any(r"vendor \*\*promise\*\*" in m.value for m in at.markdown)
    page(at, "scenario")
    saved = yaml.safe_load(at.code[0].value)
    assert saved["overrides"] == [{"provider": "gamma", "criterion": "exposure", "value": 10,
                                   "note": "vendor **promise**"}]  # fmt: skip


def test_what_if_refuses_off_scale_values(mini_dir):
    at = app("en")
    at.run()
    at.selectbox(key="wi_leaf").set_value("exposure")
    at.text_input(key="wi_value").input("42")
    at.button(key="wi_apply").click().run()
    assert any("the maximum is 10" in e.value for e in at.error)
    assert at.session_state["wb_overrides"] == []


def test_method_selector_and_methods_view(mini_dir):
    at = app("en")
    at.run()
    at.selectbox(key="cmp_method").set_value("topsis").run()
    study = load_study(mini_dir / "mini.yaml")
    ev = evaluate(study, "topsis", lang="en")
    assert [float(r["score"]) for r in ranking(at)] == pytest.approx([r.score for r in ev.results], abs=6e-4)
    assert not any("Kendall" in m.label for m in at.metric)  # a closed tab is not built
    at.session_state["cmp_tab"] = "Across methods"
    at.run()
    kendall = next(m for m in at.metric if "Kendall" in m.label)
    from workbench.evaluate import compare_methods

    assert kendall.value == f"{compare_methods(study)['kendall_w']:.2f}"
    assert at.query_params["m"] == "topsis"


# --- bad input ---------------------------------------------------------------------------------


BROKEN = "id: delta\nname: Delta\nscores:\n  exposure: {value: lots}\n  residency: 1\n  cost: 10\n"


def test_broken_profile_is_reported_and_the_rest_ranks(tmp_path, monkeypatch):
    crit = make_study_dir(tmp_path, broken=BROKEN, extra={"criteria/bad.yaml": "id: bad\ncriteria: [\n"})
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    at = app("en")
    at.run()
    assert [r["name"] for r in ranking(at)] == ["Alpha", "Gamma", "Beta"]
    page(at, "study")
    problems = next(d.value for d in at.dataframe if "Line" in d.value.columns)
    files = problems["File"].tolist()
    assert any(f.endswith("delta.yaml") for f in files) and any(f.endswith("bad.yaml") for f in files)
    delta = problems[problems["File"].str.endswith("delta.yaml")].iloc[0]
    assert delta["Line"] == 4 and delta["Field"] == "scores.exposure.value"


def test_bad_scenario_upload_keeps_the_state(mini_dir):
    at = app("en")
    at.run()
    page(at, "weights")
    at.text_input(key="w_cost").input("7").run()
    page(at, "scenario")
    before = at.code[0].value
    cases = [
        ("bad.yaml", b"weights: {cost: [1, 2]\n", {("", 2)}),
        ("unknown.yaml", b"providers: [alpha, zeta]\nweights: {nope: 1}\n", {("providers[1]", 1), ("weights.nope", 2)}),
        ("types.yaml", b"weights: {cost: heavy}\nmethod: magic\n", {("weights.cost", 1), ("method", 2)}),
        ("binary.yaml", b"\xff\xfe\x00", set()),
    ]
    for name, content, where in cases:
        at.file_uploader(key="scn_upload").set_value((name, content, "application/x-yaml")).run()
        assert not at.exception
        assert any(name in e.value and "refused" in e.value or "UTF-8" in e.value for e in at.error), name
        problems = [d.value for d in at.dataframe if "Field" in d.value.columns]
        got = {(r["Field"], r["Line"]) for r in problems[0].to_dict("records")} if problems else set()
        assert got == where
        assert at.code[0].value == before
        assert at.session_state["wb_weights"]["cost"] == 7


def test_good_scenario_upload_applies(mini_dir):
    at = app("en")
    at.run()
    page(at, "scenario")
    text = b"criteria: mini\nproviders: [alpha, gamma]\nweights: {cost: 10}\nmethod: topsis\nnotes: hello\n"
    at.file_uploader(key="scn_upload").set_value(("mine.yaml", text, "application/x-yaml")).run()
    assert not at.exception
    assert at.session_state["wb_weights"]["cost"] == 10
    assert at.session_state["wb_providers"] == ["alpha", "gamma"]
    page(at, "compare")
    study = load_study(mini_dir / "mini.yaml")
    study_sel = evaluate(load_study(mini_dir / "mini.yaml", scenario=_write(mini_dir, text)), lang="en")
    assert [r["name"] for r in ranking(at)] == [r.name for r in study_sel.results]
    assert len(study.providers) == 3 and len(ranking(at)) == 2


def _write(folder: Path, text: bytes) -> Path:
    path = folder.parent / "scenario.yaml"
    path.write_bytes(text)
    return path


def test_scenario_download_round_trips(mini_dir, capsys):
    at = app("en")
    at.run()
    at.toggle(key="mh_exposure").set_value(False).run()
    page(at, "weights")
    at.text_input(key="w_legal").input("5").run()
    page(at, "scenario")
    text = at.code[0].value
    data = yaml.safe_load(text)
    assert data["criteria"] == "mini" and data["weights"]["legal"] == 5 and data["disabled_must_haves"] == ["exposure"]
    assert at.download_button(key="scn_download").label.startswith("Download")
    # The saved file drives the CLI to the same ranking as the app.
    path = _write(mini_dir, text.encode())
    cli = cli_json(capsys, "evaluate", "--criteria", str(mini_dir / "mini.yaml"), "--scenario", str(path),
                   "--format", "json", "--lang", "en")  # fmt: skip
    page(at, "compare")
    assert [r["name"] for r in ranking(at)] == [r["name"] for r in cli["results"]]


# --- URL ---------------------------------------------------------------------------------------


def test_query_string_reopens_the_same_view(mini_dir):
    at = app("en")
    at.run()
    at.selectbox(key="cmp_method").set_value("vikor").run()
    page(at, "weights")
    at.text_input(key="w_cost").input("10").run()
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["w"] == "cost:10" and params["m"] == "vikor" and params["set"] == "mini"
    fresh = app(None, params)
    fresh.run()
    assert fresh.session_state["wb_weights"]["cost"] == 10 and fresh.session_state["wb_method"] == "vikor"
    study = load_study(mini_dir / "mini.yaml")
    expected = evaluate(study, "vikor", weights={"cost": 10}, lang="en")
    assert [r["name"] for r in ranking(fresh)] == [r.name for r in expected.results]


def test_bad_query_string_is_refused_politely(mini_dir):
    at = app("en", {"w": "cost:abc,ghost:2", "p": "alpha,zeta"})
    at.run()
    assert not at.exception
    assert any("does not fit" in w.value and "ghost" in w.value for w in at.warning)
    assert [r["name"] for r in ranking(at)] == ["Alpha", "Gamma", "Beta"]


# --- untrusted text ----------------------------------------------------------------------------


def test_profile_text_is_escaped(tmp_path, monkeypatch):
    evil = (
        "id: evil\nname: '<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))'\n"
        "summary: '# Heading <script>alert(1)</script>'\n"
        "scores:\n  exposure: {value: 9, sources: [{title: bad, url: 'javascript:alert(1)'}]}\n"
        "  residency: 1\n  cost: 10\n"
    )
    crit = make_study_dir(tmp_path, broken=evil)
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(crit))
    at = app("en")
    at.run()
    rows = ranking(at)
    assert rows[0]["name"] == "<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))"
    table = next(m.value for m in at.markdown if m.value.startswith("| "))
    assert md_escape("<img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))") in table
    html = [m.value for m in at.markdown if "<" in m.value and "style" not in m.value]
    assert all("&lt;" in h for h in html)
    at.session_state["prov_pick"] = "evil"
    page(at, "provider")
    assert any(m.value.startswith(r"\# Heading &lt;script&gt;") for m in at.markdown)
    texts = [m.value for m in at.markdown]
    assert "- bad — kind not stated, publication date unknown" in texts  # the javascript: source, without a link
    assert not any("javascript:alert" in x and "](" in x and "\\" not in x for x in texts)


def test_safe_url_and_md_escape():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("javascript:alert(1)") is None and safe_url("file:///etc/passwd") is None
    assert safe_url("http://") is None and safe_url("") is None
    assert md_escape("a*b_c <b>\n# x") == r"a\*b\_c &lt;b&gt; \# x"
    assert md_escape("$x$ :red[y]") == r"\$x\$ \:red\[y\]"  # Streamlit's maths and directives


def test_provider_page_shows_evidence(mini_dir):
    at = app("fr")
    at.run()
    at.session_state["prov_pick"] = "alpha"
    page(at, "provider")
    texts = [m.value for m in at.markdown]
    assert "Bon" in texts
    # Title linked, then the kind and dates of the source (the mini fixture still uses the old `date`).
    assert "- [T](https://example.org) — nature non indiquée, publiée le 2025-01-01" in texts
    assert any(x.startswith("**Exposition** · **8**") and "Confiance\u00a0: élevée" in x for x in texts)
    at.session_state["prov_pick"] = "beta"
    at.run()
    assert any(x.startswith("**Exposition** · **⚠ 2**") and "Fourchette 1 – 4" in x for x in at.markdown.values)


def test_switching_criteria_set_resets_the_state(mini_dir):
    second = (
        (mini_dir / "mini.yaml")
        .read_text()
        .replace("id: mini", "id: second")
        .replace("name: {en: Mini study, fr: Mini étude}", "name: {en: Second study, fr: Deuxième étude}")
    )
    (mini_dir / "second.yaml").write_text(second)
    at = app("en")
    at.run()
    page(at, "weights")
    at.text_input(key="w_cost").input("10").run()
    page(at, "study")
    box = at.selectbox(key="study_set")
    assert len(box.options) == 2
    box.set_value(mini_dir / "second.yaml").run()
    assert not at.exception
    assert at.session_state["wb_criteria"] == str(mini_dir / "second.yaml")
    assert at.session_state["wb_weights"] == {}
    page(at, "compare")
    assert at.query_params["set"] == "second"
    assert [r["name"] for r in ranking(at)] == ["Alpha", "Gamma", "Beta"]


def test_choosing_providers(mini_dir):
    at = app("en")
    at.run()
    page(at, "study")
    at.multiselect(key="study_providers").set_value(["gamma", "beta"]).run()
    assert at.session_state["wb_providers"] == ["beta", "gamma"]
    page(at, "compare")
    assert [r["name"] for r in ranking(at)] == ["Gamma", "Beta"]
    assert at.query_params["p"] == "beta,gamma"
    page(at, "study")
    at.multiselect(key="study_providers").set_value([]).run()
    assert any("No option chosen" in w.value for w in at.warning)
    page(at, "compare")  # no crash, and a sentence for a person rather than the engine's problem
    assert any("No option chosen" in w.value for w in at.warning) and not at.dataframe


def test_costs_page_matches_the_engine(mini_dir):
    from workbench.costs import CostSettings, tco

    at = app("en")
    at.run()
    page(at, "costs")
    table = at.dataframe[0].value
    study = load_study(mini_dir / "mini.yaml")
    settings = CostSettings.from_mapping(study.criteria_set.cost_settings)
    alpha = tco(next(p for p in study.providers if p.id == "alpha").costs, settings, samples=2000, seed=0)
    row = table[table["Option"] == "Alpha"].iloc[0]
    assert row["Net present value"] == f"{alpha.npv:,.1f}" and row["P10"] == f"{alpha.p10:,.1f}"
    at.number_input(key="cost_horizon").set_value(5).run()
    assert at.session_state["wb_cost_settings"]["horizon"] == 5
    short = tco(next(p for p in study.providers if p.id == "alpha").costs,
                CostSettings.from_mapping({"horizon": 5}, settings), samples=2000, seed=0)  # fmt: skip
    table = at.dataframe[0].value
    assert table[table["Option"] == "Alpha"].iloc[0]["Net present value"] == f"{short.npv:,.1f}"


def test_costs_page_crossovers_and_live_ranking_on_the_health_study(monkeypatch):
    """Changing the horizon re-prices the cost leaf: the page's ranking is the engine's under it."""
    from workbench.costs import CostSettings, crossovers, tco
    from workbench.model import Scenario

    monkeypatch.delenv("WORKBENCH_CRITERIA_DIR", raising=False)
    at = app("en")
    at.run()
    page(at, "costs")
    at.number_input(key="cost_horizon").set_value(5).run()
    at.number_input(key="cost_rate").set_value(0.0).run()
    study = load_study(HEALTH)
    settings = CostSettings.from_mapping(
        {"horizon": 5, "discount_rate": 0.0}, CostSettings.from_mapping(study.criteria_set.cost_settings)
    )
    priced = study.providers + study.references  # the page prices the reference models too
    results = {p.id: tco(p.costs, settings) for p in priced}
    names = {p.id: p.name.get("en") for p in priced}
    expected_lines = [f"{names[a]} costs less than {names[b]} at the start but more in total from year {y} on."
                      for a, b, y in crossovers(results)]  # fmt: skip
    shown = [m.value for m in at.markdown if "at the start but more in total" in m.value]
    assert len(shown) == len(expected_lines)
    ranking_table = at.dataframe[-1].value
    expected = evaluate(
        load_study(HEALTH, scenario=Scenario(cost_settings={"horizon": 5, "discount_rate": 0.0})), lang="en"
    )
    assert list(ranking_table["Option"]) == [r.name for r in expected.results]
    assert list(ranking_table["Score"]) == [f"{r.score:,.3f}" for r in expected.results]

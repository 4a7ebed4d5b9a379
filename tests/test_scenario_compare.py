"""AppTest of the Scenario page's "compare with…" (issue 19, item 6): the page shows exactly
what `workbench.scenario_diff.diff_scenarios` computes (changes, rank moves, rankings A and B),
in French and English, option and criterion names localised, file-given text escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app import app, mini_dir, page  # noqa: F401 - fixtures

from workbench.files.scenarios import load_scenario
from workbench.model import Scenario
from workbench.scenario_diff import diff_scenarios, named_at
from workbench.study import load_study

ROOT = Path(__file__).resolve().parent.parent
HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"
STATUS_QUO = ROOT / "scenarios" / "health-status-quo-view.yaml"


def frames(at, column: str):
    return [d.value for d in at.dataframe if column in d.value.columns]


def health_engine(b_path: Path, lang: str):
    """The engine's diff of the app's default state (the set's defaults) against `b_path`."""
    study = load_study(HEALTH, allow_missing=True)
    cs, providers = study.criteria_set, study.providers
    a = Scenario(criteria=cs.id, weights={n.id: float(n.weight) for n in cs.nodes()})
    b = load_scenario(b_path, cs, [p.id for p in providers])
    names = {p.id: p.name.get(lang) for p in providers}
    return diff_scenarios(cs, providers, a, b), names, cs


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shipped_scenario_diff_is_the_engines(lang):
    at = app(lang)
    at.run()
    page(at, "scenario")
    pick = at.selectbox(key="scn_cmp_pick")
    # Only the health set's shipped scenarios are offered, then the upload choice.
    upload = {"fr": "Un fichier de scénario (YAML)…", "en": "A scenario file (YAML)…"}[lang]
    assert pick.options == [
        "Options a Quebec body could contract or build, 10-year horizon",
        "Without local-preference criteria (trade-agreement caution)",
        "Status-quo view: cost, delivery and security first",
        upload,
    ]  # the three health-*.yaml files, by file name, then the upload choice
    pick.select("health-status-quo-view.yaml").run()
    assert not at.exception and not at.error
    diff, names, cs = health_engine(STATUS_QUO, lang)
    step, kind, target, moves = {"fr": ("Étape", "Nature", "Sur", "Rangs qui bougent"),
                                 "en": ("Step", "Kind", "Target", "Rank moves")}[lang]  # fmt: skip
    [changes] = frames(at, step)
    assert len(changes) == len(diff.changes) > 3
    kinds = {"weight": {"fr": "Poids", "en": "Weight"}, "method": {"fr": "Méthode", "en": "Method"},
             "normalization": {"fr": "Normalisation", "en": "Normalisation"},
             "must-have": {"fr": "Critère éliminatoire", "en": "Must-have"},
             "override": {"fr": "Valeur hypothétique", "en": "What-if value"},
             "cost": {"fr": "Réglage de coûts", "en": "Cost setting"}, "option": {"fr": "Option", "en": "Option"}}  # fmt: skip
    assert list(changes[kind]) == [kinds[c.kind][lang] for c in diff.changes]
    nodes = {n.id: n.name.get(lang) for n in cs.nodes()}
    for row, change in zip(changes.to_dict("records"), diff.changes, strict=True):
        if change.kind == "weight":
            assert row[target] == nodes[change.target]
        moved = [pid for pid, (before, after) in change.rank_moves.items() if before != after]
        for pid in moved:  # each move named with the option's localised name
            before, after = change.rank_moves[pid]
            assert f"{names[pid]} {before} → {after}" in row[moves]
        if not moved and not change.error:
            assert row[moves] == {"fr": "aucun rang ne change", "en": "no rank changes"}[lang]
    [rankings] = frames(at, {"fr": "A : état actuel", "en": "A: current state"}[lang])
    assert list(rankings.iloc[:, 1]) == [names[pid] for pid in diff.ranking_a]
    assert list(rankings.iloc[:, 2]) == [names[pid] for pid in diff.ranking_b]
    assert diff.ranking_a != diff.ranking_b  # the view changes the ranking: the test shows something


def test_uploaded_scenario_is_compared_and_its_text_escaped(mini_dir):  # noqa: F811
    at = app("fr")
    at.run()
    page(at, "scenario")
    pick = at.selectbox(key="scn_cmp_pick")
    assert pick.options == ["Un fichier de scénario (YAML)…"]  # the mini set ships no scenario
    pick.select("__upload__").run()
    text = b"criteria: mini\ntitle: '<b>gras</b>'\nweights: {cost: 10}\nmethod: topsis\n"
    at.file_uploader(key="scn_cmp_upload").set_value(("<i>b</i>.yaml", text, "application/x-yaml")).run()
    assert not at.exception and not at.error
    shown = "\n".join(m.value for m in at.markdown)
    assert "B : &lt;i&gt;b&lt;/i&gt;.yaml" in shown and "<i>" not in shown
    [changes] = frames(at, "Étape")
    assert list(changes["Nature"]) == ["Poids", "Normalisation", "Méthode"]
    assert list(changes["Sur"])[0] == "Coût" and list(changes["Après"])[0] == "10"
    assert list(changes["Après"])[2] == "TOPSIS"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"criteria: health-data-sovereignty\nweights: {cost: 1}\n", "porte sur un autre ensemble de critères"),
        (b"weights: {nope: 1}\n", "ne peut pas être lu"),
        (b"\xff\xfe", "n'est pas un fichier texte UTF-8"),
    ],
)
def test_a_scenario_that_does_not_fit_is_refused_with_a_sentence(mini_dir, content, message):  # noqa: F811
    at = app("fr")
    at.run()
    page(at, "scenario")
    at.selectbox(key="scn_cmp_pick").select("__upload__").run()
    at.file_uploader(key="scn_cmp_upload").set_value(("x.yaml", content, "application/x-yaml")).run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert not frames(at, "Étape")


TCO = {"fr": "Coût total de possession sur {} ans", "en": "{}-year total cost of ownership"}


def _upload_and_rows(at, text: bytes, lang: str) -> list[dict]:
    page(at, "scenario")
    at.selectbox(key="scn_cmp_pick").select("__upload__").run()
    at.file_uploader(key="scn_cmp_upload").set_value(("b.yaml", text, "application/x-yaml")).run()
    assert not at.exception and not at.error
    [changes] = frames(at, {"fr": "Étape", "en": "Step"}[lang])
    return changes.to_dict("records")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_compare_names_the_cost_criterion_for_the_horizon_of_each_step(monkeypatch, lang):
    """The health study's `tco-15y` is named for the horizon in force at each step: B's 10 years
    once B's horizon is applied (the weight step comes after the cost settings), and B's 15 when
    the session runs at 10 and B keeps the file's horizon."""
    monkeypatch.delenv("WORKBENCH_CRITERIA_DIR", raising=False)
    target, kind = {"fr": ("Sur", "Nature"), "en": ("Target", "Kind")}[lang]
    weight = {"fr": "Poids", "en": "Weight"}[lang]
    at = app(lang)
    at.run()
    rows = _upload_and_rows(at, b"criteria: health-data-sovereignty\nhorizon: 10\nweights: {tco-15y: 37}\n", lang)
    assert [r[target] for r in rows if r[kind] == weight] == [TCO[lang].format(10)]

    at = app(lang, params={"h": "10"})  # the session at 10 years, B at the file's 15
    at.run()
    rows = _upload_and_rows(at, b"criteria: health-data-sovereignty\nweights: {tco-15y: 37}\n", lang)
    assert [r[target] for r in rows if r[kind] == weight] == [TCO[lang].format(15)]


def test_each_change_records_the_horizon_then_in_force():
    study = load_study(HEALTH, allow_missing=True)
    cs, providers = study.criteria_set, study.providers
    a = Scenario(criteria=cs.id, weights={"tco-15y": 5.0}, cost_settings={"horizon": 10})
    b = Scenario(criteria=cs.id, weights={"tco-15y": 7.0})
    diff = diff_scenarios(cs, providers, a, b)
    assert [(c.kind, c.horizon) for c in diff.changes] == [("cost", 15), ("weight", 15)]
    assert named_at(cs, diff.changes[0]).node("tco-15y").name.en == "15-year total cost of ownership"
    back = diff_scenarios(cs, providers, b, a)
    assert [(c.kind, c.horizon) for c in back.changes] == [("cost", 10), ("weight", 10)]
    assert named_at(cs, back.changes[1]).node("tco-15y").name.fr == "Coût total de possession sur 10 ans"

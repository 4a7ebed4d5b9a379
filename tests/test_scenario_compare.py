"""AppTest of the Scenario page's "compare with…" (issue 19, item 6): the page shows exactly
what `workbench.scenario_diff.diff_scenarios` computes (changes, rank moves, rankings A and B),
in French and English, option and criterion names localised, file-given text escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app import app, mini_dir, page  # noqa: F401 - fixtures

from workbench.files.scenarios import load_scenario
from workbench.model import Scenario
from workbench.scenario_diff import diff_scenarios
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

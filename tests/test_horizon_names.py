"""A cost criterion's name follows the horizon in force (workbench.horizon_names): the engine, the
reports, and the Compare, Weights and Costs pages under a changed horizon or a shared link."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import make_report
from test_app import app, page

from workbench.horizon_names import retell_years, with_horizon
from workbench.model import Scenario
from workbench.report import render
from workbench.study import load_study

ROOT = Path(__file__).resolve().parent.parent
HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"
COLLABORATION = ROOT / "criteria" / "collaboration-suite.yaml"


@pytest.mark.parametrize(
    ("text", "horizon", "expected"),
    [
        ("15-year total cost of ownership", 10, "10-year total cost of ownership"),
        ("Coût total de possession sur 15 ans", 10, "Coût total de possession sur 10 ans"),
        ("Cost over 15 years", 1, "Cost over 1 year"),
        ("Coût sur 15\u00a0ans", 1, "Coût sur 1\u00a0an"),
        ("15-year cost", 1, "1-year cost"),
        ("Sur 15 années, ISO 27015, 15 %", 20, "Sur 20 années, ISO 27015, 15 %"),  # only years are retold
        ("1 150 years", 10, "1 150 years"),  # part of another number
    ],
)
def test_retell_years(text, horizon, expected):
    assert retell_years(text, 15, horizon) == expected


def test_the_study_names_its_cost_criterion_for_the_horizon_in_force():
    raw = load_study(HEALTH)
    [leaf] = [leaf for leaf in raw.leaves if leaf.source == "tco"]
    assert leaf.name.fr == "Coût total de possession sur 15 ans"
    study = load_study(HEALTH, scenario=Scenario(cost_settings={"horizon": 10}))
    [leaf] = [leaf for leaf in study.leaves if leaf.source == "tco"]
    assert leaf.id == "tco-15y"  # ids never change
    assert (leaf.name.en, leaf.name.fr) == ("10-year total cost of ownership", "Coût total de possession sur 10 ans")
    assert "10-year analysis horizon" in leaf.description.en and "15" not in leaf.description.en
    assert study.criteria_set.node("tco-15y").name == leaf.name
    # Nothing else changes; the file's own horizon gives back the same object.
    assert [n.id for n in study.criteria_set.nodes()] == [n.id for n in raw.criteria_set.nodes()]
    assert with_horizon(raw.criteria_set, 15) is raw.criteria_set
    collaboration = load_study(COLLABORATION, scenario=Scenario(cost_settings={"horizon": 7}))
    assert collaboration.criteria_set.node("cost").name.fr == "Coût sur 7 ans (VAN, M$ CA)"


def test_the_report_says_the_horizon_in_force():
    study = load_study(HEALTH, scenario=Scenario(cost_settings={"horizon": 10}))
    text = render(make_report(study, lang="fr"), "md").decode("utf-8")
    # The criterion's name; the study's own description (its narrative) keeps its words.
    assert "Coût total de possession sur 10 ans" in text and "possession sur 15 ans" not in text
    assert "Horizon\u00a0: 10 ans" in text  # the scenario's setting among the assumptions


def _shown(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [" ".join(map(str, d.value.index)) + " ".join(map(str, d.value.columns)) for d in at.dataframe]
    parts += [" ".join(map(str, s.options)) for s in at.selectbox]
    return "\n".join(parts)


def test_pages_follow_a_horizon_changed_on_the_costs_page(monkeypatch):
    monkeypatch.delenv("WORKBENCH_CRITERIA_DIR", raising=False)
    at = app("fr")
    at.run()
    assert "Coût total de possession sur 15 ans" in _shown(at)
    page(at, "costs")
    at.number_input(key="cost_horizon").set_value(10).run()
    page(at, "compare")
    shown = _shown(at)
    assert "Coût total de possession sur 10 ans" in shown and "sur 15 ans" not in shown
    page(at, "weights")
    shown = _shown(at)
    assert "Coût total de possession sur 10 ans" in shown and "sur 15 ans" not in shown


def test_a_shared_link_horizon_names_the_cost_criterion(monkeypatch):
    monkeypatch.delenv("WORKBENCH_CRITERIA_DIR", raising=False)
    at = app("en", params={"h": "10"})
    at.run()
    assert not at.exception
    shown = _shown(at)
    assert "10-year total cost of ownership" in shown and "15-year total" not in shown

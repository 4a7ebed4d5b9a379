"""Scenario <-> YAML and <-> query-string parameters (workbench.files.scenario_io)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from workbench.errors import LoadError
from workbench.evaluate import evaluate
from workbench.files.loading import load_criteria_set, load_providers, parse_scenario
from workbench.files.scenario_io import (
    PARAM_KEYS,
    LinkError,
    params_to_data,
    scenario_from_params,
    scenario_to_data,
    scenario_to_params,
    scenario_to_yaml,
)
from workbench.model import Override, Scenario
from workbench.study import build_study

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
CS = load_criteria_set(MINI / "criteria.yaml")
IDS = [p.id for p in load_providers(MINI / "providers")[0]]


def full() -> Scenario:
    return Scenario(
        criteria="mini",
        providers=["alpha", "gamma"],
        method="topsis",
        normalization="vector",
        weights={"legal": 2.0, "exposure": 3.5, "residency": 1.0, "cost": 0.25},
        notes="Atelier du 28 nov.: « souveraineté » d'abord\nsecond line",
        overrides=[Override("gamma", "exposure", 9.0, "note: a, b & c %20 ∑"), Override("alpha", "residency", 1.0, "")],
        disabled_must_haves=["exposure"],
        cost_settings={"horizon": 12, "discount_rate": 0.04},
        title="Essai",
    )


def same(a: Scenario, b: Scenario) -> None:
    assert (a.criteria, a.providers, a.method, a.normalization) == (b.criteria, b.providers, b.method, b.normalization)
    assert a.weights == b.weights and a.disabled_must_haves == b.disabled_must_haves
    assert [(o.provider, o.criterion, o.value, o.note) for o in a.overrides] == [
        (o.provider, o.criterion, o.value, o.note) for o in b.overrides
    ]


def test_yaml_round_trip():
    sc = full()
    text = scenario_to_yaml(sc)
    back = parse_scenario(text, "saved.yaml", CS, IDS)
    same(sc, back)
    assert back.notes == sc.notes and back.title == "Essai" and back.cost_settings == sc.cost_settings


def test_yaml_is_tidy_and_safe():
    data = yaml.safe_load(scenario_to_yaml(full()))
    assert data["weights"] == {"legal": 2, "exposure": 3.5, "residency": 1, "cost": 0.25}
    assert list(data)[:3] == ["title", "criteria", "providers"]
    assert scenario_to_data(Scenario()) == {}
    # A note that looks like YAML stays a string.
    sc = Scenario(overrides=[Override("alpha", "cost", 5, "!!python/object:os.system ['x']")])
    back = parse_scenario(scenario_to_yaml(sc), "s.yaml", CS, IDS)
    assert back.overrides[0].note == "!!python/object:os.system ['x']"


def test_params_round_trip():
    sc = full()
    params = scenario_to_params(sc)
    assert params["p"] == "alpha,gamma" and params["m"] == "topsis" and params["off"] == "exposure"
    assert params["w"] == "legal:2,exposure:3.5,residency:1,cost:0.25"
    assert "," not in params["o"].split(",")[0].split(":", 3)[3]  # the note is percent-encoded
    same(sc, scenario_from_params(params, CS, IDS))


def test_params_leave_out_default_weights():
    sc = Scenario(criteria="mini", weights={"legal": 2, "exposure": 3, "residency": 1, "cost": 4})
    params = scenario_to_params(sc, {"legal": 2, "exposure": 3, "residency": 1, "cost": 1})
    assert params == {"set": "mini", "w": "cost:4"}
    assert scenario_to_params(Scenario(weights={"cost": 1}), {"cost": 1}) == {}


def test_bad_params_are_refused_with_the_field():
    with pytest.raises(LoadError) as err:
        scenario_from_params({"w": "cost:abc,ghost:1", "p": "alpha,zeta", "m": "magic"}, CS, IDS)
    fields = {p.field for p in err.value.problems}
    assert fields == {"weights.cost", "weights.ghost", "providers[1]", "method"}
    assert all(p.file == "URL" for p in err.value.problems)
    with pytest.raises(LoadError) as err:
        scenario_from_params({"o": "alpha:exposure:99:x"}, CS, IDS)
    assert "not on the scale" in str(err.value)


def test_params_to_data_keeps_raw_text_for_the_checker():
    assert params_to_data({"w": "a:1,b:x", "o": "p:c:2:a%3Ab"}) == {
        "weights": {"a": 1, "b": "x"},
        "overrides": [{"provider": "p", "criterion": "c", "value": 2, "note": "a:b"}],
    }


@settings(max_examples=60, deadline=None)
@given(
    weights=st.fixed_dictionaries({k: st.floats(0, 1e6, allow_nan=False) for k in ("legal", "exposure", "cost")}),
    note=st.text(max_size=40).filter(lambda s: "\x00" not in s and s == s.strip() and "\r" not in s),
    value=st.floats(0, 10, allow_nan=False),
)
def test_params_round_trip_property(weights, note, value):
    sc = Scenario(weights=weights, overrides=[Override("beta", "exposure", value, note)])
    back = scenario_from_params(scenario_to_params(sc), CS, IDS)
    assert back.weights == pytest.approx(weights)
    assert back.overrides[0].value == pytest.approx(value) and back.overrides[0].note == note


# --- cost settings, title and notes travel in the link --------------------------------------------


def test_params_carry_cost_settings_title_and_notes():
    sc = full()
    sc.cost_settings = {"horizon": 60, "discount_rate": 0.025, "currency": "EUR", "fx": {"CAD": 0.68, "USD": 0.92}}
    params = scenario_to_params(sc)
    assert {k: params[k] for k in ("h", "r", "cur", "fx", "title")} == {
        "h": "60",
        "r": "0.025",
        "cur": "EUR",
        "fx": "CAD:0.68,USD:0.92",
        "title": "Essai",
    }
    assert params["notes"] == sc.notes
    back = scenario_from_params(params, CS, IDS)
    same(sc, back)
    assert back.cost_settings == sc.cost_settings
    assert (back.title, back.notes) == (sc.title, sc.notes)
    assert set(params) <= set(PARAM_KEYS)


def _tco_study(tmp_path: Path):
    """One `source: tco` leaf; building costs more up front, renting more over the years."""
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "build.yaml").write_text(
        "id: build\nname: Build\nscores: {cost: {}}\ncosts: {one_off: {build: 100}, annual: {run: 10}}\n"
    )
    (tmp_path / "p" / "rent.yaml").write_text("id: rent\nname: Rent\nscores: {cost: {}}\ncosts: {annual: {fee: 30}}\n")
    (tmp_path / "set.yaml").write_text(
        f"id: tco\nname: TCO\nproviders: {tmp_path / 'p'}\nhorizon: 3\ndiscount_rate: 0\ncriteria:\n"
        "  - {id: cost, name: Cost, direction: cost, source: tco, scale: {min: 0, max: 1000}}\n"
    )
    cs = load_criteria_set(tmp_path / "set.yaml")
    return cs, load_providers(tmp_path / "p", {leaf.id: leaf for leaf in cs.leaves()})[0]


def test_a_reopened_link_ranks_as_the_scenario_did(tmp_path):
    cs, providers = _tco_study(tmp_path)

    def order(scenario: Scenario) -> list[str]:
        return [r.id for r in evaluate(build_study(cs, providers, scenario)).results]

    # Over the set's 3 years renting is cheaper (90 < 130); over 20 years building is (300 < 600).
    sc = Scenario(criteria="tco", cost_settings={"horizon": 20})
    assert order(Scenario()) == ["rent", "build"] and order(sc) == ["build", "rent"]
    reopened = scenario_from_params(scenario_to_params(sc), cs, [p.id for p in providers])
    assert order(reopened) == ["build", "rent"]


def test_a_link_with_one_bad_parameter_keeps_the_others():
    params = {"m": "topsis", "h": "500", "r": "0.04", "w": "cost:4", "fx": "EUR:1.4", "title": "Essai"}
    with pytest.raises(LinkError) as err:
        scenario_from_params(params, CS, IDS)
    assert [(p.file, p.field, p.message) for p in err.value.problems] == [
        ("URL", "horizon", "must be between 1 and 100 years, got 500 (link parameter h)")
    ]
    kept = err.value.scenario
    assert (kept.method, kept.weights, kept.title) == ("topsis", {"cost": 4}, "Essai")
    assert kept.cost_settings == {"discount_rate": 0.04, "fx": {"EUR": 1.4}}


def test_a_link_with_several_bad_parameters_names_each():
    params = {"p": "alpha,zeta", "r": "abc", "fx": "EUR:-1", "n": "vector"}
    with pytest.raises(LoadError) as err:
        scenario_from_params(params, CS, IDS)
    assert sorted(str(p) for p in err.value.problems) == [
        "URL:1: discount_rate: must be a finite number such as 0.03, got 'abc' (link parameter r)",
        "URL:1: fx.EUR: must be a positive number, got -1 (link parameter fx)",
        "URL:1: providers[1]: unknown provider 'zeta' (link parameter p)",
    ]
    assert err.value.scenario.normalization == "vector" and err.value.scenario.cost_settings == {}


def test_the_app_applies_the_fitting_parts_of_a_link(tmp_path, monkeypatch):
    """A shared link with a bad horizon opens with its method and discount rate, and says what it ignored."""
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(MINI / "providers", tmp_path / "providers")
    (tmp_path / "criteria").mkdir()
    text = (MINI / "criteria.yaml").read_text(encoding="utf-8")
    text = text.replace("providers: tests/fixtures/mini/providers", f"providers: {tmp_path / 'providers'}")
    (tmp_path / "criteria" / "mini.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(tmp_path / "criteria"))
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    for key, value in {"lang": "en", "set": "mini", "m": "topsis", "h": "500", "r": "0.04"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["wb_method"] == "topsis"
    assert at.session_state["wb_cost_settings"] == {"discount_rate": 0.04}
    warning = next(w.value for w in at.warning if "does not fit" in w.value)
    assert "horizon: must be between 1 and 100 years, got 500 (link parameter h)" in warning
    # The address now carries what was applied, and not the refused horizon.
    assert at.query_params["r"] == "0.04" and "h" not in at.query_params

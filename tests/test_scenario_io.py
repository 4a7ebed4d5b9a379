"""Scenario <-> YAML and <-> query-string parameters (workbench.files.scenario_io)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import LoadError
from workbench.files.loading import load_criteria_set, load_providers, parse_scenario
from workbench.files.scenario_io import (
    params_to_data,
    scenario_from_params,
    scenario_from_yaml,
    scenario_to_data,
    scenario_to_params,
    scenario_to_yaml,
)
from workbench.model import Override, Scenario

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
    back = scenario_from_yaml(text, "saved.yaml", CS, IDS)
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

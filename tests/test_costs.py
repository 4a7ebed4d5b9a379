"""Tests for the TCO model (workbench.costs) and the samplers (workbench.sampling)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from workbench import sampling
from workbench.cli import main
from workbench.costs import (
    MAX_DISCOUNT_RATE,
    MAX_HORIZON,
    MAX_SEATS,
    MIN_DISCOUNT_RATE,
    MIN_HORIZON,
    MIN_SEATS,
    Amount,
    CostsError,
    CostSettings,
    TcoResult,
    crossover_year,
    npv_batch,
    parse_costs,
    resolve_cost_settings,
    sample_npv,
    seats_in_force,
    tco,
    tco_report,
    tco_table,
)

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

# The example profile from the cost model's documentation.
EXAMPLE = {
    "currency": "CAD",
    "one_off": {"migration_in": 12.0, "training": 1.5},
    "annual": {"licences": 20.0, "hosting": 6.0, "staff": 4.0},
    "escalation": 0.03,
    "exit": 8.0,
    "sources": [{"title": "Price list", "url": "https://example.org", "date": "2024-01-01"}],
}


def paths(error: CostsError) -> set[str]:
    return {path for path, _ in error.problems}


def fixed(**kwargs: float) -> dict:
    return {name: float(v) for name, v in kwargs.items()}


# --------------------------------------------------------------------------- parsing


def test_parse_example_profile() -> None:
    costs = parse_costs(EXAMPLE)
    assert costs.currency == "CAD"
    assert costs.one_off == {
        "migration_in": Amount(12, 12, 12),
        "training": Amount(1.5, 1.5, 1.5),
    }
    assert costs.annual["licences"] == Amount(20, 20, 20)
    assert costs.escalation == Amount(0.03, 0.03, 0.03)
    assert costs.exit == Amount(8, 8, 8)
    assert costs.sources[0].title == "Price list" and costs.sources[0].url == "https://example.org"
    assert not costs.has_ranges


def test_parse_defaults_currency_cad_and_zero_escalation_and_exit() -> None:
    costs = parse_costs({"annual": {"licences": 10}})
    assert costs.currency == "CAD"
    assert costs.escalation == Amount(0, 0, 0)
    assert costs.exit == Amount(0, 0, 0)
    assert costs.one_off == {}
    assert costs.sources == ()


def test_parse_ranges() -> None:
    costs = parse_costs(
        {
            "annual": {"licences": {"low": 15, "likely": 20, "high": 30}},
            "escalation": {"low": -0.01, "likely": 0.02, "high": 0.05},
        }
    )
    assert costs.annual["licences"] == Amount(15, 20, 30)
    assert costs.annual["licences"].is_range
    assert costs.escalation == Amount(-0.01, 0.02, 0.05)
    assert costs.has_ranges


def test_empty_yaml_sections_mean_no_items() -> None:
    # `one_off:` with nothing after it loads as None in YAML.
    assert parse_costs({"one_off": None, "annual": {"x": 1}}).one_off == {}


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"annual": {"licences": -3}}, "costs.annual.licences"),
        ({"one_off": {"migration": -0.5}}, "costs.one_off.migration"),
        ({"exit": -1}, "costs.exit"),
        (
            {"annual": {"licences": {"low": -1, "likely": 2, "high": 3}}},
            "costs.annual.licences.low",
        ),
        ({"currency": "cad"}, "costs.currency"),
        ({"currency": "Euros"}, "costs.currency"),
        ({"currency": "EU"}, "costs.currency"),
        ({"currency": None}, "costs.currency"),
        ({"escalation": -1.0}, "costs.escalation"),
        ({"escalation": -1.5}, "costs.escalation"),
        (
            {"escalation": {"low": -1.2, "likely": 0, "high": 0.1}},
            "costs.escalation.low",
        ),
        (
            {"annual": {"licences": {"low": 10, "likely": 10, "high": 5}}},
            "costs.annual.licences",
        ),
        (
            {"annual": {"licences": {"low": 10, "likely": 5, "high": 20}}},
            "costs.annual.licences",
        ),
        ({"annual": {"licences": {"low": 1, "likely": 2}}}, "costs.annual.licences"),
        (
            {"annual": {"licences": {"low": 1, "likely": 2, "high": 3, "mode": 2}}},
            "costs.annual.licences.mode",
        ),
        ({"annual": {"licences": 1}, "anual": {"x": 1}}, "costs.anual"),
        ({"annual": {"licences": True}}, "costs.annual.licences"),
        ({"exit": False}, "costs.exit"),
        ({"annual": {"licences": "20"}}, "costs.annual.licences"),
        ({"annual": {"licences": float("nan")}}, "costs.annual.licences"),
        ({"one_off": {"x": float("inf")}}, "costs.one_off.x"),
        ({"annual": [20, 6]}, "costs.annual"),
        ({"one_off": 12}, "costs.one_off"),
        ({"annual": {"exit": 3}}, "costs.annual.exit"),
        ({"sources": "https://example.org"}, "costs.sources"),
        ({"sources": ["https://example.org"]}, "costs.sources[0]"),
        ({"sources": [{"url": "https://example.org"}]}, "costs.sources[0]"),
    ],
)
def test_bad_input_names_the_field(raw: dict, path: str) -> None:
    with pytest.raises(CostsError) as info:
        parse_costs(raw)
    assert path in paths(info.value)
    assert isinstance(info.value, ValueError)
    assert path in str(info.value)


def test_every_problem_is_reported_at_once() -> None:
    raw = {
        "currency": "Euros",
        "one_off": {"migration": -12},
        "annual": {"licences": {"low": 30, "likely": 20, "high": 10}, "hosting": True},
        "escalation": -2,
        "exit": "lots",
        "colour": "blue",
    }
    with pytest.raises(CostsError) as info:
        parse_costs(raw)
    assert paths(info.value) == {
        "costs.currency",
        "costs.one_off.migration",
        "costs.annual.licences",
        "costs.annual.hosting",
        "costs.escalation",
        "costs.exit",
        "costs.colour",
    }
    messages = dict(info.value.problems)
    assert "negative" in messages["costs.one_off.migration"]
    assert "unknown key" in messages["costs.colour"]


def test_costs_must_be_a_mapping() -> None:
    with pytest.raises(CostsError) as info:
        parse_costs([1, 2])  # type: ignore[arg-type]
    assert paths(info.value) == {"costs"}


# --------------------------------------------------------------------------- settings


def test_settings_defaults() -> None:
    s = CostSettings()
    assert (s.horizon, s.discount_rate, s.currency, s.fx) == (15, 0.03, "CAD", {})
    assert CostSettings.from_mapping({}) == s
    assert CostSettings.from_mapping(None) == s


def test_settings_scenario_overrides_criteria_set() -> None:
    study = CostSettings.from_mapping({"horizon": 10, "discount_rate": 0.05, "fx": {"EUR": 1.5}, "criteria": [1]})
    scenario = CostSettings.from_mapping({"horizon": 5, "fx": {"USD": 1.35}}, base=study)
    assert scenario.horizon == 5
    assert scenario.discount_rate == 0.05
    assert scenario.currency == "CAD"
    assert scenario.fx == {"EUR": 1.5, "USD": 1.35}


def test_settings_currency_change_drops_base_rates() -> None:
    # Base rates are "value in CAD"; reusing them for a EUR study would be wrong.
    study = CostSettings.from_mapping({"fx": {"EUR": 1.5}})
    scenario = CostSettings.from_mapping({"currency": "EUR", "fx": {"CAD": 0.67}}, base=study)
    assert scenario.fx == {"CAD": 0.67}


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"horizon": 0}, "horizon"),
        ({"horizon": 101}, "horizon"),
        ({"horizon": 7.5}, "horizon"),
        ({"horizon": True}, "horizon"),
        ({"horizon": "15"}, "horizon"),
        ({"discount_rate": -1}, "discount_rate"),
        ({"discount_rate": float("nan")}, "discount_rate"),
        ({"discount_rate": "3%"}, "discount_rate"),
        ({"currency": "cad"}, "currency"),
        ({"fx": {"EUR": 0}}, "fx.EUR"),
        ({"fx": {"EUR": -1.5}}, "fx.EUR"),
        ({"fx": {"EUR": True}}, "fx.EUR"),
        ({"fx": {"euro": 1.5}}, "fx.euro"),
        ({"fx": {"CAD": 2.0}}, "fx.CAD"),
        ({"fx": [1.5]}, "fx"),
    ],
)
def test_bad_settings_name_the_field(raw: dict, path: str) -> None:
    with pytest.raises(CostsError) as info:
        CostSettings.from_mapping(raw)
    assert path in paths(info.value)


def test_settings_report_every_problem() -> None:
    with pytest.raises(CostsError) as info:
        CostSettings.from_mapping({"horizon": 0, "discount_rate": -2, "fx": {"EUR": -1}})
    assert paths(info.value) == {"horizon", "discount_rate", "fx.EUR"}


def test_settings_constructor_validates_too() -> None:
    with pytest.raises(CostsError):
        CostSettings(horizon=0)


# --------------------------------------------------------------------------- hand-computed NPVs


def test_npv_with_escalation() -> None:
    costs = parse_costs({"one_off": {"setup": 10}, "annual": {"licences": 100}, "escalation": 0.10})
    result = tco(costs, CostSettings(horizon=2, discount_rate=0.05))
    # year 0: 10; year 1: 100; year 2: 100 * 1.10 = 110
    # NPV = 10 + 100 / 1.05 + 110 / 1.05**2
    #     = 10 + 95.238095238 + 99.773242630 = 205.011337868
    assert result.by_year == pytest.approx([10.0, 100.0, 110.0])
    assert result.npv == pytest.approx(205.011337868)
    assert result.total == pytest.approx(220.0)
    assert result.by_category == pytest.approx({"setup": 10.0, "licences": 210.0, "exit": 0.0})
    assert result.p10 is None and result.p50 is None and result.p90 is None
    assert result.currency == "CAD"


def test_npv_with_exit() -> None:
    costs = parse_costs({"annual": {"hosting": 50}, "exit": 30})
    result = tco(costs, CostSettings(horizon=3, discount_rate=0.10))
    # years 1..3 pay 50; exit 30 at the end of year 3
    # NPV = 50/1.1 + 50/1.21 + (50 + 30)/1.331
    #     = 45.454545455 + 41.322314050 + 60.105184072 = 146.882043576
    assert result.by_year == pytest.approx([0.0, 50.0, 50.0, 80.0])
    assert result.npv == pytest.approx(146.882043576)
    assert result.total == pytest.approx(180.0)
    assert result.by_category == pytest.approx({"hosting": 150.0, "exit": 30.0})


def test_zero_discount_rate_npv_equals_total() -> None:
    result = tco(parse_costs(EXAMPLE), CostSettings(horizon=15, discount_rate=0.0))
    # one-off 12 + 1.5 = 13.5; annual 20 + 6 + 4 = 30 growing 3 %/yr;
    # sum_{t=1..15} 1.03**(t-1) = (1.03**15 - 1) / 0.03 = 0.557967417 / 0.03 = 18.598913900
    # total = 13.5 + 30 * 18.598913900 + 8 = 579.467417
    assert result.total == pytest.approx(579.467417, abs=1e-6)
    assert result.npv == pytest.approx(result.total, rel=1e-12)
    assert result.by_category["licences"] == pytest.approx(20 * 18.598913900, abs=1e-6)


def test_example_profile_default_study() -> None:
    result = tco(parse_costs(EXAMPLE), CostSettings())
    # g == r == 0.03, so each annual term is 30 * 1.03**(t-1) / 1.03**t = 30 / 1.03
    # NPV = 13.5 + 15 * 30 / 1.03 + 8 / 1.03**15
    #     = 13.5 + 436.893203883 + 5.134895580 = 455.528099463
    assert result.npv == pytest.approx(13.5 + 15 * 30 / 1.03 + 8 / 1.03**15)
    assert result.npv == pytest.approx(455.528099463, abs=1e-6)
    assert len(result.by_year) == 16


def test_horizon_one() -> None:
    costs = parse_costs({"one_off": {"setup": 5}, "annual": {"fee": 10}, "escalation": 0.5, "exit": 2})
    result = tco(costs, CostSettings(horizon=1, discount_rate=0.25))
    # escalation never applies in year 1; exit lands in year 1 too
    # NPV = 5 + (10 + 2) / 1.25 = 5 + 9.6 = 14.6
    assert result.by_year == pytest.approx([5.0, 12.0])
    assert result.npv == pytest.approx(14.6)
    assert result.total == pytest.approx(17.0)


def test_currency_conversion() -> None:
    costs = parse_costs({"currency": "EUR", "one_off": {"setup": 10}, "annual": {"fee": 4}, "exit": 2})
    study = CostSettings(horizon=2, discount_rate=0.5, currency="CAD", fx={"EUR": 1.5})
    result = tco(costs, study)
    # in CAD: year 0: 10 * 1.5 = 15; years 1, 2: 4 * 1.5 = 6; exit 2 * 1.5 = 3 in year 2
    # NPV = 15 + 6 / 1.5 + 9 / 2.25 = 15 + 4 + 4 = 23
    assert result.by_year == pytest.approx([15.0, 6.0, 9.0])
    assert result.npv == pytest.approx(23.0)
    assert result.total == pytest.approx(30.0)
    assert result.by_category == pytest.approx({"setup": 15.0, "fee": 12.0, "exit": 3.0})
    assert result.currency == "CAD"


def test_same_currency_needs_no_rate() -> None:
    costs = parse_costs({"currency": "EUR", "one_off": {"setup": 10}})
    result = tco(costs, CostSettings(horizon=1, currency="EUR"))
    assert result.npv == pytest.approx(10.0)


def test_missing_fx_rate_is_an_error() -> None:
    costs = parse_costs({"currency": "EUR", "one_off": {"setup": 10}})
    with pytest.raises(CostsError) as info:
        tco(costs, CostSettings(fx={"USD": 1.35}))
    assert paths(info.value) == {"fx.EUR"}
    assert "EUR" in str(info.value)


def test_negative_samples_rejected() -> None:
    with pytest.raises(ValueError):
        tco(parse_costs(EXAMPLE), CostSettings(), samples=-1)


# --------------------------------------------------------------------------- kernel


def test_npv_batch_is_vectorised() -> None:
    npv = npv_batch([10, 0], [100, 50], [0.10, 0.0], [0, 30], horizon=2, discount_rate=0.05)
    assert npv.shape == (2,)
    # second: 50/1.05 + 80/1.1025 = 47.619047619 + 72.562358277
    assert npv == pytest.approx([205.011337868, 120.181405896])


# --------------------------------------------------------------------------- sampling


RANGED = {
    "one_off": {"migration": {"low": 8, "likely": 12, "high": 20}},
    "annual": {"licences": {"low": 15, "likely": 20, "high": 30}, "staff": 4},
    "escalation": {"low": 0.0, "likely": 0.03, "high": 0.06},
    "exit": {"low": 4, "likely": 8, "high": 16},
}


def bound(raw: object, key: str) -> object:
    """``raw`` with every ``{low, likely, high}`` replaced by its ``key`` value."""
    if isinstance(raw, dict) and "likely" in raw:
        return raw[key]
    if isinstance(raw, dict):
        return {name: bound(value, key) for name, value in raw.items()}
    return raw


def test_percentiles_ordered_bounded_and_reproducible() -> None:
    costs = parse_costs(RANGED)
    study = CostSettings(horizon=10)
    first = tco(costs, study, samples=5000, seed=42)
    again = tco(costs, study, samples=5000, seed=42)
    other = tco(costs, study, samples=5000, seed=7)
    assert first.p10 is not None and first.p50 is not None and first.p90 is not None
    assert first.p10 <= first.p50 <= first.p90
    assert first.p10 < first.p90
    assert (first.p10, first.p50, first.p90) == (again.p10, again.p50, again.p90)
    assert (first.p10, first.p50, first.p90) != (other.p10, other.p50, other.p90)
    assert tco(parse_costs(bound(RANGED, "low")), study).npv <= first.p10
    assert first.p90 <= tco(parse_costs(bound(RANGED, "high")), study).npv
    # The deterministic figures still use `likely`, sampling or not.
    assert first.npv == tco(costs, study).npv


def test_no_percentiles_without_samples_or_ranges() -> None:
    assert tco(parse_costs(RANGED), CostSettings(), samples=0).p50 is None
    assert tco(parse_costs(EXAMPLE), CostSettings(), samples=1000).p50 is None


def test_degenerate_ranges_sample_to_the_deterministic_npv() -> None:
    degenerate = {
        "currency": "EUR",
        "one_off": {"migration": {"low": 12, "likely": 12, "high": 12}},
        "annual": {"licences": {"low": 20, "likely": 20, "high": 20}, "hosting": 6},
        "escalation": {"low": 0.03, "likely": 0.03, "high": 0.03},
        "exit": {"low": 8, "likely": 8, "high": 8},
    }
    costs = parse_costs(degenerate)
    study = CostSettings(fx={"EUR": 1.5})
    draws = sample_npv(costs, study, samples=1000, seed=3)
    expected = tco(costs, study).npv
    assert draws.shape == (1000,)
    assert draws == pytest.approx(np.full(1000, expected), rel=1e-12)
    # Equal bounds are not uncertainty, so tco reports no percentiles.
    assert not costs.has_ranges
    assert tco(costs, study, samples=1000).p50 is None


def test_sampling_with_currency_conversion() -> None:
    raw = {**RANGED, "currency": "EUR"}
    study = CostSettings(horizon=10, fx={"EUR": 2.0})
    in_eur = tco(parse_costs(RANGED), CostSettings(horizon=10), samples=2000, seed=1)
    in_cad = tco(parse_costs(raw), study, samples=2000, seed=1)
    # Same draws (same seed), every amount doubled: NPV percentiles double.
    assert in_cad.p50 == pytest.approx(2 * in_eur.p50)
    assert in_cad.p90 == pytest.approx(2 * in_eur.p90)


def test_triangular_reproducible_and_bounded() -> None:
    low, mode, high = (
        np.array([0.0, 5.0, 2.0]),
        np.array([1.0, 5.0, 2.0]),
        np.array([4.0, 5.0, 9.0]),
    )
    a = sampling.triangular(sampling.make_rng(9), low, mode, high, size=(20000, 3))
    b = sampling.triangular(sampling.make_rng(9), low, mode, high, size=(20000, 3))
    assert a.shape == (20000, 3)
    assert np.array_equal(a, b)
    assert not np.isnan(a).any()
    assert np.all(a >= low) and np.all(a <= high)
    assert np.all(a[:, 1] == 5.0)  # degenerate: the constant
    # mean of triangular(l, m, h) is (l + m + h) / 3
    assert a[:, 0].mean() == pytest.approx(5 / 3, abs=0.03)
    assert a[:, 2].mean() == pytest.approx(13 / 3, abs=0.05)


def test_triangular_scalar_and_invalid() -> None:
    assert sampling.triangular(sampling.make_rng(0), 1, 1, 1, size=4).tolist() == [1.0] * 4
    with pytest.raises(ValueError):
        sampling.triangular(sampling.make_rng(0), 3, 1, 5, size=2)
    with pytest.raises(ValueError):
        sampling.triangular(sampling.make_rng(0), 0, 1, float("nan"), size=2)
    with pytest.raises(ValueError):
        sampling.triangular(sampling.make_rng(0), [0, 0], [1, 1], [2, 2], size=3)


def test_uniform() -> None:
    a = sampling.uniform(sampling.make_rng(5), [0.0, 3.0], [10.0, 3.0], size=(5000, 2))
    assert np.array_equal(
        a,
        sampling.uniform(sampling.make_rng(5), [0.0, 3.0], [10.0, 3.0], size=(5000, 2)),
    )
    assert np.all((a[:, 0] >= 0) & (a[:, 0] < 10))
    assert np.all(a[:, 1] == 3.0)
    assert a[:, 0].mean() == pytest.approx(5.0, abs=0.2)
    with pytest.raises(ValueError):
        sampling.uniform(sampling.make_rng(5), 2, 1, size=1)


@given(
    low=st.floats(-1e6, 1e6),
    spread_left=st.floats(0, 1e6),
    spread_right=st.floats(0, 1e6),
    seed=st.integers(0, 2**32),
)
def test_triangular_stays_in_bounds(low: float, spread_left: float, spread_right: float, seed: int) -> None:
    mode, high = low + spread_left, low + spread_left + spread_right
    draws = sampling.triangular(sampling.make_rng(seed), low, mode, high, size=200)
    assert np.all(np.isfinite(draws))
    assert np.all((draws >= low) & (draws <= high))


# --------------------------------------------------------------------------- properties

amounts = st.floats(0, 1e6, allow_nan=False)
items = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), amounts, max_size=4)


@settings(max_examples=200)
@given(
    one_off=items,
    annual=items,
    escalation=st.floats(-0.5, 0.5),
    exit_cost=amounts,
    horizon=st.integers(1, 60),
    rates=st.lists(st.floats(-0.5, 1.0), min_size=2, max_size=2, unique=True),
)
def test_npv_decreases_as_discount_rate_increases(
    one_off: dict,
    annual: dict,
    escalation: float,
    exit_cost: float,
    horizon: int,
    rates: list[float],
) -> None:
    costs = parse_costs(
        {
            "one_off": one_off,
            "annual": annual,
            "escalation": escalation,
            "exit": exit_cost,
        }
    )
    low_rate, high_rate = sorted(rates)
    cheap = tco(costs, CostSettings(horizon=horizon, discount_rate=high_rate))
    dear = tco(costs, CostSettings(horizon=horizon, discount_rate=low_rate))
    assert cheap.npv <= dear.npv * (1 + 1e-12) + 1e-9
    # Undiscounted figures do not depend on the rate and always add up.
    assert cheap.total == pytest.approx(dear.total)
    assert sum(cheap.by_year) == pytest.approx(cheap.total)
    assert sum(cheap.by_category.values()) == pytest.approx(cheap.total)


@given(
    one_off=items,
    annual=items,
    escalation=st.floats(-0.5, 0.5),
    exit_cost=amounts,
    horizon=st.integers(1, 100),
)
def test_npv_at_zero_rate_equals_total(
    one_off: dict, annual: dict, escalation: float, exit_cost: float, horizon: int
) -> None:
    costs = parse_costs(
        {
            "one_off": one_off,
            "annual": annual,
            "escalation": escalation,
            "exit": exit_cost,
        }
    )
    result = tco(costs, CostSettings(horizon=horizon, discount_rate=0.0))
    assert result.npv == pytest.approx(result.total, rel=1e-12, abs=1e-9)


# --------------------------------------------------------------------------- crossover


def result(by_year: list[float], currency: str = "CAD") -> TcoResult:
    return TcoResult(npv=0.0, total=sum(by_year), by_year=by_year, by_category={}, currency=currency)


def test_crossover_hand_made() -> None:
    a = result([10, 5, 5, 5])  # cumulative 10, 15, 20, 25
    b = result([0, 9, 9, 9])  # cumulative  0,  9, 18, 27: b cheaper at year 0, dearer from year 3
    assert crossover_year(a, b) == 3
    assert crossover_year(b, a) == 3


def test_crossover_never_and_ties() -> None:
    assert crossover_year(result([10, 5, 5]), result([0, 5, 5])) is None
    assert crossover_year(result([1, 2, 3]), result([1, 2, 3])) is None
    # Tied at year 0: the cheaper option is the one cheaper at year 1.
    assert crossover_year(result([5, 1, 9]), result([5, 3, 3])) == 2


def test_crossover_from_profiles() -> None:
    study = CostSettings(horizon=10)
    build = tco(parse_costs({"one_off": {"build": 100}, "annual": {"run": 10}}), study)
    rent = tco(parse_costs({"annual": {"subscription": 30}}), study)
    # cumulative: build 100 + 10 t, rent 30 t; rent > build when 20 t > 100, i.e. t > 5
    # (year 5 is a tie at 150, not a crossover)
    assert crossover_year(build, rent) == 6


def test_crossover_rejects_mismatched_results() -> None:
    with pytest.raises(ValueError):
        crossover_year(result([1, 2]), result([1, 2], currency="EUR"))
    with pytest.raises(ValueError):
        crossover_year(result([1, 2]), result([1, 2, 3]))


# --------------------------------------------------------------------------- report


def test_tco_report_shape() -> None:
    providers = [
        ("beta", parse_costs(RANGED)),
        (
            "alpha",
            parse_costs({"currency": "EUR", "one_off": {"setup": 10}, "annual": {"fee": 4}}),
        ),
    ]
    study = CostSettings(horizon=2, discount_rate=0.5, fx={"EUR": 1.5})
    report = tco_report(providers, study, samples=500, seed=0)
    json.dumps(report, allow_nan=False)
    assert report["horizon"] == 2
    assert report["discount_rate"] == 0.5
    assert report["currency"] == "CAD"
    assert [r["id"] for r in report["results"]] == ["beta", "alpha"]
    beta, alpha = report["results"]
    assert set(alpha) == {
        "id",
        "npv",
        "total",
        "by_year",
        "by_category",
        "p10",
        "p50",
        "p90",
    }
    # alpha: 15 + 6 / 1.5 + 6 / 2.25 = 21.6667; no ranges, so no percentiles
    assert alpha["npv"] == pytest.approx(15 + 4 + 6 / 2.25)
    assert alpha["by_year"] == pytest.approx([15.0, 6.0, 6.0])
    assert alpha["by_category"] == pytest.approx({"setup": 15.0, "fee": 12.0, "exit": 0.0})
    assert alpha["p10"] is None and alpha["p50"] is None and alpha["p90"] is None
    assert beta["p10"] <= beta["p50"] <= beta["p90"]
    for row in report["results"]:
        for key in ("npv", "total", "p50"):
            assert row[key] is None or type(row[key]) is float
        assert all(type(x) is float for x in row["by_year"])
    # Each provider is sampled from the same seed: order does not matter.
    swapped = tco_report(providers[::-1], study, samples=500, seed=0)
    assert swapped["results"][1] == beta


def test_tco_report_lists_every_missing_rate() -> None:
    providers = [
        ("a", parse_costs({"currency": "EUR", "one_off": {"x": 1}})),
        ("b", parse_costs({"currency": "USD", "one_off": {"x": 1}})),
    ]
    with pytest.raises(CostsError) as info:
        tco_report(providers, CostSettings())
    assert paths(info.value) == {"fx.EUR", "fx.USD"}


def test_crossovers_lists_each_crossing_pair_once():
    from workbench.costs import TcoResult, crossovers

    def result(flows):
        return TcoResult(npv=sum(flows), total=sum(flows), by_year=list(flows), by_category={}, currency="CAD")

    # cheap start, dear running costs vs dear start, cheap running: cumulative 1,6,11 vs 5,6,7 -> cross in year 2
    results = {"a": result([1, 5, 5]), "b": result([5, 1, 1]), "c": result([9, 0, 0])}
    assert crossovers(results) == [("a", "b", 2), ("a", "c", 2)]


# --------------------------------------------------------------------------- one range, one merge, one table


@pytest.mark.parametrize(
    ("horizon", "rate", "ok"),
    [
        (MIN_HORIZON, MIN_DISCOUNT_RATE, True),
        (MAX_HORIZON, MAX_DISCOUNT_RATE, True),
        (60, 0.03, True),
        (MIN_HORIZON - 1, 0.03, False),
        (MAX_HORIZON + 1, 0.03, False),
        (15, MIN_DISCOUNT_RATE - 0.001, False),
        (15, MAX_DISCOUNT_RATE + 0.001, False),
    ],
)
def test_the_settings_range_is_the_constants(horizon: int, rate: float, ok: bool) -> None:
    if ok:
        assert CostSettings(horizon=horizon, discount_rate=rate).horizon == horizon
    else:
        with pytest.raises(CostsError):
            CostSettings(horizon=horizon, discount_rate=rate)


def test_resolve_cost_settings_layers_in_order() -> None:
    criteria_set = {"horizon": 10, "discount_rate": 0.05, "fx": {"EUR": 1.5}, "criteria": []}
    scenario = {"horizon": 60, "fx": {"USD": 1.35}}
    merged = resolve_cost_settings(criteria_set, scenario, {"discount_rate": 0.0})
    assert merged == CostSettings(horizon=60, discount_rate=0.0, currency="CAD", fx={"EUR": 1.5, "USD": 1.35})
    assert resolve_cost_settings() == CostSettings()
    assert resolve_cost_settings(criteria_set).horizon == 10
    # A layer that changes the currency drops the rates of the layers before it.
    assert resolve_cost_settings(criteria_set, {"currency": "EUR"}).fx == {}


def test_resolve_cost_settings_names_the_bad_layer() -> None:
    with pytest.raises(CostsError) as info:
        resolve_cost_settings({"horizon": 10}, None, {"horizon": 0})
    assert info.value.problems == [("horizon", "must be between 1 and 100 years, got 0 (in the override settings)")]


def test_tco_table_prices_every_option_and_keeps_the_priceable_ones() -> None:
    options = [
        ("eur", parse_costs({"currency": "EUR", "one_off": {"x": 1}})),
        ("none", None),
        ("rent", parse_costs({"annual": {"subscription": 30}})),
        ("build", parse_costs({"one_off": {"build": 100}, "annual": {"run": 10}})),
    ]
    table = tco_table(options, CostSettings(horizon=10, discount_rate=0.0))
    # No fx rate for EUR: reported, the others priced all the same.
    assert list(table.results) == ["rent", "build"]
    assert [(option, path) for option, path, _ in table.problems] == [("eur", "fx.EUR")]
    # rent: 30 * 10 = 300; build: 100 + 10 * 10 = 200
    assert [(option, r.npv) for option, r in table.ranked()] == [("build", 200.0), ("rent", 300.0)]
    with pytest.raises(CostsError) as info:
        table.raise_problems()
    assert info.value.problems[0][1].startswith("eur: no exchange rate from EUR into CAD")


def test_cli_tco_takes_the_range_from_the_engine(capsys) -> None:
    mini = str(MINI / "criteria.yaml")
    assert main(["tco", "--criteria", mini, "--horizon", str(MAX_HORIZON + 1)]) == 2
    assert f"horizon: must be between {MIN_HORIZON} and {MAX_HORIZON} years, got {MAX_HORIZON + 1}" in (
        capsys.readouterr().err
    )
    assert main(["tco", "--criteria", mini, "--horizon", "60", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["horizon"] == 60


# --------------------------------------------------------------------------- the Costs page


def test_costs_page_shows_a_60_year_horizon_and_keeps_it(tmp_path, monkeypatch) -> None:
    """The page's inputs offer the engine's ranges: a set's 60 years shows as 60 and survives an edit."""
    shutil.copytree(MINI / "providers", tmp_path / "providers")
    text = (MINI / "criteria.yaml").read_text(encoding="utf-8")
    text = text.replace("providers: tests/fixtures/mini/providers", f"providers: {tmp_path / 'providers'}")
    (tmp_path / "criteria").mkdir()
    (tmp_path / "criteria" / "mini.yaml").write_text(text.replace("horizon: 10", "horizon: 60"), encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(tmp_path / "criteria"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(str(ROOT / "ui" / "pages" / "costs.py")).run()
    assert not at.exception, [e.message for e in at.exception]
    horizon, rate = at.number_input(key="cost_horizon"), at.number_input(key="cost_rate")
    assert (horizon.value, horizon.min, horizon.max) == (60, MIN_HORIZON, MAX_HORIZON)
    assert (rate.value, rate.min, rate.max) == (5.0, MIN_DISCOUNT_RATE * 100, MAX_DISCOUNT_RATE * 100)
    assert any(c.value.startswith("Over 60 years, discounted at 5.0%") for c in at.caption)

    rate.set_value(4.0).run()
    # Only the rate was touched: the horizon stays the set's 60 years.
    assert at.session_state["wb_cost_settings"] == {"discount_rate": 0.04}
    assert at.number_input(key="cost_horizon").value == 60
    settings = CostSettings(horizon=60, discount_rate=0.04, fx={"EUR": 1.5})
    alpha = tco(parse_costs({"one_off": {"migration_in": 10}, "annual": {"licences": {"low": 4, "likely": 5, "high": 8}},
                             "exit": 2}), settings)  # fmt: skip
    shown = at.dataframe[0].value
    assert shown[shown["Option"] == "Alpha"].iloc[0]["Net present value"] == f"{alpha.npv:,.1f}"

    at.number_input(key="cost_horizon").set_value(MAX_HORIZON).run()
    assert at.session_state["wb_cost_settings"] == {"discount_rate": 0.04, "horizon": MAX_HORIZON}
    assert any(c.value.startswith(f"Over {MAX_HORIZON} years") for c in at.caption)


# --------------------------------------------------------------------------- per-seat amounts and seats

# Per-seat amounts are in units of the currency for one seat; every other amount is in millions.
PER_SEAT = {
    "one_off": {"setup": 2},
    "per_seat": {
        "one_off": {"migration": {"low": 200, "likely": 400, "high": 800}, "training": 150},
        "annual": {"licences": 273},
    },
    "annual": {"staff": 1},
}


def test_parse_per_seat_amounts() -> None:
    costs = parse_costs(PER_SEAT)
    assert costs.per_seat_one_off == {"migration": Amount(200, 400, 800), "training": Amount(150, 150, 150)}
    assert costs.per_seat_annual == {"licences": Amount(273, 273, 273)}
    assert costs.one_off == {"setup": Amount(2, 2, 2)} and costs.annual == {"staff": Amount(1, 1, 1)}
    assert costs.per_seat and costs.has_ranges
    assert [path for path, _ in costs.amounts()][-3:] == [
        "costs.per_seat.one_off.migration",
        "costs.per_seat.one_off.training",
        "costs.per_seat.annual.licences",
    ]
    assert not parse_costs(EXAMPLE).per_seat


@pytest.mark.parametrize(
    ("raw", "path", "message"),
    [
        ({"per_seat": [273]}, "costs.per_seat", "expected a mapping, got a list"),
        ({"per_seat": {}}, "costs.per_seat", "gives no amount: add one_off or annual items per seat, or remove it"),
        ({"per_seat": {"annual": {}}}, "costs.per_seat", "gives no amount"),
        ({"per_seat": {"monthly": {"licences": 30}}}, "costs.per_seat.monthly", "unknown key 'monthly'"),
        ({"per_seat": {"annual": {"licences": -5}}}, "costs.per_seat.annual.licences", "must not be negative, got -5"),
        ({"per_seat": {"annual": {"licences": "273"}}}, "costs.per_seat.annual.licences", "must be a number"),
        ({"per_seat": {"one_off": {"x": {"low": 3, "likely": 2, "high": 4}}}}, "costs.per_seat.one_off.x",
         "low (3) must not exceed likely (2)"),
        ({"per_seat": {"annual": {"exit": 3}}}, "costs.per_seat.annual.exit", "'exit' is reserved"),
        ({"per_seat": {"annual": [273]}}, "costs.per_seat.annual", "must be a mapping of item name to amount"),
    ],
)  # fmt: skip
def test_bad_per_seat_input_names_the_field(raw: dict, path: str, message: str) -> None:
    with pytest.raises(CostsError) as info:
        parse_costs(raw)
    assert any(p == path and message in m for p, m in info.value.problems), info.value.problems


@pytest.mark.parametrize(
    ("seats", "message"),
    [
        (0, f"must be between {MIN_SEATS} and {MAX_SEATS:,} seats, got 0"),
        (MAX_SEATS + 1, f"must be between {MIN_SEATS} and {MAX_SEATS:,} seats, got {MAX_SEATS + 1:,}"),
        (1.5, "must be a whole number of seats such as 330000, got 1.5"),
        (True, "must be a whole number of seats such as 330000, got True"),
        ("330000", "must be a whole number of seats such as 330000, got '330000'"),
    ],
)
def test_bad_seats_name_the_field(seats: object, message: str) -> None:
    with pytest.raises(CostsError) as info:
        CostSettings.from_mapping({"seats": seats})
    assert info.value.problems == [("seats", message)]


def test_seats_layer_like_the_other_settings() -> None:
    assert CostSettings().seats is None and resolve_cost_settings().seats is None
    assert CostSettings(seats=MIN_SEATS).seats == 1 and CostSettings(seats=MAX_SEATS).seats == MAX_SEATS
    criteria_set = {"seats": 330000, "horizon": 10}
    assert resolve_cost_settings(criteria_set).seats == 330000
    assert resolve_cost_settings(criteria_set, {"seats": 1000}).seats == 1000
    assert resolve_cost_settings(criteria_set, {"seats": 1000}, {"seats": 25}).seats == 25
    # Changing the currency drops the fx rates, not the seats.
    assert resolve_cost_settings(criteria_set, {"currency": "EUR"}).seats == 330000
    with pytest.raises(CostsError) as info:
        resolve_cost_settings(criteria_set, {"seats": 0})
    assert info.value.problems == [
        ("seats", "must be between 1 and 100,000,000 seats, got 0 (in the scenario settings)")
    ]


def test_licences_per_seat_over_three_undiscounted_years() -> None:
    """The collaboration study's "licences only" arithmetic: 330,000 seats at CAD 273 a year for
    3 years at 0 % = 330000 * 273 / 10**6 * 3 = 270.27 M CAD."""
    costs = parse_costs({"per_seat": {"annual": {"licences": 273}}})
    result = tco(costs, CostSettings(horizon=3, discount_rate=0.0, seats=330000))
    assert result.by_year == [0.0, 90.09, 90.09, 90.09]
    assert result.npv == pytest.approx(270.27, abs=1e-9)
    assert result.by_category == pytest.approx({"licences": 270.27, "exit": 0.0}, abs=1e-9)


def test_per_seat_amounts_escalate_discount_and_convert_like_the_others() -> None:
    costs = parse_costs({
        "currency": "EUR",
        "per_seat": {"one_off": {"migration": 50}, "annual": {"licences": 100}},
        "annual": {"support": 0.2},
        "escalation": 0.10,
        "exit": 0.1,
    })  # fmt: skip
    result = tco(costs, CostSettings(horizon=2, discount_rate=0.05, fx={"EUR": 1.5}, seats=1000))
    # one-off: 1000 * 50 / 10**6 = 0.05 M EUR = 0.075 M CAD
    # annual: 0.2 + 1000 * 100 / 10**6 = 0.3 M EUR = 0.45 M CAD in year 1, 0.45 * 1.1 = 0.495 in year 2
    # exit 0.1 M EUR = 0.15 M CAD at the end of year 2
    # NPV = 0.075 + 0.45 / 1.05 + (0.495 + 0.15) / 1.05**2 = 0.075 + 0.428571429 + 0.585034014 = 1.088605442
    assert result.by_year == pytest.approx([0.075, 0.45, 0.645], abs=1e-12)
    assert result.npv == pytest.approx(1.088605442, abs=1e-9)
    assert result.by_category == pytest.approx(
        {"migration": 0.075, "licences": 0.15 * 2.1, "support": 0.3 * 2.1, "exit": 0.15}, abs=1e-12
    )


def test_a_per_seat_item_adds_to_the_fixed_item_of_the_same_name() -> None:
    costs = parse_costs({"annual": {"licences": 1}, "per_seat": {"annual": {"licences": 500}}})
    result = tco(costs, CostSettings(horizon=2, discount_rate=0.0, seats=2000))
    # 1 M + 2000 * 500 / 10**6 = 2 M a year, for 2 years
    assert result.by_category == {"licences": 4.0, "exit": 0.0}
    assert result.npv == 4.0


def test_the_npv_is_affine_in_the_seats() -> None:
    costs = parse_costs(PER_SEAT)
    settings = CostSettings(horizon=10, discount_rate=0.03)

    def npv(seats: int) -> float:
        return tco(costs, CostSettings(horizon=10, discount_rate=0.03, seats=seats)).npv

    fixed_part = tco(parse_costs({"one_off": {"setup": 2}, "annual": {"staff": 1}}), settings).npv
    # NPV(S) = fixed + S * (400 + 150 + 273 * sum_{t=1..10} 1.03**-t) / 10**6
    annuity = sum(1.03**-t for t in range(1, 11))
    assert npv(10_000) == pytest.approx(fixed_part + 10_000 * (550 + 273 * annuity) / 1e6, rel=1e-12)
    assert npv(20_000) - npv(10_000) == pytest.approx(npv(10_000) - fixed_part, rel=1e-12)


def test_per_seat_amounts_without_seats_are_an_error() -> None:
    costs = parse_costs(PER_SEAT)
    with pytest.raises(CostsError) as info:
        tco(costs, CostSettings(horizon=3))
    assert info.value.problems == [
        (
            "costs.per_seat",
            "per-seat amounts need a number of seats, and none is in force; "
            "add seats: <number> to the criteria set or the scenario",
        )
    ]
    with pytest.raises(CostsError):
        sample_npv(costs, CostSettings(), samples=10)
    # A block without per-seat amounts needs no seats.
    assert seats_in_force(parse_costs(EXAMPLE), CostSettings()) == 0
    assert seats_in_force(costs, CostSettings(seats=42)) == 42


def test_the_missing_seats_error_names_the_file_and_line(tmp_path: Path) -> None:
    from workbench.files.providers import load_provider

    path = tmp_path / "suite.yaml"
    path.write_text(
        "id: suite\nname: Suite\nscores: {}\ncosts:\n  currency: CAD\n  annual: {staff: 1}\n"
        "  per_seat:\n    annual: {licences: 273}\n",
        encoding="utf-8",
    )
    costs = load_provider(path).costs
    assert (costs.file, costs.per_seat_line, costs.line) == (str(path), 7, 5)
    table = tco_table([("suite", costs)], CostSettings())
    assert table.problems == [
        (
            "suite",
            "costs.per_seat",
            f"per-seat amounts at {path}:7 need a number of seats, and none is in force; "
            "add seats: <number> to the criteria set or the scenario",
        )
    ]
    # 1 M of staff + 1000 seats * CAD 273 = 1.273 M a year, 15 years at 3 % (the defaults)
    priced = tco_table([("suite", costs)], CostSettings(seats=1000)).results["suite"]
    assert priced.npv == pytest.approx(sum(1.273 / 1.03**t for t in range(1, 16)), rel=1e-12)


def test_per_seat_ranges_are_sampled_and_bounded() -> None:
    costs = parse_costs(PER_SEAT)
    settings = CostSettings(horizon=5, seats=50_000)
    result = tco(costs, settings, samples=4000, seed=5)
    assert result.p10 is not None and result.p90 is not None
    low = tco(
        parse_costs({**PER_SEAT, "per_seat": {**PER_SEAT["per_seat"], "one_off": {"migration": 200, "training": 150}}}),
        settings,
    )
    high = tco(
        parse_costs({**PER_SEAT, "per_seat": {**PER_SEAT["per_seat"], "one_off": {"migration": 800, "training": 150}}}),
        settings,
    )
    assert low.npv < result.p10 < result.p50 < result.p90 < high.npv
    # Only the migration is a range: its triangular(200, 400, 800) mean is 466.67 a seat, so the
    # mean draw is the likely NPV plus 50,000 * 66.67 / 10**6 = 3.33 M. The standard deviation of
    # one draw is 50,000 * sqrt(280000 / 18) / 10**6 = 6.24 M, of the mean of 20,000 draws 0.044 M:
    # the tolerance is 5 of those.
    draws = sample_npv(costs, settings, samples=20000, seed=5)
    assert draws.mean() == pytest.approx(result.npv + 50_000 * (1400 / 3 - 400) / 1e6, abs=0.22)


def test_blocks_without_per_seat_amounts_draw_as_before() -> None:
    """Per-seat columns come after the others, so a block without them gets the same draws."""
    draws = sample_npv(parse_costs(RANGED), CostSettings(horizon=10), samples=500, seed=9)
    with_seats = sample_npv(parse_costs(RANGED), CostSettings(horizon=10, seats=1000), samples=500, seed=9)
    assert np.array_equal(draws, with_seats)

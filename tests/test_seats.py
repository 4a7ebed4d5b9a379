"""Seats in the cost model, through the files: criteria set, scenario, shared link, profile and
component cost blocks, `validate`, `evaluate`, `tco`, records, scenario diffs and the Costs page.

The study below has two options whose 5-year costs (0 % discount rate) cross as the seats grow:

    rent  (per seat)  : 1,000 seats * CAD 400 a year / 10**6 * 5 years = 2.0 M
                        2,000 seats                                   = 4.0 M
    build (fixed)     : 2 M once + 0.1 M a year * 5 years             = 2.5 M

so at the set's 1,000 seats rent is cheaper, and a scenario's 2,000 seats makes build cheaper.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from workbench.cli import main
from workbench.evaluate import evaluate
from workbench.files.scenario_io import LinkError, scenario_from_params, scenario_to_params, scenario_to_yaml
from workbench.files.scenarios import parse_scenario
from workbench.record import freeze, seal, verify
from workbench.scenario_diff import diff_scenarios
from workbench.study import load_study

ROOT = Path(__file__).resolve().parent.parent

CRITERIA = """\
id: seats-mini
name: {{en: Seats, fr: Postes}}
providers: {providers}
horizon: 5
discount_rate: 0
currency: CAD
{seats}criteria:
  - id: quality
    name: {{en: Quality, fr: Qualité}}
    weight: 1
    scale: {{min: 0, max: 10}}
  - id: cost
    name: {{en: Cost, fr: Coût}}
    weight: 1
    direction: cost
    source: tco
    scale: {{min: 0, max: 10, unit: M CAD}}
"""

RENT = """\
id: rent
name: {en: Rent, fr: Location}
scores:
  quality: 5
  cost: {status: estimate, confidence: low}
costs:
  currency: CAD
  per_seat:
    annual: {licences: 400}
"""

BUILD = """\
id: build
name: {en: Build, fr: Construction}
scores:
  quality: 5
  cost: {status: estimate, confidence: low}
costs:
  currency: CAD
  one_off: {build: 2}
  annual: {run: 0.1}
"""


def write_study(folder: Path, seats: int | None = 1000, rent: str = RENT) -> Path:
    """The study above in `folder`; `seats=None` leaves the set without seats."""
    providers = folder / "providers"
    providers.mkdir(parents=True)
    (providers / "rent.yaml").write_text(rent, encoding="utf-8")
    (providers / "build.yaml").write_text(BUILD, encoding="utf-8")
    line = f"seats: {seats}\n" if seats is not None else ""
    criteria = folder / "criteria" / "seats-mini.yaml"
    criteria.parent.mkdir()
    criteria.write_text(CRITERIA.format(providers=providers, seats=line), encoding="utf-8")
    return criteria


@pytest.fixture
def cli(capsys):
    def run(*args: object) -> SimpleNamespace:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return SimpleNamespace(code=code, out=captured.out, err=captured.err)

    return run


def npvs(out: str) -> dict[str, float]:
    return {row["id"]: row["npv"] for row in json.loads(out)["results"]}


def test_the_sets_seats_price_and_rank(cli, tmp_path):
    criteria = write_study(tmp_path)
    out = cli("tco", "--criteria", criteria, "--format", "json")
    assert out.code == 0, out.err
    assert npvs(out.out) == pytest.approx({"rent": 2.0, "build": 2.5}, abs=1e-12)
    categories = {row["id"]: row["by_category"] for row in json.loads(out.out)["results"]}
    assert categories == {"build": {"build": 2.0, "run": 0.5, "exit": 0.0}, "rent": {"licences": 2.0, "exit": 0.0}}
    study = load_study(criteria)
    assert study.cost_settings().seats == 1000
    assert [r.id for r in evaluate(study).results] == ["rent", "build"]
    # weighted sum on the scale: quality 0.5 * 0.5 + cost 0.5 * (1 - NPV / 10)
    assert [r.score for r in evaluate(study).results] == pytest.approx([0.25 + 0.4, 0.25 + 0.375])


def test_a_scenarios_seats_reprice_and_rerank(cli, tmp_path):
    criteria = write_study(tmp_path)
    scenario = tmp_path / "more-seats.yaml"
    scenario.write_text(f"criteria: {criteria}\ntitle: Twice the staff\nseats: 2000\n", encoding="utf-8")
    out = cli("tco", "--criteria", criteria, "--scenario", scenario, "--format", "json")
    assert npvs(out.out) == pytest.approx({"rent": 4.0, "build": 2.5}, abs=1e-12)
    out = cli("evaluate", "--criteria", criteria, "--scenario", scenario, "--format", "json")
    assert out.code == 0, out.err
    assert [r["id"] for r in json.loads(out.out)["results"]] == ["build", "rent"]
    study = load_study(criteria, scenario=scenario)
    assert study.matrix[study.provider_ids.index("rent"), study.leaf_ids.index("cost")] == pytest.approx(4.0)


def test_without_seats_validate_and_evaluate_name_the_file_and_line(cli, tmp_path):
    criteria = write_study(tmp_path, seats=None)
    rent = tmp_path / "providers" / "rent.yaml"
    expected = (
        f"{rent}:8: costs.per_seat: per-seat amounts at {rent}:8 need a number of seats, and none is "
        "in force; add seats: <number> to the criteria set or the scenario"
    )
    out = cli("validate", criteria, tmp_path / "providers")
    assert out.code == 1
    assert out.out.splitlines() == [expected + " (seats-mini)"]
    for command in ("evaluate", "tco"):
        out = cli(command, "--criteria", criteria)
        assert out.code == 2 and "Traceback" not in out.err
        assert f"per-seat amounts at {rent}:8 need a number of seats" in out.err
    out = cli("evaluate", "--criteria", criteria)
    assert out.err.strip() == f"error: {expected}"
    # A scenario that gives the seats makes the same set price.
    scenario = tmp_path / "seats.yaml"
    scenario.write_text(f"criteria: {criteria}\nseats: 1000\n", encoding="utf-8")
    assert cli("evaluate", "--criteria", criteria, "--scenario", scenario).code == 0


def test_a_component_priced_per_seat_is_named_in_its_own_file(cli, tmp_path):
    criteria = write_study(
        tmp_path, seats=None, rent="id: rent\nname: Rent\ncomponents: [host]\nscores: {quality: 5}\n"
    )
    components = tmp_path / "providers" / "components"
    components.mkdir()
    host = components / "host.yaml"
    host.write_text(
        "id: host\nname: Host\nscores: {}\ncosts:\n  per_seat:\n    annual: {hosting: 400}\n", encoding="utf-8"
    )
    out = cli("validate", criteria, tmp_path / "providers")
    assert out.code == 1
    # One block, one problem, however many options are built on it.
    assert [line.split(": ")[0] for line in out.out.splitlines()] == [f"{host}:5"]
    out = cli("evaluate", "--criteria", criteria)
    assert out.code == 2 and out.err.startswith(f"error: {host}:5: costs.per_seat: per-seat amounts at {host}:5")
    scenario = tmp_path / "seats.yaml"
    scenario.write_text(f"criteria: {criteria}\nseats: 1000\n", encoding="utf-8")
    out = cli("tco", "--criteria", criteria, "--scenario", scenario, "--format", "json")
    assert npvs(out.out) == pytest.approx({"rent": 2.0, "build": 2.5}, abs=1e-12)


def test_bad_seats_in_files_are_named_by_line(cli, tmp_path):
    criteria = write_study(tmp_path, seats=None)
    text = criteria.read_text(encoding="utf-8").replace("currency: CAD\n", "currency: CAD\nseats: 2.5\n")
    criteria.write_text(text, encoding="utf-8")
    out = cli("validate", criteria)
    assert f"{criteria}:7: seats: must be a whole number of seats such as 330000, got 2.5" in out.out
    with pytest.raises(Exception) as info:
        parse_scenario("seats: 0\n", "scenario.yaml")
    assert str(info.value.problems[0]) == "scenario.yaml:1: seats: must be between 1 and 100,000,000 seats, got 0"


def test_a_shared_link_and_a_saved_scenario_carry_the_seats(tmp_path):
    scenario = parse_scenario("title: Twice the staff\nseats: 2000\nhorizon: 5\n", "s.yaml")
    params = scenario_to_params(scenario)
    assert params == {"h": "5", "seats": "2000", "title": "Twice the staff"}
    assert scenario_from_params(params).cost_settings == {"horizon": 5, "seats": 2000}
    assert "seats: 2000\n" in scenario_to_yaml(scenario)
    with pytest.raises(LinkError) as info:
        scenario_from_params({"seats": "many", "h": "5"})
    assert [str(p) for p in info.value.problems] == [
        "URL:1: seats: must be a whole number of seats such as 330000, got 'many' (link parameter seats)"
    ]
    assert info.value.scenario.cost_settings == {"horizon": 5}


def test_a_record_keeps_the_seats_and_the_per_seat_amounts(tmp_path):
    criteria = write_study(tmp_path)
    study = load_study(criteria)
    frozen = freeze(study, moment="2026-01-01T00:00:00Z")
    assert frozen["frozen"]["cost_settings"]["seats"] == 1000
    record = seal(study, frozen, moment="2026-01-02T00:00:00Z")
    assert record["costs"]["rent"]["per_seat"] == {"one_off": {}, "annual": {"licences": 400}}
    assert "per_seat" not in record["costs"]["build"]
    assert record["scores"]["rent"]["cost"]["value"] == pytest.approx(2.0)
    assert verify(record).ok
    # The verifier prices the per-seat amounts again: doubling them is named, with the cost value
    # and the ranking they change (rent at 4.0 M falls behind build).
    forged = json.loads(json.dumps(record))
    forged["costs"]["rent"]["per_seat"]["annual"]["licences"] = 800
    fields = [m.field for m in verify(forged).mismatches]
    assert fields[:3] == ["costs.rent.per_seat.annual.licences", "scores.rent.cost.value", "results.ranking"]


def test_a_record_of_a_study_without_seats_has_no_seats_field(tmp_path):
    study = load_study(ROOT / "tests" / "fixtures" / "mini" / "criteria.yaml")
    assert "seats" not in freeze(study, moment="2026-01-01T00:00:00Z")["frozen"]["cost_settings"]


def test_a_scenario_diff_names_the_seats_change(tmp_path):
    criteria = write_study(tmp_path)
    study = load_study(criteria)
    a = parse_scenario("title: A\n", "a.yaml")
    b = parse_scenario("title: B\nseats: 2000\n", "b.yaml")
    diff = diff_scenarios(study.criteria_set, study.providers, a, b)
    change = next(c for c in diff.changes if c.kind == "cost")
    assert (change.target, change.before, change.after) == ("seats", 1000, 2000)
    assert diff.ranking_a == ["rent", "build"] and diff.ranking_b == ["build", "rent"]


def test_the_costs_page_offers_the_seats_and_reprices(tmp_path, monkeypatch):
    criteria = write_study(tmp_path)
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(criteria.parent))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(str(ROOT / "ui" / "pages" / "costs.py")).run()
    assert not at.exception, [e.message for e in at.exception]
    seats = at.number_input(key="cost_seats")
    assert (seats.value, seats.min, seats.max) == (1000, 1, 100_000_000)
    assert seats.label == "Number of seats"
    shown = at.dataframe[0].value
    assert list(shown["Option"]) == ["Rent", "Build"]
    assert list(shown["Net present value"]) == ["2.0", "2.5"]

    seats.set_value(2000).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["wb_cost_settings"] == {"seats": 2000}
    shown = at.dataframe[0].value
    assert list(shown["Option"]) == ["Build", "Rent"]
    assert list(shown["Net present value"]) == ["2.5", "4.0"]
    # The ranking below takes the same seats.
    assert list(at.dataframe[1].value["Option"]) == ["Build", "Rent"]


def test_the_costs_page_without_seats_names_the_block_and_offers_the_input(tmp_path, monkeypatch):
    criteria = write_study(tmp_path, seats=None)
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(criteria.parent))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "fr"
    at.run()
    at.switch_page(str(ROOT / "ui" / "pages" / "costs.py")).run()
    rent = tmp_path / "providers" / "rent.yaml"
    messages = [e.value for e in at.error]
    assert any(f"per-seat amounts at {rent}:8 need a number of seats" in m for m in messages), messages
    seats = at.number_input(key="cost_seats")
    assert seats.value is None and seats.label == "Nombre de postes"
    seats.set_value(1000).run()
    assert not at.exception, [e.message for e in at.exception]
    assert list(at.dataframe[0].value["Option"]) == ["Location", "Construction"]


def test_a_study_without_per_seat_amounts_shows_no_seats_input(tmp_path, monkeypatch):
    criteria = write_study(tmp_path, seats=None, rent=textwrap.dedent(BUILD).replace("build", "rent"))
    monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(criteria.parent))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(str(ROOT / "ui" / "pages" / "costs.py")).run()
    assert not at.exception
    assert [n.key for n in at.number_input] == ["cost_horizon", "cost_rate"]

"""The loader names file, line and field for every problem, and never crashes on bad input."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tools.fuzz import mutate_text
from workbench.costs import MAX_HORIZON, MIN_HORIZON, Amount
from workbench.errors import LoadError
from workbench.files.loading import load_criteria_set, parse_scenario, provider_from_doc
from workbench.files.yamlfile import parse_yaml
from workbench.study import load_study
from workbench.validation import validate_paths

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests/fixtures/mini"


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


BAD_SET = """\
id: bad
name: Bad
providers: prov
criteria:
  - id: a
    name: A
    weight: -1
    direction: benefit
    scale: {min: 0, max: 10}
  - id: a
    name: Again
    direction: sideways
    scale: {min: 5, max: 1}
    colour: red
"""


def test_every_problem_of_a_criteria_set_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "criteria/bad.yaml", BAD_SET)
    with pytest.raises(LoadError) as info:
        load_criteria_set(path)
    found = {(p.line, p.field) for p in info.value.problems}
    messages = "\n".join(str(p) for p in info.value.problems)
    assert (7, "criteria[0].weight") in found, messages
    assert (10, "criteria[1].id") in found, messages
    assert (12, "criteria[1].direction") in found, messages
    assert (13, "criteria[1].scale") in found, messages
    assert (14, "criteria[1].colour") in found, messages
    assert f"{path}:7: criteria[0].weight: must be ≥ 0" in messages


def test_provider_problems_name_the_criterion(tmp_path):
    cs = load_criteria_set(MINI / "criteria.yaml")
    leaves = {leaf.id: leaf for leaf in cs.leaves()}
    text = """\
id: delta
name: Delta
scores:
  exposure: 11
  residency: mars
  cost: {value: 10, confidence: certain, range: [20, 30]}
  nonsense: 3
"""
    with pytest.raises(LoadError) as info:
        provider_from_doc(parse_yaml(text, "delta.yaml"), leaves)
    lines = sorted(str(p) for p in info.value.problems)
    assert "delta.yaml:4: scores.exposure: 11 is outside the scale [0, 10]" in lines
    assert any(line.startswith("delta.yaml:5: scores.residency: 'mars' is not a level") for line in lines)
    assert any("delta.yaml:6: scores.cost.confidence" in line for line in lines)
    assert any("delta.yaml:6: scores.cost.range: the value 10 lies outside its range" in line for line in lines)
    assert "delta.yaml:7: scores.nonsense: unknown criterion 'nonsense' (not a leaf of the criteria set)" in lines


def test_yaml_syntax_error_has_a_line():
    with pytest.raises(LoadError) as info:
        parse_yaml("id: x\nname: [unclosed\nscores: {}\n", "x.yaml")
    problem = info.value.problems[0]
    assert problem.file == "x.yaml" and problem.line >= 2 and "YAML syntax error" in problem.message


def test_duplicate_keys_are_reported():
    cs = load_criteria_set(MINI / "criteria.yaml")
    doc = parse_yaml("id: x\nname: X\nscores:\n  cost: 1\n  cost: 2\n", "x.yaml")
    with pytest.raises(LoadError) as info:
        provider_from_doc(doc, {leaf.id: leaf for leaf in cs.leaves()})
    assert "x.yaml:5: scores.cost: duplicate key" in [str(p) for p in info.value.problems]


def test_missing_score_is_an_error_unless_allowed(tmp_path):
    import shutil

    shutil.copytree(MINI, tmp_path / "mini")
    crit = tmp_path / "mini/criteria.yaml"
    crit.write_text(crit.read_text().replace("tests/fixtures/mini/providers", str(tmp_path / "mini/providers")))
    gamma = tmp_path / "mini/providers/gamma.yaml"
    gamma.write_text(gamma.read_text().replace("  cost: 40\n", ""))
    with pytest.raises(LoadError) as info:
        load_study(crit)
    assert [(Path(p.file).name, p.field, p.message) for p in info.value.problems] == [
        ("gamma.yaml", "scores.cost", "missing score")
    ]
    study = load_study(crit, allow_missing=True)
    i, j = study.provider_ids.index("gamma"), study.leaf_ids.index("cost")
    assert study.missing[i, j] and study.matrix[i, j] == 100.0  # the worst value of a cost scale


def test_scenario_with_unknown_ids_is_refused_naming_each():
    cs = load_criteria_set(MINI / "criteria.yaml")
    text = "providers: [alpha, zeta]\nweights: {exposure: 2, nope: 1}\nmethod: magic\n"
    with pytest.raises(LoadError) as info:
        parse_scenario(text, "upload.yaml", cs, ["alpha", "beta", "gamma"])
    got = {str(p) for p in info.value.problems}
    assert "upload.yaml:1: providers[1]: unknown provider 'zeta'" in got
    assert "upload.yaml:2: weights.nope: unknown criterion 'nope'" in got
    assert any(s.startswith("upload.yaml:3: method: 'magic' is not one of") for s in got)


def test_scenario_overrides_and_weights_apply(tmp_path):
    scenario = write(
        tmp_path,
        "s.yaml",
        "providers: [alpha, gamma]\nweights: {cost: 0}\noverrides:\n"
        "  - {provider: gamma, criterion: exposure, value: 10, note: what if}\n",
    )
    study = load_study(MINI / "criteria.yaml", scenario=scenario)
    assert study.provider_ids == ["alpha", "gamma"]
    assert study.global_weights()["cost"] == 0.0
    j = study.leaf_ids.index("exposure")
    assert study.matrix[1, j] == 10.0 and study.overridden[1, j]


def test_validate_reports_all_files_and_keeps_going(tmp_path):
    write(tmp_path, "criteria/bad.yaml", BAD_SET)
    write(tmp_path, "criteria/broken.yaml", "id: [\n")
    problems, summary = validate_paths([tmp_path / "criteria"])
    files = {Path(p.file).name for p in problems}
    assert files == {"bad.yaml", "broken.yaml"}
    assert summary["files"] == 2


SEED_DOCS = [
    (MINI / "criteria.yaml").read_text(),
    (MINI / "providers/alpha.yaml").read_text(),
    (MINI / "providers/beta.yaml").read_text(),
    "providers: [alpha]\nweights: {exposure: 1}\n",
]


def load_any(text: str) -> None:
    cs = load_criteria_set(MINI / "criteria.yaml")
    leaves = {leaf.id: leaf for leaf in cs.leaves()}
    for loader in (
        lambda d: provider_from_doc(d, leaves),
        lambda d: provider_from_doc(d, None),
        lambda d: __import__("workbench.files.loading", fromlist=["x"]).criteria_set_from_doc(d),
    ):
        try:
            loader(parse_yaml(text, "fuzz.yaml"))
        except LoadError as exc:
            assert exc.problems and all(p.file == "fuzz.yaml" and p.line >= 1 for p in exc.problems)
    try:
        parse_scenario(text, "fuzz.yaml", cs, ["alpha", "beta", "gamma"])
    except LoadError as exc:
        assert exc.problems


def test_fuzz_mutated_documents_only_raise_load_errors():
    rnd = random.Random(20261128)
    for _ in range(3000):
        load_any(mutate_text(rnd.choice(SEED_DOCS), rnd))


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
        ["id", "name", "scores", "criteria", "weight", "scale", "min", "max", "levels", "value", "label", "en", "fr",
         "direction", "must_have", "preference", "function", "sources", "range", "costs", "providers", "weights"]
    ) | st.text(max_size=8), inner, max_size=5),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_values)
def test_fuzz_generated_documents_only_raise_load_errors(value):
    load_any(yaml.safe_dump(value, allow_unicode=True))


def test_hostile_yaml_tags_are_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"id: !!python/object/apply:os.system ['touch {marker}']\nname: X\n"
    with pytest.raises(LoadError):
        provider_from_doc(parse_yaml(text, "evil.yaml"), None)
    assert not marker.exists()


def test_billion_laughs_is_refused_fast():
    """A document whose aliases stand for 10⁹ values is refused by its expanded size, at once."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        levels.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from workbench.files.yamlfile import parse_yaml; parse_yaml(sys.stdin.read(), 'x')"],
        input="\n".join(levels), capture_output=True, text=True, timeout=20, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1 and "LoadError" in result.stderr
    assert "more than 200,000 values once its aliases" in result.stderr


def test_yaml_errors_name_their_line_and_serialise_plainly():
    # A control character on line 3: the reader reports a character offset, turned into its line.
    with pytest.raises(LoadError) as info:
        parse_yaml("id: x\nname: ok\nsummary: bad \x07 char\n", "f.yaml")
    assert json.loads(json.dumps([p.to_json() for p in info.value.problems])) == [
        {
            "file": "f.yaml",
            "line": 3,
            "field": "",
            "code": "error",
            "severity": "error",
            "message": "YAML error: character '\\x07' (U+0007) is not allowed",
        }
    ]
    with pytest.raises(LoadError) as info:
        parse_yaml("id: x\nname: X\nscores: {a: [1, 2\n", "g.yaml")
    assert [(p.file, p.line) for p in info.value.problems] == [("g.yaml", 4)]
    assert str(info.value.problems[0]).startswith("g.yaml:4: YAML syntax error: ")


# --- costs: the same checker, every problem on its own line ------------------------------------

BAD_COSTS = """\
id: delta
name: Delta
costs:
  currency: cad
  one_off:
    migration: -2
  annual:
    licences:
      m365: 3
      low: 1
    2025: -4
    "2026": {low: 3, likely: 2, high: 1}
    hosting: {low: 1, likely: 2, high: 3, mode: 2}
    exit: 1
  escalation: -1
  exit: true
  sources:
    - {url: "https://example.org"}
  colour: red
"""


def test_cost_block_problems_are_on_their_own_lines():
    with pytest.raises(LoadError) as info:
        provider_from_doc(parse_yaml(BAD_COSTS, "delta.yaml"))
    got = sorted((p.line, p.field, p.message) for p in info.value.problems)
    assert got == [
        (4, "costs.currency", "must be a 3-letter uppercase currency code such as CAD, EUR or USD, got 'cad'"),
        (6, "costs.one_off.migration", "must not be negative, got -2"),
        (8, "costs.annual.licences", "a range needs low, likely and high; missing likely, high"),
        (9, "costs.annual.licences.m365", "unknown key 'm365' (expected one of: high, likely, low)"),
        (11, "costs.annual.2025", "must not be negative, got -4"),
        (12, "costs.annual.2026", "likely (2) must not exceed high (1)"),
        (12, "costs.annual.2026", "low (3) must not exceed likely (2)"),
        (13, "costs.annual.hosting.mode", "unknown key 'mode' (expected one of: high, likely, low)"),
        (14, "costs.annual.exit", "'exit' is reserved for costs.exit; rename the item"),
        (15, "costs.escalation", "must be greater than -1, got -1"),
        (16, "costs.exit", "must be a number, got a boolean True"),
        (18, "costs.sources[0]", "missing required field 'title'"),
        (
            19,
            "costs.colour",
            "unknown key 'colour' (expected one of: annual, currency, escalation, exit, one_off, per_seat, sources)",
        ),
    ]
    assert "delta.yaml:11: costs.annual.2025: must not be negative, got -4" in str(info.value)


def test_numeric_item_names_and_duplicate_items_in_a_cost_block():
    text = 'id: d\nname: D\ncosts:\n  annual:\n    2025: 3\n    "2026": 4\n    2025: 5\n'
    with pytest.raises(LoadError) as info:
        provider_from_doc(parse_yaml(text, "d.yaml"))
    assert [str(p) for p in info.value.problems] == ["d.yaml:7: costs.annual.2025: duplicate key"]
    provider = provider_from_doc(parse_yaml(text.replace("    2025: 5\n", ""), "d.yaml"))
    assert provider.costs.annual == {"2025": Amount(3, 3, 3), "2026": Amount(4, 4, 4)}
    assert provider.costs.line == 3  # no currency: the block's own line


def test_numeric_score_keys_are_named_on_their_line():
    cs = load_criteria_set(MINI / "criteria.yaml")
    doc = parse_yaml("id: x\nname: X\nscores:\n  exposure: 3\n  2025: 1\n", "x.yaml")
    with pytest.raises(LoadError) as info:
        provider_from_doc(doc, {leaf.id: leaf for leaf in cs.leaves()})
    assert [str(p) for p in info.value.problems] == [
        "x.yaml:5: scores.2025: unknown criterion '2025' (not a leaf of the criteria set)"
    ]


def test_cost_settings_of_sets_and_scenarios_are_checked_on_their_lines(tmp_path):
    text = (
        (MINI / "criteria.yaml")
        .read_text()
        .replace("horizon: 10", "horizon: 150")
        .replace("{EUR: 1.5}", "{EUR: 1.5, CAD: 2}")
    )
    with pytest.raises(LoadError) as info:
        load_criteria_set(write(tmp_path, "set.yaml", text))
    assert sorted((p.line, p.field, p.message) for p in info.value.problems) == [
        (4, "horizon", f"must be between {MIN_HORIZON} and {MAX_HORIZON} years, got 150"),
        (7, "fx.CAD", "is the study currency, so its rate must be 1, got 2"),
    ]
    with pytest.raises(LoadError) as info:
        parse_scenario("title: T\ndiscount_rate: 1.5\nfx:\n  EUR: -1\n  euro: 2\n", "s.yaml")
    assert [str(p) for p in info.value.problems] == [
        "s.yaml:2: discount_rate: must be between -0.99 and 1 (-99% to 100%), got 1.5",
        "s.yaml:4: fx.EUR: must be a positive number, got -1",
        "s.yaml:5: fx.euro: must be a 3-letter uppercase currency code such as CAD, EUR or USD, got 'euro'",
    ]


def test_a_scan_parses_each_file_once(monkeypatch):
    """`validate` reads each YAML file once, even the profiles it loads again by folder."""
    from collections import Counter

    from workbench import validation
    from workbench.files import yamlfile

    parsed: Counter[str] = Counter()
    real = yamlfile.parse_yaml

    def counting(text, name):
        parsed[str(Path(name).resolve())] += 1
        return real(text, name)

    monkeypatch.setattr(yamlfile, "parse_yaml", counting)
    root = Path(__file__).resolve().parent.parent
    cat = validation.scan([root / "criteria", root / "providers", root / "scenarios"])
    assert cat.problems == []
    profiles = [p.path for folder in cat.providers.values() for p in folder]
    assert len(profiles) > 20
    assert all(parsed[str(p.resolve())] == 1 for p in profiles)
    assert max(parsed.values()) == 1

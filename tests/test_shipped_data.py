"""The shipped studies: valid, fully evidenced, bilingual, and every provider scores every leaf."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workbench.errors import WorkbenchError
from workbench.evaluate import compare_methods, evaluate
from workbench.study import load_study
from workbench.validation import coverage, scan, validate_paths

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "health-data-sovereignty": ("providers/health-data", 8),
    "eu-cloud-sovereignty-framework": ("providers/health-data", 8),
    "image-editors": ("providers/image-editors", 5),
}


@pytest.fixture(scope="module")
def catalogue():
    return scan([ROOT / "criteria", ROOT / "providers"])


def test_shipped_files_validate(catalogue):
    problems, _ = validate_paths([ROOT / "criteria", ROOT / "providers"])
    assert problems == [], "\n".join(map(str, problems))
    assert {cs.id for cs in catalogue.criteria_sets} >= set(SETS)


@pytest.mark.parametrize("set_id", list(SETS))
def test_every_score_has_rationale_source_and_confidence(catalogue, set_id):
    folder, minimum = SETS[set_id]
    cs = next(c for c in catalogue.criteria_sets if c.id == set_id)
    providers = catalogue.providers[(ROOT / folder).resolve()]
    assert len(providers) >= minimum
    rows = coverage(cs, providers)
    incomplete = {r.provider: r.missing + r.incomplete for r in rows if not r.complete}
    assert incomplete == {}


def test_sources_are_http_links_with_dates(catalogue):
    for providers in catalogue.providers.values():
        for provider in providers:
            for leaf_id, score in provider.scores.items():
                for source in score.sources:
                    assert source.url.startswith(("http://", "https://")), (provider.id, leaf_id, source)
                    assert source.date, (provider.id, leaf_id, source.title)


def test_low_confidence_scores_carry_a_range(catalogue):
    for providers in catalogue.providers.values():
        for provider in providers:
            for leaf_id, score in provider.scores.items():
                if score.confidence == "low" and score.value is not None:
                    assert score.range is not None, (provider.id, leaf_id)


def _texts(node, path=()):
    """Yield (path, value) for every human text in a raw document."""
    text_keys = {"name", "description", "summary", "rationale", "kind", "label"}
    if isinstance(node, dict):
        for key, value in node.items():
            if key in text_keys and not (key == "label" and isinstance(value, str) and value.startswith("SEAL-")):
                yield path + (key,), value
            elif key not in text_keys:
                yield from _texts(value, path + (key,))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _texts(item, path + (i,))


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "criteria").glob("*.yaml")) + sorted((ROOT / "providers").rglob("*.yaml")),
    ids=lambda p: p.name,
)
def test_every_text_has_both_languages(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for where, value in _texts(data):
        if where[:1] == ("facts",) or "sources" in where:
            continue
        assert isinstance(value, dict) and value.get("en") and value.get("fr"), f"{path.name}: {where}"


@pytest.mark.parametrize("set_id", list(SETS))
def test_each_study_evaluates_under_every_method(set_id):
    study = load_study(ROOT / "criteria" / f"{set_id}.yaml")
    for method in ("weighted-sum", "topsis", "promethee-ii", "vikor"):
        ev = evaluate(study, method)
        assert len(ev.results) == len(study.providers)
        assert ev.results[0].eligible
    if (study.matrix[:, ~study.cost_mask] == 0).any():
        # A zero score wipes out a product: the method refuses with a sentence instead.
        with pytest.raises(WorkbenchError, match="needs every score > 0"):
            evaluate(study, "weighted-product")
    else:
        assert evaluate(study, "weighted-product").results[0].eligible
    agreement = compare_methods(study)
    assert 0.0 <= agreement["kendall_w"] <= 1.0


def test_health_study_has_a_switchable_must_have():
    study = load_study(ROOT / "criteria/health-data-sovereignty.yaml")
    leaves_with_rules = [leaf.id for leaf in study.leaves if leaf.must_have is not None]
    assert leaves_with_rules
    base = evaluate(study)
    study.scenario.disabled_must_haves = leaves_with_rules
    relaxed = evaluate(study)
    assert all(r.eligible for r in relaxed.results)
    assert sum(not r.eligible for r in base.results) >= 1


def test_eu_framework_weights_are_as_published():
    study = load_study(ROOT / "criteria/eu-cloud-sovereignty-framework.yaml")
    weights = study.global_weights()
    expected = dict(zip([f"sov-{i}" for i in range(1, 9)], [15, 10, 10, 15, 20, 15, 10, 5], strict=True))
    assert weights == pytest.approx({k: v / 100 for k, v in expected.items()})
    assert all(leaf.scale.ordinal and len(leaf.scale.levels) == 5 for leaf in study.leaves)


# The sets whose ranking reads the cost model (a `source: tco` leaf) must price every option.
TCO_SETS = ["health-data-sovereignty"]


@pytest.mark.parametrize("set_id", TCO_SETS)
def test_every_cost_model_prices_under_its_set(set_id):
    """Each profile's cost block has an exchange rate in the set, and yields one flow a year."""
    study = load_study(ROOT / "criteria" / f"{set_id}.yaml")
    assert any(leaf.source == "tco" for leaf in study.leaves)
    table = study.tco_table()
    assert table.problems == []
    assert set(table.results) == {p.id for p in study.providers if p.costs is not None}
    assert all(len(r.by_year) == study.cost_settings().horizon + 1 and r.npv > 0 for r in table.results.values())

"""Evidence a journalist can check: source kinds and dates, score status, the warnings of
`validate --strict`, composed options and reference models (tests/fixtures/evidence)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from workbench.cli import main
from workbench.evaluate import compare_methods, evaluate
from workbench.evidence import months_between, parse_partial_date
from workbench.files.scenarios import parse_scenario
from workbench.model import Score
from workbench.robustness import analyse
from workbench.robustness.draws import implied_range
from workbench.robustness.smaa import FirstPlace
from workbench.study import load_study

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "evidence"


@pytest.fixture
def study_dir(tmp_path: Path) -> Path:
    """A copy of the evidence fixture whose set points at the copied profiles."""
    shutil.copytree(FIXTURE, tmp_path / "evidence")
    crit = tmp_path / "evidence" / "criteria.yaml"
    text = crit.read_text(encoding="utf-8").replace(
        "tests/fixtures/evidence/providers", str(tmp_path / "evidence" / "providers")
    )
    crit.write_text(text, encoding="utf-8")
    return tmp_path / "evidence"


def validate_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["validate", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


# --- dates -------------------------------------------------------------------------------------


def test_partial_dates_and_their_latest_day():
    assert parse_partial_date("2024-03-12").latest == dt.date(2024, 3, 12)
    assert parse_partial_date("2024-02").latest == dt.date(2024, 2, 29)
    assert parse_partial_date("2010").latest == dt.date(2010, 12, 31)
    for bad in ("unknown", "2024-13", "2024-02-30", "12/03/2024", "", "1066"):
        assert parse_partial_date(bad) is None, bad
    assert months_between(dt.date(2024, 3, 12), dt.date(2026, 3, 11)) == 23
    assert months_between(dt.date(2024, 3, 12), dt.date(2026, 3, 12)) == 24


# --- validate ----------------------------------------------------------------------------------


def test_the_fixture_is_clean_even_in_strict_mode(capsys):
    code, data = validate_json(capsys, str(FIXTURE), "--strict")
    assert code == 0 and data["problems"] == []
    assert data["summary"] == {"files": 6, "criteria_sets": 1, "providers": 3, "components": 2, "scenarios": 0}


WARNINGS = """id: weak
name: Weak evidence
scores:
  law:
    value: 5
    confidence: high
    rationale: {en: "Key fact from memory.", fr: "Fait clé de mémoire."}
    status: verified
    sources:
      - {title: Forum thread, url: "https://www.reddit.com/r/x", published: 2025-01-01, accessed: 2026-11-20}
  price:
    value: 5
    status: verified
    confidence: medium
    rationale: {en: Vendor page., fr: Page du fournisseur.}
    sources:
      - {title: Old prices, url: "https://weak.example/a", published: 2024-06, accessed: 2026-11-20, kind: vendor}
  support:
    value: 5
    status: disputed
    confidence: low
    rationale: {en: Unclear., fr: Incertain.}
    sources:
      - {title: Aggregator, url: "https://fridayol.com/x", published: unknown, accessed: 2026-11-20}
      - {title: No kind, url: "https://nowhere.example/y", published: 2026-01-01, accessed: 2026-11-20}
"""


def test_each_warning_code_at_its_line(study_dir, capsys):
    (study_dir / "providers" / "weak.yaml").write_text(WARNINGS, encoding="utf-8")
    code, data = validate_json(capsys, str(study_dir))
    assert code == 0  # warnings alone do not fail without --strict
    found = {(p["code"], p["line"], p["field"]) for p in data["problems"] if p["file"].endswith("weak.yaml")}
    assert found == {
        ("weak-evidence", 4, "scores.law.confidence"),  # high with only a community source
        ("status-mismatch", 4, "scores.law.status"),  # "from memory" yet verified
        ("source-stale", 11, "scores.price"),  # 2024-06 is older than the price's 12 months
        ("status-mismatch", 11, "scores.price.status"),  # verified on the vendor's word alone
        ("status-mismatch", 18, "scores.support.status"),  # disputed without a dispute note
        ("source-undated", 24, "scores.support.sources[0].published"),
        ("blocked-domain", 24, "scores.support.sources[0].url"),
        ("source-kind-missing", 24, "scores.support.sources[0].kind"),
        ("source-kind-missing", 25, "scores.support.sources[1].kind"),
    }
    assert all(p["severity"] == "warning" for p in data["problems"])
    assert main(["validate", str(study_dir), "--strict"]) == 1


def test_a_declared_assumption_keeps_old_and_undated_pointers_without_date_warnings(study_dir, capsys):
    """`assumption` with `low` confidence claims no fact: its sources are pointers, not evidence, so
    they are not warned as undated or stale; a blocked domain or a missing kind still is, and the same
    sources under `medium` confidence are warned again."""

    def profile(confidence: str) -> str:
        return (
            "id: guess\nname: Guess\nscores:\n  price:\n    value: 5\n    status: assumption\n"
            f"    confidence: {confidence}\n    rationale: {{en: Not documented., fr: Non documenté.}}\n"
            "    sources:\n"
            '      - {title: Old prices, url: "https://weak.example/a", published: 2020-06, kind: vendor}\n'
            '      - {title: FAQ, url: "https://weak.example/faq", published: unknown, kind: vendor}\n'
            '      - {title: Aggregator, url: "https://fridayol.com/x", published: unknown, kind: press}\n'
        )

    path = study_dir / "providers" / "guess.yaml"
    path.write_text(profile("low"), encoding="utf-8")
    _, data = validate_json(capsys, str(study_dir))
    found = {(p["code"], p["field"]) for p in data["problems"] if p["file"].endswith("guess.yaml")}
    assert found == {("blocked-domain", "scores.price.sources[2].url")}
    path.write_text(profile("medium"), encoding="utf-8")
    _, data = validate_json(capsys, str(study_dir))
    found = {(p["code"], p["field"]) for p in data["problems"] if p["file"].endswith("guess.yaml")}
    assert found == {
        ("blocked-domain", "scores.price.sources[2].url"),
        ("source-stale", "scores.price"),
        ("source-undated", "scores.price.sources[1].published"),
        ("source-undated", "scores.price.sources[2].published"),
    }


def test_status_missing_padding_and_the_old_date_field(study_dir, capsys):
    scores = "\n".join(
        f"  {leaf}: {{value: 5, confidence: low, sources: [{{title: Same page, url: 'https://same.example/p', "
        f"date: '2026', kind: vendor}}]}}"
        for leaf in ("law", "price", "support")
    )
    (study_dir / "providers" / "padded.yaml").write_text(f"id: padded\nname: Padded\nscores:\n{scores}\n", "utf-8")
    policy = study_dir / "policy.yaml"
    policy.write_text("padding_limit: 2\nblocked: {}\nkinds: {}\n", encoding="utf-8")
    crit = study_dir / "criteria.yaml"
    crit.write_text(crit.read_text(encoding="utf-8") + "source_policy: policy.yaml\n", encoding="utf-8")
    _, data = validate_json(capsys, str(study_dir))
    mine = [p for p in data["problems"] if p["file"].endswith("padded.yaml")]
    codes = sorted(p["code"] for p in mine)
    assert codes == ["source-date-deprecated"] * 3 + ["source-padding"] + ["status-missing"] * 3
    padding = next(p for p in mine if p["code"] == "source-padding")
    assert padding["line"] == 4 and "backs 3 scores of this profile (more than 2)" in padding["message"]


def test_bad_new_fields_are_errors_with_lines(study_dir, capsys):
    bad = (
        "id: bad\nname: Bad\nscores:\n  law:\n    value: 5\n    status: sure\n    sources:\n"
        "      - {title: T, published: last year, accessed: 2026-11, kind: blog, quote: '" + "x" * 301 + "'}\n"
    )
    (study_dir / "providers" / "bad.yaml").write_text(bad, encoding="utf-8")
    code, data = validate_json(capsys, str(study_dir))
    assert code == 1
    errors = {(p["line"], p["field"]) for p in data["problems"] if p["severity"] == "error"}
    assert errors == {
        (6, "scores.law.status"),
        (8, "scores.law.sources[0].published"),
        (8, "scores.law.sources[0].accessed"),
        (8, "scores.law.sources[0].kind"),
        (8, "scores.law.sources[0].quote"),
    }


def test_coverage_json_counts_per_profile(capsys):
    _, data = validate_json(capsys, str(FIXTURE), "--coverage")
    (study,) = data["coverage"]
    assert study["study"] == "evidence-fixture"
    rows = {r["profile"]: r for r in study["profiles"]}
    assert set(rows) == {"composed", "plain", "national", "host", "stack"}
    assert rows["plain"]["verified"] == 1 and rows["plain"]["with_official"] == 1  # legisquebec: official by policy
    assert rows["host"]["with_official"] == 1 and rows["national"]["role"] == "reference"
    assert rows["composed"]["scores"] == 1  # its own; the rest is counted with its components


# --- composition -------------------------------------------------------------------------------


def test_a_composed_option_takes_each_score_from_its_own_file_or_one_component():
    study = load_study(FIXTURE / "criteria.yaml")
    composed = next(p for p in study.providers if p.id == "composed")
    assert {k: s.value for k, s in composed.scores.items()} == {"law": 4.0, "price": 7.0, "support": 5.0}
    origins = {k: s.origin.split("/")[-1] for k, s in composed.scores.items()}
    assert origins == {"law": "host.yaml:4", "price": "composed.yaml:5", "support": "stack.yaml:4"}


def test_changing_a_host_changes_every_option_built_on_it(study_dir):
    host = study_dir / "providers" / "components" / "host.yaml"
    host.write_text(host.read_text(encoding="utf-8").replace("value: 4", "value: 9"), encoding="utf-8")
    study = load_study(study_dir / "criteria.yaml")
    ev = evaluate(study)
    assert ev.result("composed").score == pytest.approx(0.9 * 0.5 + 0.7 * 0.25 + 0.5 * 0.25)
    assert ev.winner().id == "composed"


def test_two_components_scoring_one_criterion_is_an_error_naming_both(study_dir):
    stack = study_dir / "providers" / "components" / "stack.yaml"
    stack.write_text(stack.read_text(encoding="utf-8") + "  law: {value: 2, status: estimate}\n", encoding="utf-8")
    study = load_study(study_dir / "criteria.yaml")
    assert study.provider_ids == ["plain"]  # the composed option is left out, and said why
    (problem,) = [p for p in study.problems if p.file.endswith("composed.yaml")]
    assert problem.line == 3 and problem.field == "components"
    assert "scores.law: scored by both" in problem.message
    assert "host.yaml:4" in problem.message and "stack.yaml:12" in problem.message


def test_an_unknown_component_is_named(study_dir):
    opt = study_dir / "providers" / "composed.yaml"
    opt.write_text(opt.read_text(encoding="utf-8").replace("[host, stack]", "[host, nope]"), encoding="utf-8")
    study = load_study(study_dir / "criteria.yaml", allow_missing=True)
    (problem,) = [p for p in study.problems if p.file.endswith("composed.yaml")]
    assert problem.line == 3 and "unknown component 'nope'" in problem.message


# --- reference models --------------------------------------------------------------------------


def test_a_reference_is_scored_but_never_ranked():
    study = load_study(FIXTURE / "criteria.yaml")
    assert study.provider_ids == ["composed", "plain"] and [p.id for p in study.references] == ["national"]
    ev = evaluate(study)
    assert [r.id for r in ev.results] == ["plain", "composed"]
    (ref,) = ev.references
    assert (ref.id, ref.rank, ref.reference, ref.score) == ("national", 0, True, pytest.approx(1.0))
    assert "national" not in {r["id"] for r in ev.to_json()["results"]}
    assert ev.to_json()["references"][0]["reference"] is True
    assert set(compare_methods(study)["ranks"]["topsis"]) == {"composed", "plain"}
    analysis = analyse(study, samples=500)
    assert analysis.smaa.provider_ids == ["composed", "plain"] and analysis.leader == "plain"


def test_a_scenario_can_rank_the_references():
    scenario = parse_scenario("include_references: true\n", "scenario.yaml")
    study = load_study(FIXTURE / "criteria.yaml", scenario=scenario)
    assert study.references == [] and "national" in study.provider_ids
    assert evaluate(study).winner().id == "national"


# --- first place under score draws -------------------------------------------------------------


def test_implied_ranges_follow_confidence_and_status():
    from workbench.model import Criterion, Scale, Text

    leaf = Criterion("x", Text.plain("x"), scale=Scale(0, 10))
    assert implied_range(Score(5.0, confidence="high", status="verified"), leaf, 5.0) == pytest.approx((4.5, 5.5))
    assert implied_range(Score(5.0, confidence="medium"), leaf, 5.0) == pytest.approx((4.0, 6.0))
    assert implied_range(Score(9.0, confidence="high", status="assumption"), leaf, 9.0) == pytest.approx((6.5, 10.0))
    assert implied_range(Score(1.0, confidence=None), leaf, 1.0) == pytest.approx((0.0, 3.0))


def test_first_place_shares_are_probabilities_and_follow_the_weights():
    study = load_study(FIXTURE / "criteria.yaml")
    first = FirstPlace(study, samples=4_000, seed=1)
    shares = first()
    assert shares.shape == (2,) and shares.sum() == pytest.approx(1.0, abs=0.01)
    assert shares[1] > shares[0]  # plain leads at the set's weights
    # All the weight on price, where the composed option (7) beats plain (5) by more than the noise.
    shifted = first({"law": 0, "price": 1, "support": 0})
    assert shifted[0] > 0.9
    again = FirstPlace(study, samples=4_000, seed=1)()
    np.testing.assert_array_equal(again, shares)  # same seed, same numbers

"""The decision record: freeze before scoring, seal after, verify from the record alone.

Covers the command line in-process (`record freeze|seal|verify|html`), the refusals when a frozen
part moved, tampering with one byte of a sealed record (JSON and HTML) and the hash recomputed by
a few independent lines, exactly as docs/record.md tells a third party to do it.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from workbench.cli import main
from workbench.evaluate import evaluate
from workbench.record import SealRefused, freeze, render_html, seal, verify, verify_text
from workbench.record.page import embedded_json
from workbench.study import load_study

ROOT = Path(__file__).resolve().parent.parent
HEALTH = "criteria/health-data-sovereignty.yaml"
EDITORS = "criteria/image-editors.yaml"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


@pytest.fixture
def cli(capsys, monkeypatch):
    """`cli(*argv)` -> (code, out, err) of `main(argv)` in the repository, SOURCE_DATE_EPOCH set."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)

    def run(*args: object) -> SimpleNamespace:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return SimpleNamespace(code=code, out=captured.out, err=captured.err)

    return run


@pytest.fixture(scope="module")
def health_record() -> dict:
    study = load_study(ROOT / HEALTH)
    return seal(study, freeze(study, moment="2026-01-01T00:00:00Z"), moment="2026-01-02T00:00:00Z")


def independent_sha256(value: dict) -> str:
    """The documented canonical form, written here without the workbench's code."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dump(record: dict) -> str:
    """The record's file text, as `record seal` writes it."""
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def one_byte_changed(text: str, path: tuple, new_value) -> str:
    """`text` with the figure at `path` replaced, checked to differ from `text` by one byte."""
    changed = json.loads(text)
    node = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = new_value
    out = dump(changed)
    assert len(out) == len(text) and sum(a != b for a, b in zip(out, text, strict=True)) == 1
    return out


# --- freeze -> seal -> verify ------------------------------------------------------------------


def test_freeze_seal_verify_round_trip(cli, tmp_path):
    frozen_path, record_path = tmp_path / "frozen.json", tmp_path / "record.json"
    assert cli("record", "freeze", "--criteria", HEALTH, "--out", frozen_path).code == 0
    frozen = json.loads(frozen_path.read_text(encoding="utf-8"))
    assert set(frozen) == {"frozen", "frozen_sha256"}
    assert set(frozen["frozen"]) == {"format", "frozen_at", "criteria_set", "weights", "method", "normalization",
                                     "disabled_must_haves", "cost_settings", "options"}  # fmt: skip
    assert frozen["frozen"]["frozen_at"] == "2026-01-01T00:00:00Z"
    assert frozen["frozen"]["method"] == "weighted-sum" and frozen["frozen"]["normalization"] == "scale"
    assert frozen["frozen"]["cost_settings"]["horizon"] == 15
    assert sum(frozen["frozen"]["weights"].values()) == pytest.approx(1.0)

    out = cli("record", "seal", "--frozen", frozen_path, "--criteria", HEALTH, "--out", record_path)
    assert out.code == 0, out.err
    out = cli("record", "verify", record_path)
    assert out.code == 0, out.out
    study = load_study(ROOT / HEALTH)
    ranking = [r.id for r in evaluate(study).results]
    assert out.out.startswith("OK: ") and out.out.count("\n") == 1
    assert " > ".join(ranking) in out.out

    out = cli("record", "verify", record_path, "--format", "json")
    verdict = json.loads(out.out)
    assert out.code == 0 and verdict["ok"] is True and verdict["mismatches"] == []
    assert verdict["ranking"] == ranking
    assert verdict["frozen_sha256"] == frozen["frozen_sha256"]


def test_the_frozen_part_holds_no_score(health_record):
    frozen_text = json.dumps(health_record["frozen"])
    for option in health_record["scores"].values():
        for entry in option.values():
            if "rationale" in entry:
                assert json.dumps(entry["rationale"])[1:40] not in frozen_text


def test_freezing_is_reproducible_with_source_date_epoch(cli, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    cli("record", "freeze", "--criteria", EDITORS, "--out", a)
    cli("record", "freeze", "--criteria", EDITORS, "--out", b)
    assert a.read_bytes() == b.read_bytes()


def test_the_hashes_are_recomputed_by_a_few_independent_lines(health_record):
    body = {k: v for k, v in health_record.items() if k != "record_sha256"}
    assert independent_sha256(body) == health_record["record_sha256"]
    assert independent_sha256(health_record["frozen"]) == health_record["frozen_sha256"]
    # Read back from the file text: floats and texts survive the round trip byte for byte.
    again = json.loads(dump(health_record))
    assert independent_sha256({k: v for k, v in again.items() if k != "record_sha256"}) == again["record_sha256"]


def test_the_record_holds_every_score_with_its_evidence(health_record):
    study = load_study(ROOT / HEALTH)
    azure = study.providers[study.provider_ids.index("azure-canada")]
    entry = health_record["scores"]["azure-canada"]["extraterritorial-exposure"]
    score = azure.scores["extraterritorial-exposure"]
    assert entry["value"] == score.value
    assert entry["rationale"] == score.rationale.to_data()
    assert entry["confidence"] == score.confidence and entry["range"] == list(score.range)
    assert [s["url"] for s in entry["sources"]] == [s.url for s in score.sources]
    assert len(health_record["scores"]) == len(study.providers)
    assert all(len(row) == len(study.leaves) for row in health_record["scores"].values())
    assert health_record["software"]["name"] == "workbench"


# --- refusals at sealing -----------------------------------------------------------------------


@pytest.fixture
def frozen_health(cli, tmp_path) -> Path:
    path = tmp_path / "frozen.json"
    assert cli("record", "freeze", "--criteria", HEALTH, "--out", path).code == 0
    return path


def test_a_weight_changed_after_freezing_is_refused_by_name(cli, tmp_path, frozen_health):
    scenario = tmp_path / "heavier-cost.yaml"
    scenario.write_text("weights: {cost: 12}\n", encoding="utf-8")
    out = cli("record", "seal", "--frozen", frozen_health, "--criteria", HEALTH, "--scenario", scenario,
              "--out", tmp_path / "record.json")  # fmt: skip
    assert out.code == 1
    assert "criteria.cost.weight: frozen 10, now 12" in out.err
    assert "weights.tco-15y: frozen 0.1, now" in out.err
    assert not (tmp_path / "record.json").exists()


def test_an_option_removed_a_method_and_a_must_have_changed_are_each_named(cli, tmp_path, frozen_health):
    scenario = tmp_path / "changed.yaml"
    scenario.write_text("providers: [azure-canada, bleu, s3ns, health-data-hub, estonia-ehealth, luxembourg-esante,"
                        " canadian-sovereign-cloud, ovhcloud-beauharnois]\n"
                        "disabled_must_haves: [extraterritorial-exposure]\n", encoding="utf-8")  # fmt: skip
    out = cli("record", "seal", "--frozen", frozen_health, "--criteria", HEALTH, "--scenario", scenario,
              "--method", "topsis")  # fmt: skip
    assert out.code == 1
    assert "options.quebec-open-source-stack: removed since freezing" in out.err
    assert 'method: frozen "weighted-sum", now "topsis"' in out.err
    assert 'disabled_must_haves: frozen [], now ["extraterritorial-exposure"]' in out.err


def test_a_frozen_file_edited_after_freezing_is_refused(cli, frozen_health):
    data = json.loads(frozen_health.read_text(encoding="utf-8"))
    data["frozen"]["weights"]["tco-15y"] = 0.2
    frozen_health.write_text(json.dumps(data), encoding="utf-8")
    out = cli("record", "seal", "--frozen", frozen_health, "--criteria", HEALTH)
    assert out.code == 1 and "was changed after freezing" in out.err


def test_seal_refused_raises_with_each_difference():
    study = load_study(ROOT / EDITORS)
    frozen = freeze(study)
    with pytest.raises(SealRefused) as caught:
        seal(study, frozen, weights={study.criteria_set.criteria[0].id: 99})
    assert caught.value.differences[0].startswith(f"criteria.{study.criteria_set.criteria[0].id}.weight: frozen ")


# --- tampering with a sealed record ------------------------------------------------------------

TAMPERING = [
    (("scores", "azure-canada", "extraterritorial-exposure", "value"), 2,
     "scores.azure-canada.extraterritorial-exposure.value: the record says 2, the sealed hash does not match"),
    (("frozen", "weights", "health-information-act"), 0.06,
     "frozen.weights.health-information-act: the record says 0.06, the frozen hash does not match"),
    (("results", "options", "bleu", "rank"), 8,
     "results.options.bleu.rank: the record says 8, the sealed hash does not match"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "message"), TAMPERING, ids=["score", "weight", "result"])
def test_one_byte_changed_in_a_json_record_is_named(cli, tmp_path, health_record, path, value, message):
    text = one_byte_changed(dump(health_record), path, value)
    (tmp_path / "record.json").write_text(text, encoding="utf-8")
    out = cli("record", "verify", tmp_path / "record.json")
    assert out.code == 1
    assert out.out.startswith("FAILED: ")
    assert message in out.out


@pytest.mark.parametrize(("path", "value", "message"), TAMPERING, ids=["score", "weight", "result"])
def test_one_byte_changed_in_the_html_record_data_is_named(cli, tmp_path, health_record, path, value, message):
    page = render_html(health_record, "fr")
    block = re.search(r'id="workbench-record">(.*?)</script>', page, re.DOTALL).group(1)
    changed = json.loads(block)
    node = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    new_block = str(embedded_json(changed))
    assert len(new_block) == len(block) and sum(a != b for a, b in zip(new_block, block, strict=True)) == 1
    (tmp_path / "record.html").write_text(page.replace(block, new_block), encoding="utf-8")
    out = cli("record", "verify", tmp_path / "record.html")
    assert out.code == 1 and message in out.out


def test_a_figure_edited_in_the_html_page_is_named(health_record):
    page = render_html(health_record, "en")
    score = health_record["results"]["options"]["bleu"]["score"]
    shown = f'data-format="score">{score:.4f}<'
    assert page.count(shown) == 1
    edited = page.replace(shown, f'data-format="score">{score + 0.1:.4f}<')
    verdict = verify_text(edited)
    assert not verdict.ok
    assert str(verdict.mismatches[0]) == (
        f"results.options.bleu.score: the page shows '{score + 0.1:.4f}', the record says '{score:.4f}'"
    )


def test_a_forgery_with_recomputed_hashes_still_fails_on_the_ranking(health_record):
    """Whoever edits a score and recomputes every hash is caught by the engine's recomputation."""
    from workbench.record.canonical import fingerprints, sha256_hex

    forged = json.loads(json.dumps(health_record))
    forged["scores"]["azure-canada"]["extraterritorial-exposure"]["value"] = 9
    body = {k: v for k, v in forged.items() if k not in ("fingerprints", "record_sha256")}
    forged["fingerprints"] = fingerprints(body)
    forged["record_sha256"] = sha256_hex({k: v for k, v in forged.items() if k != "record_sha256"})
    verdict = verify(forged)
    fields = [m.field for m in verdict.mismatches]
    assert "results.options.azure-canada.score" in fields and "results.ranking" in fields


def test_a_tampered_cost_model_is_priced_again(health_record):
    forged = json.loads(json.dumps(health_record))
    forged["costs"]["azure-canada"]["exit"] = {"low": 10, "likely": 90, "high": 90}
    fields = [m.field for m in verify(forged).mismatches]
    assert "costs.azure-canada.exit.likely" in fields
    assert "scores.azure-canada.tco-15y.value" in fields


# --- the publishable page ----------------------------------------------------------------------


def test_the_html_record_is_inert_offline_and_carries_the_record(cli, tmp_path, health_record):
    (tmp_path / "record.json").write_text(dump(health_record), encoding="utf-8")
    out = cli("record", "html", tmp_path / "record.json", "--out", tmp_path / "record.html", "--lang", "en")
    assert out.code == 0, out.err
    page = (tmp_path / "record.html").read_text(encoding="utf-8")
    assert re.findall(r"<script[^>]*>", page) == ['<script type="application/json" id="workbench-record">']
    assert "default-src &#39;none&#39;" in page
    assert not re.search(r"\s(src|srcset|action)=", page)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    block = re.search(r'id="workbench-record">(.*?)</script>', page, re.DOTALL).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block) == health_record
    assert health_record["record_sha256"] in page and health_record["frozen_sha256"] in page
    assert "Sans ce logiciel" in page and "Without the software" in page
    assert cli("record", "verify", tmp_path / "record.html").code == 0


def test_a_hostile_text_stays_data_in_the_page(health_record):
    forged = json.loads(json.dumps(health_record))
    forged["scores"]["bleu"]["data-location"]["rationale"] = "</script><script>alert(1)</script>&amp;"
    page = render_html(forged, "fr")
    assert "<script>alert(1)" not in page
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in page


def test_html_refuses_a_record_that_does_not_verify(cli, tmp_path, health_record):
    forged = json.loads(json.dumps(health_record))
    forged["results"]["ranking"].reverse()
    (tmp_path / "record.json").write_text(dump(forged), encoding="utf-8")
    out = cli("record", "html", tmp_path / "record.json", "--out", tmp_path / "record.html")
    assert out.code == 1 and "results.ranking" in out.err
    assert not (tmp_path / "record.html").exists()


# --- hostile or broken inputs end in a sentence -------------------------------------------------


def test_a_json_nested_100000_deep_gives_a_sentence(cli, tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    out = cli("record", "verify", tmp_path / "deep.json")
    assert out.code == 2 and "nested more than 64 levels" in out.err and "Traceback" not in out.err
    out = cli("record", "seal", "--frozen", tmp_path / "deep.json", "--criteria", HEALTH)
    assert out.code == 2 and "nested more than 64 levels" in out.err


@pytest.mark.parametrize(
    ("content", "sentence"),
    [("{not json", "not valid JSON"), ('{"x": NaN}', "not valid JSON"), ("[1, 2]", "not a sealed record"),
     ('{"format": "workbench-record/1"}', "frozen: missing from the record")],
)  # fmt: skip
def test_broken_records_are_named(cli, tmp_path, content, sentence):
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    out = cli("record", "verify", tmp_path / "bad.json")
    assert out.code in (1, 2) and sentence in out.out + out.err and "Traceback" not in out.err


def test_a_missing_file_is_a_usage_error(cli, tmp_path):
    out = cli("record", "verify", tmp_path / "nothing.json")
    assert out.code == 2 and "file not found" in out.err


def test_the_hostile_fixture_seals_renders_and_verifies():
    """Names and rationales carrying markup, scripts and odd links stay text in the page."""
    study = load_study(ROOT / "tests/fixtures/hostile/criteria.yaml")
    record = seal(study, freeze(study))
    page = render_html(record, "en")
    assert re.findall(r"<script[^>]*>", page) == ['<script type="application/json" id="workbench-record">']
    assert "<iframe" not in page and "<img" not in page
    assert 'href="javascript:' not in page and 'href="data:' not in page
    assert verify_text(page).ok

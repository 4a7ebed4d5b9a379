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


def nudge(value: float) -> float:
    """`value` with the first non-zero digit of its JSON text changed: one byte, another number."""
    text = json.dumps(value)
    first = next(i for i, ch in enumerate(text) if ch in "123456789")
    digit = "8" if text[first] == "9" else str(int(text[first]) + 1)
    return json.loads(text[:first] + digit + text[first + 1 :])


def documented_score(study) -> tuple[str, str]:
    """The first (option, leaf) whose score has a rationale, sources and a confidence."""
    for provider in study.providers:
        for leaf in study.leaves:
            score = provider.scores.get(leaf.id)
            if score is not None and score.rationale and score.sources and score.confidence:
                return provider.id, leaf.id
    raise AssertionError("the study has no documented score")


def shown(value) -> str:
    """A number as refusals and verdicts write it (a whole float as an integer)."""
    return json.dumps(int(value) if float(value).is_integer() else value)


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
    pid, leaf = documented_score(study)
    score = study.providers[study.provider_ids.index(pid)].scores[leaf]
    entry = health_record["scores"][pid][leaf]
    assert entry["value"] == study.matrix[study.provider_ids.index(pid), study.leaf_ids.index(leaf)]
    assert entry["rationale"] == score.rationale.to_data()
    assert entry["confidence"] == score.confidence
    assert entry.get("range") == (list(score.range) if score.range else None)
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
    node = load_study(ROOT / HEALTH).criteria_set.criteria[0]
    scenario = tmp_path / "heavier.yaml"
    scenario.write_text(f"weights: {{{node.id}: {node.weight + 2}}}\n", encoding="utf-8")
    out = cli("record", "seal", "--frozen", frozen_health, "--criteria", HEALTH, "--scenario", scenario,
              "--out", tmp_path / "record.json")  # fmt: skip
    assert out.code == 1
    assert f"criteria.{node.id}.weight: frozen {shown(node.weight)}, now {shown(node.weight + 2)}" in out.err
    assert "\n  weights." in out.err  # the leaves' global weights moved too, each named
    assert not (tmp_path / "record.json").exists()


def test_an_option_removed_a_method_and_a_must_have_changed_are_each_named(cli, tmp_path, frozen_health):
    study = load_study(ROOT / HEALTH)
    gate = next(leaf.id for leaf in study.leaves if leaf.must_have)
    scenario = tmp_path / "changed.yaml"
    scenario.write_text(json.dumps({"providers": study.provider_ids[:-1], "disabled_must_haves": [gate]}),
                        encoding="utf-8")  # fmt: skip
    out = cli("record", "seal", "--frozen", frozen_health, "--criteria", HEALTH, "--scenario", scenario,
              "--method", "vikor")  # fmt: skip
    assert out.code == 1
    assert f"options.{study.provider_ids[-1]}: removed since freezing" in out.err
    assert f'method: frozen "{evaluate(study).method}", now "vikor"' in out.err
    assert f'disabled_must_haves: frozen [], now ["{gate}"]' in out.err


def test_a_frozen_file_edited_after_freezing_is_refused(cli, frozen_health):
    data = json.loads(frozen_health.read_text(encoding="utf-8"))
    leaf = next(iter(data["frozen"]["weights"]))
    data["frozen"]["weights"][leaf] = nudge(data["frozen"]["weights"][leaf])
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


def tampering(record: dict, kind: str) -> tuple[tuple, float, str]:
    """(path, new value, the sentence verify must print) for one byte changed in a score, a frozen
    weight or a result."""
    if kind == "score":
        pid, leaf = next(iter(record["scores"])), next(iter(record["frozen"]["weights"]))
        path, which = ("scores", pid, leaf, "value"), "sealed"
    elif kind == "weight":
        path, which = ("frozen", "weights", list(record["frozen"]["weights"])[-1]), "frozen"
    else:
        path, which = ("results", "options", record["results"]["ranking"][-1], "rank"), "sealed"
    node = record
    for part in path:
        node = node[part]
    value = nudge(node)
    return path, value, f"{'.'.join(path)}: the record says {json.dumps(value)}, the {which} hash does not match"


@pytest.mark.parametrize("kind", ["score", "weight", "result"])
def test_one_byte_changed_in_a_json_record_is_named(cli, tmp_path, health_record, kind):
    path, value, message = tampering(health_record, kind)
    text = one_byte_changed(dump(health_record), path, value)
    (tmp_path / "record.json").write_text(text, encoding="utf-8")
    out = cli("record", "verify", tmp_path / "record.json")
    assert out.code == 1
    assert out.out.startswith("FAILED: ")
    assert message in out.out


@pytest.mark.parametrize("kind", ["score", "weight", "result"])
def test_one_byte_changed_in_the_html_record_data_is_named(cli, tmp_path, health_record, kind):
    path, value, message = tampering(health_record, kind)
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
    last = health_record["results"]["ranking"][-1]
    score = health_record["results"]["options"][last]["score"]
    shown = f'data-format="score">{score:.4f}<'
    assert page.count(shown) == 1
    edited = page.replace(shown, f'data-format="score">{score + 0.1:.4f}<')
    verdict = verify_text(edited)
    assert not verdict.ok
    assert str(verdict.mismatches[0]) == (
        f"results.options.{last}.score: the page shows '{score + 0.1:.4f}', the record says '{score:.4f}'"
    )


def test_a_forgery_with_recomputed_hashes_still_fails_on_the_ranking(health_record):
    """Whoever edits a score and recomputes every hash is caught by the engine's recomputation."""
    from workbench.record.canonical import fingerprints, sha256_hex

    forged = json.loads(json.dumps(health_record))
    criteria_set = load_study(ROOT / HEALTH).criteria_set
    weights = {k: v for k, v in forged["frozen"]["weights"].items() if criteria_set.node(k).source != "tco"}
    leaf = max(weights, key=weights.get)  # a value from a profile (a priced one is priced again)
    pid = forged["results"]["ranking"][-1]
    scale = criteria_set.node(leaf).scale
    entry = forged["scores"][pid][leaf]
    entry["value"] = scale.max if entry["value"] - scale.min < scale.max - entry["value"] else scale.min
    body = {k: v for k, v in forged.items() if k not in ("fingerprints", "record_sha256")}
    forged["fingerprints"] = fingerprints(body)
    forged["record_sha256"] = sha256_hex({k: v for k, v in forged.items() if k != "record_sha256"})
    verdict = verify(forged)
    fields = [m.field for m in verdict.mismatches]
    assert f"results.options.{pid}.score" in fields


def test_a_tampered_cost_model_is_priced_again(health_record):
    study = load_study(ROOT / HEALTH)
    tco = next(leaf for leaf in study.leaves if leaf.source == "tco")
    pid = next(
        p for p, model in health_record["costs"].items()
        if model["annual"] and tco.scale.min < health_record["scores"][p][tco.id]["value"] < tco.scale.max
    )  # fmt: skip
    forged = json.loads(json.dumps(health_record))
    annual = forged["costs"][pid]["annual"]
    item = next(iter(annual))
    annual[item] = {k: 2 * v for k, v in annual[item].items()} if isinstance(annual[item], dict) else 2 * annual[item]
    fields = [m.field for m in verify(forged).mismatches]
    assert any(f.startswith(f"costs.{pid}.annual.{item}") for f in fields)
    assert f"scores.{pid}.{tco.id}.value" in fields


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
    pid = next(iter(forged["scores"]))
    leaf = next(iter(forged["scores"][pid]))
    forged["scores"][pid][leaf]["rationale"] = "</script><script>alert(1)</script>&amp;"
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


def test_a_scenario_must_have_rule_is_frozen_as_in_force(tmp_path):
    study = load_study(ROOT / "tests/fixtures/mini/criteria.yaml")
    scenario = tmp_path / "stricter.yaml"
    scenario.write_text("must_haves: {cost: {max: 50}}\n", encoding="utf-8")
    stricter = load_study(ROOT / "tests/fixtures/mini/criteria.yaml", scenario=scenario)
    frozen = freeze(stricter)
    cost = next(n for n in frozen["frozen"]["criteria_set"]["criteria"] if n["id"] == "cost")
    assert cost["must_have"] == {"max": 50}
    with pytest.raises(SealRefused) as caught:
        seal(study, frozen)
    assert caught.value.differences == ['criteria.cost.must_have: frozen {"max": 50}, now none']
    record = seal(stricter, frozen)
    assert record["results"]["options"]["alpha"]["eligible"] is False  # alpha's cost is 60
    assert verify(record).ok


@pytest.mark.e2e
def test_the_html_record_opens_offline_in_chromium_with_nothing_running(browser, tmp_path, health_record):
    """Debian's chromium: the page is the only request, no script runs (a hostile rationale
    included), and the figures are on screen."""
    forged = json.loads(json.dumps(health_record))
    pid = next(iter(forged["scores"]))
    leaf = next(iter(forged["scores"][pid]))
    forged["scores"][pid][leaf]["rationale"] = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    path = tmp_path / "record.html"
    path.write_text(render_html(forged, "fr"), encoding="utf-8")
    page = browser.new_page()
    requests, dialogs, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert requests == [path.as_uri()]
    assert dialogs == [] and errors == []
    assert page.evaluate("typeof window.alert") == "function"  # the page itself works; nothing called it
    assert health_record["record_sha256"] in page.inner_text("body")
    page.close()

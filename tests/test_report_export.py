"""The Export page (AppTest): opens without computing the report, builds each format when asked,
names unreadable profiles, never gives a button that silently produces nothing, and offers the
sealed decision record (issues 16, 17 and 19)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from report_helpers import EPOCH, MINI, ROOT, copy_study

from workbench.record import verify, verify_text
from workbench.report import FORMATS

PAGE = "ui/pages/export.py"
LABELS = ["HTML (self-contained, printable)", "Markdown", "PDF", "CSV (ranking)", "Excel (XLSX)",
          "JSON (everything, machine-readable)"]  # fmt: skip


@pytest.fixture(autouse=True)
def source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def export_page(monkeypatch):
    from streamlit.testing.v1 import AppTest

    def open_page(lang: str = "en", weights: dict[str, float] | None = None, criteria=None):
        if criteria is not None:  # the app offers the sets of this folder, the first by default
            monkeypatch.setenv("WORKBENCH_CRITERIA_DIR", str(criteria.parent))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["wb_lang"] = lang
        at.run()
        assert criteria is None or at.session_state["wb_criteria"] == str(criteria)
        if weights:
            at.session_state["wb_weights"] = weights
        at.switch_page(PAGE).run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_page


def files(at) -> dict[str, bytes]:
    return at.session_state["_wb_export_files"][1]


def prepare(at, fmt: str):
    at.button(key=f"prepare_{fmt}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_opening_the_page_builds_nothing_and_each_format_is_built_when_asked(export_page):
    at = export_page("en")
    assert "_wb_export_report" not in at.session_state  # the robustness analysis waits for a click
    assert [b.label for b in at.button][:6] == [f"Prepare: {label}" for label in LABELS]
    assert [b.label for b in at.get("download_button")] == []
    prepare(at, "json")
    data = json.loads(files(at)["json"])
    assert data["lang"] == "en" and data["robustness"]["samples"] > 0 and data["rank_reversal"]["count"] >= 0
    assert data["evidence"]["profiles"] >= len(data["ranking"]) and data["scenario_yaml"].count("weights:") == 1
    assert [b.label for b in at.get("download_button")] == ["JSON (everything, machine-readable)"]
    for fmt in FORMATS:
        if fmt != "json":
            prepare(at, fmt)
    assert [b.label for b in at.get("download_button")] == LABELS
    assert files(at)["pdf"].startswith(b"%PDF") and files(at)["xlsx"].startswith(b"PK")
    report = at.session_state["_wb_export_report"][1]
    assert [r.id for r in report.reference_models] == [r["id"] for r in data["reference_models"]]


def test_the_page_follows_the_weights_in_force(export_page):
    before = json.loads(files(prepare(export_page("fr"), "json"))["json"])
    leaf = next(w for w in before["weights"] if w["is_leaf"])
    heavy = {w["id"]: 1000.0 if w["id"] in (leaf["id"], leaf["parent"]) else w["raw_weight"] for w in before["weights"]}
    after = json.loads(files(prepare(export_page("fr", heavy), "json"))["json"])
    share = {w["id"]: w["global_share"] for w in after["weights"]}[leaf["id"]]
    assert share > leaf["global_share"] and any(a["kind"] == "weight" for a in after["assumptions"])


def test_an_unreadable_profile_is_named_on_the_page_and_in_the_report(export_page, tmp_path):
    criteria = copy_study(MINI, tmp_path / "study")
    (tmp_path / "study/providers/beta.yaml").write_text("id: beta\nname: [unclosed\n", encoding="utf-8")
    at = export_page("en", criteria=criteria)
    assert at.error[0].value.startswith("1 profile file(s) could not be read")
    assert [Path(f).name for f in at.dataframe[0].value["File"]] == ["beta.yaml"]
    md = files(prepare(at, "md"))["md"].decode()
    assert "## Unreadable profiles: options missing from this report" in md and "beta.yaml" in md


def test_a_long_text_still_gives_a_pdf(export_page, tmp_path):
    criteria = copy_study(MINI, tmp_path / "study")
    data = yaml.safe_load(criteria.read_text(encoding="utf-8"))
    data["criteria"][0]["criteria"][0]["name"] = "long name " * 400
    criteria.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    at = prepare(export_page("en", criteria=criteria), "pdf")
    assert not at.error and files(at)["pdf"].startswith(b"%PDF")
    assert at.session_state["_wb_export_report"][1].criteria[0]["name"].startswith("long name long name")


def test_a_format_that_fails_says_why(export_page, monkeypatch):
    import workbench.report as report_package

    def fail(report, fmt):
        raise RuntimeError("Flowable too large")

    at = export_page("en")
    monkeypatch.setattr(report_package, "render", fail)
    prepare(at, "pdf")
    assert at.error[0].value.startswith("This format could not be produced: RuntimeError")
    assert [b.label for b in at.get("download_button")] == [] and "pdf" not in files(at)


def test_the_sealed_record_and_its_page_verify(export_page):
    at = export_page("en")
    at.button(key="export_record").click().run()
    assert not at.exception and not at.error
    assert [b.label for b in at.get("download_button")] == ["Sealed record (JSON)", "Sealed record (HTML page)"]
    record_files = at.session_state["_wb_export_record"][1]
    record = json.loads(record_files["json"])
    assert verify(record).ok and record["frozen"]["method"] == "weighted-sum"
    assert verify_text(record_files["html"].decode("utf-8")).ok

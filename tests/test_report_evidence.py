"""Evidence a reader can check, in every report format (issue 13), and the rank-reversal audit
in plain words (issue 19).

On tests/fixtures/evidence: a composed option (a host and a stack from components/), a plain
option and a reference model. Each format is parsed back and must carry the evidence-quality
figures, each score's status, each source's kind and publication date, where a composed
option's score comes from, and the reference model apart from the ranking, never in it.
"""

from __future__ import annotations

import json

import pytest
from report_helpers import (
    EPOCH,
    EVIDENCE,
    MINI,
    copy_study,
    csv_blocks,
    html_sections,
    make_report,
    md_chapters,
    pdf_text,
    write_study,
    xlsx_book,
)

from workbench.evidence import STATUS_MARKS
from workbench.report import FORMATS, render
from workbench.study import load_study

HOST_ORIGIN = "tests/fixtures/evidence/providers/components/host.yaml:4"
NATIONAL = "A national system"
# Coverage of the fixture: 5 profiles (2 options, 1 reference, 2 components), 10 own scores.
TOTALS = {"profiles": 5, "scores": 10, "share_verified": 0.4, "share_official": 0.5}


@pytest.fixture(scope="module", autouse=True)
def source_date_epoch():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield


@pytest.fixture(scope="module")
def report():
    return make_report(load_study(EVIDENCE), "en", charts=False)


@pytest.fixture(scope="module")
def outputs(report):
    return {fmt: render(report, fmt) for fmt in FORMATS}


def flat(text: str) -> str:
    return " ".join(text.split())


def test_model_holds_coverage_status_kinds_origins_and_references_apart(report):
    ev = report.evidence
    assert {k: getattr(ev, k) for k in TOTALS} == TOTALS
    assert [(r.id, r.role, r.scores) for r in ev.rows] == [
        ("composed", "option", 1), ("plain", "option", 3), ("national", "reference", 3),
        ("host", "component", 2), ("stack", "component", 1),
    ]  # fmt: skip
    assert [r.id for r in report.ranking] == ["plain", "composed"]
    assert [(r.id, r.rank) for r in report.reference_models] == [("national", 0)]
    law = report.cell("composed", "law")
    assert (law.status, law.origin, law.value) == ("verified", HOST_ORIGIN, 4.0)
    assert report.cell("composed", "price").origin == ""  # the option's own score
    assert report.cell("national", "law").reference and report.cell("national", "law").value == 10.0
    statute = report.references[report.cell("plain", "law").sources[0] - 1]
    # No `kind` in the file: the source policy's default for legisquebec.gouv.qc.ca.
    assert (statute.kind, statute.date, statute.accessed) == ("official", "2024-01-01", "2026-11-20")
    assert statute.brief == "official record, 2024-01-01"
    assert statute.text == "Statute — official record, published 2024-01-01, read 2026-11-20"


def test_html_shows_evidence_status_kinds_origin_and_references_apart(outputs):
    sections = html_sections(outputs["html"])
    evidence = sections["evidence"]
    assert "Profiles Scores Share verified Share with an official source" in evidence
    assert "5 10 40.0% 50.0% 0 0 0 0" in evidence
    assert "A host component 2 50.0% 50.0%" in evidence
    ranking = sections["ranking"]
    table, apart = ranking.split("Reference models (not ranked)")
    assert "Plain option" in table and NATIONAL not in table
    assert NATIONAL in apart and "1.000" in apart
    matrix = sections["matrix"]
    assert "✔ verified" in matrix and "◇ vendor claim" in matrix and "≈ estimate" in matrix
    assert "[2] official record, 2024-01-01" in matrix and "[7] analysis, 2026-06-01" in matrix
    assert f"score taken from {HOST_ORIGIN}" in matrix
    assert f"{NATIONAL} ⚑ reference model" in matrix
    assert "Statute — official record, published 2024-01-01, read 2026-11-20" in sections["references"]


def test_markdown_shows_the_same(outputs):
    chapters = md_chapters(outputs["md"])
    assert "| 5 | 10 | 40.0% | 50.0% | 0 | 0 | 0 | 0 |" in chapters["Evidence quality"]
    table, apart = chapters["Ranking"].split("### Reference models (not ranked)")
    assert NATIONAL not in table and f"| {NATIONAL} | 1.000 | yes |  |" in apart
    matrix = chapters["Score matrix and rationales"]
    assert "| Plain option | 8 | 0.800 | ✔ verified | high | \\[2\\] official record, 2024-01-01 | Law. |  |" in matrix
    assert f"score taken from {HOST_ORIGIN}" in matrix


def test_pdf_shows_the_same(outputs):
    text = flat(pdf_text(outputs["pdf"]))
    ranking = text[text.index("4. Ranking") : text.index("5. Score matrix")]
    table, apart = ranking.split("Reference models (not ranked)")
    assert NATIONAL not in table and NATIONAL in apart
    evidence = text[text.index("6. Evidence quality") :]
    assert "40.0% 50.0%" in evidence and "component" in evidence
    assert "✔ verified" in text and "official record, 2024-01-01" in text
    assert f"scoretakenfrom{HOST_ORIGIN}" in text.replace(" ", "")  # a long path wraps in its cell


def test_xlsx_shows_the_same(outputs):
    book = xlsx_book(outputs["xlsx"])
    ranking = [list(r) for r in book["Ranking"].iter_rows(values_only=True)]
    assert [r[1] for r in ranking[1:3]] == ["plain", "composed"]
    apart = next(i for i, r in enumerate(ranking) if r[0] == "Reference models (not ranked)")
    assert ranking[apart + 2][:3] == ["national", NATIONAL, 1.0]
    assert all(NATIONAL not in r for r in ranking[:apart])
    evidence = [list(r) for r in book["Evidence quality"].iter_rows(values_only=True)]
    assert [5, 10, 0.4, 0.5, 0, 0, 0, 0] in [r[:8] for r in evidence]
    matrix = [list(r) for r in book["Matrix"].iter_rows(values_only=True)]
    law = next(r for r in matrix if r[:2] == ["Law", "Stack on host"])
    assert law[5] == "✔ verified" and law[7].startswith("[1] Court ruling <https://www.canlii.org/ruling>")
    assert law[7].endswith("(official record, 2025-09-25)") and HOST_ORIGIN in law[9]


def test_csv_puts_references_and_evidence_apart_from_the_ranking(outputs):
    blocks = csv_blocks(outputs["csv"])
    assert [row[1] for row in blocks[0][1:]] == ["plain", "composed"]
    assert blocks[1][0] == ["Reference models (not ranked)"] and blocks[1][2][:3] == ["national", NATIONAL, "1.000000"]
    assert blocks[2][:3] == [
        ["Evidence quality"],
        ["Whole study"],
        ["Profiles", "Scores", "Share verified", "Share with an official source", "Assumptions", "Stale",
         "Undated sources", "Padded sources"],
    ]  # fmt: skip
    assert blocks[2][3] == ["5", "10", "0.400000", "0.500000", "0", "0", "0", "0"]
    assert [row[:3] for row in blocks[3][2:]] == [
        ["composed", "Stack on host", "option"], ["plain", "Plain option", "option"],
        ["national", NATIONAL, "reference model"], ["host", "A host", "component"], ["stack", "An open stack", "component"],
    ]  # fmt: skip


def test_json_carries_the_data(outputs):
    data = json.loads(outputs["json"])
    assert [r["id"] for r in data["ranking"]] == ["plain", "composed"]
    assert [(r["id"], r["rank"]) for r in data["reference_models"]] == [("national", 0)]
    assert {k: data["evidence"][k] for k in TOTALS} == TOTALS
    law = next(c for c in data["matrix"] if (c["provider"], c["criterion"]) == ("composed", "law"))
    assert (law["status"], law["origin"]) == ("verified", HOST_ORIGIN)
    assert data["references"][0]["kind"] == "official" and data["references"][0]["date"] == "2025-09-25"


def test_every_status_has_its_mark_in_the_matrix(tmp_path):
    """The fixture's statuses plus an assumption and a disputed score: each shows its mark and word."""
    criteria = copy_study(EVIDENCE, tmp_path / "study")
    plain = tmp_path / "study/providers/plain.yaml"
    text = plain.read_text(encoding="utf-8").replace("status: verified", "status: assumption")
    text = text.replace(
        "status: estimate", 'status: disputed, dispute: {en: "A says 5; B says 7", fr: "A dit 5 ; B dit 7"}'
    )
    plain.write_text(text, encoding="utf-8")
    study = load_study(criteria)
    assert study.problems == [] and len(study.providers) == 2
    report = make_report(study, "en", charts=False)
    matrix = md_chapters(render(report, "md"))["Score matrix and rationales"]
    words = {"verified": "verified", "vendor-claim": "vendor claim", "estimate": "estimate",
             "assumption": "assumption", "disputed": "disputed"}  # fmt: skip
    for status, mark in STATUS_MARKS.items():
        assert f"| {mark} {words[status]} |" in matrix, status
    assert "**Score status** — ✔ verified · ◇ vendor claim · ≈ estimate · ? assumption · ⚑ disputed" in matrix


# --------------------------------------------------------------------------- rank reversal (issue 19)


@pytest.fixture(scope="module")
def reversal_report(tmp_path_factory):
    """The known case of tests/test_rank_reversal.py: under minmax, removing Gamma reverses Beta / Alpha."""
    known = {"a0": (2, 7), "a1": (8, 3), "a2": (6, 9), "a3": (1, 3)}
    names = {"a0": "Alpha", "a1": "Beta", "a2": "Gamma", "a3": "Delta"}
    scores = {k: {"first": v[0], "second": v[1]} for k, v in known.items()}
    criteria = write_study(tmp_path_factory.mktemp("reversal"), scores, names)
    return make_report(load_study(criteria), "en", method="weighted-sum", normalization="minmax", charts=False)


def test_rank_reversal_in_plain_words_in_every_format(reversal_report):
    sentence = "Removing Gamma reverses the order of: Beta / Alpha."
    rev = reversal_report.rank_reversal
    assert rev.count == 1 and rev.sentences == [sentence] and rev.normalization == "minmax"
    assert rev.removals[2] == {"removed": "a2", "flipped_pairs": [["a1", "a0"]]}
    outputs = {fmt: render(reversal_report, fmt) for fmt in FORMATS}
    assert sentence in html_sections(outputs["html"])["reversal"]
    assert f"- ⚑ {sentence}" in md_chapters(outputs["md"])["Rank reversal"]
    assert sentence in flat(pdf_text(outputs["pdf"]))
    sheet = [r[0] for r in xlsx_book(outputs["xlsx"])["Rank reversal"].iter_rows(values_only=True)]
    assert f"⚑ {sentence}" in sheet
    assert csv_blocks(outputs["csv"])[-1] == [["Rank reversal"], [sentence]]
    assert json.loads(outputs["json"])["rank_reversal"]["sentences"] == [sentence]


def test_an_audit_that_cannot_run_is_stated():
    report = make_report(load_study(MINI), "en", charts=False, reversal=ValueError("no options to compare"))
    text = md_chapters(render(report, "md"))["Rank reversal"]
    assert "⚑ The rank-reversal audit could not be run: no options to compare" in text

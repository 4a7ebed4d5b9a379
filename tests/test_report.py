"""Publishable reports: every format parsed back, golden files, hostile inputs, the CLI.

Golden files (tests/golden/) are regenerated with `UPDATE_GOLDEN=1 pytest tests/test_report.py`.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_helpers import (
    EPOCH,
    HOSTILE,
    HOSTILE_SCENARIO,
    MINI,
    ROOT,
    csv_blocks,
    make_report,
    pdf_text,
    xlsx_book,
)

from workbench.cli import main
from workbench.costs import CostSettings, tco
from workbench.evaluate import evaluate
from workbench.files.loading import parse_scenario
from workbench.report import FORMATS, render
from workbench.report.chart_images import clear_cache
from workbench.report.safety import clean_text, md_text, safe_url, spreadsheet_text
from workbench.study import build_study, load_study

HEALTH = ROOT / "criteria/health-data-sovereignty.yaml"
GOLDEN = ROOT / "tests/golden"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

WORKSHOP = {
    "session": "Atelier <b>mars</b>",
    "participants": 7,
    "kendall_w": 0.42,
    "consensus": "moderate",
    "mean": {"exposure": 0.5, "residency": 0.2, "cost": 0.3},
    "median": {"exposure": 0.45, "residency": 0.25, "cost": 0.3},
    "dispersion": {"exposure": {"sd": 0.1}, "residency": {"sd": 0.05}, "cost": {"sd": 0.2}},
}


@pytest.fixture(scope="module", autouse=True)
def source_date_epoch():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield


@pytest.fixture(scope="module")
def mini_study():
    return load_study(MINI)


@pytest.fixture(scope="module")
def mini_fr(mini_study):
    return make_report(mini_study, "fr")


@pytest.fixture(scope="module")
def mini_en(mini_study):
    return make_report(mini_study, "en")


@pytest.fixture(scope="module")
def hostile_study():
    from workbench.files.loading import load_criteria_set, load_providers, load_scenario
    from workbench.study import leaf_index

    cs = load_criteria_set(HOSTILE)
    providers, problems = load_providers(HOSTILE.parent / "providers", leaf_index(cs))
    assert not problems
    scenario = load_scenario(HOSTILE_SCENARIO, cs, [p.id for p in providers])
    return build_study(cs, providers, scenario)


@pytest.fixture(scope="module")
def hostile_report(hostile_study):
    return make_report(hostile_study, "fr", robustness_samples=500, workshop={"session": "=cmd|' /C calc'!A0"})


@pytest.fixture(scope="module")
def hostile_outputs(hostile_report):
    return {fmt: render(hostile_report, fmt) for fmt in FORMATS}


# --------------------------------------------------------------------------- helpers


class _Collector(HTMLParser):
    """Tags, attributes and text of an HTML document (SVG included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_data(self, data):
        self.text.append(data)


def parse_html(data: bytes) -> _Collector:
    parser = _Collector()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return parser


def assert_inert_html(doc: _Collector) -> None:
    assert "script" not in doc.tags
    assert not {"iframe", "object", "embed", "foreignobject", "link", "img", "base"} & set(doc.tags)
    events = [(t, k) for t, k, _ in doc.attrs if k.lower().startswith("on")]
    assert events == []
    for tag, key, value in doc.attrs:
        if key in ("href", "src", "xlink:href", "action", "formaction"):
            assert value is not None
            assert value.startswith("#") or (tag == "a" and key == "href" and safe_url(value) == value), (
                tag,
                key,
                value,
            )
            assert not value.lower().startswith(("javascript:", "data:"))


def xlsx_cells(data: bytes):
    book = xlsx_book(data)
    return book, [(ws.title, cell) for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def _first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"differ at byte {at}: {a[max(at - 120, 0) : at + 60]!r} vs {b[max(at - 120, 0) : at + 60]!r}"


# --------------------------------------------------------------------------- the model


def test_model_ranking_weights_and_evidence(mini_fr):
    r = mini_fr
    assert [(x.rank, x.id, round(x.score, 6), x.eligible) for x in r.ranking] == [
        (1, "alpha", 0.7, True),
        (2, "gamma", 0.533333, True),
        (3, "beta", 0.45, False),
    ]
    beta = r.ranking[2]
    assert [(f.criterion, f.name, f.required, f.actual) for f in beta.failed] == [
        ("exposure", "Exposition", "≥ 3", 2.0)
    ]
    shares = {w.id: (round(w.local_share, 6), round(w.global_share, 6)) for w in r.weights}
    assert shares == {
        "legal": (0.666667, 0.666667),
        "exposure": (0.75, 0.5),
        "residency": (0.25, 0.166667),
        "cost": (0.333333, 0.333333),
    }
    assert sum(w.global_share for w in r.leaf_rows()) == pytest.approx(1.0)
    cell = r.cell("alpha", "exposure")
    assert (cell.value, cell.display, cell.rationale, cell.confidence, cell.sources) == (
        8.0,
        "8 points",
        "Bon",
        "high",
        [1],
    )
    assert r.references[0].title == "T" and r.references[0].url == "https://example.org"
    assert r.cell("alpha", "residency").display == "quebec (2)"
    assert r.cell("beta", "exposure").range == [1.0, 4.0]
    assert r.method_name == "Somme pondérée" and "somme de ces produits" in r.method_explanation
    assert r.date == "1 janvier 2026" and r.generated_at == "2026-01-01T00:00:00Z"


def test_model_costs_match_the_cost_engine(mini_fr, mini_study):
    costs = mini_fr.costs
    assert costs.currency == "CAD" and costs.horizon == 10 and costs.discount_rate == 0.05
    settings = CostSettings.from_mapping(mini_study.criteria_set.cost_settings)
    by_id = {row.id: row for row in costs.rows}
    for provider in mini_study.providers:
        if provider.costs is None:
            assert provider.id not in by_id
            continue
        expected = tco(provider.costs, settings)
        assert by_id[provider.id].npv == pytest.approx(expected.npv)
        assert by_id[provider.id].total == pytest.approx(expected.total)
    # alpha's licences are a range: P10 ≤ P50 ≤ P90 around the likely NPV; beta's costs are fixed.
    alpha = by_id["alpha"]
    assert alpha.p10 < alpha.p50 < alpha.p90
    assert by_id["beta"].p10 is None
    # beta pays 2 EUR/yr for 10 years, converted at 1.5 CAD/EUR: total 30 CAD.
    assert by_id["beta"].total == pytest.approx(30.0)


def test_model_flags_overrides_and_changed_weights(hostile_report):
    kinds = [a.kind for a in hostile_report.assumptions]
    assert kinds.count("override") == 1 and kinds.count("weight") == 1
    cell = hostile_report.cell("formula", "exposure")
    assert cell.overridden and cell.value == 7.0 and cell.note == "=1+2 <b>note</b>"
    assert next(w for w in hostile_report.weights if w.id == "cost").changed


def test_provenance_hashes_and_embedded_scenario_regenerate_the_ranking(hostile_report, hostile_study):
    files = {f.path: f.sha256 for f in hostile_report.inputs}
    for path, digest in files.items():
        assert hashlib.sha256((ROOT / path).read_bytes()).hexdigest() == digest
    assert "tests/fixtures/hostile/criteria.yaml" in files
    assert "tests/fixtures/hostile/scenario.yaml" in files
    assert sum(f.role == "provider" for f in hostile_report.inputs) == 5
    cs = hostile_study.criteria_set
    scenario = parse_scenario(hostile_report.scenario_yaml, "embedded", cs, hostile_study.provider_ids)
    again = evaluate(build_study(cs, hostile_study.providers, scenario))
    assert [(x.id, x.rank) for x in again.results] == [(x.id, x.rank) for x in hostile_report.ranking]
    assert scenario.overrides[0].note == "=1+2 <b>note</b>" and scenario.weights["cost"] == 3


# --------------------------------------------------------------------------- HTML


def test_html_is_self_contained_and_shows_every_score(mini_fr):
    data = render(mini_fr, "html")
    doc = parse_html(data)
    assert_inert_html(doc)
    text = html.unescape(data.decode())
    assert "<link" not in text and "@import" not in text and "url(http" not in text
    assert "Content-Security-Policy" in text
    body = " ".join(doc.text)
    for name in ("Alpha", "Bêta", "Gamma"):
        assert name in body
    for cell in mini_fr.matrix:
        assert cell.display in body
    assert "0,700" in body and "66,7\u00a0%" in body  # fr-CA formats
    assert 'id="ref-1"' in text and 'href="https://example.org"' in text
    if mini_fr.charts:
        assert doc.tags.count("svg") >= 2


def test_html_escapes_hostile_text(hostile_outputs, hostile_report):
    data = hostile_outputs["html"]
    doc = parse_html(data)
    assert_inert_html(doc)
    body = "".join(doc.text)
    assert "<script>alert(1)</script>" in body  # shown as text
    assert '=HYPERLINK("http://evil.example","click")' in body
    hrefs = [v for t, k, v in doc.attrs if k == "href" and not v.startswith("#")]
    assert "https://example.org/report?a=1&b=2" in hrefs
    assert not any(h.startswith(("javascript", "data")) for h in hrefs)
    assert "\x07" not in data.decode() and "\x1b" not in data.decode() and "\u202e" not in data.decode()
    assert "<bdi>" in data.decode()
    assert body.count("\u05de\u05d7\u05e9\u05d5\u05d1") >= 1  # Hebrew kept


# --------------------------------------------------------------------------- Markdown, CSV, JSON


def test_markdown_hostile_is_inert(hostile_outputs):
    text = hostile_outputs["md"].decode()
    fence = re.split(r"^~{4,}yaml$", text, flags=re.M)[0]  # the embedded scenario is a code block
    assert not re.search(r"(?<!\\)<(?!https?://)", fence)  # every "<" escaped but our own links: no raw HTML
    assert not re.search(r"(?<!\\)[\[\]]", fence)  # no bracket left unescaped: no link, no image
    assert "\\](javascript:alert(2))" in fence
    assert "\\<script>alert(1)\\</script>" in fence
    blocks, current = [], []
    for line in fence.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    assert len(blocks) >= 5
    for block in blocks:  # hostile pipes never add a column: every row has the header's cell count
        counts = {len(re.findall(r"(?<!\\)\|", row)) for row in block}
        assert len(counts) == 1, block


def test_markdown_escape_rules():
    assert md_text("[a](javascript:x) ![i](y)") == "\\[a\\](javascript:x) !\\[i\\](y)"
    assert md_text("<b>x</b> | y") == "\\<b>x\\</b> \\| y"
    assert md_text("Q&A &amp; &#60;") == "Q&A \\&amp; &\\#60;"  # no character reference can form
    assert md_text("# title\nline") == "\\# title line"
    assert md_text("- item") == "\\- item"
    assert (md_text("1. first"), md_text("0.1.0"), md_text("-2+3")) == ("1\\. first", "0.1.0", "-2+3")


def test_csv_ranking_is_neutralised(hostile_outputs, hostile_report):
    blocks = csv_blocks(hostile_outputs["csv"])
    rows = blocks[0]  # the ranking first; then evidence quality and rank reversal, each under its title
    assert rows[0][:4] == ["Rang", "Identifiant", "Option", "Score"]
    assert [r[1] for r in rows[1:]] == [x.id for x in hostile_report.ranking]
    assert [b[0][0] for b in blocks[1:]] == ["Qualité des preuves", "Par profil", "Inversions de rang"]
    for row in (row for block in blocks for row in block):
        for value in row:
            try:
                float(value)
                continue
            except ValueError:
                assert not value.startswith(FORMULA_PREFIXES), value
    names = [r[2] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in names
    assert "<script>alert(1)</script>" in names


def test_spreadsheet_text_rules():
    assert [spreadsheet_text(x) for x in ("=1", "+1", "-1", "@a", "\tx", "\rx", "a=1")] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "x", "a=1",
    ]  # fmt: skip
    assert clean_text("a\x07b\x1bc\u202ed\ne") == "abcd\ne"
    assert spreadsheet_text("\r=1+1") == "'=1+1"  # a carriage return is dropped, the formula still neutralised


def test_json_hostile_is_data_only(hostile_outputs):
    """JSON carries the texts as data: verbatim (control characters and bidi overrides removed),
    never neutralised or escaped for another medium, and valid for any JSON reader."""
    data = json.loads(hostile_outputs["json"])

    def strings(value):
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [value] if isinstance(value, str) else []

    assert not [x for x in strings(data) if re.search(r"[\x00-\x08\x0b-\x1f\u202a-\u202e]", x)]
    names = {p["id"]: p["name"] for p in data["providers"]}
    assert names["formula"] == '=HYPERLINK("http://evil.example","click")'
    assert names["script"] == "<script>alert(1)</script>" and names["control"] == "Tabbellescapenull"
    assert all(ref["url"] == "" or ref["url"].startswith("https://") for ref in data["references"])


def test_json_is_complete_and_machine_readable(mini_fr):
    data = json.loads(render(mini_fr, "json"))
    assert data["format"] == "workbench-report/1"
    assert [r["id"] for r in data["ranking"]] == ["alpha", "gamma", "beta"]
    assert len(data["matrix"]) == 9 and data["references"][0]["number"] == 1
    assert data["costs"]["rows"][0]["npv"] > 0
    assert data["version"] and all(len(f["sha256"]) == 64 for f in data["inputs"])
    assert "criteria: tests/fixtures/mini/criteria.yaml" in data["scenario_yaml"]
    assert "charts" not in data


@pytest.mark.parametrize("fmt,lang", [("md", "fr"), ("md", "en"), ("csv", "fr"), ("json", "fr")])
def test_golden_files(fmt, lang, mini_fr, mini_en):
    report = mini_fr if lang == "fr" else mini_en
    produced = render(report, fmt)
    golden = GOLDEN / f"mini.{lang}.{fmt}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(produced)
    assert golden.is_file(), f"missing {golden}; run UPDATE_GOLDEN=1 pytest {__file__}"
    assert produced == golden.read_bytes(), f"{golden} differs; if intended, regenerate with UPDATE_GOLDEN=1"


def test_english_formats_numbers_for_the_locale(mini_en):
    text = render(mini_en, "md").decode()
    assert "0.700" in text and "66.7%" in text and "Weighted sum" in text
    assert "January 1, 2026" in text


def test_same_inputs_same_bytes_across_processes(tmp_path, mini_fr, hostile_report):
    """HTML (with its SVG charts) from a fresh `python -m workbench report` equals the in-process one."""
    out = tmp_path / "r.html"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    cmd = [sys.executable, "-m", "workbench", "report", "--criteria", str(MINI), "--format", "html",
           "--out", str(out), "--lang", "fr", "--robustness-samples", "0"]  # fmt: skip
    subprocess.run(cmd, check=True, cwd=ROOT, env=env, capture_output=True)
    # Draw other charts first: vega's gradient/clip counters advance, the ids must not change.
    clear_cache()
    render(hostile_report, "html")
    clear_cache()
    fresh, here = out.read_bytes(), render(mini_fr, "html")
    assert fresh == here, _first_difference(fresh, here)
    for fmt in ("md", "csv", "json"):
        assert render(mini_fr, fmt) == render(make_report(load_study(MINI), "fr"), fmt)


# --------------------------------------------------------------------------- XLSX


def test_xlsx_sheets_numbers_and_frozen_headers(mini_en):
    book, cells = xlsx_cells(render(mini_en, "xlsx"))
    assert book.sheetnames == ["Summary", "Method", "Weights", "Ranking", "Matrix", "Evidence quality", "Costs",
                               "Rank reversal", "Assumptions", "References", "Provenance"]  # fmt: skip
    assert all(cell.data_type != "f" for _, cell in cells)
    ranking = book["Ranking"]
    assert ranking.freeze_panes == "A2"
    assert [c.value for c in ranking[2]][:5] == [1, "alpha", "Alpha", 0.7, "yes"]
    assert isinstance(ranking["D2"].value, float) and ranking["D2"].number_format == "0.000"
    assert ranking["H1"].value == "NPV (M CAD)" and ranking["H2"].value == pytest.approx(49.8365, abs=1e-4)
    weights = {row[0].value: row for row in book["Weights"].iter_rows(min_row=3)}
    assert weights["exposure"][4].value == pytest.approx(0.5) and weights["exposure"][4].number_format == "0.0%"
    assert weights["exposure"][6].value == "0–10 points"  # the scale column every format has
    matrix = book["Matrix"]
    assert matrix.freeze_panes == "A4" and matrix.auto_filter.ref == "A3:J12"  # under the intro and the legend
    rows = list(matrix.iter_rows(min_row=4, values_only=True))
    alpha_exposure = next(r for r in rows if r[0] == "Exposure" and r[1] == "Alpha")
    assert alpha_exposure == ("Exposure", "Alpha", "8 points", 8, 0.8, "—", "high",
                              "[1] T <https://example.org> (kind not stated, 2025-01-01)", "Good", None)  # fmt: skip


def test_xlsx_hostile_has_no_formula(hostile_outputs):
    book, cells = xlsx_cells(hostile_outputs["xlsx"])
    assert all(cell.data_type != "f" for _, cell in cells)
    texts = [cell.value for _, cell in cells if isinstance(cell.value, str)]
    assert not [x for x in texts if x.startswith(FORMULA_PREFIXES)]
    assert '\'=HYPERLINK("http://evil.example","click")' in texts
    assert "'=cmd|' /C calc'!A0" in texts  # workshop text
    assert "<script>alert(1)</script>" in texts


# --------------------------------------------------------------------------- PDF


def test_pdf_text_keeps_accents_and_numbers_pages(mini_fr):
    data = render(mini_fr, "pdf")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in ("Synthèse", "Mini étude", "Bêta", "Juridique", "Coût total de possession", "Page 1", "Références"):
        assert expected in text
    assert "0,700" in text


def test_pdf_hostile_renders_as_text(hostile_outputs):
    text = pdf_text(hostile_outputs["pdf"])
    assert "<script>alert(1)</script>" in text
    assert "=HYPERLINK" in text


def test_pdf_without_dejavu_falls_back_to_builtin_fonts(hostile_report, monkeypatch):
    """CI images may lack fonts-dejavu: Helvetica (WinAnsi) must still render French and hostile text."""
    import workbench.report.pdf as pdf

    monkeypatch.setattr(pdf, "fonts", lambda: ("Helvetica", "Helvetica-Bold", "Courier"))
    text = pdf_text(render(hostile_report, "pdf"))
    assert "Étude <b>hostile</b> — « guillemets » & œuvre" in text and "<script>alert(1)</script>" in text


def test_pdf_of_the_health_study_has_contents_and_page_numbers():
    study = load_study(HEALTH)
    data = render(make_report(study, "fr"), "pdf")
    text = pdf_text(data)
    assert "Table des matières" in text and "Page 3" in text
    for p in study.providers:
        assert p.name.get("fr")[:20] in text.replace("\n", " ")


# --------------------------------------------------------------------------- optional sections


def test_robustness_section_shares_sum_to_one(hostile_report, hostile_outputs):
    rob = hostile_report.robustness
    assert rob is not None and rob.samples == 500 and rob.error == "" and len(rob.verdict) >= 2
    for shares in rob.acceptability.values():
        assert sum(shares) == pytest.approx(1.0)
    assert len(rob.flip_thresholds) == 3
    assert "Rang 1" in hostile_outputs["html"].decode()
    book, _ = xlsx_cells(hostile_outputs["xlsx"])
    rows = [[c.value for c in row] for row in book["Robustesse"].iter_rows()]
    assert ["Option", "Rang 1"] in [row[:2] for row in rows]


def test_workshop_section_in_every_format(mini_study):
    report = make_report(mini_study, "fr", workshop=WORKSHOP, charts=False)
    assert report.workshop.columns == ["mean", "median", "sd"]
    assert report.workshop.rows[0] == ["Exposition", 0.5, 0.45, 0.1]
    html_text = render(report, "html").decode()
    assert "Atelier &lt;b&gt;mars&lt;/b&gt;" in html_text and "Moyenne" in html_text and "45,0\u00a0%" in html_text
    assert "Atelier \\<b>mars\\</b>" in render(report, "md").decode()
    book, _ = xlsx_cells(render(report, "xlsx"))
    values = [c.value for row in book["Atelier"].iter_rows() for c in row]
    assert "Atelier <b>mars</b>" in values and 0.45 in values
    assert "Atelier <b>mars</b>" in pdf_text(render(report, "pdf"))


def test_workshop_section_reads_the_raw_store_results(mini_study):
    raw = {
        "workshop": {"title": "Atelier =1+1", "code": "ABC"},
        "round": 2,
        "participants": 9,
        "ballots": 8,
        "aggregate": {"mean": {"exposure": 0.6, "residency": 0.1, "cost": 0.3}, "geometric": {}, "median": {}},
        "dispersion": {"cost": {"sd": 0.2}, "exposure": {"sd": 0.1}},
        "consensus": {"kendall_w": 0.8, "label": "very_strong"},
    }
    section = make_report(mini_study, "en", workshop=raw, charts=False).workshop
    assert section.facts == [["title", "Atelier =1+1"], ["round", 2], ["participants", 9], ["ballots", 8],
                             ["kendall_w", 0.8]]  # fmt: skip
    assert section.columns == ["mean", "sd"]
    assert section.rows == [["Exposure", 0.6, 0.1], ["Residency", 0.1, None], ["Cost", 0.3, 0.2]]


@pytest.mark.parametrize("method", ["topsis", "promethee-ii", "vikor", "weighted-product"])
def test_every_method_is_explained_and_rendered(method, mini_study):
    report = make_report(mini_study, "en", method=method, charts=False)
    ev = evaluate(mini_study, method, lang="en")
    assert report.method == method and not report.method_explanation.startswith("report.")
    text = render(report, "md").decode()
    assert ("A lower score is better" in text) == (method == "vikor")
    assert [r.id for r in report.ranking] == [r.id for r in ev.results]
    json.loads(render(report, "json"))  # NaN-free
    assert_inert_html(parse_html(render(report, "html")))


def test_sections_are_left_out_when_absent(mini_study):
    report = make_report(mini_study, "en", charts=False)
    text = render(report, "md").decode()
    assert "## Robustness" not in text and "## Workshop" not in text and "## Total cost of ownership" in text


# --------------------------------------------------------------------------- CLI


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_writes_every_format(fmt, tmp_path, capsys):
    out = tmp_path / f"report.{fmt}"
    args = ["report", "--criteria", str(MINI), "--format", fmt, "--out", str(out), "--lang", "en", "--no-charts",
            "--robustness-samples", "200"]  # fmt: skip
    assert main(args) == 0
    data = out.read_bytes()
    assert len(data) > 150
    assert "Report written" in capsys.readouterr().err


def test_cli_errors_are_sentences(tmp_path, capsys):
    assert (
        main(["report", "--criteria", str(tmp_path / "none.yaml"), "--format", "md", "--out", str(tmp_path / "x.md")])
        == 2
    )
    assert "error:" in capsys.readouterr().err
    assert main(["report", "--criteria", str(MINI), "--format", "pdf", "--out", "-"]) == 2
    assert "standard output" in capsys.readouterr().err
    bad = tmp_path / "ws.json"
    bad.write_text("[1, 2]")
    assert main(["report", "--criteria", str(MINI), "--format", "md", "--out", "-", "--workshop", str(bad)]) == 2
    assert "expected a JSON object" in capsys.readouterr().err


def test_cli_scenario_and_stdout(capsys):
    args = ["report", "--criteria", str(HOSTILE), "--scenario", str(HOSTILE_SCENARIO), "--format", "csv", "--out", "-",
            "--robustness-samples", "0"]  # fmt: skip
    assert main(args) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1][1] == "formula"  # the override (exposure 7) puts it first


def imported_modules(path: Path) -> set[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return names | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_report_package_never_imports_streamlit_or_the_app():
    paths = [*(ROOT / "workbench" / "report").glob("*.py"), ROOT / "workbench" / "cli" / "report.py"]
    for path in paths:
        bad = [m for m in imported_modules(path) if m.split(".")[0] in ("streamlit", "ui")]
        assert bad == [], path
    assert "streamlit" in imported_modules(ROOT / "ui" / "pages" / "export.py")  # the scan sees imports

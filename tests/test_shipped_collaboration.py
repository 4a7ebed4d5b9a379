"""The shipped collaboration-suite study (issue 15) and the image-editors study, end to end.

The data: valid, composed as documented, priced per seat, and `validate --strict` leaves exactly the
warnings listed in docs/sources-notes-collaboration.md. The engine's results recorded in
docs/collaboration-suite.md and docs/image-editors-study.md (rankings, costs, scenarios, first-place
shares). The CLI (`evaluate`, `sensitivity`, `tco`), every report format in both languages, and the
app (the Study page offers the set, the Compare page ranks it in French and English).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from report_helpers import EPOCH, pdf_text, xlsx_book
from streamlit.testing.v1 import AppTest

from workbench.cli import main
from workbench.evaluate import evaluate
from workbench.robustness.smaa import FirstPlace
from workbench.study import load_study
from workbench.validation import check_paths

ROOT = Path(__file__).resolve().parent.parent
COLLAB = ROOT / "criteria/collaboration-suite.yaml"
COLLAB_FOLDER = ROOT / "providers/collaboration-suite"
EDITORS = ROOT / "criteria/image-editors.yaml"
SCENARIOS = {name: ROOT / f"scenarios/collab-{name}.yaml" for name in ("status-quo-view", "sovereignty-first",
                                                                          "licences-only")}  # fmt: skip
ILLUSTRATOR = ROOT / "scenarios/image-editors-illustrator.yaml"
NOTES = ROOT / "docs/sources-notes-collaboration.md"
# The day the evidence was read (every `accessed` date): staleness is measured against it, so that the
# test states what was true then instead of drifting as sources age.
READ_ON = dt.date(2026, 12, 2)

# The default ranking recorded in docs/collaboration-suite.md (weighted sum on the declared scales).
RANKING = [
    ("opendesk-quebec-gov-cloud", 0.7479),
    ("libreoffice-nextcloud-route", 0.7389),
    ("nextcloud-collabora-quebec-host", 0.6962),
    ("nextcloud-onlyoffice-quebec-host", 0.6777),
    ("microsoft-365", 0.6075),
    ("google-workspace", 0.4353),
]
REFERENCES = {"opendesk-zendis": 0.7279, "la-suite-numerique": 0.7062}
# Ten-year NPV of the likely amounts, M CAD (330,000 seats, 3 %, 2 % escalation).
NPV = {
    "libreoffice-nextcloud-route": 551.4685,
    "opendesk-quebec-gov-cloud": 569.3636,
    "nextcloud-onlyoffice-quebec-host": 578.9360,
    "nextcloud-collabora-quebec-host": 586.2782,
    "microsoft-365": 993.6096,
    "google-workspace": 1352.4166,
    "opendesk-zendis": 569.3636,
    "la-suite-numerique": 494.5351,
}
COMPONENTS = {
    "nextcloud-collabora-quebec-host": ("nextcloud-hub-collabora", "quebec-private-host"),
    "nextcloud-onlyoffice-quebec-host": ("nextcloud-hub-onlyoffice", "quebec-private-host"),
    "opendesk-quebec-gov-cloud": ("opendesk-ce", "quebec-government-cloud"),
    "libreoffice-nextcloud-route": ("sh-route-stack", "quebec-government-cloud"),
}
EDITORS_RANKING = [("photoshop", 0.7170), ("gimp", 0.6950), ("krita", 0.6870), ("affinity", 0.6830),
                   ("photopea", 0.5895)]  # fmt: skip


@pytest.fixture(scope="module")
def study():
    return load_study(COLLAB)


@pytest.fixture
def cli(capsys, monkeypatch):
    """`cli(*argv)` -> (code, out, err) of `main(argv)` run in the repository."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)

    def run(*args: object) -> SimpleNamespace:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return SimpleNamespace(code=code, out=captured.out, err=captured.err)

    return run


# --- the data -----------------------------------------------------------------------------------


def listed_warnings() -> tuple[dict[str, int], list[str], list[str]]:
    """What docs/sources-notes-collaboration.md lists: warnings per study, undated URLs, stale scores."""
    text = NOTES.read_text(encoding="utf-8")
    section = text[text.index("## Warnings that remain under `validate --strict`") :]
    counts = {m[1]: int(m[2]) for m in re.finditer(r"- \*\*([a-z-]+)\*\*: (\d+) warnings", section)}
    undated = re.findall(r"^- (https?://\S+) \(", section, flags=re.MULTILINE)
    stale = re.findall(r"^- `([^`]+)` (scores\.[a-z0-9-]+): the newest source", section, flags=re.MULTILINE)
    return counts, undated, [f"{where} {field}" for where, field in stale]


def test_the_studies_validate_and_strict_leaves_exactly_the_listed_warnings():
    paths = [COLLAB, COLLAB_FOLDER, EDITORS, ROOT / "providers/image-editors", *SCENARIOS.values(), ILLUSTRATOR]
    report = check_paths(paths, today=READ_ON)
    assert report.errors == [], "\n".join(map(str, report.errors))
    assert report.summary == {"files": 25, "criteria_sets": 2, "providers": 13, "components": 6, "scenarios": 4}
    counts, undated, stale = listed_warnings()
    by_study = {"collaboration-suite": 0, "image-editors": 0}
    for warning in report.warnings:
        by_study[Path(warning.file).relative_to(ROOT).parts[1]] += 1
    assert by_study == counts == {"collaboration-suite": 0, "image-editors": 0}
    assert {w.code for w in report.warnings} <= {"source-undated", "source-stale"}
    found_stale = sorted(f"{Path(w.file).relative_to(ROOT)}:{w.line} {w.field}" for w in report.warnings
                         if w.code == "source-stale")  # fmt: skip
    assert found_stale == sorted(stale)
    # Every undated page is named in the notes, and nothing else is.
    profiles = {str(p.path): p for folder in report.catalogue.providers.values() for p in folder}
    profiles |= {str(p.path): p for folder in report.catalogue.components.values() for p in folder}
    urls = set()
    for warning in report.warnings:
        if warning.code == "source-undated":
            _, leaf, rest = warning.field.split(".", 2)
            index = int(rest.split("[")[1].split("]")[0])
            urls.add(profiles[warning.file].scores[leaf].sources[index].url)
    assert sorted(urls) == sorted(undated)
    assert len(undated) == len(set(undated)) == 0


def test_collaboration_options_references_components_and_seats(study):
    assert study.provider_ids == sorted(r for r, _ in RANKING)
    assert sorted(p.id for p in study.references) == sorted(REFERENCES)
    settings = study.cost_settings()
    assert (settings.horizon, settings.discount_rate, settings.currency, settings.seats) == (10, 0.03, "CAD", 330000)
    assert settings.fx == {"USD": 1.4, "EUR": 1.6}
    assert [s.title for s in study.criteria_set.sources] == [
        "Santé Québec (Wikipédia)",
        "Bank of Canada, exchange rates (annual averages)",
    ]
    by_id = {p.id: p for p in study.providers}
    for option, (suite, host) in COMPONENTS.items():
        assert by_id[option].components == (suite, host)
        # Legal exposure comes from the host, formats from the suite, the cost from the option itself.
        assert f"components/{host}.yaml:" in by_id[option].scores["jurisdiction-data-location"].origin
        assert f"components/{suite}.yaml:" in by_id[option].scores["odf-support"].origin
        assert f"{option}.yaml:" in by_id[option].scores["cost"].origin
        assert by_id[option].costs.per_seat
    # Every option and reference model is priced per seat (the components carry no cost block).
    assert all(p.costs.per_seat for p in study.providers + study.references)


def test_default_ranking_costs_and_references(study):
    ev = evaluate(study, lang="en")
    assert [(r.rank, r.id) for r in ev.results] == [(i + 1, pid) for i, (pid, _) in enumerate(RANKING)]
    assert [r.score for r in ev.results] == pytest.approx([score for _, score in RANKING], abs=5e-5)
    assert all(r.eligible for r in ev.results)
    assert {r.id: r.score for r in ev.references} == pytest.approx(REFERENCES, abs=5e-5)
    table = study.tco_table()
    assert {pid: r.npv for pid, r in table.results.items()} == pytest.approx(
        {k: v for k, v in NPV.items() if k not in REFERENCES}, abs=5e-4
    )
    # The cost leaf takes each option's NPV.
    j = study.leaf_ids.index("cost")
    assert {pid: study.matrix[i, j] for i, pid in enumerate(study.provider_ids)} == pytest.approx(
        {k: v for k, v in NPV.items() if k not in REFERENCES}, abs=5e-4
    )


def test_the_seats_price_the_licences(study):
    """Microsoft 365: CAD 273 a seat a year, 2 % escalation, 3 undiscounted years, 330,000 seats:
    330000 * 273 / 10**6 * (1 + 1.02 + 1.02**2) = 275.711436 M CAD."""
    three_years = study.tco_table(overrides={"horizon": 3, "discount_rate": 0.0})
    assert three_years.results["microsoft-365"].by_category["licences"] == pytest.approx(275.711436, abs=1e-6)
    half = study.tco_table(overrides={"seats": 165000}).results["microsoft-365"].npv
    full = study.tco_table().results["microsoft-365"].npv
    none = study.tco_table(overrides={"seats": 1}).results["microsoft-365"].npv
    # Affine in the seats: the per-seat part halves with the seats.
    assert full - half == pytest.approx((full - none) * 165000 / 329999, rel=1e-9)


def test_scenarios(study):
    def run(name):
        scenario_study = load_study(COLLAB, scenario=SCENARIOS[name])
        return scenario_study, evaluate(scenario_study)

    _, ev = run("status-quo-view")
    assert [r.id for r in ev.results][:2] == ["microsoft-365", "opendesk-quebec-gov-cloud"]
    assert ev.results[0].score == pytest.approx(0.7850, abs=5e-5)
    _, ev = run("sovereignty-first")
    assert [(r.id, r.eligible) for r in ev.results] == [
        ("libreoffice-nextcloud-route", True),
        ("opendesk-quebec-gov-cloud", True),
        ("nextcloud-collabora-quebec-host", True),
        ("nextcloud-onlyoffice-quebec-host", True),
        ("microsoft-365", False),
        ("google-workspace", False),
    ]
    assert {f.criterion for r in ev.results[4:] for f in r.failed_must_haves} == {"jurisdiction-data-location"}
    licences_study, ev = run("licences-only")
    assert licences_study.cost_settings().horizon == 3 and licences_study.cost_settings().seats == 330000
    npv = {pid: r.npv for pid, r in licences_study.tco_table().results.items()}
    assert npv == pytest.approx({"nextcloud-onlyoffice-quebec-host": 313.77, "opendesk-quebec-gov-cloud": 327.23,
                                 "libreoffice-nextcloud-route": 328.63, "nextcloud-collabora-quebec-host": 330.12,
                                 "microsoft-365": 372.44, "google-workspace": 579.11}, abs=0.01)  # fmt: skip
    assert [r.id for r in ev.results] == sorted(npv, key=npv.get)


def test_first_place_shares_recorded_in_the_docs(study):
    shares = dict(zip(study.provider_ids, FirstPlace(study)(), strict=True))
    assert shares == pytest.approx({"opendesk-quebec-gov-cloud": 0.758, "libreoffice-nextcloud-route": 0.2401,
                                    "nextcloud-collabora-quebec-host": 0.0019, "nextcloud-onlyoffice-quebec-host": 0,
                                    "microsoft-365": 0, "google-workspace": 0}, abs=1e-4)  # fmt: skip
    editors = load_study(EDITORS)
    shares = dict(zip(editors.provider_ids, FirstPlace(editors)(), strict=True))
    assert shares == pytest.approx({"gimp": 0.4978, "photoshop": 0.3448, "krita": 0.0842, "affinity": 0.0732,
                                    "photopea": 0}, abs=1e-4)  # fmt: skip


def test_image_editors_for_the_photographer_and_the_illustrator():
    ev = evaluate(load_study(EDITORS))
    assert [(r.id, round(r.score, 4)) for r in ev.results] == EDITORS_RANKING
    illustrator = load_study(EDITORS, scenario=ILLUSTRATOR)
    assert illustrator.global_weights()["generative-tools"] == 0
    assert [(r.id, round(r.score, 4)) for r in evaluate(illustrator).results] == [
        ("krita", 0.834), ("gimp", 0.731), ("affinity", 0.6545), ("photoshop", 0.6285), ("photopea", 0.5899)
    ]  # fmt: skip
    # Photoshop's three-year price: the US$19.99 Photography plan for 36 months.
    photoshop = next(p for p in illustrator.providers if p.id == "photoshop")
    assert photoshop.scores["price-3y"].value == 720


# --- the command line ---------------------------------------------------------------------------


def test_cli_evaluate_sensitivity_and_tco(cli):
    out = cli("evaluate", "--criteria", COLLAB, "--format", "json")
    assert out.code == 0, out.err
    data = json.loads(out.out)
    assert [(r["id"], round(r["score"], 4)) for r in data["results"]] == RANKING
    assert sorted(r["id"] for r in data["references"]) == sorted(REFERENCES)

    out = cli("evaluate", "--criteria", COLLAB, "--scenario", SCENARIOS["sovereignty-first"])
    assert out.code == 0
    assert re.search(r"5\s+microsoft-365\s+0\.4587\s+NO\s+jurisdiction-data-location", out.out)

    out = cli("sensitivity", "--criteria", COLLAB, "--samples", "10000", "--seed", "1", "--lang", "en")
    assert out.code == 0, out.err
    assert re.search(r"microsoft-365\s+yes\s+46\.0%", out.out)
    assert re.search(r"libreoffice-nextcloud-route\s+yes\s+41\.4%", out.out)
    assert re.search(r"opendesk-quebec-gov-cloud\s+yes\s+12\.4%", out.out)
    assert "if the weight of “French interface and support” rises above 7.9% (now 3.8%)" in out.out

    out = cli("tco", "--criteria", COLLAB, "--format", "json")
    assert out.code == 0, out.err
    data = json.loads(out.out)
    assert {r["id"]: r["npv"] for r in data["results"]} == pytest.approx(NPV, abs=5e-4)
    assert (data["horizon"], data["discount_rate"], data["currency"]) == (10, 0.03, "CAD")
    out = cli("tco", "--criteria", COLLAB, "--scenario", SCENARIOS["licences-only"], "--horizon", "3")
    assert out.out.startswith("Horizon 3 years, discount rate 0.00%, CAD\n")
    assert re.search(r"microsoft-365\s+372\.4\d+", out.out)


# --- every report format, both languages ---------------------------------------------------------

NAMES = {
    "en": ["openDesk software on the Quebec government cloud", "Microsoft 365 (E3/E5-class, status quo)",
           "Google Workspace (Enterprise)"],
    "fr": ["Logiciel openDesk sur le Nuage gouvernemental du Québec", "Microsoft 365 (forfaits E3/E5, statu quo)",
           "Google Workspace (Enterprise)"],
}  # fmt: skip
SCORES = {"en": ["0.748", "0.739", "0.696", "0.678", "0.608", "0.435"],
          "fr": ["0,748", "0,739", "0,696", "0,678", "0,608", "0,435"]}  # fmt: skip


def in_order(text: str, items: list[str]) -> bool:
    """Every item appears in `text`, each after the one before."""
    at = 0
    for item in items:
        at = text.find(item, at)
        if at < 0:
            return False
    return True


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("fmt", ["json", "md", "csv", "html", "xlsx", "pdf"])
def test_every_report_format(cli, tmp_path, fmt, lang):
    out = tmp_path / f"report.{fmt}"
    charts = [] if fmt in ("html", "pdf") else ["--no-charts"]
    result = cli("report", "--criteria", COLLAB, "--format", fmt, "--out", out, "--lang", lang, *charts)
    assert result.code == 0, result.err
    data = out.read_bytes()
    if fmt == "json":
        report = json.loads(data)
        assert report["lang"] == lang and report["study_id"] == "collaboration-suite"
        assert [(r["id"], round(r["score"], 4)) for r in report["ranking"]] == RANKING
        assert {r["id"]: r["npv"] for r in report["costs"]["rows"]} == pytest.approx(
            {k: v for k, v in NPV.items() if k not in REFERENCES}, abs=5e-4
        )
        assert report["costs"]["horizon"] == 10 and report["costs"]["currency"] == "CAD"
        assert report["robustness"]["leader"] == "opendesk-quebec-gov-cloud"
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        ranked = [row for row in rows if len(row) > 3 and row[0].isdigit()]
        assert [(row[1], round(float(row[3].replace(",", ".")), 4)) for row in ranked[:6]] == RANKING
    elif fmt == "xlsx":
        book = xlsx_book(data)
        sheet = book[book.sheetnames[3]]  # Summary, Method, Weights, Ranking (rank, id, name, score, ..., NPV)
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        ranked = [row for row in values if isinstance(row[0], int)]
        assert [(row[1], round(row[3], 4)) for row in ranked] == RANKING
        assert ranked[0][2] == NAMES[lang][0]
        assert {row[1]: row[7] for row in ranked} == pytest.approx(
            {k: v for k, v in NPV.items() if k not in REFERENCES}, abs=5e-4
        )
    else:
        text = pdf_text(data) if fmt == "pdf" else data.decode("utf-8")
        if fmt == "pdf":
            text = re.sub(r"\s+", " ", text)
        assert in_order(text, SCORES[lang]), fmt
        for name in NAMES[lang]:
            assert (name if fmt != "html" else name.replace("&", "&amp;")) in text or fmt == "pdf"
        assert "Microsoft 365" in text and "Google Workspace" in text


# --- the app ------------------------------------------------------------------------------------


def compare_ranking(at: AppTest) -> list[tuple[str, str, str]]:
    """(name, score, first-place share) of each row of the Compare page's ranking table."""
    table = next(m.value for m in at.markdown if m.value.startswith("| ") and "---|" in m.value)
    rows = []
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        name = re.sub(r"\\(.)", r"\1", cells[1].removeprefix("**").removesuffix("**"))
        rows.append((name, cells[2], cells[3]))
    return rows


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_study_page_offers_the_set_and_compare_ranks_it(monkeypatch, lang):
    monkeypatch.delenv("WORKBENCH_CRITERIA_DIR", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(str(ROOT / "ui" / "pages" / "study.py")).run()
    assert not at.exception, [e.message for e in at.exception]
    box = at.selectbox(key="study_set")
    label = {"fr": "Suites bureautiques et collaboratives (organisme public québécois)",
             "en": "Office and collaboration suites (Quebec public body)"}[lang]  # fmt: skip
    assert f"{label} (collaboration-suite.yaml)" in box.options
    box.set_value(COLLAB).run()
    assert not at.exception, [e.message for e in at.exception]
    assert Path(at.session_state["wb_criteria"]).name == "collaboration-suite.yaml"
    at.switch_page(str(ROOT / "ui" / "pages" / "compare.py")).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params["set"] == "collaboration-suite"
    study = load_study(COLLAB)
    expected = [r.name for r in evaluate(study, lang=lang).results]
    rows = compare_ranking(at)
    assert [name for name, _, _ in rows] == expected
    assert [score for _, score, _ in rows] == SCORES[lang]
    first = "76 %" if lang == "fr" else "76%"
    assert rows[0][2].replace("\u202f", " ").replace("\xa0", " ") == first
    # The reference models are shown apart from the ranking, never in it.
    shown = "\n".join(m.value for m in at.markdown)
    for reference in study.references:
        name = reference.name.get(lang)
        assert name not in expected
        assert name in shown.replace("\\", "")

"""The study workbook both ways (issue 18): template -> filled in with openpyxl -> import ->
validate -> evaluate; every shipped study exported and imported back evaluates to the same numbers
with nothing lost; the plain decision-matrix CSV; exported cells are never formulas; reports and
workshops run on an imported study."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from workbench.cli import main as cli_main
from workbench.errors import WorkbenchError
from workbench.evaluate import evaluate
from workbench.files import spreadsheet_edit as edit
from workbench.files.loading import load_criteria_set
from workbench.files.providers import load_providers
from workbench.files.spreadsheet_build import book_to_study
from workbench.files.spreadsheet_export import study_to_book
from workbench.files.spreadsheet_format import COLUMNS, STUDY_KEYS, StudyBook, empty_book
from workbench.files.spreadsheet_read import read_spreadsheet
from workbench.files.spreadsheet_write import book_bytes
from workbench.files.spreadsheet_yaml import write_study
from workbench.methods import method_names
from workbench.study import leaf_index, load_study, resolve_providers_dir

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "criteria").glob("*.yaml"))
FIXTURES = ROOT / "tests" / "fixtures" / "spreadsheets"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli_main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def fill_template(path: Path) -> None:
    """A small study typed into the template the way a person would (openpyxl, cell by cell)."""
    wb = openpyxl.load_workbook(path)
    study = wb["study"]
    assert [study.cell(r, 1).value for r in range(2, 9)] == list(STUDY_KEYS)
    for row, value in zip(range(2, 6), ("tools", "Outils de dessin", "Drawing tools", "weighted-sum"), strict=True):
        study.cell(row, 2, value)
    criteria = wb["criteria"]
    for values in (
        ("quality", None, "Qualité", "Quality", 3),
        ("features", "quality", "Fonctions", "Features", 2, "benefit", 0, 10, "points", 3),
        ("support", "quality", "Soutien", "Support", 1, "benefit"),
        ("price", None, "Prix", "Price", 1, "cost", 0, 100, "CAD"),
    ):
        criteria.append(values)
    levels = wb["levels"]
    for value, fr, en in ((0, "aucun", "none"), (1, "de base", "basic"), (2, "complet", "full")):
        levels.append(("support", "level", value, fr, en))
    options = wb["options"]
    for values in (("a", "Atelier A", "Studio A", "option"), ("b", "Bureau B", "Desk B", "option"),
                   ("ref", "Référence", "Reference", "reference")):  # fmt: skip
        options.append(values)
    scores = wb["scores"]
    for values in (
        ("a", "features", 8, 7, 9, "verified", "high", "Bon", "Good", "Manual", "https://a.example/manual",
         "2025-03", "2026-01-15", "vendor"),
        ("a", "features", None, None, None, None, None, None, None, "Review", "https://press.example/a",
         "2025-06-01", "2026-01-15", "press"),
        ("a", "support", "full", None, None, "estimate", "medium"),
        ("a", "price", 40, None, None, "vendor-claim", "high"),
        ("b", "features", 6), ("b", "support", 1), ("b", "price", 20),
        ("ref", "features", 9), ("ref", "support", 2), ("ref", "price", 90),
    ):  # fmt: skip
        scores.append(values)
    wb.save(path)


def test_template_sheets_columns_read_me_and_drop_downs(tmp_path, capsys):
    out = tmp_path / "study.xlsx"
    code, _, err = run(capsys, "template", "--out", out)
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["read me", "study", "criteria", "options", "scores", "levels", "advanced"]
    for name, columns in COLUMNS.items():
        assert tuple(c.value for c in wb[name][1]) == columns
    assert [wb["study"].cell(r, 1).value for r in range(2, 9)] == list(STUDY_KEYS)
    readme = " ".join(str(c.value) for row in wb["read me"].iter_rows() for c in row if c.value)
    assert "Remplissez les feuilles" in readme and "Fill in the sheets" in readme
    lists = {(ws.title, str(dv.sqref).split(":")[0].rstrip("0123456789")): dv.formula1
             for ws in wb.worksheets for dv in ws.data_validations.dataValidation}  # fmt: skip
    assert lists[("scores", "G")] == '"low,medium,high"'
    assert lists[("scores", "F")] == '"verified,vendor-claim,estimate,assumption,disputed"'
    assert lists[("scores", "N")] == '"official,vendor,press,analysis,reference,community"'
    assert lists[("criteria", "F")] == '"benefit,cost"'
    assert lists[("options", "D")] == '"option,reference"'
    assert lists[("scores", "A")] == "options!$A$2:$A$1001"


def test_template_filled_imports_validates_and_evaluates(tmp_path, capsys):
    book = tmp_path / "tools.xlsx"
    run(capsys, "template", "--out", book)
    fill_template(book)
    code, _, err = run(capsys, "import", book, "--out", tmp_path / "out")
    assert code == 0, err
    assert "Traceback" not in err
    code, _, err = run(capsys, "validate", tmp_path / "out")
    assert code == 0, err
    criteria = tmp_path / "out" / "criteria" / "tools.yaml"
    cs = load_criteria_set(criteria)
    assert cs.name.fr == "Outils de dessin" and cs.name.en == "Drawing tools"
    assert [lv.label.en for lv in cs.node("support").scale.levels] == ["none", "basic", "full"]
    assert cs.node("features").must_have.min == 3
    study = load_study(criteria)
    assert [p.id for p in study.references] == ["ref"]
    a = next(p for p in study.providers if p.id == "a")
    assert a.scores["features"].range == (7, 9)
    assert [(s.title, s.kind, s.published) for s in a.scores["features"].sources] == [
        ("Manual", "vendor", "2025-03"), ("Review", "press", "2025-06-01")]  # fmt: skip
    assert a.scores["support"].value == 2  # the level's label "full"
    # Global weights 0.5 / 0.25 / 0.25; scale normalisation: a = 0.4 + 0.25 + 0.15, b = 0.3 + 0.125 + 0.2.
    results = {r.id: (r.rank, r.score) for r in evaluate(study, "weighted-sum").results}
    assert results == {"a": (1, pytest.approx(0.8)), "b": (2, pytest.approx(0.625))}
    code, out, err = run(capsys, "evaluate", "--criteria", criteria, "--format", "json")
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)["results"]] == ["a", "b"]


def _export_import(path: Path, tmp: Path):
    cs = load_criteria_set(path)
    providers, problems = load_providers(resolve_providers_dir(cs, None), leaf_index(cs), ignore_unknown=True)
    assert not problems
    data = book_bytes(study_to_book(cs, providers, "study.xlsx"))
    built = book_to_study(read_spreadsheet(data, "study.xlsx"))
    assert not built.problems, [str(p) for p in built.problems]
    return cs, providers, write_study(built, tmp)


def _sources(sources) -> list[tuple]:
    """Sources without the line they stood on (the files differ; what they say must not)."""
    return [(s.title, s.url, s.published, s.accessed, s.kind, s.quote, s.locator) for s in sources]


def _evidence(provider) -> dict:
    costs = provider.costs
    return {
        "name": provider.name, "kind": provider.kind, "summary": provider.summary, "facts": provider.facts,
        "role": provider.role,
        "costs": None if costs is None else (costs.currency, costs.one_off, costs.annual, costs.escalation,
                                             costs.exit, costs.per_seat_one_off, costs.per_seat_annual,
                                             _sources(costs.sources)),
        "scores": {leaf: (s.value, s.rationale, s.confidence, s.range, s.status, s.dispute,
                          _sources(s.sources))
                   for leaf, s in provider.scores.items()},
    }  # fmt: skip


def _node(n) -> tuple:
    return (n.id, n.name, n.weight, n.description, n.direction, n.scale, n.must_have, n.preference, n.source,
            n.freshness_months, [c.id for c in n.children])  # fmt: skip


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_export_then_import_evaluates_the_same_and_loses_nothing(path, tmp_path):
    cs, providers, imported = _export_import(path, tmp_path)
    again = load_criteria_set(imported)
    assert [_node(n) for n in again.nodes()] == [_node(n) for n in cs.nodes()]
    assert (again.id, again.name, again.description, again.method, again.normalization, again.cost_settings,
            again.freshness_months, _sources(again.sources)) == (
        cs.id, cs.name, cs.description, cs.method, cs.normalization, cs.cost_settings, cs.freshness_months,
        _sources(cs.sources))  # fmt: skip
    back, problems = load_providers(resolve_providers_dir(again, None), leaf_index(again))
    assert not problems
    leaves = set(leaf_index(cs))
    for before, after in zip(providers, back, strict=True):
        before_scores = {k: v for k, v in before.scores.items() if k in leaves}
        assert _evidence(after) == _evidence(type(before)(**{**before.__dict__, "scores": before_scores}))
    original, copy = load_study(path, allow_missing=True), load_study(imported, allow_missing=True)
    assert copy.provider_ids == original.provider_ids
    assert np.array_equal(copy.matrix, original.matrix)
    compared = 0
    for method in method_names():
        try:
            expected = evaluate(original, method)
        except WorkbenchError:  # e.g. the weighted product refuses a score of 0: so does the copy
            with pytest.raises(WorkbenchError):
                evaluate(copy, method)
            continue
        got = evaluate(copy, method)
        assert [(r.id, r.rank, r.score, r.eligible) for r in got.results] == [
            (r.id, r.rank, r.score, r.eligible) for r in expected.results
        ]
        compared += 1
    assert compared >= 3
    assert {k: v.npv for k, v in copy.tco_table().results.items()} == {
        k: v.npv for k, v in original.tco_table().results.items()
    }


def test_plain_decision_matrix_csv(tmp_path, capsys):
    code, _, err = run(capsys, "import", FIXTURES / "matrix.csv", "--out", tmp_path)
    assert code == 0, err
    criteria = tmp_path / "criteria" / "matrix.yaml"
    cs = load_criteria_set(criteria)
    assert [(n.id, n.weight, n.direction, n.scale.min, n.scale.max) for n in cs.leaves()] == [
        ("price-k", 2, "cost", 10, 20), ("quality", 1, "benefit", 7.5, 9), ("support", 1, "benefit", 3, 5)]  # fmt: skip
    study = load_study(criteria)
    for provider in study.providers:
        assert {s.status for s in provider.scores.values()} == {"assumption"}
        assert all(not s.sources for s in provider.scores.values())
    # price: (20 - x) / 10, quality: (x - 7.5) / 1.5, support: (x - 3) / 2; weights 0.5, 0.25, 0.25
    scores = {r.id: r.score for r in evaluate(study, "weighted-sum").results}
    assert scores == pytest.approx({"alpha": 0.5, "beta": 0.5, "gamma": 0.25 + 0.25 * 0.5 / 1.5 + 0.125})
    code, out, _ = run(capsys, "validate", "--coverage", tmp_path)
    assert code == 0
    assert "assumptions 3" in out


def test_semicolon_csv_in_windows_1252_with_decimal_commas(tmp_path, capsys):
    code, _, err = run(capsys, "import", FIXTURES / "matrice-excel-fr.csv", "--out", tmp_path)
    assert code == 0, err
    cs = load_criteria_set(tmp_path / "criteria" / "matrice-excel-fr.yaml")
    assert [(n.name.fr, n.scale.min, n.scale.max) for n in cs.leaves()] == [("Prix (k¤)", 10, 20), ("Qualité", 7.5, 9)]
    names = sorted(p.name.fr for p in load_study(tmp_path / "criteria" / "matrice-excel-fr.yaml").providers)
    assert names == ["Alpha", "Bêta"]


def test_exported_cells_are_never_formulas(tmp_path):
    cs = load_criteria_set(ROOT / "tests" / "fixtures" / "mini" / "criteria.yaml")
    providers, _ = load_providers(ROOT / "tests" / "fixtures" / "mini" / "providers", leaf_index(cs))
    hostile = '=HYPERLINK("http://evil.example","x")'
    providers[0].name = type(providers[0].name)(en=hostile, fr="+cmd|' /C calc'!A0")
    path = tmp_path / "x.xlsx"
    path.write_bytes(book_bytes(study_to_book(cs, providers)))
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type != "f" for c in cells)
    names = {c.value for c in wb["options"]["C"]} | {c.value for c in wb["options"]["B"]}
    assert "'" + hostile in names
    built = book_to_study(read_spreadsheet(path))
    assert built.profiles["alpha"]["name"] == {"en": hostile, "fr": "+cmd|' /C calc'!A0"}


def test_import_refuses_to_replace_a_study_unless_asked(tmp_path, capsys):
    assert run(capsys, "import", FIXTURES / "matrix.csv", "--out", tmp_path)[0] == 0
    code, _, err = run(capsys, "import", FIXTURES / "matrix.csv", "--out", tmp_path)
    assert code == 2 and "already exists" in err and "--overwrite" in err
    assert run(capsys, "import", FIXTURES / "matrix.csv", "--out", tmp_path, "--overwrite")[0] == 0


def test_template_round_trip_of_an_empty_book():
    built = book_to_study(read_spreadsheet(book_bytes(empty_book("t.xlsx")), "t.xlsx"))
    messages = [str(p) for p in built.problems]
    assert "t.xlsx:study!B2: id: the study needs an id (row 'id' of the study sheet)" in messages


def test_reports_and_workshops_run_on_an_imported_study(tmp_path, capsys):
    book = tmp_path / "tools.xlsx"
    run(capsys, "template", "--out", book)
    fill_template(book)
    assert run(capsys, "import", book, "--out", tmp_path / "s")[0] == 0
    criteria = tmp_path / "s" / "criteria" / "tools.yaml"
    code, _, err = run(capsys, "report", "--criteria", criteria, "--format", "md", "--out", tmp_path / "r.md")
    assert code == 0, err
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "Atelier A" in report and "Bureau B" in report
    db = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    code, out, err = run(capsys, "workshop", "create", "--criteria", criteria, "--title", "T", "--db", db)
    assert code == 0, err
    token = json.loads(out)["facilitator_token"]
    code, out, err = run(capsys, "workshop", "join", json.loads(out)["join_code"], "--name", "Ana", "--db", db)
    assert code == 0, err
    participant = json.loads(out)["token"]
    code, out, err = run(capsys, "workshop", "submit", "--token", participant, "--weights", "quality=1", "price=1",
                         "--db", db)  # fmt: skip
    assert code == 0, err
    assert sorted(json.loads(out)["ranking"].items()) == [("a", 1), ("b", 2)]
    code, out, err = run(capsys, "workshop", "results", "--token", token, "--db", db)
    assert code == 0, err


def test_a_draft_written_as_a_workbook_has_number_cells():
    """The page keeps what was typed ("7,5" too); the workbook gets numbers, labels stay text."""
    tables = {
        "study": [{"key": "id", "value": "s"}, {"key": "horizon", "value": "10"}, {"key": "fx.EUR", "value": "1,5"}],
        "criteria": [{"id": "c", "weight": "2", "min": "0", "max": "7,5", "direction": "benefit"}],
        "scores": [
            {"option": "a", "criterion": "c", "value": "7,5"},
            {"option": "b", "criterion": "c", "value": "full"},
        ],
    }
    wb = openpyxl.load_workbook(io.BytesIO(book_bytes(StudyBook.from_json("d.xlsx", tables))))
    assert [c.value for c in wb["study"]["B"][1:]] == ["s", 10, 1.5]
    assert [c.value for c in wb["criteria"][2]][4:8] == [2, "benefit", 0, 7.5]
    assert [c.value for c in wb["scores"]["C"][1:]] == [7.5, "full"]


def test_score_edits_replace_rows_and_keep_their_place():
    row = dict.fromkeys(COLUMNS["scores"])
    tables = {"scores": [row | {"option": "a", "criterion": "x", "value": 1},
                         row | {"option": "a", "criterion": "y", "value": 2, "source_title": "T1"},
                         row | {"option": "a", "criterion": "y", "source_title": "T2"},
                         row | {"option": "b", "criterion": "x", "value": 3}]}  # fmt: skip
    before = tables["scores"][0]
    edit.set_value(tables, "a", "x", "5")
    assert before["value"] == 1 and tables["scores"][0]["value"] == "5"  # replaced, not changed in place
    edit.set_evidence(tables, "a", "y", {"value": "4", "status": "estimate"}, [{"source_title": "T3"}])
    assert [(r["criterion"], r["value"], r["status"], r["source_title"]) for r in tables["scores"]] == [
        ("x", "5", None, None), ("y", "4", "estimate", "T3"), ("x", 3, None, None)]  # fmt: skip
    edit.set_evidence(tables, "a", "y", {}, [])
    assert [(r["option"], r["criterion"]) for r in tables["scores"]] == [("a", "x"), ("b", "x")]
    edit.set_value(tables, "c", "x", "9")
    assert edit.grid(tables) == {("a", "x"): "5", ("b", "x"): 3, ("c", "x"): "9"}

"""One table model for every report format, and the report defects of issue 11.

Each test here failed before the report package drew every format from the same tables: the
PDF's weights table had no scale column, a VIKOR report filled "normalised value" with raw
values, a failing robustness verdict left nothing but an empty list, French reports had English
sheet names, and French numbers used two different thousands separators.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
from report_helpers import (
    EPOCH,
    MINI,
    make_report,
    pdf_text,
    xlsx_book,
    xlsx_texts,
)

import workbench.methods as methods
import workbench.robustness as robustness
from workbench.charts.common import locale_config
from workbench.errors import WorkbenchError
from workbench.evaluate import evaluate
from workbench.files.formulas import neutralise_formula
from workbench.i18n import catalog, fmt_number, fmt_percent
from workbench.methods import Method
from workbench.report import build_report, render
from workbench.report.document import Kind, Table
from workbench.report.formatting import cell_text
from workbench.report.safety import md_text, md_url
from workbench.report.xlsx import sheet_name
from workbench.study import load_study

NNBSP = "\u202f"  # narrow no-break space: French thousands separator everywhere


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="module")
def mini_study():
    return load_study(MINI)


def flat(text: str) -> str:
    """Text with every run of whitespace as one space (PDF extraction breaks lines anywhere)."""
    return " ".join(text.split())


def tables(report) -> list[Table]:
    return [table for chapter in report.document.chapters for table in chapter.tables()]


# --------------------------------------------------------------------------- one table model


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_format_shows_every_column_of_every_table(mini_study, lang):
    report = make_report(mini_study, lang, robustness_samples=200, charts=False)
    md = render(report, "md").decode()
    page = html.unescape(render(report, "html").decode())
    pdf = flat(pdf_text(render(report, "pdf")))
    sheets = xlsx_texts(render(report, "xlsx"))
    for table in tables(report):
        for column in table.columns:
            if not column.data_only:  # the reading formats leave identifiers and costs-by-rank out
                assert md_text(column.header) in md and column.header in page, column.header
                assert flat(column.header) in pdf, column.header
            assert column.header in sheets, column.header
    ranking = next(t for t in tables(report) if t.columns[0].kind is Kind.INT)
    header = next(csv.reader(io.StringIO(render(report, "csv").decode())))
    assert header == [c.header for c in ranking.columns]


def test_the_pdf_weights_table_has_the_scale_column(mini_study):
    report = make_report(mini_study, "fr", charts=False)
    text = flat(pdf_text(render(report, "pdf")))
    weights = text[text.index("Pondération des critères") :]
    assert "Échelle" in weights and "0–10 points" in weights and "0 = abroad / 1 = canada / 2 = quebec" in weights


def test_a_table_is_built_once_and_numbers_stay_numbers(mini_study):
    report = make_report(mini_study, "fr", charts=False)
    weights = next(t for t in tables(report) if t.columns[1].header == "Critère")
    assert [c.kind for c in weights.columns] == [Kind.TEXT, Kind.TEXT, Kind.NUMBER, Kind.SHARE, Kind.SHARE,
                                                 Kind.TEXT, Kind.TEXT, Kind.TEXT]  # fmt: skip
    exposure = next(r for r in weights.rows if r.cells[0] == "exposure")
    assert exposure.cells[2:5] == (3.0, 0.75, 0.5) and exposure.cells[6] == "0–10 points"
    ranking = next(t for t in tables(report) if t.columns[0].kind is Kind.INT)
    assert [r.muted for r in ranking.rows] == [False, False, True]  # Bêta fails a must-have


# --------------------------------------------------------------------------- what the method read


@pytest.mark.parametrize("method", ["vikor", "promethee-ii"])
def test_a_method_without_normalisation_shows_and_labels_raw_values(mini_study, method):
    for lang, header in (("en", "Raw value (read as is by the method)"),
                         ("fr", "Valeur brute (lue telle quelle par la méthode)")):  # fmt: skip
        report = make_report(mini_study, lang, method=method, charts=False)
        assert report.normalization is None
        book = xlsx_book(render(report, "xlsx"))
        sheet = book.worksheets[[c.id for c in report.document.chapters if c.textual()].index("matrix")]
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        head = next(r for r in rows if header in r)
        assert not any("normalis" in str(h).lower() for h in head)
        col = head.index(header)
        body = rows[rows.index(head) + 1 :]
        assert [r[col] for r in body] == [8, 2, 5, 2, 1, 1, 60, 20, 40]  # the raw matrix, leaf by leaf
        assert md_text(header) in render(report, "md").decode()
        assert all(cell["normalized"] is None for cell in json.loads(render(report, "json"))["matrix"])


def test_a_normalising_method_shows_and_labels_its_normalised_values(mini_study):
    report = make_report(mini_study, "en", method="topsis", charts=False)
    assert report.normalization == "vector"
    evaluation = evaluate(mini_study, "topsis")
    book = xlsx_book(render(report, "xlsx"))
    rows = [[c.value for c in row] for row in book["Matrix"].iter_rows()]
    head = next(r for r in rows if "Normalised value (Vector)" in r)
    col = head.index("Normalised value (Vector)")
    alpha_cost = next(r for r in rows if r[0] == "Cost" and r[1] == "Alpha")
    assert alpha_cost[col] == pytest.approx(float(evaluation.normalized[0, 2]))
    assert "| Normalised value (Vector) |" in render(report, "md").decode()


# --------------------------------------------------------------------------- robustness failures


def test_a_verdict_that_cannot_be_worded_is_said_in_every_format(mini_study, monkeypatch):
    def fail(*args, **kwargs):
        raise ValueError("no leader among the draws")

    monkeypatch.setattr(robustness, "verdict", fail)
    report = make_report(mini_study, "en", robustness_samples=200, charts=False)
    sentence = "The robustness verdict could not be worded (no leader among the draws); the shares below still hold."
    assert report.robustness.error == sentence and report.robustness.verdict == []
    assert report.robustness.acceptability  # the shares are still shown
    assert sentence in render(report, "md").decode()
    assert sentence in html.unescape(render(report, "html").decode())
    assert sentence in flat(pdf_text(render(report, "pdf")))
    assert "⚑ " + sentence in xlsx_texts(render(report, "xlsx"))
    assert json.loads(render(report, "json"))["robustness"]["error"] == sentence


def test_an_analysis_that_cannot_run_is_said_instead_of_its_tables(mini_study):
    evaluation = evaluate(mini_study, lang="fr")
    failure = WorkbenchError("the weighted product needs every score above 0")
    report = build_report(mini_study, evaluation, lang="fr", robustness=failure, charts=False)
    text = render(report, "md").decode()
    assert "⚑ L'analyse de robustesse n'a pas pu être faite : the weighted product needs every score above 0" in text
    assert "## Robustesse" in text and "Acceptabilité des rangs" not in text


# --------------------------------------------------------------------------- localised sheets


def test_xlsx_sheet_names_follow_the_report_language(mini_study):
    names = {
        lang: xlsx_book(render(make_report(mini_study, lang, charts=False), "xlsx")).sheetnames for lang in ("fr", "en")
    }
    assert names["fr"] == ["Synthèse", "Méthode", "Pondération", "Classement", "Matrice", "Qualité des preuves",
                           "Coûts", "Inversions de rang", "Hypothèses", "Références", "Provenance"]  # fmt: skip
    assert names["en"][0] == "Summary" and not set(names["fr"]) & {"Summary", "Ranking", "Weights", "Costs"}
    for key, texts in catalog().items():
        if key.startswith("report.sheet."):
            for text in texts.values():
                assert sheet_name(text, set()) == text, key  # already valid: ≤ 31 characters, no []:*?/\


def test_sheet_names_are_made_valid_and_unique():
    taken: set[str] = set()
    first = sheet_name("Coûts: [P10/P90] * ? \\ " + "x" * 40, taken)
    second = sheet_name("Coûts: [P10/P90] * ? \\ " + "x" * 40, taken)
    for name in (first, second):
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    assert first != second and second.endswith(" 2")


# --------------------------------------------------------------------------- one thousands separator


def test_french_numbers_use_one_thousands_separator_everywhere():
    assert fmt_number(1234567.5, "fr", 1) == f"1{NNBSP}234{NNBSP}567,5"
    assert fmt_percent(12.345, "fr", 1) == f"1{NNBSP}234,5\u00a0%"
    assert locale_config("fr")["thousands"] == NNBSP  # the charts' Vega locale
    assert cell_text(1234.5, Kind.MONEY, "fr") == f"1{NNBSP}234,5"
    assert md_text(f"1{NNBSP}234,5\u00a0%") == f"1{NNBSP}234,5\u00a0%"  # Markdown keeps no-break spaces
    assert (fmt_number(1234.5, "en", 1), fmt_percent(0.125, "en", 1)) == ("1,234.5", "12.5%")


def test_the_app_fast_formatter_agrees_with_fmt_number():
    from ui.widgets import fast_number

    for value in (0.0, 0.125, 999.9995, 1234.5, -98765.4321, 12345678.0):
        for lang in ("fr", "en"):
            assert fast_number(value, lang, 3) == fmt_number(value, lang, 3), (value, lang)


# --------------------------------------------------------------------------- one place each


def test_every_spreadsheet_writer_uses_the_one_formula_rule(monkeypatch):
    from workbench.report import safety
    from workbench.workshop import export

    assert [neutralise_formula(x) for x in ("=1", "+1", "-1", "@a", "\tx", "\rx", "a=1", 3)] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "a=1", 3,
    ]  # fmt: skip
    assert export.neutralise_formula is neutralise_formula and safety.neutralise_formula is neutralise_formula
    assert not hasattr(export, "safe_cell") and not hasattr(export, "FORMULA_PREFIXES")


def test_the_evaluate_command_csv_is_neutralised(capsys):
    from workbench.cli import main

    hostile = MINI.parent.parent / "hostile"
    assert main(["evaluate", "--criteria", str(hostile / "criteria.yaml"), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    names = [r[2] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in names
    assert not [n for n in names if n.startswith(("=", "+", "-", "@"))]


def test_the_app_escapes_markdown_with_the_engine_function():
    from ui import widgets

    text = "a*b <b>x</b> [l](javascript:x) $1$ :red[y] # z"
    assert widgets.md_escape(text) == md_text(text, streamlit=True)
    assert md_text(text, streamlit=True) == r"a\*b &lt;b&gt;x&lt;/b&gt; \[l\](javascript\:x) \$1\$ \:red\[y\] \# z"
    # In files, backslash escapes: the raw text reads as typed ("Q&A", not "Q&amp;A").
    assert md_text(text) == r"a\*b \<b>x\</b> \[l\](javascript:x) $1$ :red\[y\] \# z"
    assert (
        widgets.safe_url("javascript:alert(1)") is None and widgets.safe_url(" https://a.org/x ") == "https://a.org/x"
    )


def test_markdown_urls_are_encoded_by_one_function():
    assert md_url('https://e.org/a b(c)<d>"é?x=1&y=[2]#f') == "https://e.org/a%20b%28c%29%3Cd%3E%22%C3%A9?x=1&y=[2]#f"
    assert md_url("https://example.org") == "https://example.org"


# --------------------------------------------------------------------------- methods from the registry


def test_a_registered_method_is_titled_from_the_registry_in_every_format(mini_study, monkeypatch):
    """A method the report code has never heard of, with a label full of markup and no
    explanation: its label shows, escaped, in every format, with the generic explanation."""
    label = {"en": "Best <b>one</b> | *x*", "fr": "Meilleur <b>un</b> | *x*"}
    extra = Method(name="zz-best", label=label, default_normalization="scale", higher_is_better=True,
                   scores=lambda r, w: (w[:, None, :] * r[None, :, :]).max(axis=2))  # fmt: skip
    registry = {**methods.registry(), extra.name: extra}
    monkeypatch.setattr(methods, "registry", lambda: registry)
    report = build_report(mini_study, evaluate(mini_study, "zz-best", lang="fr"), lang="fr", charts=False)
    assert report.method == "zz-best" and report.method_name == label["fr"]
    assert report.method_explanation.startswith("Le module de cette méthode n'en donne pas")
    assert md_text(label["fr"]) in render(report, "md").decode()
    page = render(report, "html").decode()
    assert "Meilleur &lt;b&gt;un&lt;/b&gt; | *x*" in page and "<b>un</b>" not in page
    assert label["fr"] in flat(pdf_text(render(report, "pdf")))
    assert any(label["fr"] in text for text in xlsx_texts(render(report, "xlsx")))
    assert json.loads(render(report, "json"))["method_name"] == label["fr"]

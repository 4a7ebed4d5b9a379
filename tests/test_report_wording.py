"""Report wording (issue 12) and charts converted once per content (issue 17).

The header said "weights of the published study" whatever was changed; Markdown showed `Q&amp;A`
and "1 points"; HTML table headers broke mid-word; under TOPSIS the score chart was captioned
"weighted contributions"; the PDF converted the charts again after the HTML had.
"""

from __future__ import annotations

import pytest
import yaml
from report_helpers import EPOCH, HOSTILE, HOSTILE_SCENARIO, MINI, copy_study, html_sections, make_report, md_chapters

from workbench.report import render
from workbench.report.chart_images import clear_cache
from workbench.study import load_study


@pytest.fixture(autouse=True)
def source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="module")
def mini_study():
    return load_study(MINI)


def header(report) -> dict[str, str]:
    return dict(report.document.header.items)


def test_the_header_says_what_changed_from_the_published_study(mini_study):
    published = header(make_report(mini_study, "en", charts=False, audits=False))
    assert published["Scenario"] == "(weights of the published study)"
    assert published["Compared with the published study"] == "no change: the published weights, method and scores"
    changed = header(make_report(mini_study, "en", method="topsis", weights={"cost": 3}, charts=False, audits=False))
    assert changed["Scenario"] == "(untitled)"
    assert changed["Compared with the published study"] == (
        "changed: weight of 1 criterion; method TOPSIS instead of Weighted sum"
    )
    fr = header(make_report(mini_study, "fr", weights={"cost": 3, "legal": 1}, charts=False, audits=False))
    assert fr["Par rapport à l'étude publiée"] == "modifiée : poids de 2 critères"


def test_the_header_names_overrides_and_the_scenario_title():
    study = load_study(HOSTILE, scenario=HOSTILE_SCENARIO)
    facts = header(make_report(study, "en", charts=False, audits=False))
    assert facts["Scenario"].startswith('=WEBSERVICE("http://evil.example")')
    assert facts["Compared with the published study"] == "changed: weight of 1 criterion; 1 score replaced (what-if)"
    md = render(make_report(study, "en", charts=False, audits=False), "md").decode()
    assert "**Compared with the published study**: changed: weight of 1 criterion; 1 score replaced (what-if)" in md


def test_markdown_reads_as_typed_and_counts_in_the_right_number(tmp_path):
    criteria = copy_study(MINI, tmp_path / "study")
    data = yaml.safe_load(criteria.read_text(encoding="utf-8"))
    data["name"] = {"en": "Q&A <tools>", "fr": "Q&R <outils>"}
    criteria.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    gamma = tmp_path / "study/providers/gamma.yaml"
    gamma.write_text(gamma.read_text(encoding="utf-8").replace("exposure: 5", "exposure: 1"), encoding="utf-8")
    beta = tmp_path / "study/providers/beta.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("value: 2, confidence: low, range: [1, 4]",
                                                             "value: 0, confidence: low, range: [0, 4]"), "utf-8")  # fmt: skip
    study = load_study(criteria)
    assert study.problems == []
    en = render(make_report(study, "en", charts=False, audits=False), "md").decode()
    assert en.startswith("# Q&A \\<tools>\n") and "&amp;" not in en
    exposure = md_chapters(en.encode())["Score matrix and rationales"].split("### Exposure")[1]
    assert "| Gamma | 1 point |" in exposure and "| Beta | 0 points |" in exposure
    fr = render(make_report(study, "fr", charts=False, audits=False), "md").decode()
    assert fr.startswith("# Q&R \\<outils>\n")
    exposure = md_chapters(fr.encode())["Matrice des scores et justifications"].split("### Exposition")[1]
    assert "| Gamma | 1 point |" in exposure and "| Bêta | 0 point |" in exposure  # French: singular below 2


def test_html_headers_break_between_words_only(mini_study):
    page = render(make_report(mini_study, "fr", charts=False, audits=False), "html").decode()
    css = page.split("<style>")[1].split("</style>")[0]
    rules = dict(rule.split("{", 1) for rule in css.replace("\n", "").split("}") if "{" in rule)
    cells = rules["th,td"]
    assert "overflow-wrap:break-word" in cells and "word-break:normal" in cells and "hyphens:auto" in cells
    assert "overflow-wrap:normal" in rules["th"]
    assert "anywhere" not in cells + rules["th"]  # `anywhere` let a table squeeze "Immunité" to "Immunit é"
    assert '<html lang="fr">' in page  # hyphenation follows the page's language


@pytest.mark.parametrize(
    "method,caption",
    [
        ("weighted-sum", "Weighted contributions by criterion"),
        ("topsis", "Score of each option (TOPSIS)"),
        ("vikor", "Score of each option (VIKOR)"),
    ],
)
def test_the_score_chart_is_captioned_by_what_it_shows(mini_study, method, caption):
    report = make_report(mini_study, "en", method=method, audits=False)
    figures = [b.caption for c in report.document.chapters if c.id == "charts" for b in c.blocks]
    assert figures[0] == caption
    charts = html_sections(render(report, "html"))["charts"]
    assert caption in charts and ("Weighted contributions" in charts) == (method == "weighted-sum")


def test_charts_are_converted_once_per_content(mini_study, monkeypatch):
    """HTML then PDF, then both again in the other language order: each chart becomes an SVG once
    and a PNG once (issue 17: the PDF used to convert the charts again)."""
    import vl_convert

    calls = {"svg": 0, "png": 0}
    to_svg, to_png = vl_convert.vegalite_to_svg, vl_convert.svg_to_png

    def count_svg(*args, **kwargs):
        calls["svg"] += 1
        return to_svg(*args, **kwargs)

    def count_png(*args, **kwargs):
        calls["png"] += 1
        return to_png(*args, **kwargs)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", count_svg)
    monkeypatch.setattr(vl_convert, "svg_to_png", count_png)
    clear_cache()
    report = make_report(mini_study, "en", audits=False)
    for fmt in ("html", "pdf", "html", "pdf"):
        render(report, fmt)
    again = make_report(mini_study, "en", audits=False)  # a new report of the same content
    render(again, "pdf")
    assert calls == {"svg": 2, "png": 2}
    clear_cache()


COST_SETTINGS = {"horizon": 10, "discount_rate": 0.035, "currency": "CAD", "fx": {"EUR": 1.45}, "seats": 12000}
SETTING_LINES = {
    "fr": ("Paramètre de coût du scénario — ", ["Horizon\u00a0: 10 ans", "Taux d'actualisation\u00a0: 3,5\u00a0%",
           "Devise\u00a0: CAD", "Taux de change\u00a0: 1 EUR = 1,45 CAD", "Nombre de postes\u00a0: 12\u202f000"]),
    "en": ("Cost setting from the scenario — ", ["Horizon: 10 years", "Discount rate: 3.5%", "Currency: CAD",
           "Exchange rates: 1 EUR = 1.45 CAD", "Seats: 12,000"]),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_cost_settings_are_said_in_words_in_the_assumptions(lang):
    """A scenario's cost settings in the assumptions: a translated label and the value in the
    language's format (years, a percentage, thousands separators), never "horizon = 10"."""
    from workbench.model import Scenario

    study = load_study(MINI, scenario=Scenario(cost_settings=dict(COST_SETTINGS)))
    report = make_report(study, lang=lang)
    prefix, lines = SETTING_LINES[lang]
    markdown = render(report, "md").decode("utf-8")
    html = render(report, "html").decode("utf-8")
    for line in lines:
        assert f"- ⚑ {prefix}{line}\n" in markdown
        assert f'<li><span class="flag">⚑</span> {prefix}{line.replace(chr(39), "&#39;")}</li>' in html
    prose = markdown.split("~~~~yaml")[0]  # the embedded scenario file keeps its own keys
    assert "horizon =" not in prose and "discount_rate" not in prose and "discount_rate" not in html.split("<pre>")[0]
    changed = {"fr": "paramètres de coût (horizon, taux d'actualisation, devise, taux de change, nombre de postes)",
               "en": "cost settings (horizon, discount rate, currency, exchange rates, seats)"}[lang]  # fmt: skip
    assert any(changed in value for value in header(report).values())
    # One year is singular.
    one = make_report(load_study(MINI, scenario=Scenario(cost_settings={"horizon": 1})), lang=lang)
    assert {"fr": "Horizon\u00a0: 1 an\n", "en": "Horizon: 1 year\n"}[lang] in render(one, "md").decode("utf-8")

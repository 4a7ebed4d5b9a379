"""Reports that never mislead or fail (issue 16): a profile that cannot be read is named in every
format and stops the CLI unless --allow-broken; long texts never break the PDF; a label saying
"javascript:" no longer drops every chart, and a chart left out is said."""

from __future__ import annotations

import json

import pytest
import yaml
from report_helpers import (
    EPOCH,
    MINI,
    copy_study,
    csv_blocks,
    html_sections,
    make_report,
    pdf_text,
    write_study,
    xlsx_book,
)

from workbench.cli import main
from workbench.report import FORMATS, render
from workbench.report.chart_images import clear_cache, is_inert_svg
from workbench.study import load_study

WORDS = "lorem ipsum dolor sit amet consectetur "
END = "END-OF-THE-TEXT"


@pytest.fixture(autouse=True)
def source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def long_text(n: int) -> str:
    return (WORDS * (n // len(WORDS) + 1))[: n - len(END) - 1] + " " + END


def squeezed(text: str) -> str:
    return "".join(text.split())


# --------------------------------------------------------------------------- a broken profile


@pytest.fixture
def broken(tmp_path):
    criteria = copy_study(MINI, tmp_path / "study")
    (tmp_path / "study/providers/beta.yaml").write_text("id: beta\nname: Bêta\nscores: {exposure: [2\n", "utf-8")
    return criteria


def test_the_cli_refuses_a_report_missing_an_option(broken, tmp_path, capsys):
    out = tmp_path / "r.md"
    line = load_study(broken).problems[0].line  # where the YAML parser gave up
    assert main(["report", "--criteria", str(broken), "--format", "md", "--out", str(out), "--no-charts"]) == 2
    err = capsys.readouterr().err
    assert f"beta.yaml:{line}: YAML syntax error" in err and "--allow-broken" in err and "no report was written" in err
    assert not out.exists()


def test_with_allow_broken_every_format_names_the_file_and_line(broken, tmp_path, capsys):
    outputs = {}
    for fmt in FORMATS:
        out = tmp_path / f"r.{fmt}"
        args = ["report", "--criteria", str(broken), "--format", fmt, "--out", str(out), "--lang", "en",
                "--no-charts", "--robustness-samples", "0", "--allow-broken"]  # fmt: skip
        assert main(args) == 0, capsys.readouterr().err
        outputs[fmt] = out.read_bytes()
    sentence = "1 profile file could not be read: the option it describes is missing from this report"
    line = load_study(broken).problems[0].line
    md = outputs["md"].decode()
    first = md.split("\n## ")[1]
    assert first.startswith("Unreadable profiles: options missing from this report")
    assert f"⚑ {sentence}" in first and f"beta.yaml` | {line} |  | YAML syntax error" in first
    assert f"**⚑ Warning**: {sentence}" in md.split("\n## ")[0]  # in the header, under the title
    page = html_sections(outputs["html"])
    assert list(page)[0] == "problems" and f"beta.yaml {line}" in page["problems"] and sentence in page["summary"]
    pdf = " ".join(pdf_text(outputs["pdf"]).split())
    assert sentence in pdf and "providers/beta.yaml" in squeezed(pdf)  # a long path wraps in its cell
    book = xlsx_book(outputs["xlsx"])
    assert book.sheetnames[:2] == ["Unreadable profiles", "Summary"]
    rows = [r for r in book["Unreadable profiles"].iter_rows(values_only=True)]
    assert (
        rows[0][0] == f"⚑ {sentence}, its ranking and its charts."
        and rows[2][0].endswith("beta.yaml")
        and rows[2][1] == line
    )
    blocks = csv_blocks(outputs["csv"])
    assert blocks[0][:2] == [
        ["Unreadable profiles: options missing from this report"],
        [f"{sentence}, its ranking and its charts."],
    ]
    assert blocks[0][3][0].endswith("providers/beta.yaml") and blocks[0][3][1] == str(line)
    assert [r[1] for r in blocks[1][1:]] == ["alpha", "gamma"]  # then the ranking, without beta
    problems = json.loads(outputs["json"])["load_problems"]
    assert len(problems) == 1 and problems[0]["file"].endswith("providers/beta.yaml") and problems[0]["line"] == line


# --------------------------------------------------------------------------- long texts in the PDF


def _variant(tmp_path, case: str, text: str):
    criteria = copy_study(MINI, tmp_path / case)
    data = yaml.safe_load(criteria.read_text(encoding="utf-8"))
    scenario = None
    if case == "criterion":
        data["criteria"][0]["criteria"][0]["name"] = text
    elif case == "set":
        data["name"] = text
    elif case == "rationale":
        alpha = tmp_path / case / "providers/alpha.yaml"
        profile = yaml.safe_load(alpha.read_text(encoding="utf-8"))
        profile["scores"]["exposure"]["rationale"] = text
        alpha.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    else:
        spec = {"title": text if case == "title" else "t",
                "overrides": [{"provider": "alpha", "criterion": "exposure", "value": 7, "note": text}]}  # fmt: skip
        scenario = tmp_path / case / "scenario.yaml"
        scenario.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    criteria.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return criteria, scenario


@pytest.mark.parametrize(
    "case,length", [("criterion", 1700), ("rationale", 2700), ("set", 3000), ("note", 5000), ("title", 20000)]
)
def test_long_texts_wrap_across_pages_or_are_cut_with_a_note(case, length, tmp_path, capsys):
    text = long_text(length)
    criteria, scenario = _variant(tmp_path, case, text)
    out = tmp_path / "r.pdf"
    args = ["report", "--criteria", str(criteria), "--format", "pdf", "--out", str(out), "--lang", "en",
            "--no-charts", "--robustness-samples", "0"] + (["--scenario", str(scenario)] if scenario else [])  # fmt: skip
    assert main(args) == 0, capsys.readouterr().err  # reportlab raised LayoutError here
    pdf = squeezed(pdf_text(out.read_bytes()))
    if length <= 6000:  # the whole text, wrapped over as many lines and pages as it needs (table
        # cells side by side interleave their lines in the extracted text, so words are counted)
        assert END in pdf and pdf.count("loremipsum") >= text.count("lorem ipsum")
    else:  # the title: cut, with a note saying where the rest is
        assert squeezed(text[:200]) in pdf
        assert squeezed("[… 19,700 more characters left out of the PDF: the whole text is in the HTML") in pdf
    md = render(make_report(load_study(criteria, scenario=scenario), "en", charts=False, audits=False), "md")
    assert text in md.decode()  # the other formats keep the full text


# --------------------------------------------------------------------------- charts and hostile labels


def test_a_label_saying_javascript_keeps_every_chart(tmp_path):
    criteria = copy_study(MINI, tmp_path / "study")
    for option, name in (("alpha", "Learn javascript: a guide"), ("gamma", "Gamma onclick=alert(1)")):
        path = tmp_path / "study/providers" / f"{option}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(f"name: {option.title()}", f"name: '{name}'"), "utf-8")
    clear_cache()
    report = make_report(load_study(criteria), "en", audits=False)
    assert sorted(report.charts) == ["contributions", "heatmap"]
    page = render(report, "html").decode()
    assert page.count("<svg") == 2 and "chart left out" not in page
    assert "Learn javascript: a guide" in page.split("<figure")[1]  # the label, as text of the chart
    assert " onclick=" not in page.replace("Gamma onclick=alert(1)", "")  # only as text, never as an attribute


def test_svg_markup_that_could_run_or_load_is_refused():
    text = '<svg xmlns="http://www.w3.org/2000/svg"><text>Learn javascript: a guide onclick=x</text></svg>'
    assert is_inert_svg(text)
    for bad in ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><use x:href="http://e.org/a#b"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://e.org/p.svg#g)"/></svg>',
                '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "<svg"):  # fmt: skip
        assert not is_inert_svg(bad), bad


def test_a_chart_left_out_is_said(monkeypatch):
    import workbench.report.chart_images as images

    clear_cache()
    monkeypatch.setattr(images, "is_inert_svg", lambda svg: False)
    report = make_report(load_study(MINI), "en", audits=False)
    sentence = "chart left out (it could not be drawn safely); the tables give the same figures."
    charts = html_sections(render(report, "html"))["charts"]
    assert charts.count(sentence) == 2 and "<svg" not in render(report, "html").decode()
    assert " ".join(pdf_text(render(report, "pdf")).split()).count(sentence) == 2
    clear_cache()


def test_a_table_too_wide_for_the_page_is_cut_into_column_groups(tmp_path):
    """Rank acceptability for 40 options: 41 columns. The PDF squeezed them to 12 points each (the
    percentages overflowed; from about 80 options, narrower than their padding: reportlab's
    negative availWidth); now groups of columns, each with the option's name."""
    scores = {f"o{i:02d}": {"first": (i * 7) % 11, "second": (i * 3) % 11} for i in range(40)}
    criteria = write_study(tmp_path, scores, {k: f"Option {k}" for k in scores})
    report = make_report(load_study(criteria), "en", robustness_samples=300, charts=False, audits=False)
    text = " ".join(pdf_text(render(report, "pdf")).split())
    acceptability = text[text.index("Rank acceptability") : text.index("Flip thresholds")]
    assert acceptability.count("Rank 1 ") == 1 and "Rank 40" in acceptability
    assert acceptability.count("Option o03") == 6  # 40 ranks, 7 a group: the name in each of 6 groups

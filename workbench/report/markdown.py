"""Markdown renderer (CommonMark/GFM): the report's document as text.

Every user text goes through `safety.md_text` (no link, image or raw HTML can come from a
profile); reference links are written only for http(s) URLs (`safety.md_url`). Charts are left
to HTML and PDF.
"""

from __future__ import annotations

from .document import Block, Bullets, Code, Command, Facts, Figure, Heading, Kind, Label, Paragraph, SourceList, Table
from .formatting import cell_text, colon
from .safety import md_text as m
from .safety import md_url, one_line, safe_url
from .sections import Report

CODE_FENCE = "~~~~"


def render_markdown(report: Report) -> str:
    """The report as CommonMark/GFM text."""
    doc = report.document
    lang = report.lang
    out: list[str] = [f"# {m(doc.title)}", "", *_facts(doc.header, lang)]
    fence = _fence(report)
    for chapter in doc.chapters:
        if not chapter.textual():
            continue
        out += [f"## {m(chapter.title)}", ""]
        for block in chapter.blocks:
            out += _block(block, report, fence)
    out += ["---", "", m(doc.footer), ""]
    return "\n".join(out)


def _fence(report: Report) -> str:
    """A code fence longer than any run of tildes in the embedded scenario."""
    fence = CODE_FENCE
    while fence in report.scenario_yaml:
        fence += "~"
    return fence


def _block(block: Block, report: Report, fence: str) -> list[str]:
    lang = report.lang
    if isinstance(block, Paragraph):
        return [_paragraph(block), ""]
    if isinstance(block, Heading):
        return [f"### {m(block.text)}", ""]
    if isinstance(block, Table):
        return _table(block, lang)
    if isinstance(block, Facts):
        return _facts(block, lang)
    if isinstance(block, Bullets):
        return [*(f"- ⚑ {m(item)}" for item in block.items), ""]
    if isinstance(block, Command):
        return [fence, block.line("md"), fence, ""]
    if isinstance(block, Code):
        return [fence + block.lang, block.text.rstrip("\n"), fence, ""]
    if isinstance(block, SourceList):
        return _references(report)
    if isinstance(block, Figure):
        return []
    raise TypeError(f"no Markdown for {type(block).__name__}")


def _paragraph(p: Paragraph) -> str:
    if p.lead:
        return f"**{m(p.lead)}**{p.sep}{m(p.text)}"
    if p.style == "strong":
        return f"**{m(p.text)}**"
    if p.style == "flag":
        return f"⚑ {m(p.text)}"
    return m(p.text)


def _facts(facts: Facts, lang: str) -> list[str]:
    return [*(f"- **{m(label)}**{colon(lang)}{m(value)}" for label, value in facts.items), ""]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(table: Table, lang: str) -> list[str]:
    out = []
    if table.title:
        out += [f"### {m(table.title)}", ""]
    if table.caption:
        out += [f"*{m(table.caption)}*" + (f" — {m(table.note)}" if table.note else ""), ""]
    shown = table.shown(data=False)
    header = [m(table.columns[i].header) for i in shown]
    align = ["---:" if table.columns[i].numeric else "---" for i in shown]
    rows = [[_cell(row.cells[i], table.columns[i].kind, lang) for i in shown] for row in table.rows]
    return [*out, _row(header), _row(align), *(_row(r) for r in rows), ""]


def _cell(value: object, kind: Kind, lang: str) -> str:
    if kind is Kind.REFS:
        return "; ".join(f"\\[{c.number}\\] {m(c.brief)}".strip() for c in value or ())
    if kind is Kind.CODE:
        return f"`{one_line(value).replace('`', '')}`"
    text = m(cell_text(value, kind, lang))
    if isinstance(value, Label):
        text = ("\u2003" * value.depth) + (f"**{text}**" if value.strong else text)
        text += "".join(f" ⚑ {m(flag)}" for flag in value.flags)
    return text


def _references(report: Report) -> list[str]:
    out = []
    for ref in report.references:
        url = safe_url(ref.url)
        link = f" — <{md_url(url)}>" if url else ""
        out.append(f"{ref.number}\\. {m(ref.text or ref.title)}{link}  ")
    return [*(out or ["—"]), ""]

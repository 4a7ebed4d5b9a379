"""HTML renderer: one self-contained, printable file with no script and no outside request.

The page is drawn by Jinja2 templates (templates/report.html.j2 and the block macros of
templates/blocks.html.j2) with autoescaping on, so every text of the report is escaped by the
template engine; the only markup passed in is each chart's SVG from vl-convert, after
`chart_images.chart_svg` has checked it holds nothing scriptable. User names sit in `<bdi>` so
a right-to-left name cannot reorder the text around it; links are written only for http(s)
URLs. A Content-Security-Policy meta tag forbids scripts and any load from the network, as a
second line of defence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..i18n import t
from . import document as d
from .chart_images import chart_svg
from .formatting import cell_text
from .safety import clean_text, safe_url
from .sections import Report, SourceRef

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
TREE_INDENT = "\u00a0" * 4  # per level of the weights tree

# Block kinds the templates test for (`item is paragraph`).
BLOCK_TESTS = {
    "paragraph": d.Paragraph,
    "heading": d.Heading,
    "table": d.Table,
    "facts": d.Facts,
    "bullets": d.Bullets,
    "command": d.Command,
    "code": d.Code,
    "figure": d.Figure,
    "sources": d.SourceList,
    "label": d.Label,
}


@dataclass(frozen=True)
class _Context:
    """What the block macros need besides the block: the language, the reference list and the
    charts' SVG."""

    lang: str
    references: list[SourceRef]
    svgs: dict[str, Markup | None]
    indent: str = TREE_INDENT

    def text(self, value: object, kind: d.Kind) -> str:
        return cell_text(value, kind, self.lang)

    def left_out(self, caption: str) -> str:
        """The sentence standing for a chart that could not be drawn safely."""
        return t("report.chart.left_out", self.lang, caption=caption)


def _is(cls: type) -> Callable[[object], bool]:
    return lambda value: isinstance(value, cls)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The templates of this package, autoescaped, with the filters and tests they use."""
    env = Environment(
        loader=PackageLoader("workbench.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.tests.update({name: _is(cls) for name, cls in BLOCK_TESTS.items()})
    env.filters["safe_url"] = safe_url
    env.finalize = _finalize
    return env


def _finalize(value: object) -> object:
    """Every printed text cleaned of control characters before escaping (XML forbids most)."""
    return clean_text(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def render_html(report: Report) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    env = environment()
    lang = report.lang
    svgs = {
        name: (Markup(svg) if (svg := chart_svg(spec, f"chart-{name}")) is not None else None)
        for name, spec in report.charts.items()
    }
    ctx = _Context(lang, report.references, svgs)
    template = env.get_template("report.html.j2")
    return template.render(
        doc=report.document, lang=lang, csp=CSP, contents=t("report.section.contents", lang), ctx=ctx
    )

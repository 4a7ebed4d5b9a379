"""Publishable reports: one model (`model.build_report`), one renderer per format.

`render(report, fmt)` returns the bytes of a format: html, pdf, xlsx, md, csv or json.
"""

from __future__ import annotations

from collections.abc import Callable

from .model import Report, build_report

FORMATS = ("html", "pdf", "xlsx", "md", "csv", "json")
MIME_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
EXTENSIONS = {f: f for f in FORMATS}


def _renderer(fmt: str) -> Callable[[Report], str | bytes]:
    # Imported lazily: reportlab and xlsxwriter are only loaded for the format asked for.
    if fmt == "html":
        from .html import render_html

        return render_html
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown
    if fmt == "csv":
        from .tabular import render_csv

        return render_csv
    if fmt == "json":
        from .tabular import render_json

        return render_json
    raise ValueError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def render(report: Report, fmt: str) -> bytes:
    """The report in format `fmt` as bytes (text formats in UTF-8)."""
    out = _renderer(fmt)(report)
    return out.encode("utf-8") if isinstance(out, str) else out


def needs_charts(fmt: str) -> bool:
    return fmt in ("html", "pdf")


__all__ = ["FORMATS", "MIME_TYPES", "EXTENSIONS", "Report", "build_report", "render", "needs_charts"]

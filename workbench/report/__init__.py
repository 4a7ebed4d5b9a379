"""Publishable reports: one model (`model.build_report`), one renderer per format.

`render(report, fmt)` returns the bytes of a format: html, pdf, xlsx, md, csv or json.
"""

from __future__ import annotations

import importlib
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


# Module and function of each format, imported lazily: reportlab and xlsxwriter load only when asked for.
_RENDERERS = {
    "html": ("html", "render_html"),
    "pdf": ("pdf", "render_pdf"),
    "xlsx": ("xlsx", "render_xlsx"),
    "md": ("markdown", "render_markdown"),
    "csv": ("tabular", "render_csv"),
    "json": ("tabular", "render_json"),
}


def _renderer(fmt: str) -> Callable[[Report], str | bytes]:
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    module, name = _RENDERERS[fmt]
    return getattr(importlib.import_module(f".{module}", __package__), name)


def render(report: Report, fmt: str) -> bytes:
    """The report in format `fmt` as bytes (text formats in UTF-8)."""
    out = _renderer(fmt)(report)
    return out.encode("utf-8") if isinstance(out, str) else out


def needs_charts(fmt: str) -> bool:
    return fmt in ("html", "pdf")


__all__ = ["FORMATS", "MIME_TYPES", "EXTENSIONS", "Report", "build_report", "render", "needs_charts"]

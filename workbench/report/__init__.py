"""Publishable reports: one model, one document layout, one renderer per format.

`build_report` (building.py) gathers the results its caller computed (`inputs.py` computes each
the same way for every caller) into typed sections (sections.py) and lays them out once as a
document of chapters, paragraphs and tables (contents.py, document.py); `render(report, fmt)`
returns the bytes of a format: html, pdf, xlsx, md, csv or json.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .building import COST_SAMPLES, COST_SEED, build_report
from .inputs import EvidenceInputs
from .provenance import effective_scenario
from .sections import Report

FORMATS = ("html", "pdf", "xlsx", "md", "csv", "json")
MIME_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}

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


__all__ = [
    "COST_SAMPLES",
    "COST_SEED",
    "EvidenceInputs",
    "FORMATS",
    "MIME_TYPES",
    "Report",
    "build_report",
    "effective_scenario",
    "needs_charts",
    "render",
]

"""Formatting shared by the renderers: locale numbers, flags, must-have texts, chart images."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..i18n import fmt_number, fmt_percent, t
from .model import Cell, RankRow, Report
from .safety import clean_text

SECTIONS = (
    "summary",
    "method",
    "weights",
    "ranking",
    "charts",
    "matrix",
    "costs",
    "robustness",
    "assumptions",
    "workshop",
    "references",
    "provenance",
)


def sections(report: Report) -> list[str]:
    """Section ids in reading order; optional ones only when they have content."""
    present = {
        "charts": bool(report.charts),
        "costs": report.costs is not None,
        "robustness": report.robustness is not None,
        "workshop": report.workshop is not None,
    }
    return [s for s in SECTIONS if present.get(s, True)]


def title_of(section: str, lang: str) -> str:
    return t(f"report.section.{section}", lang)


def score(value: float | None, lang: str) -> str:
    return "—" if value is None else fmt_number(value, lang, 3)


def share(value: float | None, lang: str) -> str:
    return "—" if value is None else fmt_percent(value, lang, 1)


def money(value: float | None, lang: str) -> str:
    return "—" if value is None else fmt_number(value, lang, 1)


def plain(value: float | None, lang: str) -> str:
    """A number with as few decimals as it needs (at most 2)."""
    if value is None:
        return "—"
    return fmt_number(value, lang, 0 if float(value).is_integer() else 2)


def yes_no(flag: bool, lang: str) -> str:
    # Not core's `yes`/`no`: unquoted, YAML 1.1 reads those keys as booleans, so t() misses them.
    return t("report.yes" if flag else "report.no", lang)


def confidence(level: str | None, lang: str) -> str:
    return t(f"confidence.{level}", lang) if level else "—"


def direction(value: str, lang: str) -> str:
    return t(f"report.direction.{value}", lang) if value else ""


def failures_text(row: RankRow, lang: str) -> str:
    return "; ".join(
        t("must_have.failure", lang, criterion=f.name, required=f.required, actual=plain(f.actual, lang))
        for f in row.failed
    )


def cell_flags(cell: Cell, lang: str) -> list[str]:
    out = []
    if cell.overridden:
        out.append(t("report.flag.overridden", lang) + (f" — {cell.note}" if cell.note else ""))
    if cell.missing:
        out.append(t("report.flag.missing", lang))
    if cell.disputed:
        out.append(t("report.flag.disputed", lang))
    if cell.range:
        out.append(t("report.flag.range", lang, low=plain(cell.range[0], lang), high=plain(cell.range[1], lang)))
    return out


def refs_text(numbers: Iterable[int]) -> str:
    return " ".join(f"[{n}]" for n in numbers)


def cost_intro(report: Report) -> str:
    costs = report.costs or {}
    return t(
        "report.costs.intro",
        report.lang,
        horizon=costs.get("horizon"),
        rate=share(costs.get("discount_rate"), report.lang),
        currency=costs.get("currency", ""),
    )


def cost_percentiles_note(report: Report) -> str:
    costs = report.costs or {}
    return t("report.costs.percentiles", report.lang, samples=costs.get("samples"), seed=costs.get("seed"))


def regenerate_command(report: Report, fmt: str) -> str:
    criteria = next((f.path for f in report.inputs if f.role == "criteria"), "CRITERIA.yaml")
    ext = {"md": "md"}.get(fmt, fmt)
    return (
        f"python -m workbench report --criteria {criteria} --scenario scenario.yaml "
        f"--format {fmt} --out report.{ext} --lang {report.lang}"
    )


def method_line(report: Report) -> str:
    norm = f" / {report.normalization_name}" if report.normalization else ""
    return f"{report.method_name}{norm}"


def colon(lang: str) -> str:
    """French typography puts a no-break space before the colon."""
    return "\u00a0: " if lang == "fr" else ": "


def norm_heading(report: Report) -> str:
    return t("report.label.normalization", report.lang) + colon(report.lang) + (report.normalization_name or "—")


def normalization_explanation(report: Report) -> str:
    return report.normalization_explanation or t("report.explain.norm.none", report.lang)


# --------------------------------------------------------------------------- robustness / workshop


def acceptability_rows(report: Report) -> tuple[int, list[tuple[str, list[float]]]]:
    """(number of ranks, [(provider name, share per rank)]) from the robustness summary."""
    rob = report.robustness or {}
    acc = rob.get("acceptability") or {}
    names = {p["id"]: p["name"] for p in report.providers}
    order = {r.id: k for k, r in enumerate(report.ranking)}  # same order as the ranking table
    ids = sorted(acc, key=lambda pid: (order.get(pid, len(order)), pid))
    rows = [(names.get(pid, str(pid)), [float(x) for x in acc[pid]]) for pid in ids]
    return max((len(s) for _, s in rows), default=0), rows


def threshold_rows(report: Report) -> list[tuple[str, str]]:
    """(criterion name, plain-words threshold) pairs from the robustness summary."""
    rob = report.robustness or {}
    names = {w.id: w.name for w in report.weights}
    return [
        (names.get(item["criterion"], item["criterion"]), item["text"]) for item in rob.get("flip_thresholds") or []
    ]


def workshop_items(report: Report) -> list[tuple[str, str]]:
    """Facts of the workshop summary as (label, text) pairs."""
    ws = report.workshop or {}
    return [(str(k), v if isinstance(v, str) else plain(v, report.lang)) for k, v in ws.get("facts", [])]


def workshop_table(report: Report) -> tuple[list[str], list[list]]:
    """(column headers after the criterion, rows [name, value...]) of the workshop weights."""
    ws = report.workshop or {}
    headers = [t(f"report.workshop.col.{k}", report.lang) for k in ws.get("columns", [])]
    return headers, ws.get("rows", [])


# --------------------------------------------------------------------------- charts

_ID_ATTR = re.compile(r'\bid="([^"]+)"')
_FORBIDDEN_SVG = re.compile(r"<\s*(script|foreignObject|iframe|object|embed)\b|\son[a-z]+\s*=|javascript:", re.I)


@lru_cache(maxsize=16)
def _raw_svg(spec_json: str) -> str | None:
    """vl-convert's SVG for a spec (cached: the Export page renders HTML and PDF from the same charts)."""
    try:
        import vl_convert

        return vl_convert.vegalite_to_svg(json.loads(spec_json))
    except Exception:  # noqa: BLE001 - any rendering failure only loses the picture, not the report
        return None


def _key(spec: dict) -> str:
    return json.dumps(_clean_spec(spec), sort_keys=True, ensure_ascii=False)


def _clean_spec(value: Any) -> Any:
    """Every string of a Vega-Lite spec without control characters.

    vl-convert 1.9 does not reject a control character in a label: its Rust text layer panics
    and aborts the whole process (seen with a provider named "bell\x07"), so names from profiles
    are cleaned before conversion.
    """
    if isinstance(value, str):
        return clean_text(value, keep_newlines=False)
    if isinstance(value, dict):
        return {_clean_spec(k): _clean_spec(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_spec(v) for v in value]
    return value


def chart_svg(spec: dict, prefix: str) -> str | None:
    """The chart as inline SVG (vl-convert, offline), ids prefixed so two charts never clash.

    vl-convert escapes text, but the output is still checked: anything scriptable drops the chart.
    """
    svg = _raw_svg(_key(spec))
    if svg is None:
        return None
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    # Vega numbers gradients and clips with a counter that lives as long as the process
    # ("gradient_0", then "gradient_1" for the next chart), so ids are renumbered in order of
    # appearance: the same chart gives the same bytes whatever was drawn before it.
    ids = list(dict.fromkeys(_ID_ATTR.findall(svg)))
    renamed = {old: f"{prefix}-{k}" for k, old in enumerate(ids)}
    if renamed:
        pattern = re.compile(r'(id="|url\(#|href="#)(' + "|".join(map(re.escape, ids)) + r')(?=[")])')
        svg = pattern.sub(lambda m: m.group(1) + renamed[m.group(2)], svg)
    if _FORBIDDEN_SVG.search(svg):
        return None
    return svg


def chart_png(spec: dict, scale: float = 2.0) -> bytes | None:
    """The chart as PNG, rasterised from the (cached) SVG."""
    svg = _raw_svg(_key(spec))
    if svg is None:
        return None
    try:
        import vl_convert

        return vl_convert.svg_to_png(svg, scale=scale)
    except Exception:  # noqa: BLE001 - see _raw_svg
        return None

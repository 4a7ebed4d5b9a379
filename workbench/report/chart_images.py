"""Charts as pictures: vl-convert's SVG for HTML (checked, ids made stable) and PNG for PDF.

Conversion runs offline and is cached per specification, since the Export page renders HTML
and PDF from the same charts.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

import vl_convert

from .safety import clean_text

_ID_ATTR = re.compile(r'\bid="([^"]+)"')
_FORBIDDEN_SVG = re.compile(r"<\s*(script|foreignObject|iframe|object|embed)\b|\son[a-z]+\s*=|javascript:", re.I)


@lru_cache(maxsize=16)
def _raw_svg(spec_json: str) -> str | None:
    """vl-convert's SVG for a spec (cached: the Export page renders HTML and PDF from the same charts)."""
    try:
        return vl_convert.vegalite_to_svg(json.loads(spec_json))
    except Exception:  # noqa: BLE001 - any rendering failure only loses the picture, not the report
        return None


def clear_cache() -> None:
    """Forget converted charts (benchmarks and tests measure or compare first conversions)."""
    _raw_svg.cache_clear()


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
        return vl_convert.svg_to_png(svg, scale=scale)
    except Exception:  # noqa: BLE001 - see _raw_svg
        return None

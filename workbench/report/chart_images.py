"""Charts as pictures: vl-convert's SVG for HTML (checked, ids made stable) and PNG for PDF.

Conversion runs offline and each picture is made once per chart content: the SVG and the PNG
are cached under the SHA-256 of the chart's specification, so the Export page's HTML and PDF, or
two languages' reports drawing the same chart, convert it once.

The SVG check reads the markup, not the text: a label such as "Learn javascript: a guide" is
text that vl-convert escapes, and stays; an element or attribute that could run or load
something (script, foreignObject, an event handler, a link outside the picture) drops the
chart, and the report says so.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar
from xml.etree import ElementTree

import vl_convert

from .safety import clean_text

CACHE_SIZE = 32  # pictures kept per kind (SVG, PNG): a few studies × languages × charts
PDF_SCALE = 1.5  # the PNG's pixels per SVG pixel in the PDF
_ID_ATTR = re.compile(r'\bid="([^"]+)"')
_FORBIDDEN_TAGS = frozenset({"script", "foreignobject", "iframe", "object", "embed", "image", "animate", "set",
                             "handler", "listener"})  # fmt: skip
_URL_ATTRS = frozenset({"href", "src", "action", "formaction"})
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)
V = TypeVar("V")


class _Cache:
    """A small thread-safe LRU cache (Streamlit serves each session from its own thread)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_svgs = _Cache(CACHE_SIZE)
_pngs = _Cache(CACHE_SIZE)
# Conversions started ahead (`prefetch_png`): vl-convert works outside Python's lock, so two
# charts convert side by side while the PDF lays out its first pages.
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="wb-charts")
_pending: dict[tuple[str, float], Future] = {}
_pending_lock = threading.Lock()


def clear_cache() -> None:
    """Forget converted charts (benchmarks and tests measure or compare first conversions)."""
    with _pending_lock:
        started = list(_pending.values())
        _pending.clear()
    for future in started:
        future.result()
    _svgs.clear()
    _pngs.clear()


def spec_hash(spec: dict) -> str:
    """SHA-256 of the chart's cleaned specification in canonical JSON: the cache key."""
    text = json.dumps(_clean_spec(spec), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _clean_spec(value: Any) -> Any:
    """Every string of a Vega-Lite spec without control characters.

    vl-convert 1.9 does not reject a control character in a label: its Rust text layer panics
    and aborts the whole process (seen with a provider named "bell\\x07"), so names from profiles
    are cleaned before conversion.
    """
    if isinstance(value, str):
        return clean_text(value, keep_newlines=False)
    if isinstance(value, dict):
        return {_clean_spec(k): _clean_spec(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_spec(v) for v in value]
    return value


def _svg(spec: dict) -> str | None:
    """vl-convert's SVG for a spec, once per content; None when it cannot be drawn or is unsafe."""

    def convert() -> str | None:
        try:
            svg = vl_convert.vegalite_to_svg(_clean_spec(spec))
        except Exception:  # noqa: BLE001 - any rendering failure only loses the picture, not the report
            return None
        svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
        return svg if is_inert_svg(svg) else None

    return _svgs.get(spec_hash(spec), convert)


def _local(name: str) -> str:
    """An element or attribute name without its namespace, lower-case."""
    return name.rsplit("}", 1)[-1].lower()


def is_inert_svg(svg: str) -> bool:
    """Whether the SVG's markup can neither run a script nor load anything from outside it.

    Text content and harmless attributes (labels, aria descriptions) may say anything.
    """
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return False
    for element in root.iter():
        tag = _local(str(element.tag))
        if tag in _FORBIDDEN_TAGS:
            return False
        text = element.text or ""
        if tag == "style" and (_OUTSIDE_URL.search(text) or "@import" in text):
            return False
        for name, value in element.attrib.items():
            attr = _local(name)
            if attr.startswith("on"):
                return False
            if attr in _URL_ATTRS and not value.strip().startswith("#"):
                return False
            if attr == "style" and _OUTSIDE_URL.search(value):
                return False
    return True


def chart_svg(spec: dict, prefix: str) -> str | None:
    """The chart as inline SVG (vl-convert, offline), ids prefixed so two charts never clash;
    None when it cannot be drawn or its markup is not inert (`is_inert_svg`)."""
    svg = _svg(spec)
    if svg is None:
        return None
    # Vega numbers gradients and clips with a counter that lives as long as the process
    # ("gradient_0", then "gradient_1" for the next chart), so ids are renumbered in order of
    # appearance: the same chart gives the same bytes whatever was drawn before it.
    ids = list(dict.fromkeys(_ID_ATTR.findall(svg)))
    renamed = {old: f"{prefix}-{k}" for k, old in enumerate(ids)}
    if renamed:
        pattern = re.compile(r'(id="|url\(#|href="#)(' + "|".join(map(re.escape, ids)) + r')(?=[")])')
        svg = pattern.sub(lambda m: m.group(1) + renamed[m.group(2)], svg)
    return svg


def _png(spec: dict, scale: float) -> bytes | None:
    def convert() -> bytes | None:
        svg = _svg(spec)
        if svg is None:
            return None
        try:
            return vl_convert.svg_to_png(svg, scale=scale)
        except Exception:  # noqa: BLE001 - see _svg
            return None

    return _pngs.get((spec_hash(spec), scale), convert)


def prefetch_png(specs: Iterable[dict], scale: float = PDF_SCALE) -> None:
    """Start converting charts to PNG in the background; `chart_png` then waits for them."""
    for spec in specs:
        key = (spec_hash(spec), scale)
        with _pending_lock:
            if key in _pending:
                continue
            future = _pending[key] = _pool.submit(_png, spec, scale)
        future.add_done_callback(lambda done, key=key: _forget(key, done))


def _forget(key: tuple[str, float], future: Future) -> None:
    """A finished conversion is in the PNG cache: its future is no longer needed."""
    with _pending_lock:
        if _pending.get(key) is future:
            del _pending[key]


def chart_png(spec: dict, scale: float = 2.0) -> bytes | None:
    """The chart as PNG, rasterised from the (cached, checked) SVG, once per content and scale."""
    with _pending_lock:
        started = _pending.pop((spec_hash(spec), scale), None)
    return started.result() if started is not None else _png(spec, scale)

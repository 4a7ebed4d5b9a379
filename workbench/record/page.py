"""The publishable record: one self-contained HTML file that carries the record it shows.

The record's JSON sits in `<script type="application/json" id="workbench-record">`, a data block
browsers never run, with `<`, `>` and `&` written `\\u003c`, `\\u003e`, `\\u0026` so no text in it
can close the element; a Content-Security-Policy forbids every script and every load from the
network. Each figure shown carries `data-path` (its place in the record, a JSON list) and
`data-format`, so `page_mismatches` can read the page back and name a figure edited in the page
but not in the data. Drawn by Jinja2 with autoescaping (templates/record.html.j2).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..errors import WorkbenchError
from .canonical import parse_json, path_text, value_at
from .verification import Mismatch

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
SCRIPT_ID = "workbench-record"
_EMBEDDED = re.compile(
    r'<script type="application/json" id="' + SCRIPT_ID + r'">(.*?)</script>', re.DOTALL | re.IGNORECASE
)
LABELS = {
    "fr": {
        "title": "Dossier de décision scellé",
        "ranking": "Classement",
        "rank": "Rang",
        "option": "Option",
        "score": "Score",
        "eligible": "Admissible",
        "yes": "oui",
        "no": "non",
        "weights": "Pondérations figées",
        "criterion": "Critère",
        "weight": "Poids",
        "scores": "Notes",
        "evidence": "Justifications",
        "hashes": "Empreintes",
        "frozen_at": "Figé le",
        "sealed_at": "Scellé le",
        "method": "Méthode",
        "software": "Logiciel",
        "must_haves": "Critères éliminatoires",
        "off": "désactivé",
        "override": "valeur hypothétique",
        "confidence": "confiance",
        "check": "Comment le vérifier",
        "lower_better": "plus bas = meilleur",
    },
    "en": {
        "title": "Sealed decision record",
        "ranking": "Ranking",
        "rank": "Rank",
        "option": "Option",
        "score": "Score",
        "eligible": "Eligible",
        "yes": "yes",
        "no": "no",
        "weights": "Frozen weights",
        "criterion": "Criterion",
        "weight": "Weight",
        "scores": "Scores",
        "evidence": "Evidence",
        "hashes": "Hashes",
        "frozen_at": "Frozen at",
        "sealed_at": "Sealed at",
        "method": "Method",
        "software": "Software",
        "must_haves": "Must-haves",
        "off": "switched off",
        "override": "what-if value",
        "confidence": "confidence",
        "check": "How to check it",
        "lower_better": "lower is better",
    },
}


def display(value: Any, kind: str, lang: str) -> str:
    """A recorded value as the page shows it: the one formatting both writing and checking use."""
    if kind == "score":
        text = f"{value:.4f}"
    elif kind == "weight":
        text = f"{100 * value:.1f} %"
    elif kind == "value":
        text = f"{value:.6g}"
    else:
        return str(value)
    return text.replace(".", ",") if lang == "fr" else text


def embedded_json(record: dict[str, Any]) -> Markup:
    """The record as inert data for a `<script type="application/json">` block."""
    text = json.dumps(record, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["path"] = lambda parts: json.dumps(list(parts), ensure_ascii=False)
    return env


def render_html(record: dict[str, Any], lang: str = "fr") -> str:
    """The record as one offline HTML page in `lang` (the checking paragraph is in both languages)."""
    if lang not in LABELS:
        raise WorkbenchError(f"unknown language {lang!r}; choose fr or en")
    frozen = record["frozen"]
    tree = frozen["criteria_set"]["criteria"]
    leaves = [node for node in _walk(tree) if "criteria" not in node]
    options = {o["id"]: _text(o.get("name"), lang) or o["id"] for o in frozen["options"]}
    results = record["results"]
    scores = [results["options"][pid]["score"] for pid in results["ranking"]]
    low, high = min(scores), max(scores)
    rows = []
    for pid in results["ranking"]:
        result = results["options"][pid]
        share = 1.0 if high == low else (result["score"] - low) / (high - low)
        if not results["higher_is_better"]:
            share = 1.0 - share
        rows.append({"id": pid, "name": options[pid], "result": result, "bar": round(100 * (0.05 + 0.95 * share))})
    context = {
        "lang": lang,
        "labels": LABELS[lang],
        "csp": CSP,
        "record": record,
        "frozen": frozen,
        "set_name": _text(frozen["criteria_set"].get("name"), lang),
        "rows": rows,
        "leaves": [{**leaf, "label": _text(leaf.get("name"), lang)} for leaf in leaves],
        "options": options,
        "display": lambda value, kind: display(value, kind, lang),
        "text": lambda value: _text(value, lang),
        "link": _http_url,
        "script_id": SCRIPT_ID,
        "data": embedded_json(record),
    }
    return _environment().get_template("record.html.j2").render(context)


def extract_record(html: str, name: str = "the page") -> Any:
    """The record embedded in a page written by `render_html`."""
    found = _EMBEDDED.findall(html)
    if len(found) != 1:
        raise WorkbenchError(f'{name}: no single embedded record (<script type="application/json" id="{SCRIPT_ID}">)')
    return parse_json(found[0], name)


def page_mismatches(html: str, record: Any) -> list[Mismatch]:
    """Figures the page shows that differ from the record it carries, each named by its field."""
    reader = _FigureReader()
    reader.feed(html)
    lang = reader.lang if reader.lang in LABELS else "en"
    out = []
    for raw_path, kind, shown in reader.figures:
        try:
            path = tuple(json.loads(raw_path))
            expected = display(value_at(record, path), kind, lang)
            where = path_text(record, path)
        except (ValueError, KeyError, IndexError, TypeError):
            out.append(Mismatch("page", f"a figure points at {raw_path!r}, which the record does not have"))
            continue
        if shown.strip() != expected:
            out.append(Mismatch(where, f"the page shows {shown.strip()!r}, the record says {expected!r}"))
    return out


class _FigureReader(HTMLParser):
    """Collects (data-path, data-format, text) of every element that shows a recorded figure."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.figures: list[tuple[str, str, str]] = []
        self._open: list[tuple[str, str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if found.get("data-path") is not None:
            self._open.append((tag, found["data-path"] or "", found.get("data-format") or "text", []))

    def handle_data(self, data: str) -> None:
        for *_, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _, path, kind, parts = self._open.pop()
            self.figures.append((path, kind, "".join(parts)))


def _walk(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for node in nodes:
        out.append(node)
        out.extend(_walk(node.get("criteria", [])))
    return out


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return "" if value is None else str(value)


def _http_url(url: Any) -> str | None:
    """The URL when it is a plain http(s) link, else None (no javascript:, data: or relative links)."""
    if isinstance(url, str) and re.match(r"^https?://[^\s<>\"']+$", url, re.IGNORECASE):
        return url
    return None

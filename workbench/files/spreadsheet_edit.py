"""Edits of a study's tables (a draft: sheet -> list of rows, as `StudyBook.to_json` gives): the
score grid (options x leaf criteria) and one score's evidence, as the "Build a study" page makes
them. Plain data in, plain data out; the page only displays and collects."""

from __future__ import annotations

from typing import Any

from .checker import ID_PATTERN
from .spreadsheet_format import COLUMNS, CRITERIA, OPTIONS, SCORES, SOURCE_COLUMNS, as_text, is_blank

Tables = dict[str, list[dict[str, Any]]]
FIRST_ROW = ("value", "low", "high", "status", "confidence", "rationale_fr", "rationale_en")


def option_ids(tables: Tables) -> list[str]:
    """The options' valid ids, in order, each once (an invalid one is a problem of its own)."""
    ids = (as_text(r.get("id")) for r in tables.get(OPTIONS, []))
    return list(dict.fromkeys(i for i in ids if i and ID_PATTERN.match(i)))


def leaf_ids(tables: Tables) -> list[str]:
    """The valid ids of the criteria that are no one's parent (the scored ones), in order, each once."""
    rows = tables.get(CRITERIA, [])
    parents = {as_text(r.get("parent")) for r in rows}
    ids = (as_text(r.get("id")) for r in rows)
    return list(dict.fromkeys(i for i in ids if i and i not in parents and ID_PATTERN.match(i)))


def names(tables: Tables, sheet: str, lang: str) -> dict[str, str]:
    """id -> name in `lang` (the other language's, then the id, when it is empty)."""
    first, second = ("name_fr", "name_en") if lang == "fr" else ("name_en", "name_fr")
    out: dict[str, str] = {}
    for row in tables.get(sheet, []):
        row_id = as_text(row.get("id"))
        if row_id and row_id not in out:
            out[row_id] = as_text(row.get(first)) or as_text(row.get(second)) or row_id
    return out


def _key(row: dict[str, Any]) -> tuple[str | None, str | None]:
    return as_text(row.get("option")), as_text(row.get("criterion"))


def grid(tables: Tables) -> dict[tuple[str, str], Any]:
    """(option, criterion) -> the score's value (from its first row)."""
    out: dict[tuple[str, str], Any] = {}
    for row in tables.get(SCORES, []):
        option, criterion = _key(row)
        if option and criterion and (option, criterion) not in out:
            out[(option, criterion)] = row.get("value")
    return out


def set_value(tables: Tables, option: str, criterion: str, value: Any) -> None:
    """Put `value` in the score's first row (a new row when the option has no such score). The
    row is replaced, never changed in place: other holders of the tables keep what they read."""
    rows = tables.setdefault(SCORES, [])
    for i, row in enumerate(rows):
        if _key(row) == (option, criterion):
            rows[i] = {**row, "value": None if is_blank(value) else value}
            return
    if not is_blank(value):
        rows.append({c: None for c in COLUMNS[SCORES]} | {"option": option, "criterion": criterion, "value": value})


def evidence(tables: Tables, option: str, criterion: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The score's first-row fields (value, range, status, confidence, rationale) and its sources
    (one dict of `source_*` columns per row that cites one)."""
    rows = [r for r in tables.get(SCORES, []) if _key(r) == (option, criterion)]
    first = {c: rows[0].get(c) for c in FIRST_ROW} if rows else dict.fromkeys(FIRST_ROW)
    sources = [
        {c: r.get(c) for c in SOURCE_COLUMNS} for r in rows if any(not is_blank(r.get(c)) for c in SOURCE_COLUMNS)
    ]
    return first, sources


def set_evidence(
    tables: Tables, option: str, criterion: str, first: dict[str, Any], sources: list[dict[str, Any]]
) -> None:
    """Replace the score's rows: the first carries `first` and the first source, one more row per
    further source; they stand where the score's first row stood (else at the end)."""
    rows = tables.setdefault(SCORES, [])
    at = next((i for i, r in enumerate(rows) if _key(r) == (option, criterion)), len(rows))
    kept = [r for r in rows if _key(r) != (option, criterion)]
    cited = [s for s in sources if any(not is_blank(s.get(c)) for c in SOURCE_COLUMNS)]
    if not cited and all(is_blank(first.get(c)) for c in FIRST_ROW):
        tables[SCORES] = kept  # nothing left to say: the score is gone
        return
    cited = cited or [{}]
    blank = dict.fromkeys(COLUMNS[SCORES])
    new = []
    for i, source in enumerate(cited):
        row = blank | {"option": option, "criterion": criterion}
        if i == 0:
            row |= {c: None if is_blank(first.get(c)) else first.get(c) for c in FIRST_ROW}
        row |= {c: None if is_blank(source.get(c)) else source.get(c) for c in SOURCE_COLUMNS}
        new.append(row)
    before = sum(1 for r in rows[:at] if _key(r) != (option, criterion))
    tables[SCORES] = kept[:before] + new + kept[before:]

"""The `advanced` sheet: YAML for the fields no column carries, merged into the files the other
sheets make.

Each row names a `target` (`study`, `criterion:<id>`, `option:<id>` or `score:<option>/<criterion>`)
and holds a YAML mapping in its `yaml` cell: a criterion's description or preference function, an
option's kind, summary, facts and cost block, a score's dispute note or its sources' quotes. The
mapping is merged into the target's data (mappings key by key, lists item by item, so
`sources: [{}, {quote: ...}]` adds a quote to the score's second source); giving a value the other
sheets already give is a problem at the cell. Every field the row adds is then reported at its cell.
"""

from __future__ import annotations

from typing import Any

from ..errors import LoadError
from .spreadsheet_cells import SheetReader
from .spreadsheet_format import ADVANCED, Row, StudyBook, as_text, is_blank
from .yamlfile import parse_yaml

TARGETS = "study, criterion:<id>, option:<id> or score:<option>/<criterion>"


def merge_advanced(book: StudyBook, builder: SheetReader, data: dict[str, Any], profiles: dict[str, dict]) -> None:
    """Merge every row of the `advanced` sheet into `data` (the criteria set) or `profiles`."""
    for row in book.rows(ADVANCED):
        if row.is_empty():
            continue
        found = _target(builder, row, data, profiles)
        if found is None:
            continue
        dest, cells, path = found
        added = _parse(builder, row)
        if added is None:
            continue
        ref = builder.ref(ADVANCED, row, "yaml")
        conflicts: list[str] = []
        _merge(dest, added, path, conflicts)
        for where in conflicts:
            builder.problem(ADVANCED, row, "yaml", f"{where} is already given by another sheet; change it there")
        for sub in _paths(added, path):
            cells.put_default(sub, ref)


def _target(builder: SheetReader, row: Row, data: dict[str, Any], profiles: dict[str, dict]):
    """(the mapping to merge into, its cell map, its path) for the row's target, or None."""
    target = as_text(row.get("target")) or ""
    kind, _, name = target.partition(":")
    if kind == "study" and not name:
        return data, builder.set_cells, ()
    if kind == "criterion" and name:
        found = _find_node(data.get("criteria") or [], name, ("criteria",))
        if found is not None:
            return found[0], builder.set_cells, found[1]
        builder.problem(ADVANCED, row, "target", f"unknown criterion {name!r}")
        return None
    if kind == "option" and name:
        if name in profiles:
            return profiles[name], builder.option_cells[name], ()
        builder.problem(ADVANCED, row, "target", f"unknown option {name!r}")
        return None
    if kind == "score" and "/" in name:
        option, _, criterion = name.partition("/")
        if option not in profiles:
            builder.problem(ADVANCED, row, "target", f"unknown option {option!r}")
            return None
        scores = profiles[option]["scores"]
        score = scores.setdefault(criterion, {})
        if not isinstance(score, dict):
            score = scores[criterion] = {"value": score}
        return score, builder.option_cells[option], ("scores", criterion)
    builder.problem(ADVANCED, row, "target", f"expected {TARGETS}, got {target!r}")
    return None


def _find_node(nodes: list[dict], node_id: str, path: tuple) -> tuple[dict, tuple] | None:
    for i, node in enumerate(nodes):
        if node.get("id") == node_id:
            return node, path + (i,)
        found = _find_node(node.get("criteria") or [], node_id, path + (i, "criteria"))
        if found is not None:
            return found
    return None


def _parse(builder: SheetReader, row: Row) -> dict[str, Any] | None:
    text = row.get("yaml")
    if is_blank(text):
        return None
    try:
        doc = parse_yaml(str(text), builder.book.file)
    except LoadError as exc:
        first = exc.problems[0]
        builder.problem(ADVANCED, row, "yaml", f"{first.message} (line {first.line} of the cell)")
        return None
    if not isinstance(doc.data, dict):
        builder.problem(ADVANCED, row, "yaml", "expected a YAML mapping such as 'description: ...'")
        return None
    return doc.data


def _merge(dest: dict, added: dict, path: tuple, conflicts: list[str]) -> None:
    for key, value in added.items():
        here = path + (key,)
        if key not in dest:
            dest[key] = value
        elif isinstance(dest[key], dict) and isinstance(value, dict):
            _merge(dest[key], value, here, conflicts)
        elif isinstance(dest[key], list) and isinstance(value, list):
            for i, item in enumerate(value):
                if i >= len(dest[key]):
                    dest[key].append(item)
                elif isinstance(dest[key][i], dict) and isinstance(item, dict):
                    _merge(dest[key][i], item, here + (i,), conflicts)
                elif dest[key][i] != item:
                    conflicts.append(_name(here + (i,)))
        elif dest[key] != value:
            conflicts.append(_name(here))


def _paths(value: Any, path: tuple):
    """Every field path inside `value` (for the cell map)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, path + (i,))


def _name(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))

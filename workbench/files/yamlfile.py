"""Read YAML with `safe_load` semantics while remembering the line of every value.

Errors are reported against the line where a field stands, so users can find it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import LoadError, Problem

Path_ = tuple[Any, ...]
# libyaml's safe loader (same semantics, about ten times faster) where PyYAML was built with it.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 5_000_000


@dataclass
class YamlDoc:
    """Parsed data plus a map from a field's path (keys and indices) to its 1-based line.

    Path parts are the keys exactly as they are in `data` (an unquoted `2025:` is the int 2025, a
    quoted `"2025":` the string) and list indices, so `line(path)` finds any field by its data path.
    """

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: list[tuple[Path_, int]] = field(default_factory=list)

    def line(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


# Builds mapping keys the way the safe loader does, so `2025:` is the int 2025 in both the data
# and the line map; only the scalar constructors are used, which keep no state between calls.
_KEY_BUILDER = yaml.constructor.SafeConstructor()
_STR_TAG = "tag:yaml.org,2002:str"


def _key(node: yaml.Node) -> Any:
    """The key a mapping entry has in the loaded data (the same type: `2025:` is an int)."""
    if not isinstance(node, yaml.ScalarNode):
        return None  # a complex key cannot be a dict key in the data either
    if node.tag == _STR_TAG:
        return node.value
    build = _KEY_BUILDER.yaml_constructors.get(node.tag)
    try:
        return build(_KEY_BUILDER, node) if build else node.value
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return node.value


def _walk(node: yaml.Node, path: Path_, doc: YamlDoc, seen_nodes: set[int], depth: int = 0) -> None:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    # Aliases share nodes: visiting each once keeps "billion laughs" documents linear.
    if depth > 100 or id(node) in seen_nodes:
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = _key(key_node)
            if key in seen:
                doc.duplicates.append((path + (key,), key_node.start_mark.line + 1))
            seen.add(key)
            doc.lines.setdefault(path + (key,), key_node.start_mark.line + 1)
            _walk(value_node, path + (key,), doc, seen_nodes, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), doc, seen_nodes, depth + 1)


def _plain(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """Turn YAML dates into ISO strings so data stays JSON-friendly (shared parts stay shared)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if not isinstance(value, (dict, list)):
        return value
    memo = {} if memo is None else memo
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, dict):
        out: Any = {}
        memo[id(value)] = out
        out.update({k: _plain(v, memo) for k, v in value.items()})
    else:
        out = []
        memo[id(value)] = out
        out.extend(_plain(v, memo) for v in value)
    return out


def parse_yaml(text: str, file: str) -> YamlDoc:
    """Parse one YAML document; raise LoadError with the line of a syntax error."""
    if len(text) > MAX_BYTES:
        raise LoadError([Problem(file, 1, "", "file is too large")])
    loader = None
    try:
        loader = SafeLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        raise LoadError([Problem(file, line, "", f"YAML syntax error: {message}")]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        # libyaml gives the character's code, the pure-Python reader the character itself.
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        message = f"YAML error: character {char!r} (U+{ord(char[:1] or ' '):04X}) is not allowed"
        raise LoadError([Problem(file, line, "", message)]) from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        raise LoadError([Problem(file, 1, "", f"YAML error: {exc}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    doc = YamlDoc(file=file, data=_plain(data))
    if node is not None:
        _walk(node, (), doc, set())
    return doc


def read_yaml(path: Path | str) -> YamlDoc:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LoadError([Problem(str(path), 1, "", "file not found")]) from None
    except UnicodeDecodeError:
        raise LoadError([Problem(str(path), 1, "", "file is not UTF-8 text")]) from None
    except OSError as exc:
        raise LoadError([Problem(str(path), 1, "", f"cannot read file: {exc.strerror}")]) from None
    return parse_yaml(text, str(path))

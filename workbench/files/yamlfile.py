"""Read YAML with `safe_load` semantics while remembering the line of every value.

Errors are reported against the line where a field stands, so users can find it.
"""

from __future__ import annotations

import datetime as dt
import math
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import LoadError, Problem

Path_ = tuple[Any, ...]
# libyaml's safe loader (same semantics, about ten times faster) where PyYAML was built with it.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 5_000_000
# Values a document may stand for once its aliases are expanded: a criteria group referenced
# through nested aliases would otherwise be walked once per occurrence (exponential work).
MAX_EXPANDED = 200_000
MAX_FLOAT_INT = 2**1023  # beyond this an int cannot become a float (OverflowError)


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
    """Turn YAML dates into ISO strings so data stays JSON-friendly (shared parts stay shared), and
    integers too large for a float into ±infinity, which every number check refuses by name."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if type(value) is int and not -MAX_FLOAT_INT <= value <= MAX_FLOAT_INT:
        return math.inf if value > 0 else -math.inf
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


def _expanded_size(value: Any, memo: dict[int, int], limit: int) -> int:
    """How many values `value` stands for with every shared part counted at each of its places;
    linear in the distinct parts (memoised), and stops counting past `limit`."""
    if not isinstance(value, (dict, list)):
        return 1
    if id(value) in memo:
        return memo[id(value)]
    memo[id(value)] = limit + 1  # a part that contains itself expands without end
    total = 1
    for child in value.values() if isinstance(value, dict) else value:
        total += _expanded_size(child, memo, limit)
        if total > limit:
            break
    memo[id(value)] = total
    return total


def is_file(path: Path) -> bool:
    """`path.is_file()` for a path that comes from a user's file: a name too long or with a NUL
    byte is simply not a file (pathlib would raise)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    """`path.is_dir()`, False for a name the system refuses (see `is_file`)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def read_text_file(path: Path | str, max_bytes: int = MAX_BYTES) -> str:
    """A UTF-8 text file, refused with a sentence before reading when it is not a regular file
    (a FIFO would block, `/dev/zero` never ends) or is larger than `max_bytes`."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise LoadError([Problem(str(path), 1, "", "file not found")]) from None
    except OSError as exc:
        raise LoadError([Problem(str(path), 1, "", f"cannot read file: {exc.strerror}")]) from None
    if not stat.S_ISREG(info.st_mode):
        raise LoadError([Problem(str(path), 1, "", "not a regular file")])
    if info.st_size > max_bytes:
        raise LoadError(
            [Problem(str(path), 1, "", f"file is too large ({info.st_size:,} bytes; at most {max_bytes:,})")]
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise LoadError([Problem(str(path), 1, "", f"cannot read file: {exc.strerror}")]) from None
    if len(data) > max_bytes:
        raise LoadError([Problem(str(path), 1, "", f"file is too large (more than {max_bytes:,} bytes)")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise LoadError([Problem(str(path), 1, "", "file is not UTF-8 text")]) from None


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
    if _expanded_size(data, {}, MAX_EXPANDED) > MAX_EXPANDED:
        raise LoadError(
            [
                Problem(
                    file,
                    1,
                    "",
                    f"the document stands for more than {MAX_EXPANDED:,} values once its aliases "
                    "(&name / *name) are expanded; write the repeated parts out",
                )
            ]  # fmt: skip
        )
    doc = YamlDoc(file=file, data=_plain(data))
    if node is not None:
        _walk(node, (), doc, set())
    return doc


def read_yaml(path: Path | str) -> YamlDoc:
    return parse_yaml(read_text_file(path), str(path))

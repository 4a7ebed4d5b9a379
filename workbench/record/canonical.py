"""Canonical JSON, SHA-256 and field fingerprints: what makes a record checkable by anyone.

The canonical form of a JSON value is the UTF-8 encoding of

    json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)

(keys sorted by code point, no whitespace, non-ASCII characters written as themselves, numbers
as Python writes them: integers in decimal, floats as the shortest text that reads back to the
same double, `1e-05` style below 1e-4 and from 1e16). `docs/record.md` restates it for other
languages. Before hashing, a record's data goes through `plain`, so a float that is a whole
number is written as an integer (`414`, not `414.0`) exactly as most JSON writers would.

Field fingerprints locate a change that breaks a hash: for every scalar of the record, in
canonical order, the first 8 hex digits of SHA-256(canonical([path, value])). Comparing them with
the fingerprints of the content as it stands names the field that changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from ..errors import WorkbenchError

FINGERPRINT_HEX = 8
MAX_RECORD_BYTES = 20_000_000
MAX_DEPTH = 64
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)

Path = tuple[str | int, ...]


def plain(value: Any) -> Any:
    """`value` as plain JSON types: dicts with string keys, lists, str, int, finite float, bool, None.

    A float that is a whole number (below 2**53) becomes an int; numpy scalars and tuples are
    converted. Raises `WorkbenchError` on NaN or infinity, which JSON cannot carry.
    """
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if not math.isfinite(number):
            raise WorkbenchError(f"a record cannot hold the number {number}: every figure must be finite")
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if value is None or isinstance(value, str):
        return value
    raise WorkbenchError(f"a record cannot hold a value of type {type(value).__name__}")


def canonical_bytes(value: Any) -> bytes:
    """The canonical JSON text of `value` (module docstring), UTF-8 encoded."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def sha256_hex(value: Any) -> str:
    """SHA-256 of the canonical JSON of `value`, as 64 lower-case hex digits."""
    return hashlib.sha256(canonical_bytes(value)).hexdigest()


def scalars(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every scalar (and empty container) of `value` with its path, keys in sorted order."""
    if isinstance(value, dict) and value:
        for key in sorted(value):
            yield from scalars(value[key], (*path, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from scalars(item, (*path, index))
    else:
        yield path, value


def fingerprint(path: Path, value: Any) -> str:
    return hashlib.sha256(canonical_bytes([list(path), value])).hexdigest()[:FINGERPRINT_HEX]


def fingerprints(value: Any) -> str:
    """The field fingerprints of `value`, concatenated in canonical order."""
    return "".join(fingerprint(path, item) for path, item in scalars(value))


def changed_paths(value: Any, recorded: str) -> tuple[list[Path], bool]:
    """Paths whose fingerprint differs from the recorded ones, and whether fields were added or
    removed. A field added or removed shifts every later position, so past a change of shape
    only the first mismatch means something: the search stops there."""
    now = list(scalars(value))
    count = len(recorded) // FINGERPRINT_HEX
    reshaped = len(now) != count
    out: list[Path] = []
    for index, (path, item) in enumerate(now[:count]):
        if fingerprint(path, item) != recorded[index * FINGERPRINT_HEX : (index + 1) * FINGERPRINT_HEX]:
            out.append(path)
            if reshaped:
                break
    if reshaped and not out and now:
        out.append(now[min(count, len(now) - 1)][0])
    return out, reshaped


def path_text(root: Any, path: Path) -> str:
    """`path` for people: keys joined by dots; a list item shown by its `id` when it has one."""
    parts: list[str] = []
    node = root
    for part in path:
        if isinstance(node, list) and isinstance(part, int):
            item = node[part] if 0 <= part < len(node) else None
            label = item.get("id") if isinstance(item, dict) else None
            if isinstance(label, str):
                parts.append(label)
            else:
                parts[-1:] = [f"{parts[-1] if parts else ''}[{part}]"]
            node = item
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def value_at(root: Any, path: Path) -> Any:
    node = root
    for part in path:
        node = node[part]
    return node


def parse_json(data: bytes | str, name: str) -> Any:
    """Parse JSON read from `name`, refusing (with a sentence) text too large or nested too deep.

    The depth is measured before parsing, on the text with its strings removed, so a hostile
    file nested 100,000 deep is refused without reaching the parser's recursion limit.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_RECORD_BYTES:
        raise WorkbenchError(f"{name}: the file is larger than {MAX_RECORD_BYTES // 1_000_000} MB; a record is smaller")
    skeleton = np.frombuffer(_STRING.sub(b'""', raw), dtype=np.uint8)
    steps = np.isin(skeleton, (ord("["), ord("{"))).astype(np.int64) - np.isin(skeleton, (ord("]"), ord("}")))
    if steps.size and int(np.cumsum(steps).max()) > MAX_DEPTH:
        raise WorkbenchError(f"{name}: the JSON is nested more than {MAX_DEPTH} levels deep; a record is not")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise WorkbenchError(f"{name}: the file is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise WorkbenchError(f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except (RecursionError, ValueError) as exc:
        raise WorkbenchError(f"{name}: not valid JSON ({exc})") from None


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")

"""Bounded JSON: size and nesting depth are checked before the parser runs, so a hostile file
(nested 100,000 deep, or gigabytes long) gets a sentence instead of a RecursionError or a
memory blow-up. NaN and Infinity, which JSON does not have, are refused."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import LoadError, Problem
from .yamlfile import read_text_file

MAX_JSON_BYTES = 20_000_000
MAX_JSON_DEPTH = 64
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def json_depth(raw: bytes) -> int:
    """The deepest nesting of `[`/`{` in JSON text, strings left out (linear, no recursion)."""
    skeleton = np.frombuffer(_STRING.sub(b'""', raw), dtype=np.uint8)
    steps = np.isin(skeleton, (ord("["), ord("{"))).astype(np.int64) - np.isin(skeleton, (ord("]"), ord("}")))
    return int(np.cumsum(steps).max()) if steps.size else 0


def parse_json(
    text: str | bytes, name: str, *, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH
) -> Any:
    """Parse JSON from `name`; a LoadError naming the file (and the line of a syntax error) otherwise."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > max_bytes:
        raise LoadError([Problem(name, 1, "", f"file is too large (more than {max_bytes:,} bytes)")])
    if json_depth(raw) > max_depth:
        raise LoadError([Problem(name, 1, "", f"the JSON is nested more than {max_depth} levels deep")])
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise LoadError([Problem(name, 1, "", "file is not UTF-8 text")]) from None
    except json.JSONDecodeError as exc:
        raise LoadError([Problem(name, exc.lineno, "", f"not valid JSON (column {exc.colno}: {exc.msg})")]) from None
    except (RecursionError, ValueError) as exc:
        raise LoadError([Problem(name, 1, "", f"not valid JSON ({exc})")]) from None


def read_json_file(path: Path | str, *, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A JSON file read with the checks of `read_text_file` (regular file, size) and `parse_json`."""
    return parse_json(read_text_file(path, max_bytes), str(path), max_bytes=max_bytes, max_depth=max_depth)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")

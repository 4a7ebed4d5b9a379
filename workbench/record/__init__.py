"""A decision record anyone can verify: weights frozen before scoring, the result sealed after.

    frozen = freeze(study)                      # {"frozen": {...}, "frozen_sha256": ...}; no score in it
    record = seal(study, frozen)                # SealRefused naming each change since freezing
    verdict = verify(record)                    # Verdict: .ok, .sentence(), .mismatches
    page = render_html(record, "fr")            # one offline HTML page embedding the record
    verdict = verify_file("record.html")        # JSON or HTML, read with bounded size and depth

The canonical JSON, the hashes and the field fingerprints are in `canonical`; the format of each
part is described in docs/record.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import WorkbenchError
from .canonical import MAX_RECORD_BYTES, canonical_bytes, parse_json, sha256_hex
from .frozen import FROZEN_FORMAT, SealRefused, checked_frozen, freeze, frozen_content, frozen_differences
from .page import extract_record, page_mismatches, render_html
from .sealing import RECORD_FORMAT, seal
from .verification import Mismatch, Verdict, verify

__all__ = [
    "FROZEN_FORMAT",
    "RECORD_FORMAT",
    "Mismatch",
    "SealRefused",
    "Verdict",
    "canonical_bytes",
    "checked_frozen",
    "freeze",
    "frozen_content",
    "frozen_differences",
    "read_json_file",
    "read_record",
    "render_html",
    "seal",
    "sha256_hex",
    "verify",
    "verify_file",
    "verify_text",
]


def _read_text(path: Path | str) -> str:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            raise WorkbenchError(f"{path}: the file is larger than {MAX_RECORD_BYTES // 1_000_000} MB")
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise WorkbenchError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise WorkbenchError(f"{path}: the file is not UTF-8 text") from None
    except OSError as exc:
        raise WorkbenchError(f"{path}: cannot read the file ({exc.strerror})") from None


def read_json_file(path: Path | str) -> Any:
    """A JSON file (a frozen study or a record), bounded in size and depth."""
    return parse_json(_read_text(path), str(path))


def _is_html(text: str) -> bool:
    return text.lstrip()[:1] == "<"


def read_record(path: Path | str) -> Any:
    """The record in a JSON file or embedded in a page written by `render_html`."""
    text = _read_text(path)
    return extract_record(text, str(path)) if _is_html(text) else parse_json(text, str(path))


def verify_text(text: str, name: str = "the record") -> Verdict:
    """`verify` on a record's JSON text or HTML page; a page's shown figures are checked too."""
    if not _is_html(text):
        return verify(parse_json(text, name))
    record = extract_record(text, name)
    verdict = verify(record)
    verdict.mismatches += page_mismatches(text, record)
    return verdict


def verify_file(path: Path | str) -> Verdict:
    """`verify_text` on a file; raises `WorkbenchError` (a sentence) when it cannot be read."""
    return verify_text(_read_text(path), str(path))

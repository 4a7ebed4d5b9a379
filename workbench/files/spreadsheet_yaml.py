"""A built study -> its YAML files: `criteria/<id>.yaml` and `providers/<id>/<option>.yaml`,
written with `yaml.safe_dump`, in a folder or in a zip archive."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import yaml

from ..errors import LoadError, Problem
from .spreadsheet_build import BookStudy


def dump(data: object, origin: str = "") -> str:
    head = f"# Imported from {origin} by the workbench's spreadsheet import.\n" if origin else ""
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def study_texts(built: BookStudy) -> dict[str, str]:
    """Relative path -> YAML text of every file of the study (criteria set first)."""
    origin = Path(built.file).name
    texts = {f"criteria/{built.set_id}.yaml": dump(built.criteria, origin)}
    for option_id, profile in built.profiles.items():
        texts[f"providers/{built.set_id}/{option_id}.yaml"] = dump(profile, origin)
    return texts


def _require_valid(built: BookStudy) -> None:
    if not built.ok:
        raise LoadError(built.problems or [Problem(built.file, 0, "", "the study is not valid")])


def write_study(built: BookStudy, out_dir: Path | str, *, overwrite: bool = False) -> Path:
    """Write the study's files under `out_dir`; returns the criteria set's path. An existing set
    of the same id is replaced only with `overwrite` (its folder's old profiles are removed)."""
    _require_valid(built)
    out = Path(out_dir)
    criteria_path = out / "criteria" / f"{built.set_id}.yaml"
    folder = out / "providers" / built.set_id
    existing = [criteria_path] if criteria_path.exists() else []
    existing += sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
    if existing and not overwrite:
        raise LoadError(
            [Problem(str(existing[0]), 0, "", "already exists; choose another --out folder or add --overwrite")]
        )
    try:
        for stale in existing[1 if criteria_path.exists() else 0 :]:
            stale.unlink()
        for relative, text in study_texts(built).items():
            _write_atomic(out / relative, text)
    except OSError as exc:
        raise LoadError([Problem(str(out), 0, "", f"cannot write the study: {exc.strerror or exc}")]) from None
    return criteria_path


def _write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def zip_bytes(built: BookStudy) -> bytes:
    """The study's YAML files in a zip archive (criteria/ and providers/ at its root)."""
    _require_valid(built)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, text in study_texts(built).items():
            archive.writestr(relative, text)
    return buffer.getvalue()

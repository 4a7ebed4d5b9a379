"""The studies workshops run on, read once and kept until a file changes.

A workshop stores its criteria set's path relative to the repository, so replicas in other
checkouts agree; the study (the set and its providers) is reloaded when the set file or any
profile in its providers folder changes.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..study import REPO_ROOT, Study, load_study, resolve_providers_dir


def stored_path(path: Path) -> str:
    """Paths inside the repository are stored relative to it, so replicas in other checkouts agree."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(resolved)


def resolve_stored(stored: str) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else REPO_ROOT / path


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _folder_stamp(folder: Path | None) -> tuple[tuple[str, float], ...]:
    """Names and mtimes of the provider files (a cheap change check)."""
    if folder is None or not folder.is_dir():
        return ()
    return tuple((p.name, _mtime(p)) for p in sorted(folder.glob("*.y*ml")))


class StudyCache:
    """Studies by stored criteria path, each kept until its set file or provider folder changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._studies: dict[tuple, Study] = {}
        self._folders: dict[str, Path] = {}

    def get(self, criteria_path: str) -> Study:
        path = resolve_stored(criteria_path)
        key = (str(path), _mtime(path), _folder_stamp(self._folders.get(str(path))))
        study = self._studies.get(key)
        if study is None:
            study = load_study(path, allow_missing=True)
            folder = resolve_providers_dir(study.criteria_set, None)
            key = (str(path), _mtime(path), _folder_stamp(folder))
            with self._lock:
                self._folders[str(path)] = folder
                self._studies = {k: v for k, v in self._studies.items() if k[0] != str(path)}
                self._studies[key] = study
        return study

"""Criteria sets and provider profiles on disk, loaded once per server and kept until a file
changes (cached on path and modification time)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from workbench.drafts.places import saved_criteria_files
from workbench.errors import LoadError, Problem
from workbench.files.loading import load_criteria_set, load_providers
from workbench.model import CriteriaSet, Provider
from workbench.study import REPO_ROOT, leaf_index, resolve_providers_dir

CRITERIA_DIR_ENV = "WORKBENCH_CRITERIA_DIR"
DEFAULT_SET = "health-data-sovereignty.yaml"
STAMP_TTL = 2.0  # seconds a folder listing is trusted; pages ask for it many times per run


@dataclass(frozen=True)
class SetEntry:
    path: Path
    criteria_set: CriteriaSet


def criteria_dir() -> Path:
    """The folder of criteria sets: $WORKBENCH_CRITERIA_DIR, else the repository's criteria/."""
    return Path(os.environ.get(CRITERIA_DIR_ENV) or REPO_ROOT / "criteria")


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# cache_resource, not cache_data: the loaded objects are read-only, and handing out the same
# object (instead of an unpickled copy on every call) keeps a 100-provider study fast.
@st.cache_resource(show_spinner=False, max_entries=64)
def _load_set(path: str, mtime: float) -> tuple[CriteriaSet | None, list[Problem]]:
    try:
        return load_criteria_set(path), []
    except LoadError as exc:
        return None, exc.problems


def load_set(path: Path) -> tuple[CriteriaSet | None, list[Problem]]:
    """A criteria set (or None) and its problems, cached until the file changes."""
    return _load_set(str(path), _mtime(path))


def catalogue() -> tuple[list[SetEntry], list[Problem]]:
    """Every valid criteria set in `criteria_dir()`, then those saved in $WORKBENCH_STUDIES_DIR, and
    the problems of the files that are not."""
    folder = criteria_dir()
    files = sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []
    files += [p for p in saved_criteria_files() if p not in files]  # saved from the Build page
    sets, problems = [], []
    for path in files:
        cs, probs = load_set(path)
        problems.extend(probs)
        if cs is not None:
            sets.append(SetEntry(path, cs))
    return sets, problems


def find_set(set_id: str) -> SetEntry | None:
    """A set of the catalogue by id or by file name."""
    sets, _ = catalogue()
    return next((e for e in sets if set_id in (e.criteria_set.id, e.path.name, e.path.stem)), None)


def default_criteria_path() -> Path:
    """The shipped health study, else the first valid set of the folder. With no valid set at all
    this is the missing default file, whose "file not found" the pages then show."""
    sets, _ = catalogue()
    for entry in sets:
        if entry.path.name == DEFAULT_SET:
            return entry.path
    return sets[0].path if sets else criteria_dir() / DEFAULT_SET


_stamps: dict[str, tuple[float, tuple]] = {}


def _folder_stamp(folder: Path) -> tuple[tuple[str, float], ...]:
    """(name, mtime) of every profile in a folder: the cache key that notices edited files."""
    now = time.monotonic()
    cached = _stamps.get(str(folder))
    if cached and now - cached[0] < STAMP_TTL:
        return cached[1]
    stamp = tuple((p.name, _mtime(p)) for p in sorted(folder.glob("*.y*ml"))) if folder.is_dir() else ()
    _stamps[str(folder)] = (now, stamp)
    return stamp


def files_stamp(path: Path, criteria_set: CriteriaSet) -> tuple:
    """A key that changes when the set's file or any of its provider profiles changes."""
    profiles = _folder_stamp(resolve_providers_dir(criteria_set, None)) if criteria_set.providers else ()
    return (str(path), _mtime(path), profiles)


@st.cache_resource(show_spinner=False, max_entries=32)
def _load_providers(
    criteria_path: str, criteria_mtime: float, folder: str, stamp: tuple
) -> tuple[list[Provider], list[Problem]]:
    cs, _ = _load_set(criteria_path, criteria_mtime)
    if cs is None:
        return [], []
    return load_providers(folder, leaf_index(cs), ignore_unknown=True)


def providers_for(path: Path) -> tuple[list[Provider], list[Problem]]:
    """Valid provider profiles of a set (files that fail validation are left out and reported)."""
    cs, problems = load_set(path)
    if cs is None:
        return [], problems
    try:
        folder = resolve_providers_dir(cs, None)
    except LoadError as exc:
        return [], exc.problems
    return _load_providers(str(path), _mtime(path), str(folder), _folder_stamp(folder))

"""Where built studies go on disk: saved ones in $WORKBENCH_STUDIES_DIR (default data/studies/,
listed by the app beside the shipped sets), and each draft's working copy, written when someone
uses the draft, in a folder named after a hash of its token (the token itself never appears)."""

from __future__ import annotations

import os
from pathlib import Path

from ..study import REPO_ROOT
from .store import key_of

STUDIES_DIR_ENV = "WORKBENCH_STUDIES_DIR"
WORKING_COPIES = "_drafts"


def studies_dir() -> Path:
    """The folder saved studies are written to: criteria/<id>.yaml and providers/<id>/."""
    return Path(os.environ.get(STUDIES_DIR_ENV) or REPO_ROOT / "data" / "studies")


def saved_criteria_files() -> list[Path]:
    """The criteria sets saved from the app, in name order."""
    folder = studies_dir() / "criteria"
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) if folder.is_dir() else []


def working_copy_dir(token: str) -> Path:
    """The folder a draft in use is written to (not listed with the saved studies)."""
    return studies_dir() / WORKING_COPIES / key_of(token)[:20]

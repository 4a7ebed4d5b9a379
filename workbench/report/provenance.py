"""Provenance: what lets anyone regenerate a report and check it was not altered.

The moment (SOURCE_DATE_EPOCH when set, so equal inputs give equal bytes), the input files with
their SHA-256, and the scenario in force (the study's, with the weights, method and providers
of the evaluation) that `--scenario` needs to give the same ranking again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from babel.dates import format_date

from ..evaluate import Evaluation
from ..i18n import LOCALES
from ..model import Provider, Scenario
from ..study import REPO_ROOT, Study
from .sections import InputFile


def report_time() -> dt.datetime:
    """UTC now, or the moment SOURCE_DATE_EPOCH names (reproducible builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def long_date(moment: dt.datetime, lang: str) -> str:
    """'1 janvier 2026' / 'January 1, 2026'."""
    return format_date(moment.date(), format="long", locale=LOCALES[lang])


def timestamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def effective_scenario(
    study: Study,
    evaluation: Evaluation,
    weights: Mapping[str, float] | None = None,
    base: Scenario | None = None,
) -> Scenario:
    """`base` (default: the study's scenario) with the weights in force, the evaluation's method,
    the providers shown and the criteria file's path, i.e. what `--scenario` needs to regenerate."""
    base = base or study.scenario
    criteria = base.criteria
    if study.criteria_set.path is not None:
        criteria = display_path(study.criteria_set.path)
    return Scenario(
        criteria=criteria,
        providers=list(study.provider_ids),
        method=evaluation.method,
        normalization=evaluation.normalization,
        weights={**base.weights, **(weights or {})},
        notes=base.notes,
        overrides=list(base.overrides),
        disabled_must_haves=list(base.disabled_must_haves),
        cost_settings=dict(base.cost_settings),
        title=base.title,
        path=base.path,
    )


def display_path(path: Path | str) -> str:
    """A path relative to the repository (or working directory) when inside it, POSIX style."""
    p = Path(path).resolve()
    for base in (REPO_ROOT, Path.cwd().resolve()):
        try:
            return p.relative_to(base).as_posix()
        except ValueError:
            continue
    return p.as_posix()


def sha256_of(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def input_files(study: Study, components: Sequence[Provider] = ()) -> list[InputFile]:
    """Criteria set, profiles (options, reference models, the components of composed options)
    and scenario files that exist on disk, with their SHA-256."""
    entries: list[tuple[str, Path]] = []
    if study.criteria_set.path:
        entries.append(("criteria", Path(study.criteria_set.path)))
    entries += [("provider", Path(p.path)) for p in study.providers if p.path]
    entries += [("reference", Path(p.path)) for p in study.references if p.path]
    entries += [("component", Path(p.path)) for p in components if p.path]
    if study.scenario.path:
        entries.append(("scenario", Path(study.scenario.path)))
    return [InputFile(role, display_path(path), sha256_of(path)) for role, path in entries if path.is_file()]

"""`validate`: check every study file found under some paths, and report evidence coverage."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LoadError, Problem
from .files.criteria import criteria_set_from_doc, load_criteria_set
from .files.providers import load_providers, provider_from_doc
from .files.scenarios import scenario_from_doc
from .files.yamlfile import read_yaml
from .model import CriteriaSet, Criterion, Provider
from .study import REPO_ROOT, resolve_providers_dir


@dataclass
class Catalogue:
    """What was found: valid sets and providers, and every problem."""

    criteria_sets: list[CriteriaSet] = field(default_factory=list)
    providers: dict[Path, list[Provider]] = field(default_factory=dict)
    scenarios: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)


def _yaml_files(paths: list[str | Path]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            out.append(path)
    return out


def _kind(data: object, path: Path) -> str:
    if isinstance(data, dict):
        if isinstance(data.get("criteria"), list):
            return "criteria"
        if "scores" in data or "providers" in path.parts:
            return "provider"
        return "scenario"
    return "criteria" if "criteria" in path.parts else "provider"


def scan(paths: list[str | Path]) -> Catalogue:
    """Read every YAML file under `paths`; providers are checked against every set using their folder."""
    cat = Catalogue()
    docs = []
    for path in _yaml_files(paths):
        cat.files += 1
        try:
            doc = read_yaml(path)
        except LoadError as exc:
            cat.problems.extend(exc.problems)
            continue
        docs.append((path, doc, _kind(doc.data, path)))
    for path, doc, kind in docs:
        if kind == "criteria":
            try:
                cat.criteria_sets.append(criteria_set_from_doc(doc, path))
            except LoadError as exc:
                cat.problems.extend(exc.problems)
    leaves_by_folder: dict[Path, dict[str, Criterion]] = defaultdict(dict)
    for cs in cat.criteria_sets:
        if cs.providers:
            leaves_by_folder[resolve_providers_dir(cs, None).resolve()].update({leaf.id: leaf for leaf in cs.leaves()})
    seen_ids: dict[tuple[Path, str], Path] = {}
    for path, doc, kind in docs:
        if kind == "provider":
            folder = path.resolve().parent
            leaves = leaves_by_folder.get(folder)
            try:
                provider = provider_from_doc(doc, leaves, path)
            except LoadError as exc:
                cat.problems.extend(exc.problems)
                continue
            key = (folder, provider.id)
            if key in seen_ids:
                cat.problems.append(
                    Problem(
                        str(path),
                        doc.line(("id",)),
                        "id",
                        f"duplicate provider id {provider.id!r} (also in {seen_ids[key]})",
                    )
                )
                continue
            seen_ids[key] = path
            cat.providers.setdefault(folder, []).append(provider)
        elif kind == "scenario":
            cat.scenarios += 1
            cat.problems.extend(_check_scenario(doc, path))
    return cat


def _check_scenario(doc, path: Path) -> list[Problem]:
    """A scenario is checked against the criteria set it names (ids of criteria and providers)."""
    criteria_set, provider_ids = None, None
    named = doc.data.get("criteria") if isinstance(doc.data, dict) else None
    if isinstance(named, str):
        candidates = [Path(named), REPO_ROOT / named, path.parent / named]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            return [Problem(str(path), doc.line(("criteria",)), "criteria", f"criteria set {named!r} not found")]
        try:
            criteria_set = load_criteria_set(found)
            providers, _ = load_providers(resolve_providers_dir(criteria_set, None), ignore_unknown=True)
            provider_ids = [p.id for p in providers]
        except LoadError:
            return []  # the set's own problems are reported with the set
    try:
        scenario_from_doc(doc, criteria_set, provider_ids, path)
    except LoadError as exc:
        return exc.problems
    return []


def validate_paths(paths: list[str | Path]) -> tuple[list[Problem], dict[str, int]]:
    cat = scan(paths)
    summary = {
        "files": cat.files,
        "criteria_sets": len(cat.criteria_sets),
        "providers": sum(len(v) for v in cat.providers.values()),
        "scenarios": cat.scenarios,
    }
    return cat.problems, summary


# --- coverage --------------------------------------------------------------------------------


def _parse_date(text: str) -> dt.date | None:
    parts = text.strip().split("-")
    try:
        numbers = [int(p) for p in parts[:3]]
    except ValueError:
        return None
    while len(numbers) < 3:
        numbers.append(1)
    try:
        return dt.date(*numbers)
    except ValueError:
        return None


def _months_between(older: dt.date, newer: dt.date) -> int:
    return (newer.year - older.year) * 12 + newer.month - older.month


@dataclass
class ProviderCoverage:
    provider: str
    leaves: int
    with_rationale: int
    with_source: int
    with_confidence: int
    missing: list[str]
    incomplete: list[str]
    stale: list[tuple[str, str, str]]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.incomplete

    def share(self) -> float:
        full = self.leaves - len(self.missing) - len(self.incomplete)
        return full / self.leaves if self.leaves else 1.0


def coverage(
    criteria_set: CriteriaSet, providers: list[Provider], stale_months: int | None = None, today: dt.date | None = None
) -> list[ProviderCoverage]:
    """Per provider: how many leaves have a score with rationale, source and confidence."""
    today = today or dt.date.today()
    out = []
    for provider in providers:
        missing, incomplete, stale = [], [], []
        counts = {"rationale": 0, "source": 0, "confidence": 0}
        for leaf in criteria_set.leaves():
            score = provider.scores.get(leaf.id)
            if score is None or (score.value is None and leaf.source != "tco"):
                missing.append(leaf.id)
                continue
            has = {
                "rationale": score.rationale is not None,
                "source": bool(score.sources),
                "confidence": score.confidence is not None,
            }
            for key, ok in has.items():
                counts[key] += ok
            if not all(has.values()):
                incomplete.append(leaf.id)
            if stale_months is not None:
                for src in score.sources:
                    date = _parse_date(src.date) if src.date else None
                    if date is None or _months_between(date, today) > stale_months:
                        stale.append((leaf.id, src.title, src.date or "no date"))
        out.append(
            ProviderCoverage(
                provider.id,
                len(criteria_set.leaves()),
                counts["rationale"],
                counts["source"],
                counts["confidence"],
                missing,
                incomplete,
                stale,
            )
        )
    return out


def coverage_report(paths: list[str | Path], stale_months: int | None = None) -> str:
    cat = scan(paths)
    lines = []
    for cs in cat.criteria_sets:
        folder = resolve_providers_dir(cs, None).resolve() if cs.providers else None
        providers = cat.providers.get(folder, []) if folder else []
        rows = coverage(cs, providers, stale_months)
        total = sum(r.leaves for r in rows)
        full = sum(r.leaves - len(r.missing) - len(r.incomplete) for r in rows)
        share = full / total if total else 1.0
        lines.append(
            f"{cs.id}: {len(providers)} provider(s), {share:.0%} of scores with rationale, source and confidence"
        )
        for r in rows:
            lines.append(
                f"  {r.provider}: {r.share():.0%} complete (rationale {r.with_rationale}/{r.leaves}, "
                f"source {r.with_source}/{r.leaves}, confidence {r.with_confidence}/{r.leaves})"
            )
            for leaf in r.missing:
                lines.append(f"    missing score: {leaf}")
            for leaf in r.incomplete:
                lines.append(f"    without rationale, source or confidence: {leaf}")
            for leaf, title, date in r.stale:
                lines.append(f"    stale source ({date}): {leaf}: {title}")
    return "\n".join(lines)

"""`validate`: check every study file found under some paths, and report evidence coverage."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .costs import Costs, CostsError, CostSettings, seats_in_force
from .errors import LoadError, Problem
from .evidence import (
    SourcePolicy,
    evidence_warnings,
    load_policy,
    months_between,
    parse_partial_date,
    study_coverage,
)
from .files.composition import COMPONENTS_DIR
from .files.criteria import criteria_set_from_doc, load_criteria_set
from .files.providers import load_profiles, load_providers
from .files.scenarios import scenario_from_doc
from .files.yamlfile import YamlDoc, is_file, read_yaml
from .model import CriteriaSet, Criterion, Provider
from .study import REPO_ROOT, resolve_providers_dir


@dataclass
class Catalogue:
    """What was found: valid sets, profiles (by folder) and components, and every problem."""

    criteria_sets: list[CriteriaSet] = field(default_factory=list)
    providers: dict[Path, list[Provider]] = field(default_factory=dict)
    components: dict[Path, list[Provider]] = field(default_factory=dict)
    scenarios: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def profiles_of(self, criteria_set: CriteriaSet) -> tuple[Path | None, list[Provider], list[Provider]]:
        """The set's profiles folder, its profiles (options and references) and its components."""
        if not criteria_set.providers:
            return None, [], []
        folder = resolve_providers_dir(criteria_set, None).resolve()
        return folder, self.providers.get(folder, []), self.components.get(folder, [])


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


def _profiles_folder(path: Path) -> Path:
    """The study folder a profile belongs to (a component's is its `components/` folder's parent),
    as the user named it (messages keep their relative paths)."""
    folder = path.parent
    return folder.parent if folder.name == COMPONENTS_DIR else folder


def scan(paths: list[str | Path]) -> Catalogue:
    """Read every YAML file under `paths`; profiles are loaded by folder (so composed options find
    their components) and checked against every set using that folder."""
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
                cs = criteria_set_from_doc(doc, path)
            except LoadError as exc:
                cat.problems.extend(exc.problems)
            else:
                cat.criteria_sets.append(cs)
                cat.warnings.extend(cs.warnings)
    leaves_by_folder: dict[Path, dict[str, Criterion]] = defaultdict(dict)
    for cs in cat.criteria_sets:
        if cs.providers:
            leaves_by_folder[resolve_providers_dir(cs, None).resolve()].update({leaf.id: leaf for leaf in cs.leaves()})
    scanned = {path.resolve() for path, _, kind in docs if kind == "provider"}
    folders = {_profiles_folder(path).resolve(): _profiles_folder(path) for path, _, kind in docs if kind == "provider"}
    parsed = {path.resolve(): doc for path, doc, _ in docs}

    def read(path: Path) -> YamlDoc:  # each file is parsed once per scan
        return parsed.get(path.resolve()) or read_yaml(path)

    for folder, named in sorted(folders.items()):
        providers, components, problems = load_profiles(named, leaves_by_folder.get(folder), read=read)
        cat.problems.extend(p for p in problems if Path(p.file).resolve() in scanned)
        cat.providers[folder] = [p for p in providers if p.path and p.path.resolve() in scanned]
        cat.components[folder] = components
        for profile in providers + components:
            if profile.path and profile.path.resolve() in scanned:
                cat.warnings.extend(profile.warnings)
    sets = {cs.path.resolve(): cs for cs in cat.criteria_sets if cs.path}
    for path, doc, kind in docs:
        if kind == "scenario":
            cat.scenarios += 1
            cat.problems.extend(_check_scenario(doc, path, sets, cat))
    return cat


def _check_scenario(doc, path: Path, sets: dict[Path, CriteriaSet], cat: Catalogue) -> list[Problem]:
    """A scenario is checked against the criteria set it names (ids of criteria and providers);
    a set and profiles this scan already read are not read again."""
    criteria_set, provider_ids = None, None
    named = doc.data.get("criteria") if isinstance(doc.data, dict) else None
    if isinstance(named, str):
        candidates = [Path(named), REPO_ROOT / named, path.parent / named]
        found = next((c for c in candidates if is_file(c)), None)
        if found is None:
            return [Problem(str(path), doc.line(("criteria",)), "criteria", f"criteria set {named!r} not found")]
        criteria_set = sets.get(found.resolve())
        _, known, _ = cat.profiles_of(criteria_set) if criteria_set else (None, [], [])
        try:
            if criteria_set is None:
                criteria_set = load_criteria_set(found)
            if not known:
                known, _ = load_providers(resolve_providers_dir(criteria_set, None), ignore_unknown=True)
        except LoadError:
            return []  # the set's own problems are reported with the set
        provider_ids = [p.id for p in known]
    try:
        scenario_from_doc(doc, criteria_set, provider_ids, path)
    except LoadError as exc:
        return exc.problems
    return []


def validate_paths(paths: list[str | Path]) -> tuple[list[Problem], dict[str, int]]:
    """The errors found in the files under `paths` (warnings: `check_paths`) and what was read."""
    report = check_paths(paths)
    return report.errors, report.summary


@dataclass
class Validation:
    errors: list[Problem]
    warnings: list[Problem]
    summary: dict[str, int]
    catalogue: Catalogue


def check_paths(paths: list[str | Path], today: dt.date | None = None) -> Validation:
    """Errors and evidence warnings (`workbench.evidence.checks`) of every file under `paths`."""
    cat = scan(paths)
    warnings = list(cat.warnings)
    for cs in cat.criteria_sets:
        _, providers, components = cat.profiles_of(cs)
        try:
            policy = study_policy(cs)
        except LoadError as exc:
            cat.problems.extend(exc.problems)
            continue
        warnings.extend(evidence_warnings(cs, providers + components, policy, today))
        cat.problems.extend(p for p in seat_problems(cs, providers + components) if p not in cat.problems)
    unique = list(dict.fromkeys(warnings))  # a folder shared by two sets is checked once per set
    summary = {
        "files": cat.files,
        "criteria_sets": len(cat.criteria_sets),
        "providers": sum(len(v) for v in cat.providers.values()),
        "components": sum(len(v) for v in cat.components.values()),
        "scenarios": cat.scenarios,
    }
    return Validation(cat.problems, unique, summary, cat)


def seat_problems(criteria_set: CriteriaSet, profiles: list[Provider]) -> list[Problem]:
    """Cost blocks with per-seat amounts among `profiles` when the set gives no `seats`: pricing
    the set on its own would fail (`costs.seats_in_force`), so each block is an error at its
    `per_seat` line, once however many options share it."""
    settings = CostSettings(seats=criteria_set.cost_settings.get("seats"))
    if settings.seats is not None:
        return []
    out: dict[tuple[str, int], Problem] = {}
    for profile in profiles:
        costs = profile.costs
        if not isinstance(costs, Costs):
            continue
        try:
            seats_in_force(costs, settings)
        except CostsError as exc:
            for field, message in exc.problems:
                file, line = costs.file or str(profile.path or profile.id), costs.line_of(field) or 1
                out[(file, line)] = Problem(file, line, field, f"{message} ({criteria_set.id})")
    return list(out.values())


def study_policy(criteria_set: CriteriaSet) -> SourcePolicy:
    """The project's source policy, extended by the set's own `source_policy` file if it names one."""
    policy = load_policy()
    if criteria_set.source_policy:
        base = (criteria_set.path or Path(".")).resolve().parent
        candidates = [base / criteria_set.source_policy, REPO_ROOT / criteria_set.source_policy]
        found = next((c for c in candidates if is_file(c)), candidates[0])
        policy = policy.extended(load_policy(found))
    return policy


# --- coverage --------------------------------------------------------------------------------


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
            # An assumption is complete without a source: its rationale says what is assumed.
            if not all(has.values()) and not (score.status == "assumption" and has["rationale"] and has["confidence"]):
                incomplete.append(leaf.id)
            if stale_months is not None:
                for src in score.sources:
                    date = parse_partial_date(src.published)
                    if date is None or months_between(date.latest, today) > stale_months:
                        stale.append((leaf.id, src.title, src.published or "no date"))
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


def evidence_coverage(cat: Catalogue, today: dt.date | None = None) -> list[dict[str, object]]:
    """`workbench.evidence.study_coverage` of every set found (its profiles and components)."""
    out = []
    for cs in cat.criteria_sets:
        _, providers, components = cat.profiles_of(cs)
        try:
            policy = study_policy(cs)
        except LoadError:
            continue  # reported by check_paths
        out.append(study_coverage(cs, providers + components, policy, today))
    return out


def coverage_report(cat: Catalogue, stale_months: int | None = None, today: dt.date | None = None) -> str:
    """The coverage as text: completeness per profile, then the evidence figures per study."""
    lines = []
    figures = {c["study"]: c for c in evidence_coverage(cat, today)}
    for cs in cat.criteria_sets:
        _, providers, components = cat.profiles_of(cs)
        rows = coverage(cs, providers + components, stale_months, today)
        total = sum(r.leaves for r in rows)
        full = sum(r.leaves - len(r.missing) - len(r.incomplete) for r in rows)
        share = full / total if total else 1.0
        lines.append(
            f"{cs.id}: {len(providers)} profile(s), {len(components)} component(s), "
            f"{share:.0%} of scores with rationale, source and confidence"
        )
        totals = figures.get(cs.id, {}).get("totals", {})
        if totals:
            lines.append(
                f"  evidence: {totals['share_verified']:.0%} verified, {totals['share_official']:.0%} with an official "
                f"source, {totals['assumptions']} assumption(s), {totals['stale']} stale, {totals['undated']} undated "
                f"source(s), {totals['padded']} padded URL(s)"
            )
        by_profile = {row["profile"]: row for row in figures.get(cs.id, {}).get("profiles", [])}
        for r in rows:
            ev = by_profile.get(r.provider, {})
            age = ev.get("median_source_age_months")
            lines.append(
                f"  {r.provider}: {r.share():.0%} complete (rationale {r.with_rationale}/{r.leaves}, "
                f"source {r.with_source}/{r.leaves}, confidence {r.with_confidence}/{r.leaves})"
                + (f"; verified {ev['verified']}, official {ev['with_official']}, assumptions {ev['assumptions']}, "
                   f"median source age {'-' if age is None else f'{age:g}'} months" if ev else "")
            )  # fmt: skip
            for leaf in r.missing:
                lines.append(f"    missing score: {leaf}")
            for leaf in r.incomplete:
                lines.append(f"    without rationale, source or confidence: {leaf}")
            for leaf, title, date in r.stale:
                lines.append(f"    stale source ({date}): {leaf}: {title}")
    return "\n".join(lines)

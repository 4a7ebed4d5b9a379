"""The evidence warnings of `validate` (`--strict` makes them fail), each at the line concerned.

| code | when |
| source-undated | `published` is missing or `unknown` |
| source-stale | the score's newest source is older than its criterion's `freshness_months` |

A score that declares itself an `assumption` with `low` confidence claims no fact: its sources are
pointers for whoever checks it next, so they are not warned as undated or stale (they are still
checked for kind and blocked domains).
| source-kind-missing | a source has no `kind` and the source policy knows no default for its domain |
| source-padding | one URL backs more than `padding_limit` scores of one profile |
| blocked-domain | the URL's domain is blocked by the source policy |
| weak-evidence | confidence `high` without an official, vendor or analysis source; or only reference or community sources with a confidence above `low` |
| status-missing | a score has no `status` |
| status-mismatch | `verified` with only vendor sources; `disputed` without two sources and a `dispute` note; a rationale saying the fact is assumed or undocumented under another status than `assumption` |
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from ..errors import Problem
from ..model import DEFAULT_FRESHNESS_MONTHS, CriteriaSet, Provider, Score, Source
from .dates import months_between, parse_partial_date
from .policy import SourcePolicy

STRONG_KINDS = {"official", "vendor", "analysis"}
WEAK_KINDS = {"reference", "community"}
# Phrases by which a rationale admits that its key fact is not sourced (English and French).
ASSUMED = re.compile(
    r"from memory|not documented|undocumented|\bassumed\b|de mémoire|non documenté|pas documenté|\bsupposée?s?\b",
    re.IGNORECASE,
)


def freshness(criteria_set: CriteriaSet) -> dict[str, int]:
    """Months after which each leaf's evidence is stale: its own `freshness_months`, else its
    nearest ancestor's, else the set's, else 18."""
    out: dict[str, int] = {}
    default = criteria_set.freshness_months or DEFAULT_FRESHNESS_MONTHS

    def walk(nodes, inherited: int) -> None:
        for node in nodes:
            months = node.freshness_months or inherited
            if node.is_leaf:
                out[node.id] = months
            walk(node.children, months)

    walk(criteria_set.criteria, default)
    return out


def own_scores(profile: Provider) -> dict[str, Score]:
    """The scores a profile's own file gives (a composed option's others belong to its components)."""
    file = f"{profile.path or profile.id}:"
    return {k: s for k, s in profile.scores.items() if not s.origin or s.origin.startswith(file)}


def source_kind(source: Source, policy: SourcePolicy) -> str | None:
    return source.kind or policy.default_kind(source.url)


def newest_published(sources: Iterable[Source]) -> dt.date | None:
    dates = [d.latest for s in sources if (d := parse_partial_date(s.published)) is not None]
    return max(dates) if dates else None


def evidence_warnings(
    criteria_set: CriteriaSet, profiles: Iterable[Provider], policy: SourcePolicy, today: dt.date | None = None
) -> list[Problem]:
    """Every warning of the table above for the profiles (options, references and components) of one set."""
    today = today or dt.date.today()
    months = freshness(criteria_set)
    out: list[Problem] = []
    for profile in profiles:
        out.extend(_profile_warnings(profile, criteria_set, months, policy, today))
    return out


def _profile_warnings(
    profile: Provider, criteria_set: CriteriaSet, months: dict[str, int], policy: SourcePolicy, today: dt.date
) -> list[Problem]:
    file = str(profile.path or profile.id)
    out: list[Problem] = []

    def warn(line: int | None, field: str, code: str, message: str) -> None:
        out.append(Problem(file, line or 1, field, message, code=code, severity="warning"))

    uses: dict[str, list[tuple[str, Source]]] = defaultdict(list)
    tco_leaves = {leaf.id for leaf in criteria_set.leaves() if leaf.source == "tco"}
    for leaf_id, score in own_scores(profile).items():
        if leaf_id not in months or leaf_id in tco_leaves or score.value is None:
            continue
        field = f"scores.{leaf_id}"
        claims = not is_declared_assumption(score)
        for i, source in enumerate(score.sources):
            _source_warnings(source, f"{field}.sources[{i}]", policy, warn, dated=claims)
            if source.url:
                uses[source.url].append((leaf_id, source))
        _score_warnings(score, field, months[leaf_id] if claims else None, policy, today, warn)
    for url, cited in uses.items():
        leaves = sorted({leaf for leaf, _ in cited})
        if len(leaves) > policy.padding_limit:
            first = min((s.line or 1 for _, s in cited), default=1)
            warn(first, "sources", "source-padding",
                 f"{url} backs {len(leaves)} scores of this profile (more than {policy.padding_limit}): "
                 f"{', '.join(leaves)}; cite the page that states each fact")  # fmt: skip
    return out


def is_declared_assumption(score: Score) -> bool:
    """An `assumption` of `low` confidence: the score says it rests on no checked, current fact."""
    return score.status == "assumption" and score.confidence == "low"


def _source_warnings(source: Source, field: str, policy: SourcePolicy, warn, dated: bool = True) -> None:
    if dated and parse_partial_date(source.published) is None:
        warn(source.line, f"{field}.published", "source-undated",
             f"{source.title!r} has no publication date (YYYY-MM-DD, YYYY-MM or YYYY)")  # fmt: skip
    if source_kind(source, policy) is None:
        warn(source.line, f"{field}.kind", "source-kind-missing",
             f"{source.title!r} says not what kind of source it is (official, vendor, press, analysis, "
             "reference or community)")  # fmt: skip
    reason = policy.blocked_reason(source.url) if source.url else None
    if reason:
        warn(source.line, f"{field}.url", "blocked-domain", f"{source.url} is not evidence: {reason}")


def _score_warnings(
    score: Score, field: str, freshness_months: int | None, policy: SourcePolicy, today: dt.date, warn
) -> None:
    """`freshness_months` None: the score is not checked for staleness (a declared assumption)."""
    kinds = [source_kind(s, policy) for s in score.sources]
    newest = newest_published(score.sources)
    if freshness_months is not None and newest is not None and months_between(newest, today) > freshness_months:
        warn(score.line, field, "source-stale",
             f"the newest source is from {newest:%Y-%m}, older than {freshness_months} months")  # fmt: skip
    if score.confidence == "high" and not STRONG_KINDS.intersection(kinds):
        warn(score.line, f"{field}.confidence", "weak-evidence",
             "confidence 'high' needs an official, vendor or analysis source")  # fmt: skip
    elif kinds and all(k in WEAK_KINDS for k in kinds) and score.confidence not in (None, "low"):
        warn(score.line, f"{field}.confidence", "weak-evidence",
             "only reference or community sources: confidence can be 'low' at most")  # fmt: skip
    status = score.status
    if status is None:
        warn(score.line, field, "status-missing",
             "no status (verified, vendor-claim, estimate, assumption or disputed)")  # fmt: skip
        return
    if status == "verified" and kinds and all(k == "vendor" for k in kinds):
        warn(score.line, f"{field}.status", "status-mismatch",
             "'verified' needs an official or independent source; with only the vendor's pages it is a "
             "'vendor-claim'")  # fmt: skip
    if status == "disputed" and (len(score.sources) < 2 or not score.dispute):
        warn(score.line, f"{field}.status", "status-mismatch",
             "'disputed' needs at least two sources and a 'dispute' note saying who says what")  # fmt: skip
    rationale = " ".join(filter(None, (score.rationale.en, score.rationale.fr))) if score.rationale else ""
    if status != "assumption" and ASSUMED.search(rationale):
        warn(score.line, f"{field}.status", "status-mismatch",
             f"the rationale says the fact is assumed or undocumented, but the status is {status!r}")  # fmt: skip

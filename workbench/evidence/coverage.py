"""Evidence coverage of a study: per profile and in total (`validate --coverage`).

Per profile: scores given, the share `verified`, the share with an `official` source, the median
age in months of the cited sources (publication date to the evaluation date), and the counts of
stale scores, undated sources, padded URLs and assumptions.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from ..model import CriteriaSet, Provider
from .checks import evidence_warnings, own_scores, source_kind
from .dates import months_between, parse_partial_date
from .policy import SourcePolicy


@dataclass(frozen=True)
class ProfileCoverage:
    profile: str
    role: str
    leaves: int
    scores: int
    missing: int
    verified: int
    with_official: int
    assumptions: int
    median_source_age_months: float | None
    stale: int
    undated: int
    padded: int

    @property
    def share_verified(self) -> float:
        return self.verified / self.scores if self.scores else 0.0

    @property
    def share_official(self) -> float:
        return self.with_official / self.scores if self.scores else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            **asdict(self),
            "share_verified": round(self.share_verified, 4),
            "share_official": round(self.share_official, 4),
        }


def profile_coverage(
    profile: Provider, criteria_set: CriteriaSet, policy: SourcePolicy, today: dt.date
) -> ProfileCoverage:
    leaves = {leaf.id for leaf in criteria_set.leaves() if leaf.source != "tco"}
    own = own_scores(profile)
    scores = [s for leaf, s in own.items() if leaf in leaves and s.value is not None]
    ages = [  # a page dated after the check (a typo, or a check run on an earlier day) counts as new
        max(0, months_between(d.latest, today))
        for s in scores
        for src in s.sources
        if (d := parse_partial_date(src.published)) is not None
    ]
    codes = Counter(p.code for p in evidence_warnings(criteria_set, [profile], policy, today))
    return ProfileCoverage(
        profile=profile.id,
        role=profile.role,
        leaves=len(leaves),
        scores=len(scores),
        missing=len(leaves - {leaf for leaf, s in profile.scores.items() if s.value is not None}),  # composed: all
        verified=sum(s.status == "verified" for s in scores),
        with_official=sum(any(source_kind(src, policy) == "official" for src in s.sources) for s in scores),
        assumptions=sum(s.status == "assumption" for s in scores),
        median_source_age_months=float(statistics.median(ages)) if ages else None,
        stale=codes["source-stale"],
        undated=codes["source-undated"],
        padded=codes["source-padding"],
    )


def study_coverage(
    criteria_set: CriteriaSet, profiles: Iterable[Provider], policy: SourcePolicy, today: dt.date | None = None
) -> dict[str, object]:
    """`{"study", "profiles": [...], "totals": {...}}` for one criteria set and its profiles."""
    today = today or dt.date.today()
    rows = [profile_coverage(p, criteria_set, policy, today) for p in profiles]
    scores = sum(r.scores for r in rows)
    totals = {
        "profiles": len(rows),
        "scores": scores,
        "share_verified": round(sum(r.verified for r in rows) / scores, 4) if scores else 0.0,
        "share_official": round(sum(r.with_official for r in rows) / scores, 4) if scores else 0.0,
        "assumptions": sum(r.assumptions for r in rows),
        "stale": sum(r.stale for r in rows),
        "undated": sum(r.undated for r in rows),
        "padded": sum(r.padded for r in rows),
    }
    return {
        "study": criteria_set.id,
        "date": today.isoformat(),
        "totals": totals,
        "profiles": [r.to_json() for r in rows],
    }

"""The evidence behind the ranking: every score with its rationale, status, confidence and
numbered sources (kind and publication date), the reference list those numbers point to, and
the study's evidence coverage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..costs import Costs
from ..evaluate import Evaluation
from ..evidence import STATUS_MARKS, SourcePolicy, source_line, status_legend
from ..i18n import fmt_number, t
from ..model import Criterion, Provider, Source
from ..study import Study
from .formatting import unit_for
from .provenance import display_path
from .safety import clean_text, one_line, safe_url
from .sections import Cell, CoverageRow, EvidenceSection, SourceRef


class References:
    """Numbers sources in order of first citation; the same source keeps its number.

    A source's kind is its own, else the source policy's default for its domain.
    """

    def __init__(self, lang: str, policy: SourcePolicy | None = None) -> None:
        self.items: list[SourceRef] = []
        self.lang = lang
        self.policy = policy
        self._index: dict[tuple[str, ...], int] = {}

    def kind_of(self, source: Source) -> str:
        if source.kind:
            return source.kind
        return (self.policy.default_kind(source.url) if self.policy else None) or ""

    def number(self, source: Source) -> int:
        kind = self.kind_of(source)
        published = str(source.published or "")
        key = (one_line(source.title), str(source.url or "").strip(), published, kind, str(source.accessed or ""),
               one_line(source.locator))  # fmt: skip
        if key not in self._index:
            self._index[key] = len(self.items) + 1
            text = one_line(source_line(source, self.lang, kind or None))
            self.items.append(
                SourceRef(self._index[key], key[0], safe_url(key[1]) or "", published, kind, key[4],
                          brief=self._brief(kind, published), text=text)
            )  # fmt: skip
        return self._index[key]

    def _brief(self, kind: str, published: str) -> str:
        """Kind and publication date in words: "official record, 2024-03-12"."""
        words = t(f"kind.{kind}", self.lang) if kind else t("kind.none", self.lang)
        date = published if published and published != "unknown" else t("report.source.undated", self.lang)
        return f"{words}, {one_line(date)}"


def display_value(leaf: Criterion, value: float | None, lang: str) -> str:
    """A score as a reader sees it: the level's label on an ordinal scale, else number and unit."""
    if value is None:
        return "—"
    label = leaf.scale.label_of(value, lang) if leaf.scale else None
    if label is not None:
        return f"{one_line(label)} ({value:g})"
    decimals = 0 if float(value).is_integer() else 2
    unit = f" {one_line(unit_for(value, leaf.scale.unit, lang))}" if leaf.scale and leaf.scale.unit else ""
    return f"{fmt_number(value, lang, decimals)}{unit}"


def status_text(status: str | None, lang: str) -> str:
    """The status mark and its word ("✔ verified"), "—" without a status."""
    if not status:
        return "—"
    mark = STATUS_MARKS.get(status, "")
    return f"{mark} {t(f'status.{status}', lang)}".strip()


def _origin(provider: Provider, origin: str | None) -> str:
    """`file:line` of a score given by another file than the option's own (a component), else ""."""
    if not origin:
        return ""
    file, _, line = origin.rpartition(":")
    if not file or (provider.path is not None and str(provider.path) == file):
        return ""
    return f"{display_path(file)}:{line}"


def matrix_cells(study: Study, evaluation: Evaluation, refs: References, lang: str) -> list[Cell]:
    """One cell per leaf × provider (leaf-major, reference models after the options), citing
    sources through `refs`.

    `normalized` is the value the method read when it normalised; a method without a
    normalisation read the raw values, so the cell has none rather than a copy of the raw value.
    A reference model is not in the study's matrix: its cell shows the profile's own value.
    """
    notes = {(o.provider, o.criterion): o.note for o in study.scenario.overrides}
    normalised = evaluation.normalization is not None
    cells = []
    for j, leaf in enumerate(study.leaves):
        for i, provider in enumerate(study.providers):
            missing = bool(study.missing[i, j])
            value = None if missing else float(study.matrix[i, j])
            cell = _cell(provider, leaf, value, refs, lang)
            cell.normalized = float(evaluation.normalized[i, j]) if normalised and not missing else None
            cell.missing = missing
            cell.overridden = bool(study.overridden[i, j])
            cell.note = clean_text(notes.get((provider.id, leaf.id), ""))
            cells.append(cell)
        for provider in study.references:
            score = provider.scores.get(leaf.id)
            value = None if score is None or score.value is None else float(score.value)
            cell = _cell(provider, leaf, value, refs, lang)
            cell.missing, cell.reference = value is None, True
            cells.append(cell)
    cite_cost_sources(study, refs)
    return cells


def _cell(provider: Provider, leaf: Criterion, value: float | None, refs: References, lang: str) -> Cell:
    score = provider.scores.get(leaf.id)
    return Cell(
        provider=provider.id,
        criterion=leaf.id,
        value=value,
        display=display_value(leaf, value, lang),
        normalized=None,
        rationale=clean_text(score.rationale.get(lang)) if score and score.rationale else "",
        confidence=score.confidence if score else None,
        sources=[refs.number(s) for s in score.sources] if score else [],
        disputed=bool(score.disputed) if score else False,
        range=list(score.range) if score and score.range else None,
        missing=False,
        overridden=False,
        note="",
        status=score.status if score else None,
        origin=_origin(provider, score.origin) if score else "",
    )


def cite_cost_sources(study: Study, refs: References) -> None:
    """Cost-model sources join the reference list after the score sources."""
    for provider in [*study.providers, *study.references]:
        if isinstance(provider.costs, Costs):
            for source in provider.costs.sources:
                if source.title:
                    refs.number(source)


def evidence_section(
    coverage: Mapping[str, Any], profiles: Iterable[Provider], components: Sequence[Provider], lang: str
) -> EvidenceSection:
    """The coverage figures (`workbench.evidence.study_coverage`) with the profiles' names."""
    names = {p.id: one_line(p.name.get(lang)) for p in [*profiles, *components]}
    parts = {p.id for p in components}
    totals = coverage.get("totals", {})
    rows = [
        CoverageRow(
            id=str(row["profile"]),
            name=names.get(row["profile"], one_line(row["profile"])),
            role="component" if row["profile"] in parts else str(row.get("role") or "option"),
            scores=int(row["scores"]),
            missing=int(row.get("missing", 0)),
            share_verified=float(row["share_verified"]),
            share_official=float(row["share_official"]),
            assumptions=int(row["assumptions"]),
            median_source_age_months=_float(row.get("median_source_age_months")),
            stale=int(row["stale"]),
            undated=int(row["undated"]),
            padded=int(row["padded"]),
        )
        for row in coverage.get("profiles", [])
    ]
    return EvidenceSection(
        date=str(coverage.get("date", "")),
        profiles=int(totals.get("profiles", len(rows))),
        scores=int(totals.get("scores", 0)),
        share_verified=float(totals.get("share_verified", 0.0)),
        share_official=float(totals.get("share_official", 0.0)),
        assumptions=int(totals.get("assumptions", 0)),
        stale=int(totals.get("stale", 0)),
        undated=int(totals.get("undated", 0)),
        padded=int(totals.get("padded", 0)),
        rows=rows,
        legend=status_legend(lang),
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)

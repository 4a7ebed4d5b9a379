"""The evidence behind the ranking: every score with its rationale, confidence and numbered
sources, and the reference list those numbers point to."""

from __future__ import annotations

from ..costs import Costs
from ..evaluate import Evaluation
from ..i18n import fmt_number
from ..model import Criterion
from ..study import Study
from .safety import clean_text, one_line, safe_url
from .sections import Cell, SourceRef


class References:
    """Numbers sources in order of first citation; the same (title, url, date) keeps its number."""

    def __init__(self) -> None:
        self.items: list[SourceRef] = []
        self._index: dict[tuple[str, str, str], int] = {}

    def number(self, title: str, url: str, date: str) -> int:
        key = (one_line(title), url.strip(), str(date))
        if key not in self._index:
            self._index[key] = len(self.items) + 1
            self.items.append(SourceRef(self._index[key], key[0], safe_url(key[1]) or "", key[2]))
        return self._index[key]


def display_value(leaf: Criterion, value: float | None, lang: str) -> str:
    """A score as a reader sees it: the level's label on an ordinal scale, else number and unit."""
    if value is None:
        return "—"
    label = leaf.scale.label_of(value, lang) if leaf.scale else None
    if label is not None:
        return f"{one_line(label)} ({value:g})"
    decimals = 0 if float(value).is_integer() else 2
    unit = f" {one_line(leaf.scale.unit)}" if leaf.scale and leaf.scale.unit else ""
    return f"{fmt_number(value, lang, decimals)}{unit}"


def matrix_cells(study: Study, evaluation: Evaluation, refs: References, lang: str) -> list[Cell]:
    """One cell per leaf × provider (leaf-major), citing sources through `refs`.

    `normalized` is the value the method read when it normalised; a method without a
    normalisation read the raw values, so the cell has none rather than a copy of the raw value.
    """
    notes = {(o.provider, o.criterion): o.note for o in study.scenario.overrides}
    normalised = evaluation.normalization is not None
    cells = []
    for j, leaf in enumerate(study.leaves):
        for i, provider in enumerate(study.providers):
            score = provider.scores.get(leaf.id)
            missing = bool(study.missing[i, j])
            value = None if missing else float(study.matrix[i, j])
            numbers = [refs.number(s.title, s.url, s.date) for s in score.sources] if score else []
            cells.append(
                Cell(
                    provider=provider.id,
                    criterion=leaf.id,
                    value=value,
                    display=display_value(leaf, value, lang),
                    normalized=float(evaluation.normalized[i, j]) if normalised and not missing else None,
                    rationale=clean_text(score.rationale.get(lang)) if score and score.rationale else "",
                    confidence=score.confidence if score else None,
                    sources=numbers,
                    disputed=bool(score.disputed) if score else False,
                    range=list(score.range) if score and score.range else None,
                    missing=missing,
                    overridden=bool(study.overridden[i, j]),
                    note=clean_text(notes.get((provider.id, leaf.id), "")),
                )
            )
    cite_cost_sources(study, refs)
    return cells


def cite_cost_sources(study: Study, refs: References) -> None:
    """Cost-model sources join the reference list after the score sources."""
    for provider in study.providers:
        if isinstance(provider.costs, Costs):
            for source in provider.costs.sources:
                if source.title:
                    refs.number(str(source.title), str(source.url or ""), str(source.date or ""))

"""A loaded study (criteria set and profiles) -> the workbook's tables, nothing lost.

What a column carries goes into its column; the rest (descriptions, preference functions, cost
blocks, facts, dispute notes, quotes...) goes into the `advanced` sheet as YAML, so importing the
export gives back files that evaluate to the same numbers. A composed option is written with the
scores and costs it takes from its components (the workbook has no components).
"""

from __future__ import annotations

from typing import Any

import yaml

from ..costs.data import ZERO, Amount, Costs
from ..model import CriteriaSet, Criterion, Provider, Score, Source, Text
from .spreadsheet_format import (
    ADVANCED,
    COLUMNS,
    CRITERIA,
    FX_PREFIX,
    LEVELS,
    OPTIONS,
    SCORES,
    STUDY,
    STUDY_KEYS,
    Row,
    Sheet,
    StudyBook,
    empty_book,
)


def number(value: float | int) -> float | int:
    """2.0 -> 2 (tidier cells and files); other numbers unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _fr_en(text: Text | None) -> tuple[str | None, str | None]:
    return (text.fr, text.en) if text is not None else (None, None)


def source_data(source: Source) -> dict[str, str]:
    """A source as a file writes it (empty fields left out)."""
    fields = ("title", "url", "published", "accessed", "kind", "quote", "locator")
    return {k: getattr(source, k) for k in fields if getattr(source, k)}


def amount_data(amount: Amount) -> float | int | dict[str, float | int]:
    if not amount.is_range and amount.low == amount.likely:
        return number(amount.likely)
    return {"low": number(amount.low), "likely": number(amount.likely), "high": number(amount.high)}


def costs_data(costs: Costs) -> dict[str, Any]:
    """A cost block as a profile writes it."""
    data: dict[str, Any] = {"currency": costs.currency}
    for key, items in (("one_off", costs.one_off), ("annual", costs.annual)):
        if items:
            data[key] = {name: amount_data(a) for name, a in items.items()}
    per_seat = {k: {n: amount_data(a) for n, a in v.items()} for k, v in
                (("one_off", costs.per_seat_one_off), ("annual", costs.per_seat_annual)) if v}  # fmt: skip
    if per_seat:
        data["per_seat"] = per_seat
    for key, item in (("escalation", costs.escalation), ("exit", costs.exit)):
        if item != ZERO:
            data[key] = amount_data(item)
    if costs.sources:
        data["sources"] = [source_data(s) for s in costs.sources]
    return data


def _yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).strip()


class _Writer:
    def __init__(self, file: str) -> None:
        self.book = empty_book(file)
        for sheet in self.book.sheets.values():
            sheet.rows = []

    def add(self, sheet: str, **values: Any) -> None:
        rows = self.book.sheets[sheet].rows
        rows.append(Row(len(rows) + 2, {c: values.get(c) for c in COLUMNS[sheet]}))

    def advanced(self, target: str, data: dict[str, Any]) -> None:
        if data:
            self.add(ADVANCED, target=target, yaml=_yaml(data))

    def study(self, cs: CriteriaSet) -> None:
        name_fr, name_en = _fr_en(cs.name)
        settings = cs.cost_settings
        values = {"id": cs.id, "name_fr": name_fr, "name_en": name_en, "method": cs.method,
                  "horizon": settings.get("horizon"), "discount_rate": settings.get("discount_rate"),
                  "currency": settings.get("currency")}  # fmt: skip
        for key in STUDY_KEYS:
            self.add(STUDY, key=key, value=values[key])
        description_fr, description_en = _fr_en(cs.description)
        more = {"description_fr": description_fr, "description_en": description_en,
                "normalization": cs.normalization, "seats": settings.get("seats"),
                "freshness_months": cs.freshness_months, "source_policy": cs.source_policy}  # fmt: skip
        more.update({f"{FX_PREFIX}{cur}": rate for cur, rate in (settings.get("fx") or {}).items()})
        for key, value in more.items():
            if value is not None:
                self.add(STUDY, key=key, value=value)
        self.advanced("study", {"sources": [source_data(s) for s in cs.sources]} if cs.sources else {})

    def criteria(self, cs: CriteriaSet) -> None:
        parents = cs.parents()
        for node in cs.nodes():
            name_fr, name_en = _fr_en(node.name)
            values: dict[str, Any] = {"id": node.id, "parent": parents[node.id], "name_fr": name_fr,
                                      "name_en": name_en, "weight": number(node.weight)}  # fmt: skip
            extra: dict[str, Any] = {}
            if node.description is not None:
                extra["description"] = node.description.to_data()
            if node.freshness_months is not None:
                extra["freshness_months"] = node.freshness_months
            if node.is_leaf:
                self._leaf(node, values, extra)
            self.add(CRITERIA, **values)
            self.advanced(f"criterion:{node.id}", extra)

    def _leaf(self, node: Criterion, values: dict[str, Any], extra: dict[str, Any]) -> None:
        scale = node.scale
        values["direction"] = node.direction
        values["unit"] = scale.unit or None
        if not scale.ordinal:
            values["min"], values["max"] = number(scale.min), number(scale.max)
        for kind, levels in (("level", scale.levels), ("anchor", scale.anchors)):
            for level in levels:
                fr, en = _fr_en(level.label)
                self.add(LEVELS, criterion=node.id, kind=kind, value=number(level.value), label_fr=fr, label_en=en)
        rule = node.must_have
        if rule is not None:
            if rule.min is not None and rule.max is None and rule.allowed is None:
                values["must_have_min"] = number(rule.min)
            else:
                extra["must_have"] = {k: number(v) if not isinstance(v, list) else [number(x) for x in v]
                                      for k, v in rule.to_data().items()}  # fmt: skip
        if node.preference is not None:
            pref = node.preference
            extra["preference"] = {"function": pref.function,
                                   **{k: number(getattr(pref, k)) for k in ("q", "p", "s") if getattr(pref, k)}}  # fmt: skip
        if node.source is not None:
            extra["source"] = node.source

    def option(self, provider: Provider, leaves: list[Criterion]) -> None:
        name_fr, name_en = _fr_en(provider.name)
        self.add(OPTIONS, id=provider.id, name_fr=name_fr, name_en=name_en, role=provider.role)
        extra: dict[str, Any] = {}
        for key in ("kind", "summary"):
            text = getattr(provider, key)
            if text is not None:
                extra[key] = text.to_data()
        if provider.facts:
            extra["facts"] = provider.facts
        if provider.costs is not None:
            extra["costs"] = costs_data(provider.costs)
        self.advanced(f"option:{provider.id}", extra)
        for leaf in leaves:
            score = provider.scores.get(leaf.id)
            if score is not None:
                self._score(provider.id, leaf.id, score)

    def _score(self, option: str, criterion: str, score: Score) -> None:
        fr, en = _fr_en(score.rationale)
        low, high = (number(score.range[0]), number(score.range[1])) if score.range else (None, None)
        first = {"value": number(score.value) if score.value is not None else None, "low": low, "high": high,
                 "status": score.status, "confidence": score.confidence, "rationale_fr": fr, "rationale_en": en}  # fmt: skip
        sources = score.sources or (None,)
        for i, source in enumerate(sources):
            cited = {} if source is None else {
                "source_title": source.title, "source_url": source.url or None,
                "source_published": source.published or None, "source_accessed": source.accessed or None,
                "source_kind": source.kind or None,
            }  # fmt: skip
            self.add(SCORES, option=option, criterion=criterion, **(first if i == 0 else {}), **cited)
        extra: dict[str, Any] = {}
        if score.dispute is not None:
            extra["dispute"] = score.dispute.to_data()
        details = [{k: getattr(s, k) for k in ("quote", "locator") if getattr(s, k)} for s in score.sources]
        if any(details):
            while not details[-1]:
                details.pop()
            extra["sources"] = details
        self.advanced(f"score:{option}/{criterion}", extra)


def study_to_book(criteria_set: CriteriaSet, providers: list[Provider], file: str = "study.xlsx") -> StudyBook:
    """The tables of a loaded study: every option (references included) and every score."""
    writer = _Writer(file)
    writer.study(criteria_set)
    writer.criteria(criteria_set)
    leaves = criteria_set.leaves()
    for provider in providers:
        writer.option(provider, leaves)
    return writer.book


def sheet_rows(book: StudyBook, name: str) -> list[dict[str, Any]]:
    """A sheet's rows as plain dicts (for tests and the page)."""
    sheet: Sheet | None = book.sheets.get(name)
    return [dict(r.values) for r in sheet.rows] if sheet else []

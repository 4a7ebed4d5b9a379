"""A study's tables -> the YAML data of its files, checked by the same checker as hand-written YAML.

The sheets are turned into a criteria set's data and one profile's data per option, remembering
which cell each field came from. The data then goes through `criteria_set_from_doc` and
`provider_from_doc` (the one line-aware checker) in a `YamlDoc` whose "lines" are cell numbers,
so each problem the checker finds is mapped back to its sheet, row and column. Only what the
checker cannot see is checked here: ids repeated across rows, parents that do not exist, rows of
one score that disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import LoadError, Problem
from ..model import CriteriaSet
from .criteria import criteria_set_from_doc
from .providers import provider_from_doc
from .spreadsheet_advanced import merge_advanced
from .spreadsheet_cells import BookStudy
from .spreadsheet_format import (
    CRITERIA,
    FX_PREFIX,
    LEVELS,
    MORE_STUDY_KEYS,
    OPTIONS,
    STUDY,
    STUDY_KEYS,
    Row,
    StudyBook,
    as_text,
    is_blank,
    text_data,
)
from .spreadsheet_scores import OptionsReader

__all__ = ["BookStudy", "book_to_study"]

NUMBER_KEYS = ("horizon", "discount_rate", "seats", "freshness_months")
LEAF_ONLY = ("direction", "min", "max", "unit", "must_have_min")


class _Builder(OptionsReader):
    """The study and criteria sheets, the check, and the whole build."""

    # --- study sheet --------------------------------------------------------------------------

    def study(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        rows: dict[str, Row] = {}
        known = (*STUDY_KEYS, *MORE_STUDY_KEYS)
        for row in self.book.rows(STUDY):
            key = as_text(row.get("key"))
            if key is None:
                if not is_blank(row.get("value")):
                    self.problem(STUDY, row, "key", "a value without a key")
                continue
            if key in rows:
                self.problem(STUDY, row, "key", f"key {key!r} given twice (first in row {rows[key].number})")
                continue
            if key not in known and not key.startswith(FX_PREFIX):
                self.warn(
                    STUDY, row, "key", f"unknown key {key!r} ignored (expected one of: {', '.join(known)}, fx.XXX)"
                )
                continue
            rows[key] = row
        values = {k: r.get("value") for k, r in rows.items()}
        set_id = as_text(values.get("id"))
        root = self.ref(STUDY, rows.get("id"), "value") if "id" in rows else self.ref(STUDY, None)
        self.set_cells.put((), root)
        if set_id is None and STUDY in self.book.sheets:  # (a missing sheet is reported once, as such)
            self.out.problems.append(root.problem("the study needs an id (row 'id' of the study sheet)", field="id"))
        set_id = set_id or "study"
        data["id"] = set_id
        self.set_cells.put(("id",), root)
        data["name"] = text_data(values.get("name_fr"), values.get("name_en")) or set_id
        self._at(("name",), STUDY, rows.get("name_fr") or rows.get("name_en"), "value")
        description = text_data(values.get("description_fr"), values.get("description_en"))
        if description:
            data["description"] = description
            self._at(("description",), STUDY, rows.get("description_fr") or rows.get("description_en"), "value")
        data["providers"] = f"../providers/{set_id}"
        for key in ("method", "normalization", "currency", "source_policy"):
            text = as_text(values.get(key))
            if text is not None:
                data[key] = text
                self._at((key,), STUDY, rows[key], "value")
        for key in NUMBER_KEYS:
            if key in rows and not is_blank(values[key]):
                number = self.number(STUDY, rows[key], "value")
                if number is not None:
                    data[key] = number
                    self._at((key,), STUDY, rows[key], "value")
        fx = {k[len(FX_PREFIX) :]: r for k, r in rows.items() if k.startswith(FX_PREFIX)}
        for currency, row in fx.items():
            number = self.number(STUDY, row, "value")
            if number is not None:
                data.setdefault("fx", {})[currency] = number
                self._at(("fx", currency), STUDY, row, "value")
        self.out.set_id = set_id
        return data

    def _at(self, path: tuple, sheet: str, row: Row | None, column: str) -> None:
        if row is not None:
            self.set_cells.put(path, self.cell(sheet, row, column))

    # --- criteria sheet -----------------------------------------------------------------------

    def criteria(self) -> list[dict[str, Any]]:
        rows: dict[str, Row] = {}
        for row in self.book.rows(CRITERIA):
            if row.is_empty():
                continue
            node_id = as_text(row.get("id"))
            if node_id is None:
                self.problem(CRITERIA, row, "id", "a criterion needs an id")
            elif node_id in rows:
                self.problem(CRITERIA, row, "id", f"duplicate id {node_id!r} (first in row {rows[node_id].number})")
            else:
                rows[node_id] = row
        children: dict[str | None, list[str]] = {}
        for node_id, row in rows.items():
            parent = as_text(row.get("parent"))
            if parent is not None and parent not in rows:
                self.problem(CRITERIA, row, "parent", f"unknown parent {parent!r} (not an id of this sheet)")
                parent = None
            if parent == node_id:
                self.problem(CRITERIA, row, "parent", "a criterion cannot be its own parent")
                parent = None
            children.setdefault(parent, []).append(node_id)
        levels = self._levels(set(rows))
        placed: set[str] = set()

        def node(node_id: str, path: tuple) -> dict[str, Any]:
            placed.add(node_id)
            return self._node(node_id, rows[node_id], children, levels, path, node)

        tree = [node(i, ("criteria", k)) for k, i in enumerate(children.get(None, []))]
        for node_id in rows:
            if node_id not in placed:
                self.problem(CRITERIA, rows[node_id], "parent", "circular parents: this criterion is its own ancestor")
        return tree

    def _node(self, node_id, row, children, levels, path, build) -> dict[str, Any]:
        data: dict[str, Any] = {"id": node_id, "name": text_data(row.get("name_fr"), row.get("name_en")) or node_id}
        for key, column in ((path, "id"), (path + ("id",), "id"), (path + ("name",), "name_fr")):
            self.set_cells.put(key, self.cell(CRITERIA, row, column))
        weight = self.number(CRITERIA, row, "weight")
        if weight is not None:
            data["weight"] = weight
            self.set_cells.put(path + ("weight",), self.cell(CRITERIA, row, "weight"))
        kids = children.get(node_id, [])
        if kids:
            for column in LEAF_ONLY:
                if not is_blank(row.get(column)):
                    self.problem(
                        CRITERIA, row, column, "only a leaf (a criterion without sub-criteria) takes this column"
                    )
            data["criteria"] = [build(kid, path + ("criteria", k)) for k, kid in enumerate(kids)]
            self.set_cells.put(path + ("criteria",), self.cell(CRITERIA, row, "id"))
            return data
        direction = as_text(row.get("direction"))
        if direction is not None:
            data["direction"] = direction
            self.set_cells.put(path + ("direction",), self.cell(CRITERIA, row, "direction"))
        data["scale"] = self._scale(row, levels.get(node_id, {}), path + ("scale",))
        minimum = self.number(CRITERIA, row, "must_have_min")
        if minimum is not None:
            data["must_have"] = {"min": minimum}
            for key in (("must_have",), ("must_have", "min")):
                self.set_cells.put(path + key, self.cell(CRITERIA, row, "must_have_min"))
        return data

    def _scale(self, row: Row, levels: dict[str, list], path: tuple) -> dict[str, Any]:
        scale: dict[str, Any] = {}
        self.set_cells.put(path, self.cell(CRITERIA, row, "min"))
        for key in ("min", "max"):
            number = self.number(CRITERIA, row, key)
            if number is not None:
                scale[key] = number
                self.set_cells.put(path + (key,), self.cell(CRITERIA, row, key))
        unit = as_text(row.get("unit"))
        if unit is not None:
            scale["unit"] = unit
            self.set_cells.put(path + ("unit",), self.cell(CRITERIA, row, "unit"))
        for kind, key in (("level", "levels"), ("anchor", "anchors")):
            items = levels.get(kind, [])
            if items:
                scale[key] = [item for item, _ in items]
                for i, (_, level_row) in enumerate(items):
                    self.set_cells.put(path + (key, i), self.cell(LEVELS, level_row, "value"))
                    self.set_cells.put(path + (key, i, "value"), self.cell(LEVELS, level_row, "value"))
                    self.set_cells.put(path + (key, i, "label"), self.cell(LEVELS, level_row, "label_fr"))
        return scale

    def _levels(self, ids: set[str]) -> dict[str, dict[str, list]]:
        """criterion id -> {"level"|"anchor": [({value, label}, row)]} from the levels sheet."""
        out: dict[str, dict[str, list]] = {}
        for row in self.book.rows(LEVELS):
            if row.is_empty():
                continue
            criterion = as_text(row.get("criterion"))
            kind = as_text(row.get("kind")) or "level"
            if criterion not in ids:
                self.problem(
                    LEVELS, row, "criterion", f"unknown criterion {criterion!r} (not an id of the criteria sheet)"
                )
                continue
            if kind not in ("level", "anchor"):
                self.problem(LEVELS, row, "kind", f"{kind!r} is not one of: level, anchor")
                continue
            value = self.number(LEVELS, row, "value")
            if value is None:
                if is_blank(row.get("value")):
                    self.problem(LEVELS, row, "value", "a level needs a value")
                continue
            label = text_data(row.get("label_fr"), row.get("label_en")) or str(value)
            out.setdefault(criterion, {}).setdefault(kind, []).append(({"value": value, "label": label}, row))
        return out

    # --- checking -----------------------------------------------------------------------------

    def check(self, data: dict[str, Any], profiles: dict[str, dict[str, Any]]) -> None:
        file = self.book.file
        try:
            cs = criteria_set_from_doc(self.set_cells.doc(file, data))
        except LoadError as exc:
            self._mapped(exc.problems)
            cs = None
        else:
            self._mapped(cs.warnings)
            self.out.criteria_set = cs
        leaves = {leaf.id: leaf for leaf in cs.leaves()} if cs is not None else None
        for option_id, profile in profiles.items():
            try:
                provider = provider_from_doc(self.option_cells[option_id].doc(file, profile), leaves)
            except LoadError as exc:
                self._mapped(exc.problems)
                continue
            self._mapped(provider.warnings)
            self.out.providers.append(provider)
        if cs is not None:
            self._missing(cs, profiles)

    def _mapped(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            ref = self.resolve(p.line)
            mapped = ref.problem(p.message, code=p.code, severity=p.severity)
            (self.out.warnings if p.severity == "warning" else self.out.problems).append(mapped)

    def _missing(self, cs: CriteriaSet, profiles: dict[str, dict[str, Any]]) -> None:
        """One warning per option that lacks scores (evaluating then needs --allow-missing)."""
        needed = [leaf.id for leaf in cs.leaves() if leaf.source != "tco"]
        for option_id, profile in profiles.items():
            lacking = [leaf for leaf in needed if leaf not in profile["scores"]]
            if lacking:
                shown = ", ".join(lacking[:10]) + (f" and {len(lacking) - 10} more" if len(lacking) > 10 else "")
                self.warn(OPTIONS, self.option_rows[option_id], "id", f"no score yet for: {shown}")


def book_to_study(book: StudyBook) -> BookStudy:
    """Build and check the study a book describes; every problem names its sheet, row and column."""
    builder = _Builder(book)
    data = builder.study()
    data["criteria"] = builder.criteria()
    builder.set_cells.put(("criteria",), builder.ref(CRITERIA, None))
    profiles = builder.options()
    builder.scores(profiles)
    merge_advanced(book, builder, data, profiles)
    builder.check(data, profiles)
    out = builder.out
    out.criteria, out.profiles = data, profiles
    return out

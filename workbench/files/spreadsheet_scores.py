"""The `options` and `scores` sheets -> each option's profile data (scores with their evidence).

A score with several sources takes one row per source; its value, range, status, confidence and
rationale come from its first row (a later row that says otherwise is ignored with a warning).
"""

from __future__ import annotations

from typing import Any

from .spreadsheet_cells import Cells, SheetReader
from .spreadsheet_format import (
    EVIDENCE_COLUMNS,
    OPTIONS,
    SCORES,
    SOURCE_COLUMNS,
    Row,
    as_number,
    as_text,
    is_blank,
    text_data,
)


class OptionsReader(SheetReader):
    # --- options and scores -------------------------------------------------------------------

    def options(self) -> dict[str, dict[str, Any]]:
        profiles: dict[str, dict[str, Any]] = {}
        for row in self.book.rows(OPTIONS):
            if row.is_empty():
                continue
            option_id = as_text(row.get("id"))
            if option_id is None:
                self.problem(OPTIONS, row, "id", "an option needs an id")
                continue
            if option_id in profiles:
                first = self.option_rows[option_id].number
                self.problem(OPTIONS, row, "id", f"duplicate id {option_id!r} (first in row {first})")
                continue
            cells = self.option_cells[option_id] = Cells(self.refs)
            self.option_rows[option_id] = row
            for path, column in (((), "id"), (("id",), "id"), (("name",), "name_fr"), (("role",), "role")):
                cells.put(path, self.cell(OPTIONS, row, column))
            data: dict[str, Any] = {"id": option_id}
            data["name"] = text_data(row.get("name_fr"), row.get("name_en")) or option_id
            role = as_text(row.get("role"))
            if role is not None:
                data["role"] = role
            data["scores"] = {}
            cells.put(("scores",), self.cell(OPTIONS, row, "id"))
            profiles[option_id] = data
        return profiles

    def scores(self, profiles: dict[str, dict[str, Any]]) -> None:
        first: dict[tuple[str, str], Row] = {}
        for row in self.book.rows(SCORES):
            if row.is_empty():
                continue
            option, criterion = as_text(row.get("option")), as_text(row.get("criterion"))
            if option is None or criterion is None:
                self.problem(
                    SCORES, row, "option" if option is None else "criterion", "a score needs an option and a criterion"
                )
                continue
            if option not in profiles:
                if OPTIONS in self.book.sheets:  # else the missing sheet is the one problem to report
                    self.problem(SCORES, row, "option", f"unknown option {option!r} (not an id of the options sheet)")
                continue
            cells = self.option_cells[option]
            scores = profiles[option]["scores"]
            path = ("scores", criterion)
            key = (option, criterion)
            if key not in first:
                first[key] = row
                scores[criterion] = self._score(row, cells, path)
            else:
                self._same_score(row, first[key])
            if any(not is_blank(row.get(c)) for c in SOURCE_COLUMNS):
                sources = scores[criterion].setdefault("sources", [])
                where = path + ("sources", len(sources))
                sources.append(self._source(row, cells, where))

    def _score(self, row: Row, cells: Cells, path: tuple) -> dict[str, Any]:
        score: dict[str, Any] = {}
        cells.put(path, self.cell(SCORES, row, "criterion"))
        value = row.get("value")
        if not is_blank(value):
            number = as_number(value)
            score["value"] = number if number is not None else as_text(value)
            cells.put(path + ("value",), self.cell(SCORES, row, "value"))
        low, high = self.number(SCORES, row, "low"), self.number(SCORES, row, "high")
        if (low is None) != (high is None) and (is_blank(row.get("low")) or is_blank(row.get("high"))):
            self.problem(SCORES, row, "high" if high is None else "low", "a range needs both low and high")
        elif low is not None and high is not None:
            score["range"] = [low, high]
            cells.put(path + ("range",), self.cell(SCORES, row, "low"))
            cells.put(path + ("range", 0), self.cell(SCORES, row, "low"))
            cells.put(path + ("range", 1), self.cell(SCORES, row, "high"))
        for column in ("status", "confidence"):
            text = as_text(row.get(column))
            if text is not None:
                score[column] = text
                cells.put(path + (column,), self.cell(SCORES, row, column))
        rationale = text_data(row.get("rationale_fr"), row.get("rationale_en"))
        if rationale:
            score["rationale"] = rationale
            cells.put(path + ("rationale",), self.cell(SCORES, row, "rationale_fr"))
        return score

    def _same_score(self, row: Row, first: Row) -> None:
        for column in EVIDENCE_COLUMNS:
            value = row.get(column)
            if not is_blank(value) and value != first.get(column):
                self.warn(
                    SCORES,
                    row,
                    column,
                    f"ignored: a score's value and rationale come from its first row ({first.number})",
                )

    def _source(self, row: Row, cells: Cells, path: tuple) -> dict[str, Any]:
        source: dict[str, Any] = {}
        cells.put(path, self.cell(SCORES, row, "source_title"))
        for column in SOURCE_COLUMNS:
            text = as_text(row.get(column))
            if text is not None:
                key = column.removeprefix("source_")
                source[key] = text
                cells.put(path + (key,), self.cell(SCORES, row, column))
        return source

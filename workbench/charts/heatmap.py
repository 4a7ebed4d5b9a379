"""The score matrix as a heatmap, every cell coloured by its normalised score (0 worst, 1 best on
the declared scale), in two layouts (no Streamlit here):

- wide (screens, reports): one row an option, one column a criterion, names at an angle;
- compact (a phone's 390 px): one row a criterion with its name on up to two lines above the
  cells (as the horizontal bars do, `common.bar_y`), one column an option numbered in ranking
  order, and the numbers' key under the title. Every name is drawn whole or on wrapped lines
  instead of being cut to fit a column a few pixels wide.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..i18n import t
from .common import BAR_ROW, CHART_WIDTH, NAME_CHARS, NAME_FONT, bar_y, finish, provider_names, wrap_name, wrap_title

HEATMAP_SCHEME = "viridis"  # perceptually uniform and colour-blind safe
OVERRIDE_MARK = "✎"
ROW_HEIGHT = 26  # px per option row (a Vega-Lite step, so a stretched chart keeps every label)
COLUMN_WIDTH = 26  # px per criterion column, at least
HEATMAP_LABEL_LIMIT = 150  # px: the cells keep room; the full name is in the tooltip
CELL_HEIGHT = 18  # px: compact layout, the cells under a criterion's two lines of name
KEY_LINES = 3  # compact layout: lines of an option's name in the key under the title


def display_matrix(evaluation: Any, study: Any) -> np.ndarray:
    """The normalised matrix the evaluation used; PROMETHEE/VIKOR without one fall back to the
    declared scale, so the heatmap always reads 0 (worst) to 1 (best)."""
    from ..evaluate import normalized_matrix

    if evaluation.normalization is None or evaluation.normalization in ("vector", "sum", "max"):
        return normalized_matrix(study, "scale")
    return np.asarray(evaluation.normalized)


def _frame(evaluation: Any, study: Any, lang: str) -> tuple[pd.DataFrame, list[str], list[str]]:
    """One row a cell, the options' names in ranking order and the criteria's names."""
    names = provider_names(study, lang)
    r = display_matrix(evaluation, study)
    order = [names[res.id] for res in evaluation.results]
    position = {res.id: str(i) for i, res in enumerate(evaluation.results, start=1)}
    leaf_names = [leaf.name.get(lang) for leaf in study.leaves]
    n, m = r.shape
    # Built column-wise (a 100 × 60 study is 6 000 cells); tooltips format numbers in Vega with
    # the chart's locale rather than carrying pre-formatted strings.
    frame = pd.DataFrame(
        {
            "provider": np.repeat([names[pid] for pid in study.provider_ids], m),
            "key": np.repeat([position[pid] for pid in study.provider_ids], m),
            "criterion": np.tile(leaf_names, n),
            "value": r.reshape(-1).astype(float),
            "raw": np.asarray(study.matrix, dtype=float).reshape(-1),
            "mark": np.where(np.asarray(study.overridden).reshape(-1), OVERRIDE_MARK, ""),
        }
    )
    return frame, order, leaf_names


def _color(lang: str, **legend: Any) -> alt.Color:
    return alt.Color(
        "value:Q",
        scale=alt.Scale(scheme=HEATMAP_SCHEME, domain=[0, 1]),
        title=t("chart.heatmap.legend", lang),
        **({"legend": alt.Legend(**legend)} if legend else {}),
    )


def _tooltip(lang: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("provider:N", title=t("col.provider", lang)),
        alt.Tooltip("criterion:N", title=t("col.criterion", lang)),
        alt.Tooltip("raw:Q", title=t("chart.raw_value", lang), format=",.2~f"),
        alt.Tooltip("value:Q", title=t("chart.heatmap.legend", lang), format=".2f"),
    ]


# What-if scores carry the same mark as in the tables.
_MARK_TEXT = {"fontSize": 14, "fontWeight": "bold", "color": "#ffffff", "stroke": "#000000", "strokeWidth": 0.6}


def heatmap_chart(evaluation: Any, study: Any, lang: str = "fr", *, compact: bool = False) -> alt.TopLevelMixin:
    """Options × criteria, coloured by normalised score; `compact` is the phone layout (see the
    module's docstring)."""
    if compact:
        return _compact_heatmap(evaluation, study, lang)
    frame, order, leaf_names = _frame(evaluation, study, lang)
    x = alt.X(
        "criterion:N",
        sort=leaf_names,
        title=t("col.criterion", lang),
        axis=alt.Axis(labelLimit=HEATMAP_LABEL_LIMIT, labelAngle=-60),
    )
    y = alt.Y("provider:N", sort=order, title=None, axis=alt.Axis(labelLimit=HEATMAP_LABEL_LIMIT))
    cells = alt.Chart(frame).mark_rect().encode(x=x, y=y, color=_color(lang), tooltip=_tooltip(lang))
    marks = (
        alt.Chart(frame)
        .transform_filter(alt.datum.mark != "")
        .mark_text(**_MARK_TEXT)
        .encode(x=alt.X("criterion:N", sort=leaf_names), y=alt.Y("provider:N", sort=order), text="mark:N")
    )
    chart = alt.layer(cells, marks, title=wrap_title(t("chart.heatmap.title", lang))).properties(
        width=max(CHART_WIDTH, COLUMN_WIDTH * len(leaf_names)), height=alt.Step(ROW_HEIGHT)
    )
    return finish(chart, lang)


def _key_lines(order: list[str]) -> list[str]:
    """'1. Name' a line (wrapped, continuation lines indented) for the numbered columns."""
    lines: list[str] = []
    for i, name in enumerate(order, start=1):
        wrapped = wrap_name(f"{i}. {name}", NAME_CHARS, KEY_LINES).split("\n")
        lines += [wrapped[0], *("\u00a0\u00a0\u00a0" + line for line in wrapped[1:])]
    return lines


def _compact_heatmap(evaluation: Any, study: Any, lang: str) -> alt.TopLevelMixin:
    """A criterion a row (name above its cells), an option a numbered column (key under the title)."""
    frame, order, leaf_names = _frame(evaluation, study, lang)
    keys = [str(i) for i in range(1, len(order) + 1)]
    x = alt.X(
        "key:N",
        sort=keys,
        title=None,
        axis=alt.Axis(orient="top", labelAngle=0, labelFontSize=NAME_FONT, ticks=False, domain=False),
    )
    y = bar_y("criterion:N", leaf_names, leaf_names)
    # The cells fill the lower part of each row, under the criterion's name.
    place = {"height": CELL_HEIGHT, "yOffset": BAR_ROW / 2 - CELL_HEIGHT / 2 - 3}
    legend = {"orient": "bottom", "direction": "horizontal", "gradientLength": 200, "titleLimit": 300}
    cells = (
        alt.Chart(frame)
        .mark_rect(**place, stroke="#ffffff", strokeWidth=1)
        .encode(x=x, y=y, color=_color(lang, **legend), tooltip=_tooltip(lang))
    )
    marks = (
        alt.Chart(frame)
        .transform_filter(alt.datum.mark != "")
        .mark_text(**_MARK_TEXT, yOffset=place["yOffset"])
        .encode(x=alt.X("key:N", sort=keys), y=alt.Y("criterion:N", sort=leaf_names), text="mark:N")
    )
    title = alt.TitleParams(
        wrap_title(t("chart.heatmap.title", lang)),
        subtitle=_key_lines(order),
        subtitleFontSize=NAME_FONT,
        subtitlePadding=8,
    )
    chart = alt.layer(cells, marks, title=title).properties(width=CHART_WIDTH, height=alt.Step(BAR_ROW))
    return finish(chart, lang)

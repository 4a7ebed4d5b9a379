"""Altair chart builders shared by the app and the reports (no Streamlit here).

Every builder takes results the engine already computed and only reshapes them for plotting;
titles, axes and tooltips follow `lang`, and numbers use the locale's separators. Colours, names
and the finishing configuration come from `workbench.charts.common`.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import accumulate
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..i18n import catalog, fmt_number, fmt_percent, t
from ..methods import method_label
from ..model import CriteriaSet
from .common import (
    BAR_ROW,
    CHART_WIDTH,
    PALETTE,
    bar_mark,
    bar_y,
    bottom_legend,
    color_scale,
    finish,
    provider_colors,
    provider_names,
    wrap_title,
)
from .heatmap import display_matrix
from .heatmap import heatmap_chart as heatmap_chart  # the pages and reports import it from here

GROUP_SCHEME = "tableau20"  # criteria groups, not providers: up to 20 distinct hues
# px per provider or criterion row (a Vega-Lite step, so a stretched chart keeps every label).
ROW_HEIGHT = 26
PROVIDER_LEGEND = bottom_legend()

# Altair refuses more than 5,000 rows by default; a 100 × 60 heatmap has 6,000 and is still small.
alt.data_transformers.disable_max_rows()


def _top_groups(criteria_set: CriteriaSet) -> dict[str, str]:
    """Leaf id -> id of its top-level ancestor (itself for a top-level leaf)."""
    parents = criteria_set.parents()
    out = {}
    for leaf in criteria_set.leaves():
        node = leaf.id
        while parents.get(node) is not None:
            node = parents[node]
        out[leaf.id] = node
    return out


def contributions_chart(
    evaluation: Any, study: Any, lang: str = "fr", colors: Mapping[str, str] | None = None
) -> alt.TopLevelMixin:
    """Stacked horizontal bars: each provider's score split by top-level criterion group.

    A bar segment is Σ w_j r_ij over the group's leaves (the engine's `contributions`), so the
    bar length is the weighted-sum score. Methods whose score is not additive (TOPSIS, VIKOR,
    weighted product) get plain score bars in the provider colours instead.
    """
    names = provider_names(study, lang)
    order = [names[r.id] for r in evaluation.results]
    title = t("chart.contributions.title", lang)
    if not any(r.contributions for r in evaluation.results):
        rows = [
            {"provider": names[r.id], "score": r.score, "label": fmt_number(r.score, lang, 3), "rank": r.rank}
            for r in evaluation.results
        ]
        chart = (
            alt.Chart(pd.DataFrame(rows), title=wrap_title(t("chart.scores.title", lang)))
            .mark_bar(**bar_mark())
            .encode(
                y=bar_y("provider:N", order, order),
                x=alt.X("score:Q", title=t("col.score", lang)),
                color=alt.Color("provider:N", scale=color_scale(study.provider_ids, names, colors), legend=None),
                tooltip=[
                    alt.Tooltip("provider:N", title=t("col.provider", lang)),
                    alt.Tooltip("label:N", title=t("col.score", lang)),
                    alt.Tooltip("rank:Q", title=t("col.rank", lang)),
                ],
            )
            .properties(width=CHART_WIDTH, height=alt.Step(BAR_ROW))
        )
        return finish(chart, lang)
    cs = study.criteria_set
    top = _top_groups(cs)
    group_order = [n.id for n in cs.criteria]
    group_names = {n.id: n.name.get(lang) for n in cs.criteria}
    rows = []
    for r in evaluation.results:
        sums: dict[str, float] = dict.fromkeys(group_order, 0.0)
        for leaf_id, value in r.contributions.items():
            sums[top[leaf_id]] += value
        for gid in group_order:
            rows.append(
                {
                    "provider": names[r.id],
                    "group": group_names[gid],
                    "order": group_order.index(gid),
                    "value": sums[gid],
                    "label": fmt_number(sums[gid], lang, 3),
                }
            )
    chart = (
        alt.Chart(pd.DataFrame(rows), title=wrap_title(title))
        .mark_bar(**bar_mark())
        .encode(
            y=bar_y("provider:N", order, order),
            x=alt.X("sum(value):Q", title=t("chart.contributions.axis", lang)),
            color=alt.Color(
                "group:N",
                sort=[group_names[g] for g in group_order],
                scale=alt.Scale(scheme=GROUP_SCHEME),
                title=t("chart.group", lang),
                legend=bottom_legend(),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("provider:N", title=t("col.provider", lang)),
                alt.Tooltip("group:N", title=t("chart.group", lang)),
                alt.Tooltip("label:N", title=t("chart.contributions.axis", lang)),
            ],
        )
        .properties(width=CHART_WIDTH, height=alt.Step(BAR_ROW))
    )
    return finish(chart, lang)


def profile_chart(
    evaluation: Any, study: Any, provider_id: str, lang: str = "fr", colors: Mapping[str, str] | None = None
) -> alt.TopLevelMixin:
    """One provider's normalised score on every leaf (bars, in its colour) against the mean of
    the other providers (grey ticks)."""
    names = provider_names(study, lang)
    r = display_matrix(evaluation, study)
    i = study.provider_ids.index(provider_id)
    others = np.delete(r, i, axis=0)
    color = (colors or provider_colors(study.provider_ids)).get(provider_id, PALETTE[0])
    leaf_names = [leaf.name.get(lang) for leaf in study.leaves]
    rows = [
        {
            "criterion": leaf_names[j],
            "value": float(r[i, j]),
            "others": float(others[:, j].mean()) if len(others) else None,
            "label": fmt_number(float(r[i, j]), lang, 2),
            "weight": fmt_percent(evaluation.weights.get(leaf.id, 0.0), lang, 1),
        }
        for j, leaf in enumerate(study.leaves)
    ]
    base = alt.Chart(pd.DataFrame(rows)).encode(y=bar_y("criterion:N", leaf_names, leaf_names))
    bars = base.mark_bar(**bar_mark(color=color)).encode(
        x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1]), title=t("chart.heatmap.legend", lang)),
        tooltip=[
            alt.Tooltip("criterion:N", title=t("col.criterion", lang)),
            alt.Tooltip("label:N", title=t("chart.heatmap.legend", lang)),
            alt.Tooltip("weight:N", title=t("col.weight", lang)),
        ],
    )
    ticks = base.mark_tick(**bar_mark(color="#555555", thickness=3)).encode(x="others:Q")
    title = wrap_title(t("chart.profile.title", lang, name=names[provider_id]))
    chart = alt.layer(bars, ticks, title=title).properties(width=CHART_WIDTH, height=alt.Step(BAR_ROW))
    return finish(chart, lang)


def methods_chart(
    comparison: Mapping[str, Any], study: Any, lang: str = "fr", colors: Mapping[str, str] | None = None
) -> alt.TopLevelMixin:
    """Rank of every provider under each method (a bump chart; rank 1 at the top)."""
    names = provider_names(study, lang)
    methods = list(comparison["ranks"])
    labels = [method_label(m, lang) for m in methods]
    rows = [
        {"method": method_label(m, lang), "provider": names[pid], "rank": rank}
        for m in methods
        for pid, rank in comparison["ranks"][m].items()
        if pid in names
    ]
    df = pd.DataFrame(rows)
    n = len(study.provider_ids)
    enc = {
        # Method names on two lines if need be, never hidden for lack of room (a phone is narrow).
        "x": alt.X(
            "method:N",
            sort=labels,
            title=t("chart.methods.axis", lang),
            axis=alt.Axis(labelAngle=0, labelExpr="split(datum.label, ' ')", labelOverlap=False, labelPadding=6),
        ),  # fmt: skip
        "y": alt.Y(
            "rank:Q",
            scale=alt.Scale(domain=[n + 0.5, 0.5]),
            title=t("col.rank", lang),
            axis=alt.Axis(values=list(range(1, n + 1)), format="d"),
        ),  # fmt: skip
        "color": alt.Color(
            "provider:N",
            scale=color_scale(study.provider_ids, names, colors),
            title=t("col.provider", lang),
            legend=PROVIDER_LEGEND,
        ),
        "tooltip": [
            alt.Tooltip("provider:N", title=t("col.provider", lang)),
            alt.Tooltip("method:N", title=t("chart.methods.axis", lang)),
            alt.Tooltip("rank:Q", title=t("col.rank", lang)),
        ],
    }
    base = alt.Chart(df).encode(**enc)
    chart = alt.layer(
        base.mark_line(strokeWidth=3),
        base.mark_point(filled=True, size=120),
        title=wrap_title(t("chart.methods.title", lang)),
    ).properties(width=CHART_WIDTH, height=max(220, 2 * ROW_HEIGHT * n))
    return finish(chart, lang)


def cost_curves_chart(
    tco_results: Mapping[str, Any],
    lang: str = "fr",
    names: Mapping[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
) -> alt.TopLevelMixin:
    """Cumulative undiscounted cost by year (the `by_year` running sum) for each provider."""
    ids = list(tco_results)
    names = {pid: (names or {}).get(pid, pid) for pid in ids}
    currency = next((r.currency for r in tco_results.values()), "")
    rows = []
    for pid, result in tco_results.items():
        for year, total in enumerate(accumulate(result.by_year)):
            rows.append({"provider": names[pid], "year": year, "total": total, "label": fmt_number(total, lang, 1)})
    df = pd.DataFrame(rows, columns=["provider", "year", "total", "label"])
    base = alt.Chart(df).encode(
        x=alt.X(
            "year:Q",
            title=t("chart.costs.year", lang),
            axis=alt.Axis(format="d", tickMinStep=1),
            scale=alt.Scale(domain=[0, max((len(r.by_year) - 1 for r in tco_results.values()), default=1)], nice=False),
        ),
        y=alt.Y("total:Q", title=t("chart.costs.axis", lang, currency=currency)),
        color=alt.Color(
            "provider:N", scale=color_scale(ids, names, colors), title=t("col.provider", lang), legend=PROVIDER_LEGEND
        ),
        tooltip=[
            alt.Tooltip("provider:N", title=t("col.provider", lang)),
            alt.Tooltip("year:Q", title=t("chart.costs.year", lang)),
            alt.Tooltip("label:N", title=t("chart.costs.axis", lang, currency=currency)),
        ],
    )
    chart = alt.layer(
        base.mark_line(strokeWidth=3),
        base.mark_point(filled=True, size=40),
        title=wrap_title(t("chart.costs.title", lang)),
    ).properties(width=CHART_WIDTH)
    return finish(chart, lang)


def cost_item_label(key: str, lang: str) -> str:
    """A cost item's name for people: the catalogue's (`cost.item.<key>`) for the usual items,
    else the file's key with spaces ("build_and_integration" -> "Build and integration")."""
    known = catalog().get(f"cost.item.{key}")
    if known:
        return t(f"cost.item.{key}", lang)
    return key.replace("_", " ").strip().capitalize() or key


def cost_categories_chart(
    tco_results: Mapping[str, Any], lang: str = "fr", names: Mapping[str, str] | None = None
) -> alt.TopLevelMixin:
    """Undiscounted cost over the horizon per provider, stacked by category (licences, hosting, exit...)."""
    ids = list(tco_results)
    names = {pid: (names or {}).get(pid, pid) for pid in ids}
    currency = next((r.currency for r in tco_results.values()), "")
    rows = [
        {
            "provider": names[pid],
            "category": cost_item_label(category, lang),
            "amount": amount,
            "label": fmt_number(amount, lang, 1),
        }  # fmt: skip
        for pid, result in tco_results.items()
        for category, amount in result.by_category.items()
        if amount
    ]
    df = pd.DataFrame(rows, columns=["provider", "category", "amount", "label"])
    order = [names[p] for p in ids]
    chart = (
        alt.Chart(df, title=wrap_title(t("chart.costs.categories", lang)))
        .mark_bar(**bar_mark())
        .encode(
            y=bar_y("provider:N", order, order),
            x=alt.X("sum(amount):Q", title=t("chart.costs.total_axis", lang, currency=currency)),
            color=alt.Color(
                "category:N",
                scale=alt.Scale(scheme=GROUP_SCHEME),
                title=t("chart.costs.category", lang),
                legend=bottom_legend(),
            ),  # fmt: skip
            tooltip=[
                alt.Tooltip("provider:N", title=t("col.provider", lang)),
                alt.Tooltip("category:N", title=t("chart.costs.category", lang)),
                alt.Tooltip("label:N", title=t("chart.costs.total_axis", lang, currency=currency)),
            ],
        )
        .properties(width=CHART_WIDTH, height=alt.Step(BAR_ROW))
    )
    return finish(chart, lang)

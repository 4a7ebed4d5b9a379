"""Altair charts of a workshop round (no Streamlit): aggregated weights, dispersion, winners.

Readable on a projector: large labels, percentages on the axes, criteria in the order that
matters (the set's order for weights, most disputed first for dispersion).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from ..i18n import t
from ..model import CriteriaSet
from .common import BAR_ROW, PROJECTOR_FONT, bar_mark, bar_y, color_scale, finish, wrap_title

KIND_COLORS = {"mean": "#1f6f8b", "geometric": "#e69f00", "median": "#009e73"}  # Okabe-Ito, colour-blind safe


def aggregate_chart(results: Mapping[str, Any], criteria_set: CriteriaSet, lang: str) -> alt.TopLevelMixin:
    """Each leaf's share: a bar for the mean, marks for the geometric mean and the median."""
    names = {leaf.id: leaf.name.get(lang) for leaf in criteria_set.leaves()}
    agg = results.get("aggregate") or {}
    rows = [
        {"criterion": names.get(leaf, leaf), "kind": t(f"workshop.agg.{kind}", lang), "share": share}
        for kind in KIND_COLORS
        for leaf, share in (agg.get(kind) or {}).items()
    ]
    order = [names[k] for k in names if k in (agg.get("mean") or {})]
    kinds = [t(f"workshop.agg.{k}", lang) for k in KIND_COLORS]
    color = alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=list(KIND_COLORS.values())),
                      title=t("workshop.agg.kind", lang))  # fmt: skip
    base = alt.Chart(pd.DataFrame(rows)).encode(
        y=bar_y("criterion:N", order, order, font_size=PROJECTOR_FONT),
        x=alt.X("share:Q", axis=alt.Axis(format=".0%"), title=t("col.weight", lang)),
        color=color,
        tooltip=[
            alt.Tooltip("criterion:N", title=t("col.criterion", lang)),
            alt.Tooltip("kind:N", title=t("workshop.agg.kind", lang)),
            alt.Tooltip("share:Q", format=".1%", title=t("col.weight", lang)),
        ],  # fmt: skip
    )
    bars = base.transform_filter(alt.datum.kind == kinds[0]).mark_bar(**bar_mark(opacity=0.85))
    marks = (
        base.transform_filter(alt.datum.kind != kinds[0])
        .mark_point(size=90, filled=True, yOffset=bar_mark()["yOffset"])
        .encode(
            shape=alt.Shape(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=["square", "diamond", "triangle-up"]),
                title=t("workshop.agg.kind", lang),
            )  # fmt: skip
        )
    )
    chart = alt.layer(bars, marks).properties(
        title=wrap_title(t("workshop.aggregate.header", lang)), height=alt.Step(BAR_ROW), width="container"
    )
    return finish(chart, lang, projector=True)


def dispersion_chart(results: Mapping[str, Any], criteria_set: CriteriaSet, lang: str) -> alt.TopLevelMixin:
    """Box plot from the database's quartiles: min–max rule, Q1–Q3 box, median tick, mean dot;
    the most disputed criteria (largest standard deviation) on top."""
    names = {leaf.id: leaf.name.get(lang) for leaf in criteria_set.leaves()}
    disp = results.get("dispersion") or {}
    mean = (results.get("aggregate") or {}).get("mean") or {}
    df = pd.DataFrame([{"criterion": names.get(k, k), "mean": mean.get(k), **v} for k, v in disp.items()])
    order = [names.get(k, k) for k in disp]
    offset = bar_mark()["yOffset"]
    tip = [alt.Tooltip("criterion:N", title=t("col.criterion", lang))] + [
        alt.Tooltip(f"{c}:Q", format=".1%", title=t(f"workshop.col.{c}", lang)) for c in ("min", "q1", "median", "q3", "max")
    ] + [alt.Tooltip("sd:Q", format=".1%", title=t("workshop.col.sd", lang))]  # fmt: skip
    base = alt.Chart(df).encode(y=bar_y("criterion:N", order, order, font_size=PROJECTOR_FONT), tooltip=tip)
    x_title = t("col.weight", lang)
    rule = base.mark_rule(color="#555555", strokeWidth=2, yOffset=offset).encode(
        x=alt.X("min:Q", axis=alt.Axis(format=".0%"), title=x_title), x2="max:Q"
    )
    box = base.mark_bar(**bar_mark(color="#9ecae1", stroke="#1f6f8b")).encode(x="q1:Q", x2="q3:Q")
    median = base.mark_tick(color="#08306b", thickness=3, size=22, yOffset=offset).encode(x="median:Q")
    dot = base.mark_point(color="#d55e00", filled=True, size=70, shape="diamond", yOffset=offset).encode(x="mean:Q")
    chart = alt.layer(rule, box, median, dot).properties(
        title=wrap_title(t("workshop.dispersion.header", lang)), height=alt.Step(BAR_ROW), width="container"
    )
    return finish(chart, lang, projector=True)


def winners_chart(
    results: Mapping[str, Any], provider_names: Mapping[str, str], lang: str, colors: Mapping[str, str] | None = None
) -> alt.TopLevelMixin:
    """How many participants' own weights put each option first (bars in the providers' colours)."""
    winners = results.get("winners") or {}
    ids = list(provider_names)
    df = pd.DataFrame([{"option": provider_names[p], "count": int(winners.get(p, 0))} for p in ids if p in winners])
    order = [
        provider_names[p]
        for p in sorted(winners, key=lambda p: (-winners[p], ids.index(p) if p in ids else 0))
        if p in provider_names
    ]
    scale = color_scale(ids, provider_names, colors)
    bars = alt.Chart(df).encode(
        y=bar_y("option:N", order, order, font_size=PROJECTOR_FONT),
        x=alt.X("count:Q", title=t("workshop.col.wins", lang), axis=alt.Axis(tickMinStep=1, format="d")),
    )
    offset = bar_mark()["yOffset"]
    chart = alt.layer(
        bars.mark_bar(**bar_mark()).encode(
            color=alt.Color("option:N", scale=scale, legend=None), tooltip=["option:N", "count:Q"]
        ),  # fmt: skip
        bars.mark_text(align="left", dx=4, yOffset=offset, fontSize=PROJECTOR_FONT).encode(text="count:Q"),
    ).properties(height=alt.Step(BAR_ROW), width="container")
    return finish(chart, lang, projector=True)

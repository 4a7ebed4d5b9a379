"""Altair charts of the robustness analysis (no Streamlit here): rank acceptability, one-way
weight sweeps and the tornado of distances to a change of leader.

The builders only reshape what `workbench.robustness` computed. Providers keep the colours of
`workbench.charts.common.provider_colors`; titles, axes and tooltips follow `lang`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from ..i18n import fmt_percent, t
from ..robustness import SmaaResult, Sweep, Threshold
from .common import (
    BAR_ROW,
    CHART_WIDTH,
    bar_mark,
    bar_y,
    bottom_legend,
    color_scale,
    finish,
    provider_names,
    wrap_title,
)

RANK_SCHEME = "blues"
NO_CHANGE_COLOR = "#DDDDDD"
BAND_COLOR = "#117733"


def acceptability_frame(result: SmaaResult, study: Any, lang: str) -> pd.DataFrame:
    """One row per (alternative, rank) with its share of draws; alternatives by first-rank share."""
    names = provider_names(study, lang)
    n = len(result.provider_ids)
    order = sorted(range(n), key=lambda i: tuple(-result.rank_acceptability[i, r] for r in range(n)))
    rows = []
    for position, i in enumerate(order):
        pid = result.provider_ids[i]
        for r in range(n):
            share = float(result.rank_acceptability[i, r])
            rows.append({
                "provider": names[pid],
                "order": position,
                "rank": r + 1,
                "rank_label": t("robustness.acceptability.rank", lang, rank=r + 1),
                "share": share,
                "share_text": fmt_percent(share, lang, 1),
            })  # fmt: skip
    return pd.DataFrame(rows)


def acceptability_chart(result: SmaaResult, study: Any, lang: str = "fr") -> alt.TopLevelMixin:
    """Stacked horizontal bars: for each alternative, the share of draws at each rank (SMAA-2
    rank acceptability b_i^r); rank 1 darkest, alternatives by first-rank share."""
    df = acceptability_frame(result, study, lang)
    n = len(result.provider_ids)
    rank_labels = [t("robustness.acceptability.rank", lang, rank=r + 1) for r in range(n)]
    names = list(dict.fromkeys(df["provider"])) if len(df) else []
    chart = (
        alt.Chart(df, title=wrap_title(t("robustness.acceptability.title", lang)))
        .mark_bar(**bar_mark())
        .encode(
            y=bar_y("provider:N", alt.EncodingSortField("order"), names),
            x=alt.X(
                "share:Q",
                stack="zero",
                title=t("robustness.acceptability.share", lang),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),  # fmt: skip
            color=alt.Color(
                "rank_label:N",
                sort=rank_labels,
                title=t("col.rank", lang),
                scale=alt.Scale(scheme=RANK_SCHEME, reverse=True, domain=rank_labels),
                legend=bottom_legend(columns=min(n, 4), direction="horizontal"),
            ),  # fmt: skip
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("provider:N", title=t("col.provider", lang)),
                alt.Tooltip("rank_label:N", title=t("col.rank", lang)),
                alt.Tooltip("share_text:N", title=t("robustness.acceptability.share", lang)),
            ],
        )
        .properties(width=CHART_WIDTH, height=alt.Step(BAR_ROW))
    )
    return finish(chart, lang)


def sweep_frame(sweep: Sweep, study: Any, lang: str, eligible: Any = None) -> pd.DataFrame:
    names = provider_names(study, lang)
    ok = [True] * len(study.provider_ids) if eligible is None else [bool(e) for e in eligible]
    rows = []
    for k, weight in enumerate(sweep.t):
        for i, pid in enumerate(study.provider_ids):
            rows.append({"weight": float(weight), "provider": names[pid], "score": float(sweep.scores[k, i]),
                         "rank": int(sweep.ranks[k, i]), "eligible": t("robustness.yes" if ok[i] else "robustness.no", lang)})  # fmt: skip
    return pd.DataFrame(rows)


def sweep_chart(
    sweep: Sweep,
    study: Any,
    lang: str = "fr",
    *,
    higher_is_better: bool = True,
    colors: Mapping[str, str] | None = None,
    eligible: Any = None,
) -> alt.TopLevelMixin:
    """Score of every alternative as one leaf's weight goes from 0 to 1 (others keep their
    proportions); a rule marks the current weight and a band the interval where the leader holds.
    Alternatives failing a must-have (`eligible` False) are dashed: they cannot take first place."""
    names = provider_names(study, lang)
    ids = study.provider_ids
    criterion = study.criteria_set.node(sweep.leaf).name.get(lang)
    th: Threshold = sweep.threshold
    df = sweep_frame(sweep, study, lang, eligible)
    score_title = t("col.score", lang) + ("" if higher_is_better else " (Q ↓)")
    x = alt.X("weight:Q", title=t("robustness.sweep.weight", lang, criterion=criterion),
              axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))  # fmt: skip
    lines = (
        alt.Chart(df)
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("score:Q", title=score_title),
            color=alt.Color(
                "provider:N",
                title=t("col.provider", lang),
                scale=color_scale(ids, names, colors),
                legend=bottom_legend(),
            ),  # fmt: skip
            tooltip=[
                alt.Tooltip("provider:N", title=t("col.provider", lang)),
                alt.Tooltip("weight:Q", title=t("col.weight", lang), format=".1%"),
                alt.Tooltip("score:Q", title=t("col.score", lang), format=".3f"),
                alt.Tooltip("rank:Q", title=t("col.rank", lang)),
                alt.Tooltip("eligible:N", title=t("col.eligible", lang)),
            ],
            strokeDash=alt.StrokeDash(
                "eligible:N",
                title=t("col.eligible", lang),
                scale=alt.Scale(domain=[t("robustness.yes", lang), t("robustness.no", lang)], range=[[1, 0], [4, 4]]),
                legend=bottom_legend(),
            ),  # fmt: skip
        )
    )
    band = pd.DataFrame([{
        "start": th.lower if th.lower is not None else 0.0,
        "end": th.upper if th.upper is not None else 1.0,
        "label": t("robustness.sweep.stable", lang),
    }])  # fmt: skip
    shade = (
        alt.Chart(band)
        .mark_rect(opacity=0.12, color=BAND_COLOR)
        .encode(x="start:Q", x2="end:Q", tooltip=[alt.Tooltip("label:N", title=" ")])
    )
    now = pd.DataFrame([{"weight": th.current, "label": t("robustness.sweep.current", lang)}])
    rule = (
        alt.Chart(now)
        .mark_rule(strokeDash=[6, 3], color="#333333")
        .encode(
            x="weight:Q", tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("weight:Q", title=" ", format=".1%")]
        )
    )
    chart = alt.layer(shade, lines, rule).properties(
        title=wrap_title(t("robustness.sweep.title", lang, criterion=criterion)), width=CHART_WIDTH
    )
    return finish(chart, lang)


def tornado_frame(thresholds: Mapping[str, Threshold], study: Any, lang: str) -> pd.DataFrame:
    """Two rows per leaf (decrease, increase) in percentage points; a side without a change of
    leader spans to the end of [0, 1] and is flagged, so the bar shows how far was tried."""
    rows = []
    ranked = sorted(thresholds.values(), key=lambda th: (th.distance is None, th.distance or 0.0))
    for order, th in enumerate(ranked):
        name = study.criteria_set.node(th.leaf).name.get(lang)
        for side, bound, end in (("down", th.lower, 0.0), ("up", th.upper, 1.0)):
            reach = bound if bound is not None else end
            change = 100.0 * (reach - th.current)
            rows.append({
                "criterion": name,
                "order": order,
                "side": t(f"robustness.tornado.{side}", lang) if bound is not None else t("robustness.tornado.none", lang),
                "flips": bound is not None,
                "change": change,
                "text": f"{change:+.1f}" if bound is not None else t("robustness.tornado.none", lang),
                "current": fmt_percent(th.current, lang, 1),
            })  # fmt: skip
    return pd.DataFrame(rows)


def tornado_chart(thresholds: Mapping[str, Threshold], study: Any, lang: str = "fr") -> alt.TopLevelMixin:
    """Tornado: per leaf, how many percentage points its weight can fall (left) or rise (right)
    before the leader changes; the most sensitive leaves on top, grey where nothing changes."""
    df = tornado_frame(thresholds, study, lang)
    sides = [t("robustness.tornado.down", lang), t("robustness.tornado.up", lang), t("robustness.tornado.none", lang)]
    names = list(dict.fromkeys(df["criterion"])) if len(df) else []
    chart = (
        alt.Chart(df, title=wrap_title(t("robustness.tornado.title", lang)))
        .mark_bar(**bar_mark())
        .encode(
            y=bar_y("criterion:N", alt.EncodingSortField("order"), names),
            x=alt.X("change:Q", title=t("robustness.tornado.change", lang)),
            color=alt.Color(
                "side:N",
                title=None,
                scale=alt.Scale(domain=sides, range=["#CC6677", "#332288", NO_CHANGE_COLOR]),
                legend=bottom_legend(),
            ),  # fmt: skip
            tooltip=[
                alt.Tooltip("criterion:N", title=t("col.criterion", lang)),
                alt.Tooltip("current:N", title=t("robustness.sweep.current", lang)),
                alt.Tooltip("text:N", title=t("robustness.tornado.change", lang)),
            ],
        )
        .properties(width=CHART_WIDTH, height=alt.Step(BAR_ROW))
    )
    return finish(chart, lang)

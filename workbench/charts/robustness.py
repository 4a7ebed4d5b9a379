"""Altair charts of the robustness analysis (no Streamlit here): rank acceptability, one-way
weight sweeps and the tornado of distances to a change of leader.

The builders only reshape what `workbench.robustness` computed. Providers keep the colours of
`workbench.charts.common.provider_colors`; titles, axes and tooltips follow `lang`.

Colour is never the only carrier of meaning (WCAG 1.4.1): the rank shades carry their share as a
number, the tornado's sides without a change of leader are outlined with dashes, and the sweep's
lines have a marker shape per option. Every chart has a text alternative here too: a one-line
description (`*_alt`, for screen readers) and a table of the same data (`*_table`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import pandas as pd

from ..i18n import fmt_number, fmt_percent, t
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

# Rank shades from ColorBrewer's "Blues" ends (rank 1 darkest); each segment's number is written
# in whichever of DARK_TEXT and LIGHT_TEXT contrasts more with its shade.
RANK_DARK = "#08306B"
RANK_LIGHT = "#DEEBF7"
DARK_TEXT = "#121418"
LIGHT_TEXT = "#FFFFFF"
LABEL_MIN_SHARE = 0.12  # narrower segments carry no number (the table has them all)
LABEL_FONT = 11
NO_CHANGE_COLOR = "#DDDDDD"
NO_CHANGE_STROKE = "#555555"
BAND_COLOR = "#117733"
SWEEP_HEIGHT = 260  # px of plot
LEGEND_ROW = 26  # px a legend entry below a chart
SWEEP_FRAME = 150  # px of title, x axis and legend titles around the plot
TITLE_CHARS_PHONE = 30  # 18-px titles: about 30 characters fit a 390-px phone
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "triangle-left")
SWEEP_STEP = 2  # the chart draws every 2nd point of the engine's 101-point grid (2 % steps)
MARKER_EVERY = 5  # one marker every this many drawn points (11 markers)
YES, NO = "\u2713", "\u2717"  # ✓ ✗ beside the words yes / no


def eligible_text(ok: bool, lang: str) -> str:
    """'✓ oui' / '✗ non': the eligibility mark as a symbol and a word, never a colour alone."""
    return f"{YES if ok else NO} {t('robustness.yes' if ok else 'robustness.no', lang)}"


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _luminance(color: str) -> float:
    """WCAG 2.1 relative luminance of '#RRGGBB'."""
    channels = [c / 255 for c in _rgb(color)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rank_colors(n: int) -> list[str]:
    """`n` shades from RANK_DARK (rank 1) to RANK_LIGHT (rank n), evenly spaced in RGB."""
    dark, light = _rgb(RANK_DARK), _rgb(RANK_LIGHT)
    out = []
    for r in range(n):
        f = r / (n - 1) if n > 1 else 0.0
        out.append("#" + "".join(f"{round(d + (e - d) * f):02X}" for d, e in zip(dark, light, strict=True)))
    return out


def ink_for(fill: str) -> str:
    """The text colour (dark or white) that contrasts more with `fill`."""
    return LIGHT_TEXT if contrast(LIGHT_TEXT, fill) >= contrast(DARK_TEXT, fill) else DARK_TEXT


def acceptability_frame(result: SmaaResult, study: Any, lang: str) -> pd.DataFrame:
    """One row per (alternative, rank) with its share of draws; alternatives by first-rank share."""
    names = provider_names(study, lang)
    n = len(result.provider_ids)
    fills = rank_colors(n)
    rows = []
    for position, i in enumerate(acceptability_order(result)):
        pid = result.provider_ids[i]
        start = 0.0
        for r in range(n):
            share = float(result.rank_acceptability[i, r])
            rows.append({
                "provider": names[pid],
                "order": position,
                "rank": r + 1,
                "rank_label": t("robustness.acceptability.rank", lang, rank=r + 1),
                "share": share,
                "share_text": fmt_percent(share, lang, 1),
                "start": start,
                "end": start + share,
                "mid": start + share / 2,
                "label": fmt_percent(share, lang, 0) if share >= LABEL_MIN_SHARE else "",
                "ink": ink_for(fills[r]),
            })  # fmt: skip
            start += share
    return pd.DataFrame(rows)


def acceptability_order(result: SmaaResult) -> list[int]:
    """Provider positions by share of rank 1, then of rank 2, and so on (the chart's order)."""
    n = len(result.provider_ids)
    return sorted(range(n), key=lambda i: tuple(-result.rank_acceptability[i, r] for r in range(n)))


def acceptability_chart(result: SmaaResult, study: Any, lang: str = "fr") -> alt.TopLevelMixin:
    """Stacked horizontal bars: for each alternative, the share of draws at each rank (SMAA-2
    rank acceptability b_i^r); rank 1 darkest, alternatives by first-rank share."""
    df = acceptability_frame(result, study, lang)
    n = len(result.provider_ids)
    rank_labels = [t("robustness.acceptability.rank", lang, rank=r + 1) for r in range(n)]
    names = list(dict.fromkeys(df["provider"])) if len(df) else []
    base = alt.Chart(df).encode(y=bar_y("provider:N", alt.EncodingSortField("order"), names))
    bars = base.mark_bar(**bar_mark()).encode(
        x=alt.X(
            "start:Q",
            title=t("robustness.acceptability.share", lang),
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1]),
        ),  # fmt: skip
        x2="end:Q",
        color=alt.Color(
            "rank_label:N",
            sort=rank_labels,
            title=t("col.rank", lang),
            scale=alt.Scale(domain=rank_labels, range=rank_colors(n)),
            legend=bottom_legend(columns=min(n, 4), direction="horizontal"),
        ),  # fmt: skip
        tooltip=[
            alt.Tooltip("provider:N", title=t("col.provider", lang)),
            alt.Tooltip("rank_label:N", title=t("col.rank", lang)),
            alt.Tooltip("share_text:N", title=t("robustness.acceptability.share", lang)),
        ],
    )
    numbers = base.mark_text(baseline="middle", fontSize=LABEL_FONT, yOffset=bar_mark()["yOffset"]).encode(
        x="mid:Q", text="label:N", color=alt.Color("ink:N", scale=None)
    )
    chart = alt.layer(
        bars, numbers, title=wrap_title(t("robustness.acceptability.title", lang), TITLE_CHARS_PHONE)
    ).properties(width=CHART_WIDTH, height=alt.Step(BAR_ROW))
    return finish(chart, lang)


def acceptability_table(result: SmaaResult, study: Any, lang: str) -> pd.DataFrame:
    """The chart's data as a table: per option (chart order), eligibility, the share of draws at
    each rank and the SMAA-2 confidence factor."""
    names = provider_names(study, lang)
    n = len(result.provider_ids)
    rows = []
    for i in acceptability_order(result):
        row = {
            t("col.provider", lang): names[result.provider_ids[i]],
            t("col.eligible", lang): eligible_text(bool(result.eligible[i]), lang),
        }
        for r in range(n):
            row[t("robustness.acceptability.rank", lang, rank=r + 1)] = fmt_percent(
                float(result.rank_acceptability[i, r]), lang, 1
            )
        cf = float(result.confidence_factors[i])
        row[t("robustness.table.confidence", lang)] = "—" if cf != cf else fmt_percent(cf, lang, 1)
        rows.append(row)
    return pd.DataFrame(rows)


def acceptability_alt(result: SmaaResult, study: Any, lang: str) -> str:
    """One-line description of the chart: what it shows and each option's share of first place."""
    names = provider_names(study, lang)
    firsts = [
        f"{names[result.provider_ids[i]]} {fmt_percent(float(result.rank_acceptability[i, 0]), lang, 0)}"
        for i in acceptability_order(result)
    ]
    return t("robustness.acceptability.alt", lang, firsts=", ".join(firsts))


def sweep_frame(sweep: Sweep, study: Any, lang: str, eligible: Any = None) -> pd.DataFrame:
    """The sweep's points, compact (the chart is sent to the browser on every change of it): every
    SWEEP_STEP-th weight of the engine's grid and the last, the option as its position `p` (names
    and eligibility come from `sweep_options`), numbers rounded to what a chart can show."""
    del lang, eligible  # in sweep_options
    grid = list(range(0, len(sweep.t), SWEEP_STEP))
    if grid[-1] != len(sweep.t) - 1:
        grid.append(len(sweep.t) - 1)
    rows = []
    for n, k in enumerate(grid):
        for i in range(len(study.provider_ids)):
            rows.append({"weight": round(float(sweep.t[k]), 4), "p": i, "score": round(float(sweep.scores[k, i]), 5),
                         "rank": int(sweep.ranks[k, i]), "marker": n % MARKER_EVERY == 0})  # fmt: skip
    return pd.DataFrame(rows)


def sweep_options(study: Any, lang: str, eligible: Any = None) -> pd.DataFrame:
    """Position `p` -> the option's name and eligibility (✓/✗ and a word), joined to the points."""
    names = provider_names(study, lang)
    ok = [True] * len(study.provider_ids) if eligible is None else [bool(e) for e in eligible]
    return pd.DataFrame(
        [
            {"p": i, "provider": names[pid], "eligible": eligible_text(ok[i], lang)}
            for i, pid in enumerate(study.provider_ids)
        ]
    )


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
    options = alt.LookupData(sweep_options(study, lang, eligible), "p", ["provider", "eligible"])
    color = alt.Color("provider:N", title=t("col.provider", lang), scale=color_scale(ids, names, colors),
                      legend=bottom_legend())  # fmt: skip
    tooltip = [
        alt.Tooltip("provider:N", title=t("col.provider", lang)),
        alt.Tooltip("weight:Q", title=t("col.weight", lang), format=".1%"),
        alt.Tooltip("score:Q", title=t("col.score", lang), format=".3f"),
        alt.Tooltip("rank:Q", title=t("col.rank", lang)),
    ]
    lines = (
        alt.Chart(df)
        .transform_lookup(lookup="p", from_=options)
        .mark_line()
        .encode(
            x=x,
            y=alt.Y("score:Q", title=score_title),
            color=color,
            tooltip=[*tooltip, alt.Tooltip("eligible:N", title=t("col.eligible", lang))],
            strokeDash=alt.StrokeDash(
                "eligible:N",
                title=t("col.eligible", lang),
                scale=alt.Scale(domain=[eligible_text(True, lang), eligible_text(False, lang)], range=[[1, 0], [4, 4]]),
                legend=bottom_legend(),
            ),  # fmt: skip
        )
    )
    markers = (
        alt.Chart(df)
        .transform_filter("datum.marker")
        .transform_lookup(lookup="p", from_=options)
        .mark_point(filled=True, size=45, opacity=1)
        .encode(
            x=x,
            y="score:Q",
            color=color,
            shape=alt.Shape(
                "provider:N",
                title=t("col.provider", lang),
                scale=alt.Scale(
                    domain=[names[i] for i in ids], range=[SHAPES[k % len(SHAPES)] for k in range(len(ids))]
                ),
                legend=bottom_legend(),
            ),  # fmt: skip
            tooltip=tooltip,
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
    chart = alt.layer(shade, lines, markers, rule).properties(
        title=wrap_title(t("robustness.sweep.title", lang, criterion=criterion), TITLE_CHARS_PHONE),
        width=CHART_WIDTH,
        height=SWEEP_HEIGHT,  # a fixed plot height: the legend below must not squeeze the lines
    )
    return finish(chart, lang)


SWEEP_TABLE_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def sweep_display_height(study: Any, eligible: Any = None) -> int:
    """Pixels the whole sweep chart needs in a page that fits it to a height (Streamlit at any
    width): the plot, its frame and one legend row per option (and the eligibility legend)."""
    rows = len(study.provider_ids) + (0 if eligible is None or all(bool(e) for e in eligible) else 3)
    return SWEEP_HEIGHT + SWEEP_FRAME + LEGEND_ROW * rows


def sweep_table(sweep: Sweep, study: Any, lang: str, eligible: Any = None) -> pd.DataFrame:
    """The sweep's data as a table: each option's eligibility and score at the current weight and
    at 0, 25, 50, 75 and 100 % of the criterion's weight (nearest computed point)."""
    names = provider_names(study, lang)
    ok = [True] * len(study.provider_ids) if eligible is None else [bool(e) for e in eligible]
    grid = [float(x) for x in sweep.t]
    points = [(t("robustness.sweep.current", lang), sweep.threshold.current)] + [
        (fmt_percent(w, lang, 0), w) for w in SWEEP_TABLE_WEIGHTS
    ]
    rows = []
    for i, pid in enumerate(study.provider_ids):
        row = {t("col.provider", lang): names[pid], t("col.eligible", lang): eligible_text(ok[i], lang)}
        for label, w in points:
            k = min(range(len(grid)), key=lambda j: abs(grid[j] - w))
            row[label] = fmt_number(float(sweep.scores[k, i]), lang, 3)
        rows.append(row)
    return pd.DataFrame(rows)


def sweep_alt(sweep: Sweep, study: Any, lang: str) -> str:
    """One-line description: the criterion, its current weight and where the leader holds."""
    th: Threshold = sweep.threshold
    criterion = study.criteria_set.node(sweep.leaf).name.get(lang)
    low = fmt_percent(th.lower if th.lower is not None else 0.0, lang, 1)
    high = fmt_percent(th.upper if th.upper is not None else 1.0, lang, 1)
    return t("robustness.sweep.alt", lang, criterion=criterion, current=fmt_percent(th.current, lang, 1), low=low,
             high=high)  # fmt: skip


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
                "text": _points(change, lang) if bound is not None else t("robustness.tornado.none", lang),
                "label": _points(change, lang) if bound is not None else "",
                "current": fmt_percent(th.current, lang, 1),
            })  # fmt: skip
    return pd.DataFrame(rows)


def tornado_chart(thresholds: Mapping[str, Threshold], study: Any, lang: str = "fr") -> alt.TopLevelMixin:
    """Tornado: per leaf, how many percentage points its weight can fall (left) or rise (right)
    before the leader changes; the most sensitive leaves on top, grey where nothing changes."""
    df = tornado_frame(thresholds, study, lang)
    sides = [t("robustness.tornado.down", lang), t("robustness.tornado.up", lang), t("robustness.tornado.none", lang)]
    names = list(dict.fromkeys(df["criterion"])) if len(df) else []
    base = alt.Chart(df).encode(y=bar_y("criterion:N", alt.EncodingSortField("order"), names))
    bars = base.mark_bar(**bar_mark(stroke=NO_CHANGE_STROKE)).encode(
        x=alt.X("change:Q", title=t("robustness.tornado.change", lang)),
        color=alt.Color(
            "side:N",
            title=None,
            scale=alt.Scale(domain=sides, range=["#CC6677", "#332288", NO_CHANGE_COLOR]),
            legend=bottom_legend(),
        ),  # fmt: skip
        # A side without a change of leader is outlined with dashes, not only grey.
        strokeDash=alt.condition("datum.flips", alt.value([1, 0]), alt.value([3, 2])),
        strokeWidth=alt.condition("datum.flips", alt.value(0), alt.value(1)),
        tooltip=[
            alt.Tooltip("criterion:N", title=t("col.criterion", lang)),
            alt.Tooltip("current:N", title=t("robustness.sweep.current", lang)),
            alt.Tooltip("text:N", title=t("robustness.tornado.change", lang)),
        ],
    )
    offset = bar_mark()["yOffset"]
    up = (
        base.transform_filter("datum.flips && datum.change >= 0")
        .mark_text(align="left", dx=3, baseline="middle", fontSize=LABEL_FONT, yOffset=offset, color=DARK_TEXT)
        .encode(x="change:Q", text="label:N")
    )
    down = (
        base.transform_filter("datum.flips && datum.change < 0")
        .mark_text(align="right", dx=-3, baseline="middle", fontSize=LABEL_FONT, yOffset=offset, color=DARK_TEXT)
        .encode(x="change:Q", text="label:N")
    )
    chart = alt.layer(
        bars, up, down, title=wrap_title(t("robustness.tornado.title", lang), TITLE_CHARS_PHONE)
    ).properties(width=CHART_WIDTH, height=alt.Step(BAR_ROW))
    return finish(chart, lang)


def _points(change: float, lang: str) -> str:
    """A change in percentage points with its sign, in the locale: '−6,7' / '+12.3'."""
    return ("+" if change >= 0 else "\u2212") + fmt_number(abs(change), lang, 1)


def tornado_table(thresholds: Mapping[str, Threshold], study: Any, lang: str) -> pd.DataFrame:
    """The tornado's data as a table: per criterion (most sensitive first), its current weight and
    the weight below or above which the leader changes (or that none does)."""
    none = t("robustness.tornado.none", lang)
    rows = []
    for th in sorted(thresholds.values(), key=lambda th: (th.distance is None, th.distance or 0.0)):
        rows.append({
            t("col.criterion", lang): study.criteria_set.node(th.leaf).name.get(lang),
            t("robustness.sweep.current", lang): fmt_percent(th.current, lang, 1),
            t("robustness.tornado.down", lang): none if th.lower is None else fmt_percent(th.lower, lang, 1),
            t("robustness.tornado.up", lang): none if th.upper is None else fmt_percent(th.upper, lang, 1),
        })  # fmt: skip
    return pd.DataFrame(rows)


def tornado_alt(thresholds: Mapping[str, Threshold], study: Any, lang: str) -> str:
    """One-line description: the most sensitive criterion and how far it can move."""
    ranked = sorted(thresholds.values(), key=lambda th: (th.distance is None, th.distance or 0.0))
    if not ranked or ranked[0].distance is None:
        return t("robustness.tornado.alt_none", lang)
    th = ranked[0]
    return t("robustness.tornado.alt", lang, criterion=study.criteria_set.node(th.leaf).name.get(lang),
             points=fmt_number(100 * th.distance, lang, 1))  # fmt: skip

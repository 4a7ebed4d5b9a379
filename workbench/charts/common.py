"""What every chart shares: provider colours and names, the number locale and the finishing touches
(no Streamlit here).

Providers keep one colour everywhere (`provider_colors`), taken from Paul Tol's colour-blind-safe
"muted" scheme (https://personal.sron.nl/~pault/#sec:qualitative); numbers use the locale's
separators through Vega-Lite's `config.locale`.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from ..i18n import normalize_lang

# Paul Tol "muted" (9 colours distinguishable with the common colour-vision deficiencies), then
# Okabe & Ito (2008) for studies with more options; beyond 17 colours repeat.
PALETTE: tuple[str, ...] = (
    "#332288", "#CC6677", "#117733", "#DDCC77", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499",
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
)  # fmt: skip
UNKNOWN_COLOR = "#777777"  # an id outside the palette's mapping
CHART_WIDTH = 640
TITLE_SIZE = 18
PROJECTOR_FONT = 15  # axis and legend text of the workshop charts, read on a projector
LABEL_LIMIT = 320  # pixels: provider and criterion names are long
# Horizontal bars carry their name above the bar, not in a y axis beside it: on a 390-px phone a
# 300-px label column leaves no room for the bars. A row is the name (up to NAME_LINES lines of
# NAME_CHARS characters) over a BAR_SIZE-px bar.
NAME_CHARS = 44
NAME_LINES = 2
NAME_FONT = 13
BAR_SIZE = 16
BAR_ROW = 56  # px a row: two lines of name, the bar and a gap
LEGEND_LABEL_LIMIT = 300  # px: a one-column legend below the chart fits a phone
TITLE_CHARS = 42  # a longer title goes on several lines instead of being cut


def provider_colors(provider_ids: Sequence[str]) -> dict[str, str]:
    """A colour per provider, by position: pass the full list of a study's providers (not a
    selection) so that each keeps its colour when others are hidden."""
    return {pid: PALETTE[i % len(PALETTE)] for i, pid in enumerate(provider_ids)}


def provider_names(study: Any, lang: str) -> dict[str, str]:
    """Provider id -> display name in `lang`."""
    return {p.id: p.name.get(lang) for p in study.providers}


def color_scale(ids: Sequence[str], names: Mapping[str, str], colors: Mapping[str, str] | None = None) -> alt.Scale:
    """Names of `ids` -> their providers' colours (`colors`, else by position in `ids`)."""
    palette = colors or provider_colors(list(ids))
    return alt.Scale(domain=[names[i] for i in ids], range=[palette.get(i, UNKNOWN_COLOR) for i in ids])


def locale_config(lang: str) -> dict[str, Any]:
    """Vega-Lite number locale: fr-CA '1 234,5' (narrow no-break space), en-CA '1,234.5'."""
    if normalize_lang(lang) == "fr":
        return {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0$"]}
    return {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}


def finish(chart: alt.TopLevelMixin, lang: str, *, projector: bool = False) -> alt.TopLevelMixin:
    """The top-level configuration of every chart: the number locale and a left-aligned title;
    `projector` adds large axis and legend text and puts the legend below."""
    chart = chart.configure(locale={"number": locale_config(lang)})
    if projector:
        chart = chart.configure_axis(
            labelFontSize=PROJECTOR_FONT, titleFontSize=PROJECTOR_FONT, labelLimit=LABEL_LIMIT
        ).configure_legend(labelFontSize=PROJECTOR_FONT, titleFontSize=PROJECTOR_FONT, orient="bottom")
    return chart.configure_title(fontSize=TITLE_SIZE, anchor="start")


def wrap_name(text: str, width: int = NAME_CHARS, lines: int = NAME_LINES) -> str:
    """A name on at most `lines` lines of `width` characters ('\\n' between them), '…' if cut."""
    parts = textwrap.wrap(str(text), width) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], textwrap.shorten(" ".join(parts[lines - 1 :]), width, placeholder=" …")]
    return "\n".join(parts)


def wrap_title(text: str, width: int = TITLE_CHARS) -> str | list[str]:
    """A chart title as one line, or as lines of `width` characters when longer (Vega-Lite draws a
    list as several lines; a long single line would be cut with '…' on a phone)."""
    return text if len(text) <= width else textwrap.wrap(text, width)


def bottom_legend(**options: Any) -> alt.Legend:
    """A legend below the chart, one entry a line: it wraps with the page instead of being cut."""
    defaults = {"orient": "bottom", "direction": "vertical", "columns": 1, "labelLimit": LEGEND_LABEL_LIMIT,
                "titleLimit": LEGEND_LABEL_LIMIT}  # fmt: skip
    return alt.Legend(**{**defaults, **options})


def bar_y(field: str, sort: Any, names: Sequence[str], *, font_size: int = NAME_FONT) -> alt.Y:
    """The y channel of horizontal bars named above them, not beside them: each name (from
    `names`, the field's values) is drawn left-aligned at the top of its row, on up to NAME_LINES
    lines (`wrap_name`), and the bar sits in the row's lower part (`bar_mark`). The chart keeps
    its full width for the bars on a phone."""
    return alt.Y(
        field,
        sort=sort,
        title=None,
        axis=alt.Axis(
            labelAlign="left",
            labelBaseline="top",
            labelPadding=0,
            labelOffset=-(BAR_ROW / 2 - 2),
            labelFontSize=font_size,
            labelLineHeight=font_size + 3,
            labelLimit=LEGEND_LABEL_LIMIT + 40,
            labelExpr=_wrapped_labels(names),
            ticks=False,
            domain=False,
        ),
    )


def _wrapped_labels(names: Sequence[str]) -> str:
    """A Vega expression giving each name's `wrap_name` lines (an array draws as several lines)."""
    expr = "datum.label"
    for name in dict.fromkeys(str(n) for n in names):
        lines = wrap_name(name).split("\n")
        if len(lines) > 1:
            expr = f"datum.label === {json.dumps(name)} ? {json.dumps(lines)} : ({expr})"
    return expr


def bar_mark(**options: Any) -> dict[str, Any]:
    """Mark properties of a bar under its name (lower part of its row)."""
    return {"size": BAR_SIZE, "yOffset": BAR_ROW / 2 - BAR_SIZE / 2 - 4, **options}

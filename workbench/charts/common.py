"""What every chart shares: provider colours and names, the number locale and the finishing touches
(no Streamlit here).

Providers keep one colour everywhere (`provider_colors`), taken from Paul Tol's colour-blind-safe
"muted" scheme (https://personal.sron.nl/~pault/#sec:qualitative); numbers use the locale's
separators through Vega-Lite's `config.locale`.
"""

from __future__ import annotations

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

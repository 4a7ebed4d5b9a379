"""Robustness page: how often the leader wins under plausible weightings (SMAA-2), where one
weight's change hands first place to another option, and a plain-language verdict.

Every figure comes from workbench.robustness; this page only chooses settings and displays.
It recomputes when the weights, method, options or what-ifs in force change, under a spinner that
says what it draws and for how long.

Each chart has a text alternative: a description for screen readers (`alt`) and, under it, a
table of the same data. Those tables and the SMAA details are built only when opened (lazy
expanders), and the sweep's criterion picker reruns only its own fragment: a first view sends
three charts, the verdict and one table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ui import state
from ui.widgets import md_escape, provider_colors
from workbench.charts import robustness as charts
from workbench.errors import WorkbenchError
from workbench.i18n import fmt_number, fmt_percent, t
from workbench.methods import get_method, registry
from workbench.robustness import (
    DEFAULT_CONCENTRATION,
    SCORE_MODELS,
    WEIGHT_MODELS,
    analyse,
    has_ranges,
    rank_reversal,
    sweeps,
    verdict,
)
from workbench.robustness.rank_reversal import describe as describe_reversal

SAMPLE_CHOICES = (1_000, 10_000, 50_000)
DEFAULT_SAMPLES = 10_000
MEMO_KEY = "_rob_memo"
SPECS_KEY = "_rob_specs"  # (analysis, {(lang, chart): Vega-Lite spec}): charts built once per analysis

lang = state.get_lang()
st.title(t("robustness.title", lang))
st.caption(t("robustness.intro", lang))

study = state.current_study()
method, normalization = state.current_method()
state.current_evaluation()  # stops the page with the reason if the engine refuses these settings
weights = state.current_weights()
names = {p.id: p.name.get(lang) for p in study.providers}
leaf_names = {leaf.id: leaf.name.get(lang) for leaf in study.leaves}

# --- settings --------------------------------------------------------------------------------
with st.expander(t("robustness.settings", lang), expanded=False):
    col_w, col_s = st.columns(2)
    weights_model = col_w.radio(
        t("robustness.weights_model", lang), WEIGHT_MODELS,
        format_func=lambda m: t(f"robustness.weights_model.{m}", lang), key="rob_wmodel",
    )  # fmt: skip
    concentration = col_w.number_input(
        t("robustness.concentration", lang), min_value=1.0, max_value=10_000.0, value=DEFAULT_CONCENTRATION,
        step=10.0, help=t("robustness.concentration.help", lang), key="rob_conc",
        disabled=weights_model != "dirichlet",
    )  # fmt: skip
    ranged = has_ranges(study)
    scores_model = col_s.radio(
        t("robustness.scores_model", lang), SCORE_MODELS,
        format_func=lambda m: t(f"robustness.scores_model.{m}", lang), key="rob_smodel", disabled=not ranged,
    )  # fmt: skip
    if not ranged:
        col_s.caption(t("robustness.no_ranges", lang))
        scores_model = "fixed"
    samples = col_s.selectbox(
        t("robustness.samples", lang), SAMPLE_CHOICES, index=SAMPLE_CHOICES.index(DEFAULT_SAMPLES),
        format_func=lambda n: fmt_number(n, lang, 0), key="rob_samples",
    )  # fmt: skip
    seed = int(col_s.number_input(t("robustness.seed", lang), min_value=0, max_value=2**31 - 1, value=0, step=1,
                                  key="rob_seed"))  # fmt: skip


# --- analysis (memoised per state and settings) ----------------------------------------------
def run_analysis():
    key = (id(study), method, normalization, tuple(sorted(weights.items())), weights_model, float(concentration),
           scores_model, int(samples), seed)  # fmt: skip
    memo = st.session_state.get(MEMO_KEY)
    if memo and memo[0] == key and memo[1] is study:
        return memo[2], memo[3]
    analysis = analyse(study, method=method, normalization=normalization, weights=weights, samples=int(samples),
                       seed=seed, weights_model=weights_model, concentration=float(concentration),
                       scores_model=scores_model)  # fmt: skip
    lines = sweeps(study, method, normalization, weights)
    st.session_state[MEMO_KEY] = (key, study, analysis, lines)
    return analysis, lines


try:
    with st.spinner(t("robustness.progress", lang, samples=fmt_number(int(samples), lang, 0)), show_time=True):
        analysis, lines = run_analysis()
except WorkbenchError as exc:
    st.error(t("robustness.error", lang, message=md_escape(exc)))
    st.stop()

result = analysis.smaa

# --- verdict ---------------------------------------------------------------------------------
st.subheader(t("robustness.verdict", lang))
sentences = verdict(analysis, study, lang)
st.info("\n\n".join(md_escape(s) for s in sentences))
leader = analysis.leader
if leader is not None:
    i = result.provider_ids.index(leader)
    col_a, col_b = st.columns(2)
    col_a.metric(md_escape(names[leader]), fmt_percent(float(result.first_rank[i]), lang, 1))
    col_b.metric(t("robustness.verdict.error_label", lang), "± " + fmt_percent(2 * result.standard_error, lang, 1))

# --- charts ----------------------------------------------------------------------------------


def chart_spec(name: tuple, build) -> dict:
    """The Vega-Lite spec of a chart of this analysis, built (and validated by Altair, the slow
    part of a rerun) once per analysis, language and chart; later runs send the stored dict."""
    memo = st.session_state.get(SPECS_KEY)
    if not memo or memo[0] is not analysis:
        memo = (analysis, {})
        st.session_state[SPECS_KEY] = memo
    key = (lang, *name)
    if key not in memo[1]:
        memo[1][key] = build().to_dict(validate=False)  # the builders' specs are validated in the tests
    return memo[1][key]


def chart_data(key: str, build) -> None:
    """The table of a chart's data in a closed expander, built only once it is opened."""
    box = st.expander(t("robustness.chart_data", lang), key=key, on_change="rerun", icon=":material/table:")
    if box.open:
        with box:
            st.dataframe(build(), hide_index=True, width="stretch")


st.vega_lite_chart(
    chart_spec(("acceptability",), lambda: charts.acceptability_chart(result, study, lang)),
    width="stretch",
    alt=charts.acceptability_alt(result, study, lang),
)
st.caption(t("robustness.acceptability.caption", lang))
chart_data("rob_acceptability_data", lambda: charts.acceptability_table(result, study, lang))

st.vega_lite_chart(
    chart_spec(("tornado",), lambda: charts.tornado_chart(analysis.thresholds, study, lang)),
    width="stretch",
    alt=charts.tornado_alt(analysis.thresholds, study, lang),
)
st.caption(t("robustness.tornado.caption", lang))
chart_data("rob_tornado_data", lambda: charts.tornado_table(analysis.thresholds, study, lang))

sensitive = sorted(analysis.thresholds.values(), key=lambda th: (th.distance is None, th.distance or 0.0))
leaf_order = [th.leaf for th in sensitive]
higher = get_method(result.method).higher_is_better
colors = provider_colors([p.id for p in state.all_providers()])


@st.fragment
def sweep_section() -> None:
    """The one-way sweep of the chosen criterion: picking another reruns only this part."""
    chosen = st.selectbox(
        t("robustness.sweep.pick", lang), leaf_order, format_func=lambda j: leaf_names[j], key="rob_leaf"
    )
    sweep = lines[chosen]
    st.vega_lite_chart(
        chart_spec(
            ("sweep", chosen),
            lambda: charts.sweep_chart(
                sweep, study, lang, higher_is_better=higher, colors=colors, eligible=result.eligible
            ),
        ),
        width="stretch",
        height=charts.sweep_display_height(study, result.eligible),  # else the legend squeezes the plot
        alt=charts.sweep_alt(sweep, study, lang),
    )
    st.caption(t("robustness.sweep.caption", lang))
    chart_data("rob_sweep_data", lambda: charts.sweep_table(sweep, study, lang, eligible=result.eligible))


sweep_section()

# --- smallest flips --------------------------------------------------------------------------
st.subheader(t("robustness.flips.title", lang))
if analysis.flips is None:
    linear = [m.title(lang) for m in registry().values() if m.linear]
    st.caption(t("robustness.flips.only_linear", lang, methods=", ".join(linear)))
elif analysis.flips:
    current = dict(zip(study.leaf_ids, result.weights.tolist(), strict=True))
    rows = []
    for flip in analysis.flips:
        moves = []
        for leaf, w in (flip.weights or {}).items():
            if abs(w - current[leaf]) >= 5e-4:  # below the 0.1-point display precision
                moves.append(f"{leaf_names[leaf]} : {fmt_percent(current[leaf], lang, 1)} → {fmt_percent(w, lang, 1)}"
                             if lang == "fr" else
                             f"{leaf_names[leaf]}: {fmt_percent(current[leaf], lang, 1)} → {fmt_percent(w, lang, 1)}")  # fmt: skip
        change = (
            t("robustness.flips.impossible", lang) if flip.l1_change is None else fmt_percent(flip.l1_change, lang, 1)
        )
        rows.append({
            t("col.provider", lang): names[flip.challenger],
            t("robustness.flips.change", lang): change,
            t("robustness.flips.moves", lang): "; ".join(moves) or "—",
        })  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("robustness.flips.caption", lang))

# --- rank reversal ---------------------------------------------------------------------------
st.subheader(t("robustness.reversal.title", lang))
st.caption(t("robustness.reversal.help", lang))
reversal_key = (id(study), method, normalization, tuple(sorted(weights.items())))
memo = st.session_state.get("_rob_reversal")
if not memo or memo[0] != reversal_key or memo[1] is not study:
    memo = (reversal_key, study, rank_reversal(study, method, normalization, weights))
    st.session_state["_rob_reversal"] = memo
st.markdown("\n".join(f"- {md_escape(s)}" for s in describe_reversal(memo[2], names, lang)))

# --- details (built only when opened) ---------------------------------------------------------
details = st.expander(t("robustness.details", lang), key="rob_details", on_change="rerun")
if details.open:
    with details:
        st.dataframe(charts.acceptability_table(result, study, lang), hide_index=True, width="stretch")

        # Only alternatives that rank first in some draw have a central weight vector.
        central = {
            names[pid]: {leaf_names[leaf]: float(w) for leaf, w in zip(result.leaf_ids, row, strict=True)}
            for pid, row in zip(result.provider_ids, result.central_weights, strict=True)
            if not np.isnan(row).any()
        }
        st.markdown(f"**{md_escape(t('robustness.table.central', lang))}**")
        st.dataframe(
            pd.DataFrame(central).map(lambda v: "—" if v is None or v != v else fmt_percent(v, lang, 1)),
            width="stretch",
        )

        st.markdown(f"**{md_escape(t('robustness.pairwise', lang))}**")
        labels = [names[p] for p in result.provider_ids]
        pairwise = pd.DataFrame(result.pairwise_winning, index=labels, columns=labels)
        st.dataframe(pairwise.map(lambda v: fmt_percent(float(v), lang, 0)), width="stretch")

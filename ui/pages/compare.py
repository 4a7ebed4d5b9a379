"""Compare page: the weights of the top criteria groups beside the live ranking, the side-by-side
evidence matrix (ui/score_matrix.py), charts, methods side by side, must-have switches and what-if
score overrides.
Every number comes from workbench.evaluate and workbench.weights; this page only shows and collects.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import state
from ui.score_matrix import MISSING, score_matrix_section
from ui.weight_controls import weight_sliders
from ui.whatif import OVERRIDDEN, whatif_section
from ui.widgets import (
    fmt_score,
    md_escape,
    options_chosen,
    page_chrome,
    provider_colors,
    show_problems,
)
from workbench.charts import study as charts
from workbench.errors import WeightsError
from workbench.evaluate import MethodProblem, compare_methods, method_problem, method_problems
from workbench.i18n import fmt_number, fmt_percent, t
from workbench.methods import get_method, method_label, method_names
from workbench.model import NORMALIZATIONS
from workbench.report.formatting import colon
from workbench.robustness.smaa import FirstPlace
from workbench.weights import global_weights

# Static CSS only (no user text): large type for the ranking, readable on a projector; on narrow
# screens (phones) the ranking shows as one card an option instead of a table, and the group
# weights move from the column beside it into a collapsed expander above the cards, so the ranking
# is on the first screen, the heatmap takes its phone layout (a criterion a row) and the chart tabs
# wrap onto two lines rather than hide the last one off the screen; a hidden copy is out of the
# focus order and of what screen readers read.
PAGE_CSS = """<style>
.st-key-ranking table {font-size: 1.15rem; width: 100%; table-layout: fixed;}
.st-key-ranking td, .st-key-ranking th {padding: 0.3rem 0.7rem; overflow-wrap: break-word; hyphens: auto;}
.st-key-ranking th:nth-child(1) {width: 4.2rem;}
.st-key-ranking th:nth-child(3) {width: 4.8rem;}
.st-key-ranking th:nth-child(4) {width: 6rem;}
.st-key-ranking th:nth-child(5) {width: 30%;}
.st-key-ranking_cards, .st-key-cmp_phone_weights, .st-key-heatmap_phone {display: none;}
@media (max-width: 640px) {
  .st-key-ranking, .st-key-heatmap_wide {display: none;}
  .st-key-ranking_cards, .st-key-cmp_phone_weights, .st-key-heatmap_phone {display: flex;}
  .st-key-ranking table {font-size: 1rem;}
  [data-testid="stColumn"]:has(.st-key-cmp_wide_weights) {display: none;}
  [data-testid="stTabs"] [role="tablist"] {flex-wrap: wrap;}
}
</style>"""

lang = state.get_lang()
st.title(t("app.compare.title", lang))
st.markdown(PAGE_CSS, unsafe_allow_html=True)
page_chrome(lang)

cs = state.current_criteria_set()
if not options_chosen(lang):
    st.stop()
study = state.current_study()
names = {p.id: p.name.get(lang) for p in study.providers}
colors = provider_colors([p.id for p in state.all_providers()])
leaf_names = {leaf.id: leaf.name.get(lang) for leaf in study.leaves}
SEP = colon(lang)


# --- method --------------------------------------------------------------------------------
def _problems() -> dict[str, MethodProblem]:
    """The methods that cannot run on the study in force (computed once per study)."""
    memo = st.session_state.get("_wb_method_problems")
    if not memo or memo[0] is not study:
        memo = (study, method_problems(study))
        st.session_state["_wb_method_problems"] = memo
    return memo[1]


def _reason(problem: MethodProblem) -> str:
    """Why a method cannot run, in the user's language, naming the criteria (never raw ids)."""
    criteria = ", ".join(leaf_names.get(c, c) for c in problem.criteria[:5]) + (
        " …" if len(problem.criteria) > 5 else ""
    )
    key = {"zero": "app.compare.problem.zero", "zero-normalized": "app.compare.problem.zero_normalized"}.get(
        problem.code, "app.compare.problem.data" if criteria else "app.compare.problem.data_any"
    )
    return t(key, lang, criteria=criteria)


problems = _problems()
method, normalization = state.current_method()


def _method_text(name: str) -> str:
    label = method_label(name, lang)
    problem = problems.get(name)
    return t("app.compare.unavailable", lang, choice=label, reason=_reason(problem)) if problem else label


def _norm_problem(norm: str) -> MethodProblem | None:
    return None if norm == "default" else method_problem(study, method, norm)


def _on_method() -> None:
    chosen = st.session_state["cmp_method"]
    if chosen in problems:
        state.flash("warning", t("app.compare.choice_refused", lang, choice=method_label(chosen, lang),
                                 reason=_reason(problems[chosen])))  # fmt: skip
        return
    state.set_method(chosen, None)


def _on_norm() -> None:
    chosen = st.session_state["cmp_norm"]
    problem = _norm_problem(chosen)
    if problem is not None:
        state.flash("warning", t("app.compare.choice_refused", lang, choice=t(f"norm.{chosen}", lang),
                                 reason=_reason(problem)))  # fmt: skip
        return
    state.set_method(st.session_state["cmp_method"], None if chosen == "default" else chosen)


def _norm_text(norm: str) -> str:
    if norm == "default":
        if normalization:
            return t("app.compare.norm_default", lang, norm=t(f"norm.{normalization}", lang))
        return t("app.compare.norm_none", lang)
    problem = _norm_problem(norm)
    label = t(f"norm.{norm}", lang)
    return t("app.compare.unavailable", lang, choice=label, reason=_reason(problem)) if problem else label


st.session_state["cmp_method"] = method
st.session_state["cmp_norm"] = st.session_state.get("wb_normalization") or "default"
col_m, col_n = st.columns(2)
col_m.selectbox(
    t("app.compare.method", lang),
    method_names(),
    format_func=_method_text,
    key="cmp_method",
    on_change=_on_method,
    placeholder=t("app.choose_one", lang),
)
col_n.selectbox(
    t("app.compare.normalization", lang),
    ["default", *NORMALIZATIONS],
    format_func=_norm_text,
    key="cmp_norm",
    on_change=_on_norm,
    disabled=not get_method(method).normalizable,
    placeholder=t("app.choose_one", lang),
)

# --- must-have switches ----------------------------------------------------------------------
gated = [leaf for leaf in study.leaves if study.must_have(leaf) is not None]


def _on_gate(leaf_id: str) -> None:
    disabled = [x for x in st.session_state.get("wb_disabled") or [] if x != leaf_id]
    if not st.session_state[f"mh_{leaf_id}"]:
        disabled.append(leaf_id)
    st.session_state["wb_disabled"] = disabled


if gated:
    with st.expander(t("app.compare.must_haves", lang, count=len(gated))):
        for leaf in gated:
            st.session_state[f"mh_{leaf.id}"] = leaf.id not in (st.session_state.get("wb_disabled") or [])
            st.toggle(
                f"{md_escape(leaf_names[leaf.id])} ({study.must_have(leaf).describe()})",
                key=f"mh_{leaf.id}",
                on_change=_on_gate,
                args=(leaf.id,),
            )

missing = [p for p in study.problems if p.message == "missing score"]
other_problems = [p for p in study.problems if p.message != "missing score"]
if other_problems:
    show_problems(other_problems, lang, title=t("app.compare.left_out", lang, count=len(other_problems)))
if missing:
    st.warning(t("app.compare.missing", lang, count=len(missing), mark=MISSING))


def _evaluation():
    """The evaluation in force, or None after saying why in the user's language (the page goes on:
    the menus above and the weights beside the ranking are how the user puts it right)."""
    ev, reason = state.try_evaluation()
    if ev is not None:
        return ev
    try:
        global_weights(cs, state.current_weights())
    except WeightsError:
        st.error(t("app.compare.weights_zero", lang), icon=":material/error:")
        return None
    problem = method_problem(study, method, normalization)
    if problem is not None:
        st.error(t("app.compare.method_failed", lang, choice=method_label(method, lang), reason=_reason(problem)))
    else:
        st.error(t("app.evaluation_failed", lang, reason=md_escape(reason)))
    return None


# --- top weights beside the ranking ------------------------------------------------------------
def _group_weights(key_prefix: str) -> None:
    """One slider a top criteria group and the way to every weight (the Weights page)."""
    st.caption(t("app.compare.top_weights_help", lang))
    weight_sliders(
        cs, lang=lang, key_prefix=key_prefix, get_weights=state.current_weights, set_weights=state.set_weights
    )
    st.page_link("ui/pages/weights.py", label=t("app.compare.all_weights", lang), icon=":material/tune:")


col_weights, col_ranking = st.columns([1, 2.8], gap="medium")
with col_weights, st.container(key="cmp_wide_weights"):
    st.subheader(t("app.compare.top_weights", lang))
    _group_weights("cmp_top_")

with col_ranking:
    st.subheader(t("app.compare.ranking", lang))
    # Phones only (PAGE_CSS): the same sliders, folded away above the ranking cards.
    with st.container(key="cmp_phone_weights"), st.expander(t("app.compare.adjust_weights", lang)):
        _group_weights("cmp_phone_")
    ev = _evaluation()


def _failures(result) -> str:
    return "; ".join(
        t(
            "must_have.failure",
            lang,
            criterion=leaf_names.get(f.criterion, f.criterion),
            required=f.required,
            actual=fmt_score(f.actual, lang),
        )  # fmt: skip
        for f in result.failed_must_haves
    )


def _first_place() -> FirstPlace:
    """The score draws of the study in force, drawn once per study and method (kept in the session)."""
    key = (id(study), ev.method, ev.normalization)
    memo = st.session_state.get("_wb_first_place")
    if not memo or memo[0] != key or memo[1] is not study:
        memo = (key, study, FirstPlace(study, ev.method, ev.normalization))
        st.session_state["_wb_first_place"] = memo
    return memo[2]


def _ranking_table(shares: dict[str, float]) -> None:
    """The ranking as a table (wide screens)."""
    header = [t("col.rank", lang), t("col.provider", lang), t("col.score", lang), t("app.compare.first", lang)]
    header += [t("col.eligible", lang)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in ev.results:
        marks = (f" {OVERRIDDEN}" if r.overridden else "") + (f" {MISSING}" if r.missing else "")
        name = md_escape(r.name)
        name = f"**{name}**" if r.rank == 1 and r.eligible else name
        # The unmet must-haves follow the "no" in the same cell: a column of its own, empty for most
        # options, left the option names a few letters a line on a projected screen.
        eligible = t("app.yes", lang) if r.eligible else f"✗ {t('app.no', lang)} — {md_escape(_failures(r))}"
        first = fmt_percent(shares[r.id], lang, 0)
        lines.append(f"| {r.rank} | {name}{marks} | {fmt_number(r.score, lang, 3)} | {first} | {eligible} |")
    with st.container(key="ranking"):
        st.markdown("\n".join(lines))


def _ranking_cards(shares: dict[str, float]) -> None:
    """The ranking as one card an option (narrow screens; PAGE_CSS shows one or the other)."""
    with st.container(key="ranking_cards"):
        for r in ev.results:
            marks = (f" {OVERRIDDEN}" if r.overridden else "") + (f" {MISSING}" if r.missing else "")
            eligible = t("app.compare.card.eligible" if r.eligible else "app.compare.card.not_eligible", lang)
            lines = [
                f"**{r.rank}. {md_escape(r.name)}**{marks}",
                f"{t('col.score', lang)}{SEP}**{fmt_number(r.score, lang, 3)}** · "
                + t("app.compare.card.first", lang, share=fmt_percent(shares[r.id], lang, 0)),
                eligible + (f"{SEP}{md_escape(_failures(r))}" if r.failed_must_haves else ""),
            ]
            with st.container(border=True, key=f"card_{r.id}"):
                st.markdown("  \n".join(lines))


if ev is not None:
    with col_ranking:
        if not ev.higher_is_better:
            st.caption(t("app.compare.lower_better", lang))
        first_place = _first_place()
        shares = dict(zip(study.provider_ids, first_place(state.current_weights()).tolist(), strict=True))
        _ranking_table(shares)
        _ranking_cards(shares)
        st.caption(
            t(
                "app.compare.method_used",
                lang,
                method=method_label(ev.method, lang),
                norm=t(f"norm.{ev.normalization}", lang) if ev.normalization else "—",
            )  # fmt: skip
            + " · "
            + t("app.compare.first_help", lang, samples=fmt_number(first_place.samples, lang, 0))
        )
        if ev.references:
            st.markdown(f"**{t('app.compare.references', lang)}**")
            st.caption(t("app.compare.references_help", lang))
            ref_lines = [f"| {t('col.provider', lang)} | {t('col.score', lang)} |", "|---|---|"]
            ref_lines += [f"| {md_escape(r.name)} | {fmt_number(r.score, lang, 3)} |" for r in ev.references]
            with st.container(key="references"):
                st.markdown("\n".join(ref_lines))

# --- matrix ----------------------------------------------------------------------------------
score_matrix_section(study, names, leaf_names, lang)


def methods_view(study, names: dict[str, str], lang: str, colors: dict[str, str]) -> None:
    """Every method's ranking under the current weights, their agreement (Kendall's W) and chart."""
    comparison = compare_methods(study, state.current_weights())
    st.metric(t("app.compare.kendall", lang), fmt_number(comparison["kendall_w"], lang, 2))
    st.caption(t("app.compare.kendall_help", lang))
    table = pd.DataFrame(
        {
            method_label(m, lang): [comparison["ranks"][m][pid] for pid in study.provider_ids]
            for m in comparison["ranks"]
        },
        index=[names[pid] for pid in study.provider_ids],
    )
    st.dataframe(table, width="stretch")
    skipped = [m for m in method_names() if m not in comparison["ranks"]]
    if skipped:
        st.caption(t("app.compare.methods_skipped", lang, methods=", ".join(method_label(m, lang) for m in skipped)))
    st.altair_chart(charts.methods_chart(comparison, study, lang, colors), width="stretch")


# --- charts ----------------------------------------------------------------------------------
if ev is not None:
    # Only the open tab is built (a tab switch reruns the page): the other charts and the five
    # methods' rankings would cost most of a rerun for views nobody is looking at.
    tab_contrib, tab_heat, tab_profile, tab_methods = st.tabs(
        [
            t("app.compare.tab.contributions", lang),
            t("app.compare.tab.heatmap", lang),
            t("app.compare.tab.profile", lang),
            t("app.compare.tab.methods", lang),
        ],
        key="cmp_tab",
        on_change="rerun",
    )
    if tab_contrib.open:
        with tab_contrib:
            st.altair_chart(charts.contributions_chart(ev, study, lang, colors), width="stretch")
    if tab_heat.open:
        with tab_heat:
            # Both layouts; PAGE_CSS shows the compact one on phones.
            with st.container(key="heatmap_wide"):
                st.altair_chart(charts.heatmap_chart(ev, study, lang), width="stretch")
            with st.container(key="heatmap_phone"):
                st.altair_chart(charts.heatmap_chart(ev, study, lang, compact=True), width="stretch")
    if tab_profile.open:
        with tab_profile:
            pid = st.selectbox(
                t("col.provider", lang),
                study.provider_ids,
                format_func=names.get,
                key="cmp_profile",
                placeholder=t("app.choose_one", lang),
            )
            st.altair_chart(charts.profile_chart(ev, study, pid, lang, colors), width="stretch")
            st.caption(t("app.compare.profile_help", lang))
    if tab_methods.open:
        with tab_methods:
            methods_view(study, names, lang, colors)

# --- what-if ---------------------------------------------------------------------------------
whatif_section(study, names, leaf_names, lang)

"""Compare page: ranking, side-by-side evidence matrix, charts, methods side by side, must-have
switches and what-if score overrides. Every number comes from workbench.evaluate."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import state
from ui.widgets import fmt_score, md_escape, provider_colors, safe_url, show_problems
from workbench.charts import study as charts
from workbench.evaluate import compare_methods
from workbench.evidence import STATUS_MARKS, source_line, status_legend
from workbench.i18n import fmt_number, fmt_percent, t
from workbench.methods import get_method, method_label, method_names
from workbench.model import NORMALIZATIONS, Criterion, Override
from workbench.robustness.smaa import FirstPlace
from workbench.study import REPO_ROOT

LOW = "⚠"
OVERRIDDEN = "✎"
MISSING = "∅"

lang = state.get_lang()
st.title(t("app.compare.title", lang))
# Static CSS only (no user text): large type for the ranking, readable on a projector.
st.markdown(
    "<style>.st-key-ranking table {font-size: 1.3rem;} .st-key-ranking td, .st-key-ranking th"
    " {padding: 0.35rem 0.9rem;}</style>",
    unsafe_allow_html=True,
)

cs = state.current_criteria_set()
study = state.current_study()
names = {p.id: p.name.get(lang) for p in study.providers}
colors = provider_colors([p.id for p in state.all_providers()])
leaf_names = {leaf.id: leaf.name.get(lang) for leaf in study.leaves}

# --- method --------------------------------------------------------------------------------
method, normalization = state.current_method()


def _on_method() -> None:
    state.set_method(st.session_state["cmp_method"], None)


def _on_norm() -> None:
    chosen = st.session_state["cmp_norm"]
    state.set_method(st.session_state["cmp_method"], None if chosen == "default" else chosen)


st.session_state["cmp_method"] = method
st.session_state["cmp_norm"] = st.session_state.get("wb_normalization") or "default"
col_m, col_n = st.columns(2)
col_m.selectbox(
    t("app.compare.method", lang), method_names(), format_func=lambda m: method_label(m, lang), key="cmp_method",
    on_change=_on_method,
)  # fmt: skip
col_n.selectbox(
    t("app.compare.normalization", lang),
    ["default", *NORMALIZATIONS],
    format_func=lambda n: (
        t("app.compare.norm_default", lang, norm=t(f"norm.{normalization}", lang))
        if n == "default" and normalization
        else (t("app.compare.norm_none", lang) if n == "default" else t(f"norm.{n}", lang))
    ),
    key="cmp_norm",
    on_change=_on_norm,
    disabled=not get_method(method).normalizable,
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
                f"{leaf_names[leaf.id]} ({study.must_have(leaf).describe()})",
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

ev = state.current_evaluation()

# --- ranking ---------------------------------------------------------------------------------
st.subheader(t("app.compare.ranking", lang))
if not ev.higher_is_better:
    st.caption(t("app.compare.lower_better", lang))


def _reason(result) -> str:
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


first_place = _first_place()
shares = dict(zip(study.provider_ids, first_place(state.current_weights()).tolist(), strict=True))
any_failed = any(r.failed_must_haves for r in ev.results)
header = [t("col.rank", lang), t("col.provider", lang), t("col.score", lang), t("app.compare.first", lang)]
header += [t("col.eligible", lang)] + ([t("col.failed", lang)] if any_failed else [])
lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
for r in ev.results:
    marks = (f" {OVERRIDDEN}" if r.overridden else "") + (f" {MISSING}" if r.missing else "")
    name = md_escape(r.name)
    name = f"**{name}**" if r.rank == 1 and r.eligible else name
    eligible = t("app.yes", lang) if r.eligible else "✗ " + t("app.no", lang)
    failed = f" {md_escape(_reason(r))} |" if any_failed else ""
    first = fmt_percent(shares[r.id], lang, 0)
    lines.append(f"| {r.rank} | {name}{marks} | {fmt_number(r.score, lang, 3)} | {first} | {eligible} |{failed}")
with st.container(key="ranking"):
    st.markdown("\n".join(lines))
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
st.subheader(t("app.compare.matrix", lang))


def _cell(leaf: Criterion, i: int, j: int) -> str:
    provider = study.providers[i]
    value = float(study.matrix[i, j])
    label = leaf.scale.label_of(value, lang) if leaf.scale else None
    text = fmt_score(value, lang) + (f" ({label})" if label else "")
    score = provider.scores.get(leaf.id)
    if study.missing[i, j]:
        return f"{MISSING} {text}"
    if study.overridden[i, j]:
        return f"{OVERRIDDEN} {text}"
    if score and score.confidence == "low":
        text = f"{LOW} {text}"
    if score and score.status:
        text += f" {STATUS_MARKS[score.status]}"
    return text


def _origin(provider, score) -> str:
    """`file:line` of the score, said as a component's when a composed option takes it from one."""
    if score is None or not score.origin:
        return ""
    place = score.origin.replace(str(REPO_ROOT) + "/", "")
    own = str(provider.path or provider.id)
    return place if score.origin.startswith(own + ":") else t("app.origin.component", lang, file=place)


matrix = pd.DataFrame(
    {names[p.id]: [_cell(leaf, i, j) for j, leaf in enumerate(study.leaves)] for i, p in enumerate(study.providers)},
    index=[f"{leaf_names[leaf.id]} {'↓' if leaf.direction == 'cost' else '↑'}" for leaf in study.leaves],
)
st.dataframe(matrix, width="stretch", height=min(38 * (len(study.leaves) + 1), 900))
st.caption(t("app.compare.legend", lang, low=LOW, overridden=OVERRIDDEN, missing=MISSING, statuses=status_legend(lang)))

with st.expander(t("app.compare.evidence", lang)):
    leaf_id = st.selectbox(
        t("col.criterion", lang), study.leaf_ids, format_func=leaf_names.get, key="cmp_evidence_leaf"
    )
    j = study.leaf_ids.index(leaf_id)
    leaf = study.leaves[j]
    if leaf.description:
        st.caption(leaf.description.get(lang))
    rows = []
    for i, p in enumerate(study.providers):
        score = p.scores.get(leaf_id)
        override = state.override_for(p.id, leaf_id)
        sources = list(score.sources) if score else []
        rows.append(
            {
                t("col.provider", lang): names[p.id],
                t("col.score", lang): _cell(leaf, i, j),
                t("app.confidence", lang): t(f"confidence.{score.confidence}", lang)
                if score and score.confidence
                else "",
                t("app.status", lang): t(f"status.{score.status}", lang) if score and score.status else "",
                t("app.rationale", lang): (score.rationale.get(lang) if score and score.rationale else "")
                + (f" [{OVERRIDDEN} {override.note}]" if override else ""),
                t("app.source", lang): next((safe_url(s.url) for s in sources if safe_url(s.url)), None),
                t("app.sources", lang): " · ".join(source_line(s, lang) for s in sources),
                t("app.origin", lang): _origin(p, score),
            }
        )
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            t("app.source", lang): st.column_config.LinkColumn(t("app.source", lang)),
            t("app.rationale", lang): st.column_config.TextColumn(width="large"),
        },
    )

# --- charts ----------------------------------------------------------------------------------
tab_contrib, tab_heat, tab_profile, tab_methods = st.tabs(
    [
        t("app.compare.tab.contributions", lang),
        t("app.compare.tab.heatmap", lang),
        t("app.compare.tab.profile", lang),
        t("app.compare.tab.methods", lang),
    ]  # fmt: skip
)
with tab_contrib:
    st.altair_chart(charts.contributions_chart(ev, study, lang, colors), width="stretch")
with tab_heat:
    st.altair_chart(charts.heatmap_chart(ev, study, lang), width="stretch")
with tab_profile:
    pid = st.selectbox(t("col.provider", lang), study.provider_ids, format_func=names.get, key="cmp_profile")
    st.altair_chart(charts.profile_chart(ev, study, pid, lang, colors), width="stretch")
    st.caption(t("app.compare.profile_help", lang))
with tab_methods:
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

# --- what-if ---------------------------------------------------------------------------------
st.subheader(t("app.compare.whatif", lang))
st.caption(t("app.compare.whatif_help", lang))
with st.form("whatif", clear_on_submit=True, border=True):
    cols = st.columns([2, 3, 1.5, 3])
    w_provider = cols[0].selectbox(
        t("col.provider", lang), study.provider_ids, format_func=names.get, key="wi_provider"
    )
    w_leaf = cols[1].selectbox(t("col.criterion", lang), study.leaf_ids, format_func=leaf_names.get, key="wi_leaf")
    w_value = cols[2].text_input(t("app.compare.whatif_value", lang), key="wi_value")
    w_note = cols[3].text_input(t("app.compare.whatif_note", lang), key="wi_note", max_chars=500)
    submitted = st.form_submit_button(t("app.compare.whatif_add", lang))
if submitted:
    leaf = study.leaves[study.leaf_ids.index(w_leaf)]
    raw = w_value.strip().replace(",", ".")
    try:
        number: float | str = float(raw)
    except ValueError:
        number = w_value.strip()
    value = leaf.scale.value_of(number) if leaf.scale else None
    if value is None or not leaf.scale.min <= value <= leaf.scale.max:
        st.error(
            t(
                "app.compare.whatif_bad",
                lang,
                value=w_value,
                criterion=leaf_names[w_leaf],
                low=fmt_score(leaf.scale.min, lang),
                high=fmt_score(leaf.scale.max, lang),
            )  # fmt: skip
        )
    else:
        state.add_override(Override(w_provider, w_leaf, value, w_note.strip()))
        st.rerun()

overrides = st.session_state.get("wb_overrides") or []
for o in overrides:
    cols = st.columns([6, 1])
    cols[0].markdown(
        f"{OVERRIDDEN} **{md_escape(names.get(o.provider, o.provider))}** · {md_escape(leaf_names.get(o.criterion, o.criterion))}"
        f" → {fmt_score(o.value, lang)}" + (f" — {md_escape(o.note)}" if o.note else "")
    )
    cols[1].button(
        t("app.compare.whatif_remove", lang), key=f"wi_rm_{o.provider}_{o.criterion}",
        on_click=state.remove_override, args=(o.provider, o.criterion),
    )  # fmt: skip

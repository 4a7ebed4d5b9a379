"""Costs page: total cost of ownership of each provider over the study horizon (workbench.costs)."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.widgets import md_escape, provider_colors
from workbench.charts import study as charts
from workbench.costs import Costs, CostsError, CostSettings, crossovers, tco
from workbench.i18n import fmt_number, fmt_percent, t

SAMPLES = 2000

lang = state.get_lang()
cs = state.current_criteria_set()
st.title(t("app.costs.title", lang))

selected = set(state.selected_provider_ids())
providers = [p for p in state.all_providers() if p.id in selected and isinstance(p.costs, Costs)]
if not providers:
    st.info(t("app.costs.none", lang))
    st.stop()

try:
    base = CostSettings.from_mapping(cs.cost_settings)
    settings = CostSettings.from_mapping(st.session_state.get("wb_cost_settings") or {}, base)
except CostsError as exc:
    st.error("; ".join(f"{path}: {message}" for path, message in exc.problems))
    st.stop()


def _on_settings() -> None:
    st.session_state["wb_cost_settings"] = {
        **(st.session_state.get("wb_cost_settings") or {}),
        "horizon": int(st.session_state["cost_horizon"]),
        "discount_rate": round(float(st.session_state["cost_rate"]) / 100, 6),
    }


st.session_state["cost_horizon"] = settings.horizon
st.session_state["cost_rate"] = round(settings.discount_rate * 100, 4)
cols = st.columns(3)
cols[0].number_input(t("app.costs.horizon", lang), 1, 50, key="cost_horizon", on_change=_on_settings)
cols[1].number_input(t("app.costs.rate", lang), 0.0, 30.0, step=0.5, format="%g", key="cost_rate",
                     on_change=_on_settings)  # fmt: skip
cols[2].metric(t("app.costs.currency", lang), settings.currency)

names = {p.id: p.name.get(lang) for p in providers}
results, problems = {}, []
for p in providers:
    try:
        results[p.id] = tco(p.costs, settings, samples=SAMPLES if p.costs.has_ranges else 0, seed=0)
    except CostsError as exc:
        problems += [f"{names[p.id]}: {path}: {message}" for path, message in exc.problems]
for problem in problems:
    st.error(problem)
if not results:
    st.stop()

rows = []
for pid, r in sorted(results.items(), key=lambda kv: kv[1].npv):
    rows.append(
        {
            t("col.provider", lang): names[pid],
            t("app.costs.npv", lang): fmt_number(r.npv, lang, 1),
            t("app.costs.total", lang): fmt_number(r.total, lang, 1),
            "P10": fmt_number(r.p10, lang, 1) if r.p10 is not None else "—",
            "P90": fmt_number(r.p90, lang, 1) if r.p90 is not None else "—",
        }
    )
st.dataframe(rows, hide_index=True, width="stretch")
st.caption(
    t(
        "app.costs.explain",
        lang,
        horizon=settings.horizon,
        rate=fmt_percent(settings.discount_rate, lang, 1),
        currency=settings.currency,
        samples=fmt_number(SAMPLES, lang, 0),
    )  # fmt: skip
)
colors = provider_colors([p.id for p in state.all_providers()])
st.altair_chart(charts.cost_curves_chart(results, lang, names, colors), width="stretch")

st.altair_chart(charts.cost_categories_chart(results, lang, names), width="stretch")

st.subheader(t("app.costs.crossovers", lang))
found = crossovers(results)
for cheap, dear, year in found:
    st.markdown("- " + md_escape(t("app.costs.crossover", lang, cheap=names[cheap], dear=names[dear], year=year)))
if not found:
    st.caption(t("app.costs.no_crossover", lang))

# The cost leaf takes each option's NPV under these settings: the ranking moves with them.
st.subheader(t("app.costs.ranking", lang))
evaluation = state.current_evaluation()
st.dataframe(
    [
        {
            t("col.rank", lang): r.rank,
            t("col.provider", lang): r.name,
            t("col.score", lang): fmt_number(r.score, lang, 3),
            t("col.eligible", lang): t("app.yes" if r.eligible else "app.no", lang),
        }
        for r in evaluation.results
    ],
    hide_index=True,
    width="stretch",
)

"""Costs page: total cost of ownership of each provider over the study horizon (workbench.costs)."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.widgets import md_escape, provider_colors
from workbench.charts import study as charts
from workbench.costs import (
    MAX_DISCOUNT_RATE,
    MAX_HORIZON,
    MAX_SEATS,
    MIN_DISCOUNT_RATE,
    MIN_HORIZON,
    MIN_SEATS,
    Costs,
    CostsError,
    crossovers,
    resolve_cost_settings,
    tco_table,
)
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
    # The session's settings are the scenario's (a scenario or a shared link sets them too).
    settings = resolve_cost_settings(cs.cost_settings, st.session_state.get("wb_cost_settings"))
except CostsError as exc:
    st.error("; ".join(f"{path}: {message}" for path, message in exc.problems))
    st.stop()


def _store(key: str, value: float | None) -> None:
    # Only the setting that was changed is stored, so the other keeps its exact value; None (an
    # emptied input) drops the session's value, so the criteria set's applies again.
    stored = {**(st.session_state.get("wb_cost_settings") or {}), key: value}
    st.session_state["wb_cost_settings"] = {k: v for k, v in stored.items() if v is not None}


def _on_horizon() -> None:
    _store("horizon", int(st.session_state["cost_horizon"]))


def _on_rate() -> None:
    _store("discount_rate", round(float(st.session_state["cost_rate"]) / 100, 6))


def _on_seats() -> None:
    seats = st.session_state["cost_seats"]
    _store("seats", None if seats is None else int(seats))


# Seats matter only where some option is priced per seat (or the study sets a number anyway).
per_seat = settings.seats is not None or any(p.costs.per_seat for p in providers)
st.session_state["cost_horizon"] = settings.horizon
st.session_state["cost_rate"] = round(settings.discount_rate * 100, 4)
st.session_state["cost_seats"] = settings.seats
cols = st.columns(4 if per_seat else 3)
# The engine's own ranges (workbench.costs), so any valid setting shows as it is.
cols[0].number_input(t("app.costs.horizon", lang), MIN_HORIZON, MAX_HORIZON, key="cost_horizon", on_change=_on_horizon)
cols[1].number_input(
    t("app.costs.rate", lang),
    round(MIN_DISCOUNT_RATE * 100, 4),
    round(MAX_DISCOUNT_RATE * 100, 4),
    step=0.5,
    format="%g",
    key="cost_rate",
    on_change=_on_rate,
)
if per_seat:
    cols[2].number_input(
        t("app.costs.seats", lang),
        MIN_SEATS,
        MAX_SEATS,
        value=None,
        step=1000,
        key="cost_seats",
        help=t("app.costs.seats_help", lang),
        on_change=_on_seats,
    )
cols[-1].metric(t("app.costs.currency", lang), settings.currency)

names = {p.id: p.name.get(lang) for p in providers}
priced = tco_table([(p.id, p.costs) for p in providers], settings, samples=SAMPLES, seed=0)
for pid, path, message in priced.problems:
    st.error(f"{names[pid]}: {path}: {message}")
results = priced.results
if not results:
    st.stop()

rows = []
for pid, r in priced.ranked():
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

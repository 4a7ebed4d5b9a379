"""The facilitator's exports and the aggregate handed to Compare (part of ui/pages/workshop.py).

The CSV and JSON files are read from the database when their button is clicked, so a file is
never older than the click; "Use in Compare and reports" makes the chosen aggregate the weights
in force (asking first when few ballots support it) and leaves a summary for the Reports page.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import state
from ui.widgets import md_escape
from workbench.i18n import t
from workbench.model import CriteriaSet
from workbench.workshop import PermissionDenied, StoreUnavailable, WorkshopStore, leaf_to_node_weights
from workbench.workshop import export as ws_export
from workbench.workshop.studies import resolve_stored

CONFIRM_KEY = "wsf_confirm_use"
KINDS = ("mean", "geometric", "median")


def _export_bytes(ws_store: WorkshopStore, token: str, fmt: str, lang: str):
    """Deferred download data: read the database when the button is clicked, so a file is never
    older than the click (the section itself is outside the live fragment)."""

    def produce() -> bytes:
        try:
            results = ws_store.results(token)
            cs = ws_store.study(results["workshop"]["criteria_path"]).criteria_set
            if fmt == "aggregate":
                return ws_export.aggregate_csv(results, cs, lang).encode("utf-8")
            if fmt == "ballots":
                return ws_export.ballots_csv(ws_store.ballots(token), cs, lang).encode("utf-8")
            return ws_export.results_json(results, ws_store.compare_rounds(token)).encode("utf-8")
        except (StoreUnavailable, PermissionDenied) as exc:  # the page cannot show an error from here
            return t("workshop.unreachable", lang, reason=str(exc)).encode("utf-8")

    return produce


def export_section(ws_store: WorkshopStore, token: str, info: dict, lang: str) -> None:
    st.subheader(t("workshop.export.header", lang))
    stem = f"workshop-{info['id']}-round{info['round']}"
    c1, c2, c3 = st.columns(3)
    c1.download_button(t("workshop.export.csv", lang), _export_bytes(ws_store, token, "aggregate", lang),
                       file_name=f"{stem}-aggregate.csv", mime="text/csv", key="wsf_dl_csv", on_click="ignore")  # fmt: skip
    c2.download_button(t("workshop.export.ballots", lang), _export_bytes(ws_store, token, "ballots", lang),
                       file_name=f"{stem}-ballots.csv", mime="text/csv", key="wsf_dl_ballots", on_click="ignore")  # fmt: skip
    c3.download_button(t("workshop.export.json", lang), _export_bytes(ws_store, token, "json", lang),
                       file_name=f"{stem}.json", mime="application/json", key="wsf_dl_json", on_click="ignore")  # fmt: skip
    col_kind, col_use = st.columns([2, 3], vertical_alignment="bottom")
    kind = col_kind.selectbox(t("workshop.use.kind", lang), KINDS, format_func=lambda k: t(f"workshop.agg.{k}", lang),
                              key="wsf_use_kind")  # fmt: skip
    clicked = col_use.button(t("workshop.use.button", lang), key="wsf_use", type="primary", icon=":material/input:")
    try:
        results = ws_store.results(token)
    except StoreUnavailable as exc:
        st.error(t("workshop.unreachable", lang, reason=str(exc)))
        return
    support = ws_export.aggregate_support(results)
    st.caption(t("workshop.use.support", lang, ballots=support["ballots"], participants=support["participants"]))
    cs = ws_store.study(info["criteria_path"]).criteria_set
    if clicked:
        if not results["ballots"]:
            st.warning(t("workshop.no_ballots", lang))
        elif support["enough"]:
            use_in_compare(results, cs, kind, lang)
        else:  # few ballots: say so and ask
            st.session_state[CONFIRM_KEY] = kind
    pending = st.session_state.get(CONFIRM_KEY)
    if pending and results["ballots"]:
        st.warning(t("workshop.use.few", lang, ballots=support["ballots"], participants=support["participants"],
                     minimum=support["minimum"], kind=t(f"workshop.agg.{pending}", lang)))  # fmt: skip
        yes, no = st.columns(2)
        if yes.button(t("workshop.use.confirm", lang), key="wsf_use_confirm", icon=":material/check:"):
            st.session_state.pop(CONFIRM_KEY, None)
            use_in_compare(results, cs, pending, lang)
        if no.button(t("workshop.use.cancel", lang), key="wsf_use_cancel"):
            st.session_state.pop(CONFIRM_KEY, None)
            st.rerun()
    if st.session_state.get("wb_workshop"):
        st.page_link("ui/pages/compare.py", label=t("workshop.use.goto", lang), icon=":material/leaderboard:")


def use_in_compare(results: dict, cs: CriteriaSet, kind: str, lang: str) -> None:
    """Make the aggregate the weights in force (switching to the workshop's criteria set) and
    leave a summary for the Reports page in st.session_state['wb_workshop']."""
    path = resolve_stored(results["workshop"]["criteria_path"]).resolve()
    if Path(state.current_criteria_path()).resolve() != path:
        state.reset_for_set(path)
    state.set_weights(leaf_to_node_weights(cs, results["aggregate"][kind]))
    st.session_state["wb_workshop"] = ws_export.report_summary(results, cs, kind, lang)
    state.flash("success", t("workshop.use.done", lang, title=md_escape(results["workshop"]["title"]),
                             round=results["round"], kind=t(f"workshop.agg.{kind}", lang),
                             ballots=results["ballots"], participants=results["participants"]))  # fmt: skip
    st.rerun()

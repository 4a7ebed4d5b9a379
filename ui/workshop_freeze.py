"""The facilitator's freeze of a closed round (part of ui/pages/workshop.py).

Once a round is closed, "Freeze these weights" freezes its aggregate (the one chosen under "Aggregate to
reuse", the mean by default) with the workshop's method and normalisation
(`WorkshopStore.freeze_round`, which stores it with its SHA-256; a second click returns the
same record). The frozen records of the workshop are then shown read-only, latest round first,
and the one just frozen is put in force for the Export page's sealed record (ui.frozen_view).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import state
from ui.frozen_view import in_force, put_in_force, show_frozen
from ui.widgets import md_escape
from workbench.i18n import t
from workbench.workshop import FrozenRound, PermissionDenied, RoundNotFreezable, StoreUnavailable, WorkshopStore
from workbench.workshop.studies import resolve_stored

KIND_KEY = "wsf_use_kind"  # the export section's aggregate selector
REFUSALS = {"open": "record.freeze.refused.open", "empty": "record.freeze.refused.empty",
            "missing": "record.freeze.refused.missing"}  # fmt: skip


def _source(info: dict[str, Any], frozen: FrozenRound) -> dict[str, Any]:
    return {"kind": "workshop", "title": info["title"], "round": frozen.round, "aggregate": frozen.aggregate}


def _use(info: dict[str, Any], frozen: FrozenRound, lang: str) -> None:
    put_in_force(frozen.document, _source(info, frozen), resolve_stored(info["criteria_path"]))
    state.flash("success", t("record.freeze.in_force", lang, round=frozen.round))


def freeze_section(store: WorkshopStore, token: str, info: dict[str, Any], lang: str) -> None:
    """Freeze button (closed round not frozen yet) and every frozen round of the workshop."""
    st.subheader(t("record.freeze.header", lang))
    st.caption(t("record.freeze.intro", lang))
    try:
        records = store.frozen_rounds(token)
    except (StoreUnavailable, PermissionDenied) as exc:
        st.error(t("workshop.unreachable", lang, reason=md_escape(exc)))
        return
    frozen_now = any(r.round == info["round"] for r in records)
    if info["round_open"] and not frozen_now:
        st.info(t("record.freeze.close_first", lang, round=info["round"]))
    elif not frozen_now:
        kind = st.session_state.get(KIND_KEY) or "mean"
        st.caption(t("record.freeze.which", lang, round=info["round"], kind=t(f"workshop.agg.{kind}", lang)))
        if st.button(t("record.freeze.button", lang), key="wsf_freeze", type="primary", icon=":material/ac_unit:"):
            try:
                frozen = store.freeze_round(token, info["round"], kind)
            except RoundNotFreezable as exc:
                st.warning(t(REFUSALS[exc.reason], lang, round=info["round"]))
                return
            except (StoreUnavailable, PermissionDenied) as exc:
                st.error(t("workshop.unreachable", lang, reason=md_escape(exc)))
                return
            except Exception as exc:  # noqa: BLE001 - e.g. a set whose weights cannot be frozen: a sentence
                st.error(t("record.freeze.failed", lang, reason=md_escape(exc)))
                return
            _use(info, frozen, lang)
            st.rerun()
    cs = store.study(info["criteria_path"]).criteria_set
    for i, frozen in enumerate(records):
        label = t("record.freeze.record", lang, round=frozen.round, kind=t(f"workshop.agg.{frozen.aggregate}", lang))
        with st.expander(label, expanded=i == 0):
            show_frozen(frozen.document, cs, lang, key=f"wsf_frozen_{frozen.round}", round_number=frozen.round,
                        file_stem=f"workshop-{info['id']}-round{frozen.round}-frozen")  # fmt: skip
            if in_force(frozen.document):
                st.success(t("record.freeze.sealing_with", lang), icon=":material/verified:")
                st.page_link(
                    "ui/pages/export.py", label=t("record.freeze.goto_export", lang), icon=":material/ios_share:"
                )
            elif st.button(t("record.freeze.use", lang), key=f"wsf_frozen_use_{frozen.round}"):
                _use(info, frozen, lang)
                st.rerun()

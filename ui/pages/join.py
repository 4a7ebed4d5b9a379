"""Participant page (url path "join"): enter the code (or open ?code=…), give a name unless the
workshop is anonymous, set weights with the Weights page's controls and send them; revise until
the round closes. Shows one's own ballot and ranking, and the group's once revealed.

The participant token lives only in this browser session. If the database is unreachable the
weights stay in the widgets and a sentence says they were not sent."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from ui.language import get_lang
from ui.widgets import md_escape, show_problems, weight_controls
from ui.workshop_store import workshop_store
from workbench.errors import WeightsError, WorkbenchError
from workbench.i18n import fmt_number, fmt_percent, t
from workbench.workshop import PermissionDenied, RoundClosed, StoreUnavailable, format_code, normalise_code

TOKEN_KEY, VIEW_KEY, CODE_KEY, INFO_KEY = "wsp_token", "wsp_view", "wsp_code", "wsp_info"
WEIGHT_PREFIX = "wsp_w_"
STATUS_SECONDS = 4
TRUST_PROXY_ENV = "WORKBENCH_TRUST_PROXY"

lang = get_lang()


def client_key() -> str:
    """Who the join-code rate limit counts against: the client's address. X-Forwarded-For is
    believed only behind a proxy that sets it (WORKBENCH_TRUST_PROXY=1); otherwise a client could
    send a new value with each guess."""
    ip = None
    try:
        if os.environ.get(TRUST_PROXY_ENV) == "1":
            forwarded = (st.context.headers or {}).get("X-Forwarded-For")
            ip = forwarded.split(",")[0].strip() if forwarded else None
        ip = ip or st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context in bare mode
        ip = None
    return f"ip:{ip}" if isinstance(ip, str) and ip else "app"


def unreachable(exc: Exception) -> None:
    st.error(t("workshop.unreachable", lang, reason=str(exc)))


def denied(exc: PermissionDenied) -> None:
    """A refused code, in the participant's language."""
    if exc.reason == "rate_limited":
        st.error(t("workshop.join.rate_limited", lang, minutes=exc.minutes))
    else:
        st.error(t("workshop.join.bad_code", lang))


def _leave() -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("wsp_")]:
        del st.session_state[key]


# --- joining ---------------------------------------------------------------------------------


def join_form() -> None:
    code_param = st.query_params.get("code")
    if code_param and CODE_KEY not in st.session_state:
        st.session_state[CODE_KEY] = format_code(normalise_code(code_param))
    info = st.session_state.get(INFO_KEY)
    if info is None:
        with st.form("wsp_code_form"):
            code = st.text_input(t("workshop.join.code", lang), key=CODE_KEY, max_chars=12,
                                 help=t("workshop.join.code_help", lang))  # fmt: skip
            if st.form_submit_button(t("workshop.join.continue", lang), type="primary"):
                try:
                    st.session_state[INFO_KEY] = workshop_store().check_code(code, client_key())
                except PermissionDenied as exc:
                    denied(exc)
                    return
                except StoreUnavailable as exc:
                    unreachable(exc)
                    return
                st.rerun()
        return
    st.subheader(md_escape(info["title"]))
    with st.form("wsp_join_form"):
        name = None
        if info["anonymous"]:
            st.caption(t("workshop.join.anonymous", lang))
        else:
            name = st.text_input(t("workshop.join.name", lang), max_chars=60, key="wsp_name")
        if st.form_submit_button(t("workshop.join.submit", lang), type="primary"):
            if not info["anonymous"] and not (name or "").strip():
                st.error(t("workshop.join.name_required", lang))
                return
            try:
                code = st.session_state.get(CODE_KEY) or info["join_code"]
                participant = workshop_store().join(code, name=name, client_key=client_key())
            except PermissionDenied as exc:
                denied(exc)
                return
            except ValueError:
                st.error(t("workshop.join.name_required", lang))
                return
            except StoreUnavailable as exc:
                unreachable(exc)
                return
            st.session_state[TOKEN_KEY] = participant.token
            st.rerun()


# --- the ballot ------------------------------------------------------------------------------


def load_view(token: str) -> dict | None:
    """Fresh view from the database, else the last one seen (so the weights stay editable)."""
    try:
        view = workshop_store().participant_view(token)
    except StoreUnavailable as exc:
        unreachable(exc)
        return st.session_state.get(VIEW_KEY)
    except PermissionDenied:
        st.error(t("workshop.join.invalid", lang))
        st.button(t("workshop.join.leave", lang), on_click=_leave, key="wsp_leave_bad")
        return None
    st.session_state[VIEW_KEY] = view
    return view


def send(token: str, weights: dict[str, float]) -> None:
    try:
        receipt = workshop_store().submit_ballot(token, weights)
    except StoreUnavailable as exc:
        unreachable(exc)
        st.warning(t("workshop.join.unsent", lang))
        return
    except RoundClosed:
        view = st.session_state.get(VIEW_KEY) or {}
        st.warning(t("workshop.join.closed", lang, round=view.get("round", "")))
        return
    except WeightsError:
        st.error(t("app.weights.all_zero", lang))
        return
    except ValueError as exc:  # a ballot the engine refuses for another reason: its own sentence
        st.error(str(exc))
        return
    except PermissionDenied:
        st.error(t("workshop.join.invalid", lang))
        return
    st.session_state["wsp_flash"] = t("workshop.join.sent", lang, round=receipt.round, revision=receipt.revision)
    st.rerun()


def my_ballot(view: dict, cs, names: dict[str, str]) -> None:
    ballot = view.get("ballot")
    if not ballot:
        st.info(t("workshop.join.none_yet", lang))
        return
    leaf_names = {leaf.id: leaf.name.get(lang) for leaf in cs.leaves()}
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('workshop.join.my_ballot', lang, round=ballot['round'])}**")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("col.criterion", lang): leaf_names.get(k, k),
                        t("col.weight", lang): fmt_percent(ballot["weights"].get(k, 0.0), lang, 1),
                    }
                    for k in leaf_names
                    if k in ballot["weights"]
                ]
            ),  # fmt: skip
            hide_index=True,
            width="stretch",
        )
    with right:
        st.markdown(f"**{t('workshop.join.my_ranking', lang)}**")
        ranking = sorted(ballot["ranking"].items(), key=lambda kv: kv[1])
        st.dataframe(
            pd.DataFrame([{t("col.rank", lang): r, t("col.provider", lang): names.get(p, p)} for p, r in ranking]),
            hide_index=True,
            width="stretch",
        )


@st.fragment(run_every=STATUS_SECONDS)
def status(token: str) -> None:
    """Round state and, once revealed, the group's results; refreshed on a timer."""
    try:
        view = workshop_store().participant_view(token)
    except (StoreUnavailable, PermissionDenied):
        view = st.session_state.get(VIEW_KEY)
    if not view:
        return
    key = "workshop.round_open" if view["round_open"] else "workshop.round_closed"
    (st.success if view["round_open"] else st.warning)(t(key, lang, round=view["round"]))
    st.subheader(t("workshop.join.group", lang))
    group = view.get("group")
    if not group or not group.get("ballots"):
        st.caption(t("workshop.join.group_hidden", lang))
        return
    study = workshop_store().study(view["criteria_path"])
    leaf_names = {leaf.id: leaf.name.get(lang) for leaf in study.criteria_set.leaves()}
    kw = group["consensus"]["kendall_w"]
    consensus = "—" if kw is None else fmt_number(kw, lang, 2)
    st.caption(t("workshop.join.group_summary", lang, ballots=group["ballots"], consensus=consensus))
    left, right = st.columns(2)
    left.dataframe(
        pd.DataFrame(
            [
                {t("col.criterion", lang): leaf_names.get(k, k), t("workshop.agg.mean", lang): fmt_percent(v, lang, 1)}
                for k, v in group["aggregate"]["mean"].items()
            ]
        ),  # fmt: skip
        hide_index=True,
        width="stretch",
    )
    right.dataframe(
        pd.DataFrame([{t("col.rank", lang): r["rank"], t("col.provider", lang): r["name"]} for r in group["ranking"]]),
        hide_index=True,
        width="stretch",
    )


def ballot_page(token: str) -> None:
    view = load_view(token)
    if view is None:
        return
    try:
        study = workshop_store().study(view["criteria_path"])
    except WorkbenchError as exc:  # the set or every profile broke since the workshop began
        show_problems(exc.problems, lang)
        return
    cs = study.criteria_set
    st.subheader(md_escape(view["title"]))
    if view.get("name"):
        st.caption(md_escape(t("workshop.join.welcome", lang, name=view["name"])))
    st.caption(t("workshop.join.instructions", lang))
    seed = (view.get("ballot") or view.get("previous") or {}).get("raw") or {}
    values = weight_controls(cs, seed, key_prefix=WEIGHT_PREFIX, lang=lang, locks=False, compact=True)
    if st.button(t("workshop.join.send", lang), type="primary", key="wsp_send", disabled=not view["round_open"],
                 icon=":material/send:", width="stretch"):  # fmt: skip
        send(token, values)
    flash = st.session_state.pop("wsp_flash", None)
    if flash:  # right under the button: on a phone the top of the page is out of sight
        st.success(flash)
    if not view["round_open"]:
        st.warning(t("workshop.join.closed", lang, round=view["round"]))
    my_ballot(view, cs, {p.id: p.name.get(lang) for p in study.providers})
    st.divider()
    status(token)
    st.button(t("workshop.join.leave", lang), on_click=_leave, key="wsp_leave")


def main() -> None:
    st.title(t("workshop.join.title", lang))
    token = st.session_state.get(TOKEN_KEY)
    try:
        workshop_store()
    except StoreUnavailable as exc:
        unreachable(exc)
        if not token:
            return
    if token:
        ballot_page(token)
    else:
        join_form()


main()

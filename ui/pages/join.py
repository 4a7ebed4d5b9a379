"""Participant page (url path "join"): enter the code (or open ?code=…), give a name unless the
workshop is anonymous, set weights and send them; revise until the round closes. Shows one's
own ballot and ranking, and the group's once revealed. No analyst navigation here (app.py), and
its own language switch.

The participant token lives in the session and in a cookie per workshop (ui.workshop_store),
never in the address; the join code stays there. A reload, a closed tab or a phone that slept
comes back as the same participant with the same ballot, and typing the code again on this
device resumes too: a consultation never counts one person twice by accident. If the database
is unreachable the weights stay in the widgets and a sentence says they were not sent."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.language import LANG_KEY, get_lang
from ui.weight_controls import weight_controls
from ui.widgets import md_escape, show_problems
from ui.workshop_store import (
    PARTICIPANT_COOKIE_PREFIX,
    client_key,
    delete_cookie,
    participant_cookie,
    read_cookie,
    read_cookies,
    workshop_store,
    write_cookie,
)
from workbench.errors import WeightsError, WorkbenchError
from workbench.i18n import LANGS, fmt_number, fmt_percent, t
from workbench.workshop import PermissionDenied, RoundClosed, StoreUnavailable, format_code, normalise_code
from workbench.workshop.access import CODE_LENGTH, LONG_CODE_LENGTH

TOKEN_KEY, VIEW_KEY, CODE_KEY, INFO_KEY = "wsp_token", "wsp_view", "wsp_code", "wsp_info"
LEFT_KEY = "wsp_left"  # tokens this session left: their cookies (read at connection) are stale
SHOWN_KEY = "wsp_shown"  # (round, open) the page was drawn for; the status fragment compares
WEIGHT_PREFIX = "wsp_w_"
STATUS_SECONDS = 4

lang = get_lang()


def unreachable(exc: Exception) -> None:
    st.error(t("workshop.unreachable", lang, reason=str(exc)))


def denied(exc: PermissionDenied) -> None:
    """A refused code or join, in the participant's language."""
    if exc.reason == "rate_limited":
        st.error(t("workshop.join.rate_limited", lang, minutes=exc.minutes))
    elif exc.reason == "joins":
        st.error(t("workshop.join.too_many_joins", lang, minutes=exc.minutes))
    elif exc.reason == "full":
        st.error(t("workshop.join.full", lang))
    else:
        st.error(t("workshop.join.bad_code", lang))


def _leave() -> None:
    left = list(st.session_state.get(LEFT_KEY) or [])
    view = st.session_state.get(VIEW_KEY) or {}
    if st.session_state.get(TOKEN_KEY):
        left.append(st.session_state[TOKEN_KEY])
    forget = view.get("join_code")
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("wsp_")]:
        del st.session_state[key]
    st.session_state[LEFT_KEY] = left
    if forget:
        st.session_state["wsp_forget"] = forget
    st.query_params.pop("code", None)


def language_switch() -> None:
    """The participant page has no sidebar: its language switch sits at the top."""
    st.session_state[LANG_KEY] = lang
    st.radio(t("app.language", lang), options=list(LANGS), key=LANG_KEY, horizontal=True,
             format_func=lambda code: {"fr": "Français", "en": "English"}[code], label_visibility="collapsed")  # fmt: skip


# --- coming back -------------------------------------------------------------------------------


def _resume_token(short_code: str | None) -> str | None:
    """This browser's participant token for the workshop with this short code, when its cookie
    holds one that is still valid and this session did not leave it."""
    candidates = []
    if short_code:
        candidates.append(read_cookie(participant_cookie(short_code)))
    else:  # no code given: the one workshop this browser takes part in, if just one
        mine = [name for name in read_cookies() if name.startswith(PARTICIPANT_COOKIE_PREFIX)]
        if len(mine) == 1:
            candidates.append(read_cookie(mine[0]))
    left = set(st.session_state.get(LEFT_KEY) or [])
    for token in candidates:
        if not token or token in left:
            continue
        try:
            view = workshop_store().participant_view(token)
        except (PermissionDenied, StoreUnavailable):
            continue
        if short_code is None or view["join_code"] == short_code:
            st.session_state[VIEW_KEY] = view
            return token
    return None


def resume_from_cookie() -> None:
    """Before asking for a code: a cookie from an earlier visit resumes the participant."""
    if st.session_state.get(TOKEN_KEY) or st.session_state.get("wsp_resume_tried"):
        return
    st.session_state["wsp_resume_tried"] = True
    code = normalise_code(st.query_params.get("code") or "")
    short = code if len(code) == CODE_LENGTH else None
    if len(code) == LONG_CODE_LENGTH:  # the QR code's long code: which workshop is it?
        try:
            short = workshop_store().check_code(code, client_key())["join_code"]
        except (PermissionDenied, StoreUnavailable):
            return
    token = _resume_token(short) if short or not code else None
    if token:
        _adopt(token, st.session_state[VIEW_KEY]["join_code"])


def _adopt(token: str, short_code: str) -> None:
    """This session is now this participant: the token in the session and the cookie, the
    short join code in the address (a reload then finds the cookie)."""
    st.session_state[TOKEN_KEY] = token
    st.session_state["wsp_short"] = short_code
    st.query_params["code"] = short_code


# --- joining ---------------------------------------------------------------------------------


def join_form() -> None:
    code_param = st.query_params.get("code")
    if code_param and CODE_KEY not in st.session_state:
        st.session_state[CODE_KEY] = format_code(normalise_code(code_param))
    info = st.session_state.get(INFO_KEY)
    if info is None:
        with st.form("wsp_code_form"):
            code = st.text_input(t("workshop.join.code", lang), key=CODE_KEY, max_chars=20,
                                 help=t("workshop.join.code_help", lang))  # fmt: skip
            if st.form_submit_button(t("workshop.join.continue", lang), type="primary"):
                try:
                    info = workshop_store().check_code(code, client_key())
                except PermissionDenied as exc:
                    denied(exc)
                    return
                except StoreUnavailable as exc:
                    unreachable(exc)
                    return
                token = _resume_token(info["join_code"])  # joined before on this device: resume
                if token:
                    _adopt(token, info["join_code"])
                else:
                    st.session_state[INFO_KEY] = info
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
            _adopt(participant.token, info["join_code"])
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
    """Send the ballot; the outcome is said under the button."""
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
    """Round state and, once revealed, the group's results; refreshed on a timer. When the round
    closed or a new one opened since the page was drawn, the whole page is drawn again: the Send
    button follows the round and the previous round's confirmation goes."""
    try:
        view = workshop_store().participant_view(token)
    except (StoreUnavailable, PermissionDenied):
        view = st.session_state.get(VIEW_KEY)
    if not view:
        return
    if st.session_state.get(SHOWN_KEY) not in (None, (view["round"], view["round_open"])):
        st.session_state[VIEW_KEY] = view
        st.rerun()
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
    names = {p.id: p.name.get(lang) for p in study.providers}
    right.dataframe(
        pd.DataFrame(
            [
                {t("col.rank", lang): r["rank"], t("col.provider", lang): names.get(r["id"], r["name"])}
                for r in group["ranking"]
            ]
        ),  # fmt: skip
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
    write_cookie(participant_cookie(view["join_code"]), token)
    if st.query_params.get("code") != view["join_code"]:
        st.query_params["code"] = view["join_code"]
    st.session_state[SHOWN_KEY] = (view["round"], view["round_open"])
    st.subheader(md_escape(view["title"]))
    if view.get("name"):
        st.caption(md_escape(t("workshop.join.welcome", lang, name=view["name"])))
    st.caption(t("workshop.join.instructions", lang))
    seed = (view.get("ballot") or view.get("previous") or {}).get("raw") or {}
    values = weight_controls(cs, seed, key_prefix=WEIGHT_PREFIX, lang=lang, locks=False, compact=True, text_entry=True)
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
    language_switch()  # under the title: above it, Streamlit's header covers it on a phone
    forget = st.session_state.get("wsp_forget")
    if forget and not st.session_state.get(TOKEN_KEY):
        delete_cookie(participant_cookie(forget))
    resume_from_cookie()
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

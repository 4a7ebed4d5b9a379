"""Workshop facilitator page: create a workshop, project its join code and QR code, watch ballots
arrive (the dashboard refreshes by itself, in place), close and open rounds, export and feed the
aggregate into Compare and the reports (ui.workshop_export), and freeze a closed round's
aggregate (ui.workshop_freeze). Every statistic comes from workbench.workshop.

The facilitator token stays in the session and in a cookie (ui.workshop_store), never in the
address: a reload, a closed tab or a restarted laptop come back to the same workshop. When
$WORKBENCH_FACILITATOR_KEY is set, creating a workshop asks for it."""

from __future__ import annotations

import io
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import segno
import streamlit as st

from ui import state
from ui.language import get_lang
from ui.study_files import catalogue
from ui.widgets import md_escape, provider_colors, show_problems
from ui.workshop_export import CONFIRM_KEY, KINDS, export_section
from ui.workshop_freeze import freeze_section
from ui.workshop_store import FACILITATOR_COOKIE, client_key, delete_cookie, read_cookie, workshop_store, write_cookie
from workbench.charts import workshop as ws_charts
from workbench.errors import WorkbenchError
from workbench.i18n import fmt_number, fmt_percent, t
from workbench.methods import method_label
from workbench.workshop import PermissionDenied, StoreUnavailable, WorkshopStore, format_code
from workbench.workshop.access import facilitator_key

REFRESH_SECONDS = 2
PUBLIC_URL_ENV = "WORKBENCH_PUBLIC_URL"  # set behind a proxy: the address participants reach
TOKEN_KEY, ID_KEY = "wsf_token", "wsf_id"
LEFT_KEY = "wsf_left"  # the token this session left: its cookie (read at connection) is stale
# The projected screen refreshes in place: Streamlit's "Running… Stop" badge and the fading of
# the live part while it re-reads the database are switched off here (static text, no user input).
QUIET_CSS = """<style>
[data-testid="stStatusWidget"] { visibility: hidden; }
.st-key-wsf_live [data-stale="true"], .st-key-wsf_live [data-stale="true"] * {
  opacity: 1 !important; transition: none !important; }
</style>"""

lang = get_lang()


def store() -> WorkshopStore:
    """The shared store for the configured database; an unusable address stops the page with a sentence."""
    try:
        return workshop_store()
    except StoreUnavailable as exc:
        st.error(t("workshop.unreachable", lang, reason=str(exc)))
        st.stop()


def base_url() -> str:
    """The app's address as participants reach it: $WORKBENCH_PUBLIC_URL, else this page's URL."""
    configured = os.environ.get(PUBLIC_URL_ENV)
    if configured:
        return configured.rstrip("/")
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - bare mode (tests) has no browser context
        url = ""
    parts = urlsplit(url)
    if not parts.scheme:
        return "http://localhost:8501"
    # This page's URL ends with its own path segment ("/workshop"); what is left is the app's root.
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/').rsplit('/', 1)[0]}"


def _token_from_link(text: str) -> str:
    """A pasted facilitator link (…?ws=…&token=…) or a bare token."""
    text = text.strip()
    if "token=" in text:
        return (parse_qs(urlsplit(text).query).get("token") or [""])[0]
    return text


def _adopt_query_params() -> None:
    """A facilitator link's token moves into the session and the cookie (app.py then rewrites the
    URL, so the secret does not stay in the address bar of a projected screen)."""
    token = st.query_params.get("token")
    if token and st.query_params.get("ws"):
        st.session_state[TOKEN_KEY] = token
        st.session_state[ID_KEY] = st.query_params.get("ws")
        st.session_state.pop(LEFT_KEY, None)


def _adopt_cookie() -> None:
    """Back after a reload or a closed tab: the browser's cookie brings the token back (unless
    this session just left that workshop; the cookie was read when the session connected)."""
    if st.session_state.get(TOKEN_KEY):
        return
    token = read_cookie(FACILITATOR_COOKIE)
    if token and token != st.session_state.get(LEFT_KEY):
        st.session_state[TOKEN_KEY] = token


def _leave() -> None:
    st.session_state[LEFT_KEY] = st.session_state.get(TOKEN_KEY) or read_cookie(FACILITATOR_COOKIE) or ""
    for key in (TOKEN_KEY, ID_KEY, "wsf_created", CONFIRM_KEY):
        st.session_state.pop(key, None)


def _key_refused(exc: PermissionDenied) -> str:
    if exc.reason == "key_limited":
        return t("workshop.create.key_limited", lang, minutes=exc.minutes)
    return t("workshop.create.key_wrong", lang)


# --- no workshop yet: create or resume ---------------------------------------------------------


def create_or_resume() -> None:
    if st.session_state.get(LEFT_KEY) is not None:
        delete_cookie(FACILITATOR_COOKIE)
    st.caption(t("workshop.intro", lang))
    col_new, col_resume = st.columns(2, gap="large")
    with col_new:
        st.subheader(t("workshop.create.header", lang))
        sets, _ = catalogue()
        paths = [e.path for e in sets] or [state.current_criteria_path()]
        names = {e.path: e.criteria_set.name.get(lang) for e in sets}
        current = state.current_criteria_path()
        with st.form("wsf_create"):
            path = st.selectbox(t("workshop.create.set", lang), paths, index=paths.index(current) if current in paths else 0,
                                format_func=lambda p: names.get(p, Path(p).name), key="wsf_set")  # fmt: skip
            title = st.text_input(t("workshop.create.title", lang), max_chars=200, key="wsf_title")
            anonymous = st.checkbox(t("workshop.create.anonymous", lang), key="wsf_anonymous")
            needs_key = facilitator_key() is not None
            given = (st.text_input(t("workshop.create.key", lang), type="password", key="wsf_key",
                                   help=t("workshop.create.key_help", lang)) if needs_key else "")  # fmt: skip
            if st.form_submit_button(t("workshop.create.submit", lang), type="primary"):
                try:
                    if needs_key:
                        store().check_facilitator_key(given, client_key())
                    ws = store().create_workshop(criteria=path, title=title, anonymous=anonymous)
                except PermissionDenied as exc:
                    st.error(_key_refused(exc))
                    return
                except StoreUnavailable as exc:
                    st.error(t("workshop.unreachable", lang, reason=str(exc)))
                    return
                except WorkbenchError as exc:  # the set or its profiles broke since the list was read
                    show_problems(exc.problems, lang)
                    return
                st.session_state[TOKEN_KEY] = ws.facilitator_token
                st.session_state[ID_KEY] = ws.id
                st.session_state["wsf_created"] = True
                st.session_state.pop(LEFT_KEY, None)
                st.rerun()
    with col_resume:
        st.subheader(t("workshop.resume.header", lang))
        with st.form("wsf_resume"):
            link = st.text_input(t("workshop.resume.link", lang), type="password", key="wsf_link")
            if st.form_submit_button(t("workshop.resume.submit", lang)):
                st.session_state[TOKEN_KEY] = _token_from_link(link)
                st.session_state.pop(LEFT_KEY, None)
                st.rerun()


# --- the workshop ----------------------------------------------------------------------------


def join_panel(info: dict, token: str) -> None:
    """Code, QR code and links; the secret facilitator link stays folded away. The QR code
    carries the long code, which the join limits never refuse."""
    link = f"{base_url()}/join?code={info['join_code']}"
    qr_link = f"{base_url()}/join?code={info['long_code']}"
    col_code, col_qr = st.columns([3, 2], vertical_alignment="center")
    with col_code:
        st.caption(t("workshop.join_code", lang))
        # Static markup around a code drawn from our own alphabet (A-Z, 2-9): nothing user-given.
        st.markdown(
            f"<div class='wsf-code' style='font-size:4.2rem;font-weight:700;letter-spacing:0.4rem;"
            f"font-family:monospace;line-height:1.1'>{format_code(info['join_code'])}</div>",
            unsafe_allow_html=True,
        )
        st.markdown(t("workshop.join_at", lang, link=f"`{link}`"))
        st.caption(t("workshop.long_code", lang, code=format_code(info["long_code"])))
        with st.expander(t("workshop.secret_link", lang)):
            st.caption(t("workshop.secret_help", lang))
            st.code(f"{base_url()}/workshop?ws={info['id']}&token={token}", language=None)
    with col_qr:
        buf = io.BytesIO()
        segno.make(qr_link, error="m").save(buf, kind="png", scale=8, border=2)
        st.image(buf.getvalue(), width=240, caption=t("workshop.qr_alt", lang), alt=t("workshop.qr_alt", lang))


def controls(info: dict, token: str) -> None:
    col_state, col_close, col_open = st.columns([1, 1, 1], vertical_alignment="center")
    key = "workshop.round_open" if info["round_open"] else "workshop.round_closed"
    (col_state.success if info["round_open"] else col_state.warning)(t(key, lang, round=info["round"]))
    try:
        if col_close.button(t("workshop.close_round", lang), disabled=not info["round_open"], key="wsf_close",
                            icon=":material/lock:"):  # fmt: skip
            number = store().close_round(token)
            state.flash("info", t("workshop.closed_msg", lang, round=number))
            st.rerun()
        if col_open.button(t("workshop.open_round", lang), key="wsf_open", icon=":material/replay:"):
            number = store().open_round(token)
            state.flash("info", t("workshop.opened_msg", lang, round=number))
            st.rerun()
        revealed = st.toggle(t("workshop.reveal", lang), value=info["revealed"], key=f"wsf_reveal_{info['round']}")
        if revealed != info["revealed"]:
            store().reveal(token, revealed)
    except StoreUnavailable as exc:
        st.error(t("workshop.unreachable", lang, reason=str(exc)))


def _pct(x: float | None) -> str:
    return fmt_percent(x, lang, 1) if x is not None else "—"


@st.fragment(run_every=REFRESH_SECONDS)
def dashboard(token: str) -> None:
    """Live part: re-read the database on a timer; only this fragment reruns, in place."""
    with st.container(key="wsf_live"):
        live(token)


def live(token: str) -> None:
    try:
        results = store().results(token)
        # A public consultation lists no one: counts only, so thousands of ballots stay cheap.
        people = [] if results["workshop"]["anonymous"] else store().participants(token, limit=300)
    except StoreUnavailable as exc:
        st.error(t("workshop.unreachable", lang, reason=str(exc)))
        return
    except PermissionDenied:
        st.error(t("workshop.resume.invalid", lang))
        return
    study = store().study(results["workshop"]["criteria_path"])
    cs = study.criteria_set
    consensus = results["consensus"]
    m1, m2, m3 = st.columns(3)
    m1.metric(t("workshop.metric.joined", lang), results["participants"])
    m2.metric(t("workshop.metric.submitted", lang), results["ballots"])
    w = consensus["kendall_w"]
    m3.metric(t("workshop.metric.consensus", lang), "—" if w is None else fmt_number(w, lang, 2),
              delta=None if w is None else t(f"workshop.consensus.{consensus['label']}", lang), delta_color="off",
              delta_arrow="off",
              help=t("workshop.metric.consensus_help", lang))  # fmt: skip
    st.caption(t("workshop.refresh_note", lang, seconds=REFRESH_SECONDS))
    if not results["ballots"]:
        st.info(t("workshop.no_ballots", lang))
        participants_table(results, people)
        return
    leaf_names = {leaf.id: leaf.name.get(lang) for leaf in cs.leaves()}
    st.altair_chart(ws_charts.aggregate_chart(results, cs, lang), width="stretch")
    st.caption(t("workshop.aggregate.help", lang))
    st.altair_chart(ws_charts.dispersion_chart(results, cs, lang), width="stretch")
    st.caption(t("workshop.dispersion.help", lang))
    agg = results["aggregate"]
    table = pd.DataFrame(
        [{t("col.criterion", lang): leaf_names.get(k, k),
          **{t(f"workshop.agg.{kind}", lang): _pct(agg[kind].get(k)) for kind in KINDS},
          t("workshop.col.sd", lang): _pct(d["sd"]), t("workshop.col.iqr", lang): _pct(d["iqr"]),
          t("workshop.col.min", lang): _pct(d["min"]), t("workshop.col.max", lang): _pct(d["max"])}
         for k, d in results["dispersion"].items()]
    )  # fmt: skip
    with st.expander(t("workshop.table.header", lang)):
        st.dataframe(table, hide_index=True, width="stretch", height=38 + 35 * len(table))
    provider_names = {p.id: p.name.get(lang) for p in study.providers}
    wins = results["winners"]
    st.subheader(t("workshop.ranking.header", lang, method=method_label(results["method"], lang)))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("col.rank", lang): r["rank"],
                    t("col.provider", lang): provider_names.get(r["id"], r["name"]),
                    t("col.score", lang): fmt_number(r["score"], lang, 3),
                    t("col.eligible", lang): t("workshop.yes" if r["eligible"] else "workshop.no", lang),
                    t("workshop.col.wins", lang): wins.get(r["id"], 0),
                }
                for r in results["ranking"]
            ]
        ),  # fmt: skip
        hide_index=True,
        width="stretch",
    )
    st.subheader(t("workshop.winners.header", lang))
    colors = provider_colors(list(provider_names))
    st.altair_chart(ws_charts.winners_chart(results, provider_names, lang, colors), width="stretch")
    st.caption(t("workshop.winners.help", lang))
    participants_table(results, people)


def participants_table(results: dict, people: list[dict]) -> None:
    st.subheader(t("workshop.participants.header", lang))
    if results["workshop"]["anonymous"]:
        st.caption(
            t("workshop.participants.anonymous", lang, joined=results["participants"], submitted=results["ballots"])
        )
        return
    if not people:
        return
    # st.dataframe renders cells as plain text: names cannot inject markup.
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("workshop.col.participant", lang): p["name"],
                    t("workshop.col.submitted", lang): "✓" if p["submitted"] else "…",
                    t("workshop.col.revisions", lang): p["revisions"],
                }
                for p in people
            ]
        ),  # fmt: skip
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(people), 420),
    )


def rounds_section(token: str, info: dict) -> None:
    if info["round"] < 2:
        return
    with st.expander(t("workshop.rounds.header", lang), expanded=False):
        st.caption(t("workshop.rounds.help", lang))
        history = store().compare_rounds(token)
        study = store().study(info["criteria_path"])
        leaf_names = {leaf.id: leaf.name.get(lang) for leaf in study.criteria_set.leaves()}
        names = {p.id: p.name.get(lang) for p in study.providers}
        rows = []
        for r in history:
            kw = r["consensus"]["kendall_w"]
            leader = r["ranking"][0]["id"] if r["ranking"] else None
            row = {t("workshop.col.round", lang): r["round"], t("workshop.col.ballots", lang): r["ballots"],
                   t("workshop.metric.consensus", lang): "—" if kw is None else fmt_number(kw, lang, 2),
                   t("workshop.col.winner", lang): names.get(leader, "—")}  # fmt: skip
            row.update({leaf_names[k]: _pct(r["aggregate"]["mean"].get(k)) for k in leaf_names})
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def main() -> None:
    st.title(t("workshop.title", lang))
    _adopt_query_params()
    _adopt_cookie()
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        create_or_resume()
        return
    try:
        info = store().workshop(token)
    except PermissionDenied:
        if token == read_cookie(FACILITATOR_COOKIE):  # a stale cookie (workshop gone): forget it quietly
            _leave()
            create_or_resume()
            return
        st.error(t("workshop.resume.invalid", lang))
        st.button(t("workshop.leave", lang), on_click=_leave, key="wsf_leave_bad")
        return
    except StoreUnavailable as exc:
        st.error(t("workshop.unreachable", lang, reason=str(exc)))
        return
    st.session_state[ID_KEY] = info["id"]
    write_cookie(FACILITATOR_COOKIE, token)
    st.html(QUIET_CSS)
    if st.session_state.pop("wsf_created", False):
        st.success(t("workshop.create.done", lang))
    st.header(md_escape(info["title"]), anchor=False)
    join_panel(info, token)
    controls(info, token)
    st.divider()
    dashboard(token)
    rounds_section(token, info)
    st.divider()
    export_section(store(), token, info, lang)
    st.divider()
    freeze_section(store(), token, info, lang)
    st.button(t("workshop.leave", lang), on_click=_leave, key="wsf_leave", icon=":material/logout:")


main()

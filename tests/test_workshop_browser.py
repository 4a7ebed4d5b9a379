"""Real-browser workshop tests (Playwright in Debian's chromium, fixtures from conftest.py).

1. One server, two browser contexts: a participant joins by the QR link and sends weights; the
   facilitator's dashboard shows the ballot without a reload (st.fragment's timer).
2. Two `streamlit run` servers on one PostgreSQL database (TEST_DATABASE_URL): the participant
   on one, the facilitator on the other.
3. Reloads (issue 12 item 2, issue 16): on a 390-px phone in French, join, send, reload, send
   again: one participant, revision 2; the facilitator's F5 keeps the workshop; no token in any
   address; the cookies do the work (SQLite and PostgreSQL).
4. The participant page follows the round by itself (Send disabled once it closes, the round-1
   confirmation gone in round 2), shows no analyst navigation, and the projected dashboard
   refreshes without the "Running/Stop" badge or fading.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from workbench.workshop import WorkshopStore

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
MINI_DIR = ROOT / "tests" / "fixtures" / "mini"
MINI = MINI_DIR / "criteria.yaml"
TIMEOUT = 30_000


def metric(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator('[data-testid="stMetricValue"]')


def open_facilitator(browser, url: str, ws):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-CA")
    page = ctx.new_page()
    page.goto(f"{url}/workshop?ws={ws.id}&token={ws.facilitator_token}")
    metric(page, "Pondérations reçues").wait_for(timeout=TIMEOUT)
    return ctx, page


PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "fr-CA", "is_mobile": True, "has_touch": True}


def participate(browser, url: str, code: str, name: str, cost: str):
    """Join through the QR code's link, set one weight, send; returns the context."""
    from playwright.sync_api import expect

    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    page.goto(f"{url}/join?code={code}")
    page.get_by_role("button", name="Continuer").click(timeout=TIMEOUT)
    page.get_by_label("Votre nom (affiché à l'animateur)").fill(name, timeout=TIMEOUT)
    page.get_by_role("button", name="Rejoindre").click()
    weight = page.locator(".st-key-wsp_w_cost input")
    weight.wait_for(timeout=TIMEOUT)
    weight.fill(cost)
    weight.press("Enter")
    page.wait_for_timeout(500)  # let the number input's rerun land before sending
    page.get_by_role("button", name="Envoyer ma pondération").click()
    expect(page.get_by_text("Pondération enregistrée (tour 1, version 1).")).to_be_visible(timeout=TIMEOUT)
    return ctx


def test_participant_ballot_appears_on_facilitator_page_without_reload(
    browser, streamlit_server, tmp_path_factory, artifacts_dir
):
    from playwright.sync_api import expect

    db = f"sqlite:///{tmp_path_factory.mktemp('ws_browser') / 'ws.sqlite'}"
    url = streamlit_server(env={"WORKBENCH_DATABASE_URL": db, "WORKBENCH_CRITERIA_DIR": str(MINI_DIR)})
    store = WorkshopStore(db)
    ws = store.create_workshop(criteria=MINI, title="Atelier navigateur")
    fac_ctx, fac = open_facilitator(browser, url, ws)
    expect(metric(fac, "Pondérations reçues")).to_have_text("0", timeout=TIMEOUT)
    # The facilitator's token left the address bar (app.py rewrites the query string).
    expect(fac).not_to_have_url(re.compile(re.escape(ws.facilitator_token)), timeout=TIMEOUT)
    part_ctx = participate(browser, url, ws.join_code, "Zoé", "9")
    navigations = []
    fac.on("framenavigated", lambda frame: navigations.append(frame.url))
    expect(metric(fac, "Pondérations reçues")).to_have_text("1", timeout=TIMEOUT)
    expect(metric(fac, "Participants")).to_have_text("1")
    expect(fac.get_by_text("Zoé", exact=True).first).to_be_attached(timeout=TIMEOUT)  # a dataframe cell
    assert navigations == []  # updated in place, no reload
    res = store.results(ws.facilitator_token)
    assert res["ballots"] == 1 and res["aggregate"]["mean"]["cost"] > 0.5
    fac.wait_for_timeout(1000)
    fac.screenshot(path=str(artifacts_dir / "workshop-facilitator.png"), full_page=True)
    part_ctx.close()
    fac_ctx.close()
    store.close()


def test_two_servers_share_one_postgresql_workshop(browser, streamlit_server):
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set: the two-server test needs PostgreSQL")
    from playwright.sync_api import expect
    from test_workshop import PgSchema

    schema = PgSchema()
    try:
        env = {"WORKBENCH_DATABASE_URL": schema.url, "WORKBENCH_CRITERIA_DIR": str(MINI_DIR)}
        url_a = streamlit_server(env={**env, "WB_REPLICA": "a"})
        url_b = streamlit_server(env={**env, "WB_REPLICA": "b"})
        assert url_a != url_b
        store = WorkshopStore(schema.url)
        ws = store.create_workshop(criteria=MINI, title="Deux serveurs")
        fac_ctx, fac = open_facilitator(browser, url_b, ws)
        part_ctx = participate(browser, url_a, ws.join_code, "Ann", "4")
        expect(metric(fac, "Pondérations reçues")).to_have_text("1", timeout=TIMEOUT)
        expect(fac.get_by_text("Ann", exact=True).first).to_be_attached(timeout=TIMEOUT)
        assert store.results(ws.facilitator_token)["ballots"] == 1
        part_ctx.close()
        fac_ctx.close()
        store.close()
    finally:
        schema.drop()


# --- reloads, the round, the projected screen --------------------------------------------------


def set_weight(page, leaf: str, value: str) -> None:
    box = page.locator(f".st-key-wsp_w_{leaf} input")
    box.wait_for(timeout=TIMEOUT)
    box.fill(value)
    box.press("Enter")
    page.wait_for_timeout(500)  # let the number input's rerun land before sending


def send(page, revision: int, round_: int = 1) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="Envoyer ma pondération").click()
    expect(page.get_by_text(f"Pondération enregistrée (tour {round_}, version {revision}).")).to_be_visible(
        timeout=TIMEOUT
    )


def reload_cases(browser, url: str, store: WorkshopStore, artifacts_dir: Path, tag: str) -> None:
    from playwright.sync_api import expect

    ws = store.create_workshop(criteria=MINI, title="Consultation publique", anonymous=True)
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    page.goto(f"{url}/join?code={ws.join_code}")
    page.get_by_role("button", name="Continuer").click(timeout=TIMEOUT)
    page.get_by_role("button", name="Rejoindre").click(timeout=TIMEOUT)
    set_weight(page, "cost", "6")
    send(page, 1)
    expect(page).to_have_url(re.compile(rf"/join\?code={ws.join_code}$"))  # the code stays, nothing else
    page.screenshot(path=str(artifacts_dir / f"workshop-phone-sent-{tag}.png"), full_page=True)
    page.reload()  # F5, or the phone waking up on a new connection
    expect(page.get_by_role("button", name="Envoyer ma pondération")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Ma pondération (tour 1)")).to_be_visible(timeout=TIMEOUT)
    set_weight(page, "cost", "2")
    send(page, 2)
    page.close()  # the tab closed; the QR code scanned again later
    again = ctx.new_page()
    again.goto(f"{url}/join?code={store.workshop(ws.facilitator_token)['long_code']}")
    expect(again.get_by_role("button", name="Envoyer ma pondération")).to_be_visible(timeout=TIMEOUT)
    send(again, 3)
    expect(again).to_have_url(re.compile(rf"/join\?code={ws.join_code}$"))
    again.screenshot(path=str(artifacts_dir / f"workshop-phone-reloaded-{tag}.png"), full_page=True)
    cookies = {c["name"]: c for c in ctx.cookies()}
    token_cookie = cookies[f"wb_participant_{ws.join_code}"]
    assert token_cookie["sameSite"] == "Strict" and token_cookie["expires"] > time.time() + 13 * 86400
    res = store.results(ws.facilitator_token)
    assert (res["participants"], res["ballots"]) == (1, 1)  # one person, one ballot
    assert store.ballots(ws.facilitator_token)[0]["revision"] == 3
    # The facilitator: F5 keeps the workshop, and the token never shows in the address.
    fac_ctx, fac = open_facilitator(browser, url, ws)
    expect(fac).not_to_have_url(re.compile(re.escape(ws.facilitator_token)), timeout=TIMEOUT)
    fac.reload()
    expect(metric(fac, "Pondérations reçues")).to_have_text("1", timeout=TIMEOUT)
    assert ws.facilitator_token not in fac.url and "token" not in fac.url
    fac.goto(f"{url}/workshop")  # the bare address, a new tab
    expect(metric(fac, "Pondérations reçues")).to_have_text("1", timeout=TIMEOUT)
    fac_ctx.close()
    ctx.close()


def test_reload_keeps_participant_and_facilitator_sqlite(browser, streamlit_server, tmp_path_factory, artifacts_dir):
    db = f"sqlite:///{tmp_path_factory.mktemp('ws_reload') / 'ws.sqlite'}"
    url = streamlit_server(env={"WORKBENCH_DATABASE_URL": db, "WORKBENCH_CRITERIA_DIR": str(MINI_DIR)})
    store = WorkshopStore(db)
    reload_cases(browser, url, store, artifacts_dir, "sqlite")
    store.close()


def test_reload_keeps_participant_and_facilitator_postgresql(browser, streamlit_server, artifacts_dir):
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set")
    from test_workshop import PgSchema

    schema = PgSchema()
    try:
        url = streamlit_server(env={"WORKBENCH_DATABASE_URL": schema.url, "WORKBENCH_CRITERIA_DIR": str(MINI_DIR)})
        store = WorkshopStore(schema.url)
        reload_cases(browser, url, store, artifacts_dir, "postgresql")
        store.close()
    finally:
        schema.drop()


def test_participant_page_follows_the_round_and_shows_no_analyst_navigation(
    browser, streamlit_server, tmp_path_factory, artifacts_dir
):
    from playwright.sync_api import expect

    db = f"sqlite:///{tmp_path_factory.mktemp('ws_round') / 'ws.sqlite'}"
    url = streamlit_server(env={"WORKBENCH_DATABASE_URL": db, "WORKBENCH_CRITERIA_DIR": str(MINI_DIR)})
    store = WorkshopStore(db)
    ws = store.create_workshop(criteria=MINI, title="Atelier du jeudi")
    ctx = participate(browser, url, ws.join_code, "Zoé", "5")
    page = ctx.pages[0]
    assert page.locator('[data-testid="stSidebar"]').count() == 0
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert page.get_by_text("Comparer").count() == 0  # no analyst page anywhere
    sent = page.get_by_text("Pondération enregistrée (tour 1, version 1).")
    button = page.get_by_role("button", name="Envoyer ma pondération")
    expect(button).to_be_enabled()
    store.close_round(ws.facilitator_token)  # the facilitator closes; the participant does nothing
    expect(button).to_be_disabled(timeout=10_000)
    expect(page.get_by_text("Le tour 1 est fermé").first).to_be_visible()
    store.open_round(ws.facilitator_token)
    expect(button).to_be_enabled(timeout=10_000)
    expect(sent).to_have_count(0)  # round 1's confirmation is gone in round 2
    expect(page.get_by_text("Vous n'avez pas encore envoyé de pondération pour ce tour.")).to_be_visible()
    expect(page.get_by_text("Tour 2 ouvert")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Tour 1 fermé")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "workshop-phone-round2.png"), full_page=True)
    # The page's own language switch, at the top, as a thumb reaches it.
    page.evaluate("() => document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
    page.locator(".st-key-wb_lang label").filter(has_text="English").click()
    expect(page.get_by_role("button", name="Send my weights")).to_be_visible(timeout=TIMEOUT)
    ctx.close()
    store.close()


QUIET_PROBE = """() => {
  window.__probe = {badge: 0, faded: 0, charts: 0};
  const live = document.querySelector('.st-key-wsf_live');
  new MutationObserver((records) => {
    const badge = document.querySelector('[data-testid="stStatusWidget"]');
    if (badge && getComputedStyle(badge).visibility !== 'hidden') window.__probe.badge++;
    for (const el of live.querySelectorAll('[data-stale="true"]')) {
      if (parseFloat(getComputedStyle(el).opacity) < 1) window.__probe.faded++;
    }
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType === 1 && (n.matches('canvas, svg.marks') || n.querySelector?.('canvas, svg.marks'))) {
        window.__probe.charts++;
      }
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def test_projected_dashboard_refreshes_without_flicker(browser, streamlit_server, tmp_path_factory, artifacts_dir):
    from playwright.sync_api import expect

    db = f"sqlite:///{tmp_path_factory.mktemp('ws_quiet') / 'ws.sqlite'}"
    url = streamlit_server(env={"WORKBENCH_DATABASE_URL": db, "WORKBENCH_CRITERIA_DIR": str(MINI_DIR)})
    store = WorkshopStore(db)
    ws = store.create_workshop(criteria=MINI, title="Écran projeté")
    for name, ballot in (("Ann", {"legal": 3, "cost": 1}), ("Bo", {"legal": 1, "cost": 3})):
        store.submit_ballot(store.join(ws.join_code, name=name).token, ballot)
    ctx, fac = open_facilitator(browser, url, ws)
    expect(metric(fac, "Pondérations reçues")).to_have_text("2", timeout=TIMEOUT)
    fac.wait_for_timeout(3000)
    fac.evaluate(QUIET_PROBE)
    fac.wait_for_timeout(9000)  # four refreshes at least
    probe = fac.evaluate("() => window.__probe")
    assert probe == {"badge": 0, "faded": 0, "charts": 0}, probe
    store.submit_ballot(store.join(ws.join_code, name="Cy").token, {"cost": 1})
    expect(metric(fac, "Pondérations reçues")).to_have_text("3", timeout=TIMEOUT)  # still live
    fac.screenshot(path=str(artifacts_dir / "workshop-facilitator-quiet.png"), full_page=True)
    ctx.close()
    store.close()

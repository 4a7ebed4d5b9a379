"""Real-browser workshop tests (Playwright in Debian's chromium, fixtures from conftest.py).

1. One server, two browser contexts: a participant joins by the QR link and sends weights; the
   facilitator's dashboard shows the ballot without a reload (st.fragment's timer).
2. Two `streamlit run` servers on one PostgreSQL database (TEST_DATABASE_URL): the participant
   on one, the facilitator on the other.
"""

from __future__ import annotations

import os
import re
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


def participate(browser, url: str, code: str, name: str, cost: str):
    """Join through the QR code's link, set one weight, send; returns the context."""
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": 420, "height": 900}, locale="fr-CA", is_mobile=True)
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

"""Real-browser test of the facilitator's freeze (issue 19, item 5; Playwright in Debian's
chromium, fixtures from conftest.py): the facilitator creates a workshop in the page, a
participant votes on a phone, the facilitator closes the round, freezes it and sees the hash,
which is the one stored in the workshop database; the frozen file downloads and verifies."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from sqlalchemy import create_engine, text
from test_workshop_browser import MINI_DIR, TIMEOUT, metric, participate

from workbench.record import checked_frozen

pytestmark = pytest.mark.e2e


def test_facilitator_freezes_a_closed_round_in_the_browser(browser, streamlit_server, tmp_path_factory, artifacts_dir):
    from playwright.sync_api import expect

    db = f"sqlite:///{tmp_path_factory.mktemp('ws_freeze') / 'ws.sqlite'}"
    url = streamlit_server(env={"WORKBENCH_DATABASE_URL": db, "WORKBENCH_CRITERIA_DIR": str(MINI_DIR)})
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-CA", accept_downloads=True)
    fac = ctx.new_page()
    fac.goto(f"{url}/workshop")
    fac.get_by_label("Titre affiché aux participants").fill("Atelier gel", timeout=TIMEOUT)
    fac.get_by_role("button", name="Créer l'atelier").click()
    code_box = fac.locator(".wsf-code")
    code_box.wait_for(timeout=TIMEOUT)
    join_code = code_box.inner_text().replace("-", "").strip()
    expect(fac.get_by_text("Le tour 1 est ouvert : fermez-le pour figer ses pondérations.")).to_be_visible(
        timeout=TIMEOUT
    )

    part = participate(browser, url, join_code, "Zoé", "9")
    expect(metric(fac, "Pondérations reçues")).to_have_text("1", timeout=TIMEOUT)

    fac.get_by_role("button", name="Fermer le tour").click()
    expect(fac.get_by_text("Tour 1 fermé").first).to_be_visible(timeout=TIMEOUT)
    freeze = fac.get_by_role("button", name="Figer ces pondérations")
    freeze.click(timeout=TIMEOUT)
    expect(fac.get_by_text("Les pondérations figées du tour 1 sont en vigueur").first).to_be_visible(timeout=TIMEOUT)

    engine = create_engine(db)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT round, frozen_json, sha256 FROM ws_frozen")).one()
    engine.dispose()
    assert row.round == 1 and hashlib.sha256(row.frozen_json.encode("utf-8")).hexdigest() == row.sha256
    shown = fac.get_by_text(row.sha256, exact=True)
    expect(shown).to_be_visible(timeout=TIMEOUT)  # the hash, in full, on the page
    expect(fac.get_by_text(re.compile(r"Figé le \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(UTC\) · tour 1"))).to_be_visible()
    expect(freeze).to_have_count(0)  # frozen: no second freeze offered

    with fac.expect_download(timeout=TIMEOUT) as download:
        fac.get_by_role("button", name="Télécharger le fichier figé (JSON)").click()
    document = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert document["frozen_sha256"] == row.sha256 and checked_frozen(document) == json.loads(row.frozen_json)

    shown.scroll_into_view_if_needed()
    fac.wait_for_timeout(500)
    fac.screenshot(path=str(artifacts_dir / "workshop-frozen-1280.png"), full_page=False)
    fac.screenshot(path=str(artifacts_dir / "workshop-frozen-1280-full.png"), full_page=True)
    part.close()
    ctx.close()

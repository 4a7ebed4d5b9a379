"""The participant page with the keyboard alone (WCAG 2.1.1): a phone-sized browser tabs to the
code box, types the code, joins, changes a weight and sends the ballot without a mouse or a
touch; every stop on the way shows where the focus is (2.4.7).

Real browser (Playwright in Debian's chromium, fixtures in conftest.py); the workshop is created
through workbench.workshop.WorkshopStore on the small fixture study.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.i18n import t
from workbench.workshop import WorkshopStore

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
MINI_DIR = ROOT / "tests" / "fixtures" / "mini"
TIMEOUT = 30_000
MAX_TABS = 40  # a page whose control is further than this many Tab presses fails

# What has the focus, in words (for failure messages), and whether it shows: an outline, a box
# shadow or a border in the theme's colour on it or on its widget's frame.
ACTIVE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: '(page)', visible: false};
  const name = el.getAttribute('aria-label') || el.innerText || el.getAttribute('name') || el.tagName;
  let visible = false;
  for (let node = el, depth = 0; node && depth < 4 && !visible; node = node.parentElement, depth++) {
    const s = getComputedStyle(node);
    visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
      || (s.boxShadow && s.boxShadow !== 'none')
      || s.borderTopColor.replace(/\\s/g, '') === 'rgb(31,95,139)';
  }
  return {name: (el.tagName + ' ' + name).trim().slice(0, 80), visible};
}"""


def tab_to(page, target, *, limit: int = MAX_TABS) -> list[dict]:
    """Press Tab until `target` (a locator) has the focus; the stops on the way, target last."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(ACTIVE_JS))
        if target.evaluate("el => el === document.activeElement"):
            return stops
    raise AssertionError(f"{target} not reached in {limit} Tab presses: {[s['name'] for s in stops]}")


@pytest.fixture
def workshop(streamlit_server, tmp_path):
    db = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    url = streamlit_server(env={"WORKBENCH_DATABASE_URL": db, "WORKBENCH_CRITERIA_DIR": str(MINI_DIR)})
    store = WorkshopStore(db)
    ws = store.create_workshop(criteria=MINI_DIR / "criteria.yaml", title="Atelier clavier")
    yield url, store, ws
    store.close()


def test_join_and_send_a_ballot_with_the_keyboard_only(browser, workshop, artifacts_dir):
    from playwright.sync_api import expect

    url, store, ws = workshop
    lang = "fr"
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-CA", is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{url}/join?lang={lang}")
        code_box = page.get_by_role("textbox", name=t("workshop.join.code", lang), exact=True)
        expect(code_box).to_be_visible(timeout=TIMEOUT)
        stops = tab_to(page, code_box)
        page.keyboard.type(ws.join_code)
        stops += tab_to(page, page.get_by_role("button", name=t("workshop.join.continue", lang)))
        page.keyboard.press("Enter")

        name_box = page.get_by_role("textbox", name=t("workshop.join.name", lang), exact=True)
        expect(name_box).to_be_visible(timeout=TIMEOUT)
        stops += tab_to(page, name_box)
        page.keyboard.type("Zoé")
        stops += tab_to(page, page.get_by_role("button", name=t("workshop.join.submit", lang)))
        page.keyboard.press("Enter")

        cost = page.locator(".st-key-wsp_w_cost input")
        expect(cost).to_be_visible(timeout=TIMEOUT)
        stops += tab_to(page, cost)
        page.keyboard.press("Control+A")
        page.keyboard.type("9")
        send = page.get_by_role("button", name=t("workshop.join.send", lang))
        stops += tab_to(page, send)  # leaving the box commits 9
        expect(cost).to_have_value("9", timeout=TIMEOUT)
        page.wait_for_timeout(500)  # the box's rerun lands before sending (as a person would)
        page.screenshot(path=str(artifacts_dir / "keyboard-join-send-focused.png"))
        page.keyboard.press("Enter")
        expect(page.get_by_text(t("workshop.join.sent", lang, round=1, revision=1))).to_be_visible(timeout=TIMEOUT)
    finally:
        context.close()

    results = store.results(ws.facilitator_token)
    assert results["ballots"] == 1
    # cost 9 against legal 2 (the set's default): cost's global weight is 9 / 11.
    assert results["aggregate"]["mean"]["cost"] == pytest.approx(9 / 11, abs=1e-6)
    hidden = [s["name"] for s in stops if not s["visible"]]
    assert not hidden, f"focus not shown on: {hidden}"

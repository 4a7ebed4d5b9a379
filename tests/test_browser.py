"""Real-browser test: `streamlit run app.py` driven by Playwright in Debian's chromium.

Skips where chromium is missing (fails instead when REQUIRE_BROWSER=1; see conftest.py).
Screenshots go to artifacts/ (git-ignored).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"
TIMEOUT = 30_000

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def mini_criteria(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("browser-study")
    shutil.copytree(MINI / "providers", base / "providers")
    (base / "criteria").mkdir()
    text = (MINI / "criteria.yaml").read_text(encoding="utf-8")
    (base / "criteria" / "mini.yaml").write_text(
        text.replace("providers: tests/fixtures/mini/providers", f"providers: {base / 'providers'}"), encoding="utf-8"
    )
    return base / "criteria"


def first_in_ranking(page) -> str:
    return page.locator(".st-key-ranking table tbody tr").first.locator("td").nth(1)


def test_weight_language_download_screenshot(browser, streamlit_server, mini_criteria, artifacts_dir):
    from playwright.sync_api import expect

    url = streamlit_server(env={"WORKBENCH_CRITERIA_DIR": str(mini_criteria)})
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-CA", accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(url + "/?lang=en")  # explicit: a session restarted under load keeps the language
        expect(page.locator("h1").first).to_have_text("Compare", timeout=TIMEOUT)
        expect(first_in_ranking(page)).to_have_text("Alpha", timeout=TIMEOUT)

        page.get_by_role("link", name="Weights").click()
        cost = page.locator(".st-key-w_cost input")
        expect(cost).to_have_value("1", timeout=TIMEOUT)
        cost.fill("10")
        cost.press("Enter")
        expect(page.get_by_text("83.3%").first).to_be_visible(timeout=TIMEOUT)  # cost's global share 10/12

        page.get_by_role("link", name="Compare").click()
        expect(first_in_ranking(page)).to_have_text("Gamma", timeout=TIMEOUT)
        # The address is rewritten at the end of each run (page.url misses history.replaceState).
        page.wait_for_function("location.href.includes('w=cost%3A10')", timeout=TIMEOUT)
        assert "set=mini" in page.evaluate("location.href")

        page.get_by_text("Français").click()
        expect(page.locator("h1").first).to_have_text("Comparaison", timeout=TIMEOUT)
        expect(first_in_ranking(page)).to_have_text("Gamma", timeout=TIMEOUT)
        page.wait_for_timeout(1500)  # let the charts finish drawing
        page.screenshot(path=str(artifacts_dir / "app-compare-fr.png"))

        page.get_by_role("link", name="Scénario").click()
        with page.expect_download(timeout=TIMEOUT) as info:
            page.get_by_role("button", name="Télécharger le scénario (YAML)").click()
        download = info.value
        assert download.suggested_filename == "scenario-mini.yaml"
        saved = yaml.safe_load(Path(download.path()).read_text(encoding="utf-8"))
        assert saved["criteria"] == "mini" and saved["weights"]["cost"] == 10
    finally:
        context.close()


def test_shipped_study_screenshots(browser, streamlit_server, artifacts_dir):
    """The default app on the shipped health study, for a person to look at."""
    from playwright.sync_api import expect

    url = streamlit_server()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-CA")
    page = context.new_page()
    try:
        page.goto(url)
        expect(page.locator("h1").first).to_have_text("Comparaison", timeout=TIMEOUT)
        expect(page.locator(".st-key-ranking table tbody tr")).to_have_count(7, timeout=TIMEOUT)  # references apart
        page.wait_for_timeout(1500)
        page.screenshot(path=str(artifacts_dir / "app-health-compare.png"))
    finally:
        context.close()


def test_one_back_press_leaves_compare_after_a_weight_change(browser, streamlit_server, mini_criteria):
    """Moving a weight rewrites the address; it replaces the page's history entry, so Back returns
    to the previous page at once (it used to take one press per rewrite)."""
    from playwright.sync_api import expect

    url = streamlit_server(env={"WORKBENCH_CRITERIA_DIR": str(mini_criteria)})
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-CA")
    page = context.new_page()
    try:
        page.goto(url + "/study?lang=en")
        expect(page.locator("h1").first).to_have_text("Study", timeout=TIMEOUT)
        page.wait_for_function("location.href.includes('lang=en')", timeout=TIMEOUT)
        page.get_by_role("link", name="Compare").click()
        expect(first_in_ranking(page)).to_have_text("Alpha", timeout=TIMEOUT)
        before = page.evaluate("history.length")
        slider = ".st-key-cmp_top_cost input[type='range']"
        for _ in range(2):  # two rewrites of the address
            shown = page.locator(slider).input_value()
            page.locator(slider).focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "([css, v]) => document.querySelector(css).value != v && location.href.includes('w=')",
                arg=[slider, shown],
                timeout=TIMEOUT,
            )
            page.wait_for_timeout(1000)
        assert page.evaluate("history.length") == before  # rewrites added no entry
        # A run still going when Back is pressed would write its address afterwards: wait until idle.
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)
        page.go_back()
        expect(page.locator("h1").first).to_have_text("Study", timeout=TIMEOUT)
        assert "/study" in page.evaluate("location.pathname")
    finally:
        context.close()

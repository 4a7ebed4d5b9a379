"""Real-browser tests at a phone's size (390 × 844), as a person would use the app: in French,
typing a decimal weight, reloading in the middle, reading the ranking as cards; then in English.

Skips where chromium is missing (fails instead when REQUIRE_BROWSER=1; see conftest.py).
Full-page screenshots go to artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
TIMEOUT = 30_000
PHONE = {"width": 390, "height": 844}
NBSP = "\u00a0"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def mini_criteria(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("phone-study")
    shutil.copytree(MINI / "providers", base / "providers")
    (base / "criteria").mkdir()
    text = (MINI / "criteria.yaml").read_text(encoding="utf-8")
    (base / "criteria" / "mini.yaml").write_text(
        text.replace("providers: tests/fixtures/mini/providers", f"providers: {base / 'providers'}"), encoding="utf-8"
    )
    return base / "criteria"


def phone(browser, lang: str):
    return browser.new_context(viewport=PHONE, locale="fr-CA" if lang == "fr" else "en-CA", is_mobile=True,
                               has_touch=True, device_scale_factor=1)  # fmt: skip


def page_width(page) -> int:
    """The widest scrolling width of the page and its scroll containers (390 when nothing spills)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth,"
        " ...[...document.querySelectorAll('[data-testid=\"stMain\"], section, .main')].map(e => e.scrollWidth))"
    )


def full_screenshot(page, path: Path) -> None:
    """The whole page (Streamlit scrolls inside its own container, so grow the viewport to it)."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('*')].filter(e => e.scrollHeight > e.clientHeight + 5"
        " && getComputedStyle(e).overflowY !== 'visible').map(e => e.scrollHeight), 0)"
    )
    page.set_viewport_size({"width": PHONE["width"], "height": min(max(height, PHONE["height"]), 12_000)})
    page.wait_for_timeout(1500)  # charts redraw at the new size
    page.screenshot(path=str(path))
    page.set_viewport_size(PHONE)


def open_sidebar_page(page, name: str) -> None:
    """Go to a page as a phone user does: open the collapsed menu, tap the page."""
    from playwright.sync_api import expect

    page.locator(
        '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'
    ).first.click()
    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name)
    expect(link).to_be_visible(timeout=TIMEOUT)
    link.click()
    page.wait_for_timeout(1000)
    close = page.locator('[data-testid="stSidebarCollapseButton"] button')
    if close.count() and close.first.is_visible():  # the menu covers the page on a phone: close it
        close.first.click()


def open_all_weights(page, fold: str, link: str, title: str) -> None:
    """From Compare on a phone: open the folded group weights (`fold`), follow the link to every
    weight. A tap while the page is still running can be lost: wait until it is idle, try again."""
    from playwright.sync_api import expect

    for attempt in range(3):
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)
        page.wait_for_timeout(500)
        summary = page.locator(".st-key-cmp_phone_weights summary")
        expect(summary).to_contain_text(fold, timeout=TIMEOUT)
        if not page.get_by_role("link", name=link).is_visible():
            summary.click()
        page.get_by_role("link", name=link).click()
        try:
            expect(page.locator("h1").first).to_have_text(title, timeout=10_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def cards(page):
    return page.locator(".st-key-ranking_cards [data-testid='stMarkdownContainer']")


def test_french_phone_decimal_weight_survives_a_reload(browser, streamlit_server, mini_criteria, artifacts_dir):
    from playwright.sync_api import expect

    url = streamlit_server(env={"WORKBENCH_CRITERIA_DIR": str(mini_criteria)})
    context = phone(browser, "fr")
    page = context.new_page()
    try:
        page.goto(url + "/?lang=fr")
        expect(page.locator("h1").first).to_have_text("Comparaison", timeout=TIMEOUT)
        # The ranking as cards, the table hidden; nothing wider than the screen.
        expect(cards(page).first).to_contain_text("1. Alpha", timeout=TIMEOUT)
        expect(cards(page).first).to_contain_text(f"Score{NBSP}: 0,700")
        expect(page.locator(".st-key-ranking table")).to_be_hidden()
        # The ranking comes first: the group weights are folded into an expander above the cards (the
        # desktop column beside the ranking is hidden), so the first card is on the first screen.
        expect(page.locator(".st-key-cmp_top_sliders")).to_be_hidden()
        fold = page.locator(".st-key-cmp_phone_weights")
        expect(fold).to_be_visible()
        expect(page.locator(".st-key-cmp_phone_sliders")).to_be_hidden()
        assert fold.bounding_box()["y"] < cards(page).first.bounding_box()["y"]
        assert cards(page).first.bounding_box()["y"] < PHONE["height"]
        page.wait_for_timeout(1500)
        assert page_width(page) <= PHONE["width"]
        for chart in page.locator('[data-testid="stVegaLiteChart"]').all():
            box = chart.bounding_box()
            assert box is None or box["width"] <= PHONE["width"]  # charts fit (hidden tabs have no box)
        full_screenshot(page, artifacts_dir / "phone-fr-compare.png")

        open_all_weights(page, "Ajuster les pondérations", "Tous les poids, critère par critère", "Pondération")
        cost = page.locator(".st-key-w_cost input")
        expect(cost).to_have_value("1", timeout=TIMEOUT)
        cost.fill("12,5")
        cost.press("Enter")
        expect(page.get_by_text(f"86,2{NBSP}%").filter(visible=True).first).to_be_visible(
            timeout=TIMEOUT
        )  # 12.5 / 14.5, not 125
        expect(cost).to_have_value("12,5")
        # A point is refused with the box named, and the value stays.
        legal = page.locator(".st-key-w_legal input")
        legal.fill("2.5")
        legal.press("Enter")
        expect(page.get_by_text("Poids de « Juridique »")).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_text("les décimales s'écrivent avec une virgule").first).to_be_visible()
        expect(legal).to_have_value("2")
        # Each node on one line: the share sits beside its box, not screens below it.
        row = page.locator(".st-key-w_cost input").bounding_box()
        share = page.get_by_text(f"86,2{NBSP}%").filter(visible=True).first.bounding_box()
        assert abs(share["y"] - row["y"]) < 40 and share["x"] > row["x"]
        assert page_width(page) <= PHONE["width"]
        full_screenshot(page, artifacts_dir / "phone-fr-weights.png")

        # The address carries the weights (rewritten at the end of each run): a reload keeps them.
        page.wait_for_function("location.href.includes('cost%3A12.5')", timeout=TIMEOUT)
        page.reload()
        expect(page.locator("h1").first).to_have_text("Pondération", timeout=TIMEOUT)
        expect(page.locator(".st-key-w_cost input")).to_have_value("12,5", timeout=TIMEOUT)
        expect(page.get_by_text(f"86,2{NBSP}%").filter(visible=True).first).to_be_visible()

        open_sidebar_page(page, "Comparaison")
        expect(page.locator("h1").first).to_have_text("Comparaison", timeout=TIMEOUT)
        expect(cards(page).first).to_contain_text("1. Gamma", timeout=TIMEOUT)
        # The group sliders show the same weights: cost 86 %; moving one moves the ranking.
        page.locator(".st-key-cmp_phone_weights summary").click()
        expect(page.locator(".st-key-cmp_phone_cost")).to_contain_text(f"86{NBSP}%", timeout=TIMEOUT)
        expect(page.locator(".st-key-cmp_phone_sliders")).to_be_visible()
        assert page_width(page) <= PHONE["width"]
        full_screenshot(page, artifacts_dir / "phone-fr-compare-after-reload.png")
    finally:
        context.close()


def test_english_phone_cards_and_decimal_point(browser, streamlit_server, mini_criteria, artifacts_dir):
    from playwright.sync_api import expect

    url = streamlit_server(env={"WORKBENCH_CRITERIA_DIR": str(mini_criteria)})
    context = phone(browser, "en")
    page = context.new_page()
    try:
        page.goto(url + "/?lang=en")
        expect(page.locator("h1").first).to_have_text("Compare", timeout=TIMEOUT)
        expect(cards(page).first).to_contain_text("1. Alpha", timeout=TIMEOUT)
        expect(cards(page).nth(2)).to_contain_text("✗ not eligible")
        page.wait_for_timeout(1500)
        assert page_width(page) <= PHONE["width"]
        full_screenshot(page, artifacts_dir / "phone-en-compare.png")
        open_all_weights(page, "Adjust weights", "Every weight, criterion by criterion", "Weights")
        cost = page.locator(".st-key-w_cost input")
        expect(cost).to_have_value("1", timeout=TIMEOUT)
        cost.fill("12.5")
        cost.press("Enter")
        expect(page.get_by_text("86.2%").filter(visible=True).first).to_be_visible(timeout=TIMEOUT)
        cost.fill("12,5")
        cost.press("Enter")
        expect(page.get_by_text("decimals are written with a point").first).to_be_visible(timeout=TIMEOUT)
        expect(cost).to_have_value("12.5")
        full_screenshot(page, artifacts_dir / "phone-en-weights.png")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shipped_study_on_a_phone(browser, streamlit_server, artifacts_dir, lang):
    """The default app on the shipped health study at 390 px: cards, charts and pages that fit."""
    from playwright.sync_api import expect

    url = streamlit_server()
    context = phone(browser, lang)
    page = context.new_page()
    try:
        for path, title in (("", {"fr": "Comparaison", "en": "Compare"}), ("weights", {"fr": "Pondération", "en": "Weights"}),
                            ("study", {"fr": "Étude", "en": "Study"}), ("provider", {"fr": "Fiche d'une option",
                            "en": "Option profile"}), ("scenario", {"fr": "Scénario", "en": "Scenario"})):  # fmt: skip
            page.goto(f"{url}/{path}?lang={lang}")
            expect(page.locator("h1").first).to_have_text(title[lang], timeout=TIMEOUT)
            page.wait_for_timeout(2500)
            assert page_width(page) <= PHONE["width"], path
            full_screenshot(page, artifacts_dir / f"phone-{lang}-health-{path or 'compare'}.png")
        page.goto(f"{url}/scenario?lang={lang}")
        expect(page.locator('[data-testid="stFileUploaderDropzone"]')).to_be_visible(timeout=TIMEOUT)
        upload = page.locator('[data-testid="stFileUploaderDropzone"] button')
        shown = upload.evaluate("e => getComputedStyle(e.querySelector('p'), '::after').content")
        assert shown == ('"Choisir un fichier"' if lang == "fr" else '"Choose a file"')
    finally:
        context.close()


def test_heatmap_on_a_phone_has_a_row_a_criterion(browser, streamlit_server, artifacts_dir):
    """The score heatmap at 390 px: its phone layout (a criterion a row, named above its cells, the
    options numbered), no wider than the screen, and the wide one hidden."""
    from playwright.sync_api import expect

    url = streamlit_server()
    context = phone(browser, "fr")
    page = context.new_page()
    try:
        page.goto(f"{url}/?lang=fr")
        expect(page.locator("h1").first).to_have_text("Comparaison", timeout=TIMEOUT)
        page.get_by_role("tab", name="Carte de chaleur").click()
        chart = page.locator(".st-key-heatmap_phone [data-testid='stVegaLiteChart']")
        expect(chart).to_be_visible(timeout=TIMEOUT)
        expect(page.locator(".st-key-heatmap_wide")).to_be_hidden()
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(2000)  # the chart draws
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["height"] > 17 * 50  # 17 criteria, a row each (name over the cells)
        assert page_width(page) <= PHONE["width"]
        full_screenshot(page, artifacts_dir / "phone-fr-heatmap.png")
    finally:
        context.close()


def sideways_scrollers(page) -> list[str]:
    """The visible boxes in the page that scroll sideways (a cramped table), each named by its
    nearest keyed container or test id, with its widths."""
    return page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=\"stMain\"] *')].filter(e => e.getClientRects().length"
        " && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)"
        ".map(e => [e.closest('[class*=\"st-key-\"]')?.className.match(/st-key-\\S+/)[0],"
        " e.closest('[data-testid]')?.getAttribute('data-testid'), e.scrollWidth, e.clientWidth].join(' '))"
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_score_matrix_on_a_phone_is_an_option_at_a_time(browser, streamlit_server, mini_criteria, artifacts_dir, lang):
    """At 390 px the wide score matrix (a column an option, scrolling sideways) is hidden; the same
    cells are there per option, a criterion a line, and nothing on Compare scrolls sideways."""
    from playwright.sync_api import expect

    url = streamlit_server(env={"WORKBENCH_CRITERIA_DIR": str(mini_criteria)})
    context = phone(browser, lang)
    page = context.new_page()
    try:
        page.goto(f"{url}/?lang={lang}")
        expect(page.locator("h1").first).to_have_text({"fr": "Comparaison", "en": "Compare"}[lang], timeout=TIMEOUT)
        phone_matrix = page.locator(".st-key-score_matrix_phone")
        expect(phone_matrix).to_be_visible(timeout=TIMEOUT)
        expect(page.locator(".st-key-score_matrix")).to_be_hidden()
        expect(phone_matrix.locator("summary")).to_have_count(3)
        beta = {"fr": "Bêta", "en": "Beta"}[lang]
        phone_matrix.locator("summary").filter(has_text=beta).click()
        values = phone_matrix.locator(".st-key-matrix_option_1")
        expect(values).to_be_visible(timeout=TIMEOUT)
        sep = f"{NBSP}: " if lang == "fr" else ": "
        names = {"fr": ("Exposition", "Résidence", "Coût"), "en": ("Exposure", "Residency", "Cost")}[lang]
        # Beta's own cells: 2 with low confidence, the level "canada" (1), a cost of 20.
        expect(values).to_contain_text(f"{names[0]} ↑{sep}⚠ 2")
        expect(values).to_contain_text(f"{names[1]} ↑{sep}1 (canada)")
        expect(values).to_contain_text(f"{names[2]} ↓{sep}20")
        box = values.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        page.wait_for_timeout(1500)
        assert page_width(page) <= PHONE["width"]
        assert sideways_scrollers(page) == []
        values.scroll_into_view_if_needed()
        full_screenshot(page, artifacts_dir / f"phone-{lang}-score-matrix.png")
    finally:
        context.close()

"""The "Build a study" page in a real browser (Playwright in Debian's chromium, fixtures from
conftest.py): upload a CSV, use the study, edit one score in the grid, see the Compare page's
ranking change; a reload loses nothing; a second browser (a colleague's phone) opens the draft
link and sees the edit. Screenshots (French, desktop and 390 px) go to artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "tests" / "fixtures" / "spreadsheets" / "three-options.csv"
MINI_DIR = ROOT / "tests" / "fixtures" / "mini"
TIMEOUT = 30_000


def grid_cells(page) -> list[str]:
    """The score grid's cells, row by row (the grid's accessible table mirrors its canvas)."""
    from playwright.sync_api import expect

    cells = page.locator('[class*="st-key-bd_grid"] td')
    expect(cells).to_have_count(9, timeout=TIMEOUT)
    return cells.all_inner_texts()


def preview(page) -> list[str]:
    """The option names of the page's ranking, best first."""
    rows = page.locator(".st-key-bd_preview tbody tr")
    return [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]


def compare_first(page) -> str:
    return page.locator(".st-key-ranking tbody tr").first.locator("td").nth(1).inner_text().strip()


def type_in_grid(page, row: int, column: int, columns: int, text: str) -> None:
    """Select a grid cell by its place (header row, then rows of about 35 px) and type into it."""
    grid = page.locator('[class*="st-key-bd_grid"]')
    box = grid.bounding_box()
    x = box["x"] + box["width"] * (column + 0.5) / columns
    y = box["y"] + 35 * (row + 1) + 17
    page.mouse.click(x, y)
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_upload_edit_use_compare_reload_and_share(browser, streamlit_server, tmp_path_factory, artifacts_dir):
    from playwright.sync_api import expect

    base = tmp_path_factory.mktemp("build_browser")
    url = streamlit_server(env={
        "WORKBENCH_DATABASE_URL": f"sqlite:///{base / 'db.sqlite'}",
        "WORKBENCH_STUDIES_DIR": str(base / "studies"),
        "WORKBENCH_CRITERIA_DIR": str(MINI_DIR),
    })  # fmt: skip
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-CA")
    page = ctx.new_page()
    page.goto(f"{url}/build?lang=fr")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(CSV), timeout=TIMEOUT)
    page.get_by_role("button", name="Ouvrir ce fichier").click(timeout=TIMEOUT)
    page.get_by_role("tab", name="Notes").click(timeout=TIMEOUT)
    expect(page.locator(".st-key-bd_preview tbody tr").first).to_contain_text("B", timeout=TIMEOUT)
    assert grid_cells(page) == ["A", "10", "5", "B", "20", "9", "C", "30", "7"]

    # Use the study as imported: the Compare page ranks B first.
    page.get_by_role("button", name="Utiliser cette étude").click()
    expect(page.get_by_text("Toutes les pages travaillent maintenant sur « three-options »")).to_be_visible(
        timeout=TIMEOUT
    )
    page.get_by_role("link", name="Comparaison").click()
    expect(page.locator(".st-key-ranking tbody tr").first.locator("td").nth(1)).to_have_text("B", timeout=TIMEOUT)

    # Back on the draft, A's quality goes from 5 to 9: the preview and then Compare rank A first.
    page.get_by_role("link", name="Construire une étude").click()
    page.get_by_role("tab", name="Notes").click(timeout=TIMEOUT)
    page.locator('[class*="st-key-bd_grid"]').wait_for(timeout=TIMEOUT)
    assert grid_cells(page)[:3] == ["A", "10", "5"]  # drawn in full before a cell is clicked
    first = page.locator(".st-key-bd_preview tbody tr").first.locator("td").nth(1)
    # Back from another page the grid may be redrawn by a rerun still under way as the cell is
    # clicked, which drops the keystrokes: wait for the app to be idle, and type again if needed.
    for _ in range(3):
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT)
        page.wait_for_timeout(1000)
        type_in_grid(page, row=0, column=2, columns=3, text="9")
        try:
            expect(first).to_have_text("A", timeout=15_000)
            break
        except AssertionError:
            continue
    expect(first).to_have_text("A", timeout=TIMEOUT)
    page.wait_for_function("() => window.location.search.includes('draft=')", timeout=TIMEOUT)
    page.screenshot(path=str(artifacts_dir / "build-fr-desktop.png"), full_page=True)
    page.get_by_role("link", name="Comparaison").click()
    expect(page.locator(".st-key-ranking tbody tr").first.locator("td").nth(1)).to_have_text("A", timeout=TIMEOUT)
    page.screenshot(path=str(artifacts_dir / "build-fr-compare.png"), full_page=True)

    # The draft link, as the page shows it.
    page.get_by_role("link", name="Construire une étude").click()
    page.get_by_text("Lien du brouillon").click(timeout=TIMEOUT)
    link = page.locator('[data-testid="stCode"]').inner_text(timeout=TIMEOUT).strip()
    assert link.startswith(f"{url}/build?draft=")

    # A reload (a new session) loses nothing.
    page.reload()
    page.get_by_role("tab", name="Notes").click(timeout=TIMEOUT)
    expect(page.locator('[class*="st-key-bd_grid"] td').nth(2)).to_have_text("9", timeout=TIMEOUT)
    assert preview(page) == ["A", "B", "C"]

    # A colleague opens the link on a phone: same draft, same edit.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-CA", is_mobile=True)
    other = phone.new_page()
    other.goto(link)
    other.get_by_role("tab", name="Notes").click(timeout=TIMEOUT)
    expect(other.locator('[class*="st-key-bd_grid"] td').nth(2)).to_have_text("9", timeout=TIMEOUT)
    assert grid_cells(other) == ["A", "10", "9", "B", "20", "9", "C", "30", "7"]
    expect(other.locator(".st-key-bd_preview tbody tr").first.locator("td").nth(1)).to_have_text("A")
    other.screenshot(path=str(artifacts_dir / "build-fr-phone.png"), full_page=True)
    phone.close()
    ctx.close()

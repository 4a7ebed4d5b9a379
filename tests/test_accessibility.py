"""Accessibility in the real browser: axe-core (bundled by axe-playwright-python, nothing is
downloaded) on every page of the app, in French and English, at desktop (1280×900) and phone
(390×844) sizes. WCAG 2.1 A and AA rules; a violation of impact `serious` or `critical` fails.

One server (the shipped health study, a workshop database in a temporary folder) and one browser
context a language; each page is loaded once and checked at both sizes (the viewport is resized,
not reloaded). The join page is checked twice: the code form and, after joining, the ballot.
docs/accessibility.md is the statement these tests back.

Also: `<html lang>` follows the chosen language (app.py), on every page and after the switch.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from workbench.i18n import LANGS, t
from workbench.workshop import WorkshopStore

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
HEALTH = ROOT / "criteria" / "health-data-sovereignty.yaml"
TIMEOUT = 60_000
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
PHONE_SHOT_HEIGHT = 4000  # Streamlit scrolls inside its main area: a full-page shot needs a tall window
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}


# Page views, from app.PAGES (a page added there is checked too): (name, address path); the
# default page is at "/". "join-ballot" is the join page after joining.
def _views() -> tuple[tuple[str, str], ...]:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "PAGES" for target in node.targets)
    )
    views = []
    for name, _title, _icon, url_path in pages:
        stem = Path(name).stem
        views.append((stem, "" if stem == "compare" else url_path or stem))
    return (*views, ("join-ballot", "join"))


VIEWS = _views()
# Violations in pages this suite's authors do not own, tolerated until their owners fix them so
# that CI stays meaningful for every other page: (view, rule id) -> (CSS target it must match,
# what to do). A violation on another element, or of another rule, still fails. Keep this short.
KNOWN: dict[tuple[str, str], tuple[str, str]] = {}  # (view, rule) -> (element, why): none left
# The app is idle: connected, no script running, no skeleton or stale element left.
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testConnectionState === 'CONNECTED'
    && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]');
}"""


def wait_idle(page, settle_ms: int = 400) -> None:
    """Until the app is idle, then `settle_ms` for the charts to draw."""
    page.wait_for_function(IDLE_JS, timeout=TIMEOUT, polling=100)
    page.wait_for_timeout(settle_ms)
    page.wait_for_function(IDLE_JS, timeout=TIMEOUT, polling=100)


def failing(violations: list[dict], view: str) -> list[dict]:
    """Violations of a failing impact, without the KNOWN ones (matched on rule and element)."""
    out = []
    for v in violations:
        if v["impact"] not in FAILING_IMPACTS:
            continue
        known = KNOWN.get((view, v["id"]))
        nodes = [n for n in v["nodes"] if not (known and n["target"] == [known[0]])]
        if nodes:
            out.append({**v, "nodes": nodes})
    return out


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            lines.append(f"      {(node.get('failureSummary') or '').splitlines()[-1][:200]}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def app(streamlit_server, tmp_path_factory):
    """The default app with a workshop (one ballot in) to show the facilitator's dashboard."""
    db = f"sqlite:///{tmp_path_factory.mktemp('a11y') / 'ws.sqlite'}"
    url = streamlit_server(env={"WORKBENCH_DATABASE_URL": db})
    store = WorkshopStore(db)
    ws = store.create_workshop(criteria=HEALTH, title="Atelier accessibilité")
    someone = store.join(ws.join_code, name="Ada")
    store.submit_ballot(someone.token, {})  # the set's default weights
    yield {"url": url, "ws": ws, "store": store}
    store.close()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def pages(browser):
    """One browser page a language, reused by every view (each view loads its own address)."""
    made: dict[str, object] = {}

    def get(lang: str):
        if lang not in made:
            locale = "fr-CA" if lang == "fr" else "en-CA"
            context = browser.new_context(viewport=dict(zip(("width", "height"), SIZES["desktop"], strict=True)),
                                          locale=locale)  # fmt: skip
            made[lang] = context.new_page()
        return made[lang]

    yield get
    for page in made.values():
        page.context.close()


def open_view(page, app, view: str, path: str, lang: str) -> None:
    """Load a view at desktop size and wait until it is idle."""
    from playwright.sync_api import expect

    page.set_viewport_size(dict(zip(("width", "height"), SIZES["desktop"], strict=True)))
    query = f"?lang={lang}"
    ws = app["ws"]
    if view == "workshop":
        query += f"&ws={ws.id}&token={ws.facilitator_token}"
    elif view.startswith("join"):
        query += f"&code={ws.join_code}"
    page.goto(f"{app['url']}/{path}{query}")
    page.locator("h1").first.wait_for(timeout=TIMEOUT)
    wait_idle(page)
    if view == "join-ballot":
        page.get_by_role("button", name=t("workshop.join.continue", lang)).click()
        page.get_by_label(t("workshop.join.name", lang)).fill("Zoé")
        page.get_by_role("button", name=t("workshop.join.submit", lang)).click()
        expect(page.get_by_role("button", name=t("workshop.join.send", lang))).to_be_visible(timeout=TIMEOUT)
        wait_idle(page)


@pytest.mark.parametrize("view,path", VIEWS, ids=[v for v, _ in VIEWS])
@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_violation(pages, app, axe, view, path, lang, artifacts_dir):
    page = pages(lang)
    open_view(page, app, view, path, lang)
    assert page.evaluate("document.documentElement.lang") == lang
    problems = {}
    for size, (width, height) in SIZES.items():
        if size != "desktop":
            page.set_viewport_size({"width": width, "height": height})
            wait_idle(page)
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        )
        bad = failing(results.response["violations"], view)
        if bad:
            problems[size] = describe(bad)
            (artifacts_dir / f"axe-{view}-{lang}-{size}.json").write_text(json.dumps(bad, indent=1), encoding="utf-8")
        if size == "phone" and lang == "fr":  # for a person to look at: the whole page, 390 px wide
            page.set_viewport_size({"width": width, "height": PHONE_SHOT_HEIGHT})
            wait_idle(page)
            page.screenshot(path=str(artifacts_dir / f"a11y-{view}-fr-390.png"))
    assert not problems, "\n".join(f"[{view} {lang} {size}]\n{text}" for size, text in problems.items())


def test_known_violations_are_still_real():
    """KNOWN only names real rules of the views checked (a typo would tolerate nothing)."""
    from axe_playwright_python.base import AXE_SCRIPT

    views = {v for v, _ in VIEWS}
    for (view, rule), (target, fix) in KNOWN.items():
        assert view in views and f'id:"{rule}"' in AXE_SCRIPT and target and fix


def test_page_language_follows_the_switch(pages, app):
    """`<html lang>` is the session's language from the first run and follows the sidebar switch,
    also across a page change."""
    from playwright.sync_api import expect

    page = pages("en")
    page.set_viewport_size(dict(zip(("width", "height"), SIZES["desktop"], strict=True)))
    page.goto(f"{app['url']}/?lang=fr")
    expect(page.locator("h1").first).to_have_text(t("app.compare.title", "fr"), timeout=TIMEOUT)
    page.wait_for_function("document.documentElement.lang === 'fr'", timeout=TIMEOUT)
    page.get_by_text("English", exact=True).click()
    expect(page.locator("h1").first).to_have_text(t("app.compare.title", "en"), timeout=TIMEOUT)
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=TIMEOUT)
    page.get_by_role("link", name=t("app.nav.robustness", "en")).click()
    expect(page.locator("h1").first).to_have_text(t("robustness.title", "en"), timeout=TIMEOUT)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_text("Français", exact=True).click()
    expect(page.locator("h1").first).to_have_text(t("robustness.title", "fr"), timeout=TIMEOUT)
    page.wait_for_function("document.documentElement.lang === 'fr'", timeout=TIMEOUT)

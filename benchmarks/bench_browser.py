"""Latency as a person feels it: Playwright in Debian's chromium on `streamlit run app.py` (the
shipped health study), timing each action until the app is idle again.

Run: python benchmarks/bench_browser.py [--repeat 3] [--json out.json]
     (prints a table; the figures go in docs/performance.md)

"Idle" is: the script run that the action started has ended (Streamlit's `stApp` element says
`notRunning`) and the page has not changed for QUIET_MS. The time reported runs from the action
to the *last* change of the page before that quiet spell (charts drawn, tables filled), so the
quiet spell itself is not counted. "script ends" is the part until the run ended (server
work and transfer, as the browser sees it); "browser busy" adds up the browser's main-thread
tasks over 50 ms (parsing, React, drawing charts) in the wait; "progress" says whether a spinner,
a progress bar or a status box was on screen; "sent" is what came over the websocket (medians).

Targets (issue 17, on a quiet machine): first load ≤ 1.5 s, each interaction ≤ 0.5 s, the
Robustness page's first view ≤ 1 s, and any wait over 1 s shows progress. The load average is
printed: on a busy 2-core machine every figure can double.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import APP, CHROMIUM, CHROMIUM_ARGS, free_port, start_streamlit, stop, wait_healthy  # noqa: E402

from workbench.i18n import fmt_number, t  # noqa: E402
from workbench.methods import get_method  # noqa: E402

QUIET_MS = 600  # no change for this long (after the run ended) = settled
TIMEOUT_MS = 120_000
LANG = "fr"
TARGETS = {"first load": 1.5, "robustness first view": 1.0}
INTERACTION_TARGET = 0.5

# Installed before any page script: records when the run state changes, when the page last
# changed (outside the status widget, which animates while running) and whether progress showed.
OBSERVER_JS = """
(() => {
  const wb = window.__wb = {runStarts: [], runEnds: [], lastChange: 0, progressAt: [], longTasks: []};
  try {  // main-thread work over 50 ms (parsing, React, Vega drawing): the browser's share of a wait
    new PerformanceObserver(list => list.getEntries().forEach(e => wb.longTasks.push([e.startTime, e.duration])))
      .observe({type: 'longtask', buffered: true});
  } catch (e) {}
  // Streamlit's small "Running" badge in the corner does not count: it says nothing of how long.
  const PROGRESS = '[data-testid="stSpinner"], [data-testid="stProgress"], [data-testid="stStatus"]';
  const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) { requestAnimationFrame(watch); return; }
    let state = app.dataset.testScriptState;
    new MutationObserver(() => {
      const now = performance.now(), next = app.dataset.testScriptState;
      if (next === state) return;
      if (next === 'running') wb.runStarts.push(now);
      if (state === 'running' && next !== 'running') wb.runEnds.push(now);
      state = next;
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    new MutationObserver((records) => {
      const now = performance.now();
      const real = records.some(r => !(r.target.closest && r.target.closest('[data-testid="stStatusWidget"]')));
      if (real) wb.lastChange = now;
      if (document.querySelector(PROGRESS)) wb.progressAt.push(now);
    }).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch); else watch();
})();
"""
SETTLED_JS = """([t0, quiet]) => {
  const wb = window.__wb; if (!wb) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning' || app.dataset.testConnectionState !== 'CONNECTED') return false;
  const ended = wb.runEnds.filter(x => x >= t0);
  if (!ended.length) return false;
  return performance.now() - Math.max(wb.lastChange, ended[ended.length - 1]) >= quiet;
}"""
RESULT_JS = """(t0) => {
  const wb = window.__wb, ends = wb.runEnds.filter(x => x >= t0);
  return {script: (ends[ends.length - 1] - t0) / 1000, settled: (Math.max(wb.lastChange, ends[ends.length - 1]) - t0) / 1000,
          progress: wb.progressAt.some(x => x >= t0),
          busy: wb.longTasks.filter(([s]) => s >= t0).reduce((a, [, d]) => a + d, 0) / 1000};
}"""


class Traffic:
    """What the server sends over the websocket: bytes per action and the largest elements.

    Each binary frame is a ForwardMsg (Streamlit's protocol); a new element's type is read from it.
    Streamlit sends a large message that the browser already holds as a reference to it, so an
    unchanged big chart costs little on a rerun: what is counted is what really travels."""

    def __init__(self) -> None:
        self.frames: list[tuple[int, str]] = []

    def attach(self, page) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if not isinstance(payload, bytes):
            return
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        kind = "other"
        try:
            msg = ForwardMsg.FromString(payload)
            field = msg.WhichOneof("type")
            kind = field or "other"
            if field == "delta":
                delta = msg.delta
                kind = delta.WhichOneof("type") or "delta"
                if kind == "new_element":
                    kind = delta.new_element.WhichOneof("type") or kind
            elif field == "ref_hash":
                kind = "cached (reference)"
        except Exception:  # noqa: BLE001 - a frame that is not a ForwardMsg: counted as "other"
            pass
        self.frames.append((len(payload), kind))

    def take(self) -> dict:
        """Bytes and the three largest kinds since the last call."""
        frames, self.frames = self.frames, []
        by_kind: dict[str, int] = {}
        for size, kind in frames:
            by_kind[kind] = by_kind.get(kind, 0) + size
        top = sorted(by_kind.items(), key=lambda kv: -kv[1])[:3]
        return {"bytes": sum(size for size, _ in frames), "top": top}


TRAFFIC = Traffic()


def now_ms(page) -> float:
    return page.evaluate("performance.now()")


def settle(page, t0: float) -> dict:
    page.wait_for_function(SETTLED_JS, arg=[t0, QUIET_MS], timeout=TIMEOUT_MS, polling=50)
    return {**page.evaluate(RESULT_JS, t0), **TRAFFIC.take()}


def timed(page, action) -> dict:
    """Run `action()` and wait for the app to settle; seconds from the action to the last change."""
    t0 = now_ms(page)
    TRAFFIC.take()
    action()
    return settle(page, t0)


def first_load(context, url: str) -> tuple[object, dict]:
    """A new tab on the Compare page: from navigation start (performance time 0) to settled."""
    page = context.new_page()
    TRAFFIC.attach(page)
    TRAFFIC.take()
    page.goto(f"{url}/?lang={LANG}")
    return page, settle(page, 0.0)


def run(repeat: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[dict]] = {}

    def record(name: str, measure: dict) -> None:
        rows.setdefault(name, []).append(measure)

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        log = Path(tmp) / "streamlit.log"
        env = {"WORKBENCH_DATABASE_URL": f"sqlite:///{Path(tmp) / 'ws.sqlite'}"}
        proc = start_streamlit(APP, port, log, env)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc, log)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for attempt in range(repeat):
                    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-CA",
                                                  accept_downloads=True)  # fmt: skip
                    context.add_init_script(OBSERVER_JS)
                    page, measure = first_load(context, url)
                    record("first load" + (" (server cold)" if attempt == 0 else ""), measure)
                    session(page, record)
                    context.close()
                browser.close()
        finally:
            stop(proc)
    out = []
    for name, measures in rows.items():
        settled = [m["settled"] for m in measures]
        out.append({
            "action": name,
            "runs": len(measures),
            "median": statistics.median(settled),
            "max": max(settled),
            "script": statistics.median(m["script"] for m in measures),
            "progress": any(m["progress"] for m in measures),
            "kb": statistics.median(m["bytes"] for m in measures) / 1000,
            "busy": statistics.median(m["busy"] for m in measures),
            "top": measures[-1]["top"],
        })  # fmt: skip
    return out


def session(page, record) -> None:
    """One person's path: weight, method, Robustness (first and second view), 50,000 draws, PDF."""
    from playwright.sync_api import expect

    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    slider.focus()
    record("change a weight (Compare slider)", timed(page, lambda: slider.press("ArrowRight")))

    record(
        "switch method (TOPSIS)", timed_choice(page, t("app.compare.method", LANG), get_method("topsis").title(LANG))
    )

    record("robustness first view", settle_from_click(page, t("app.nav.robustness", LANG)))
    settle_from_click(page, t("app.nav.compare", LANG))
    record("robustness again (same settings)", settle_from_click(page, t("app.nav.robustness", LANG)))

    page.get_by_text(t("robustness.settings", LANG)).click()
    record("50,000 draws", timed_choice(page, t("robustness.samples", LANG), fmt_number(50_000, LANG, 0)))

    record("open Export", settle_from_click(page, t("app.nav.export", LANG)))
    prepare = page.locator(".st-key-prepare_pdf button")
    record("PDF: prepare", timed(page, prepare.click))
    download = page.locator(".st-key-export_pdf button")
    expect(download).to_be_visible(timeout=TIMEOUT_MS)
    start = time.perf_counter()
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        download.click()
    info.value.path()  # the whole file arrived
    elapsed = time.perf_counter() - start
    record("PDF: download click → file", {"script": elapsed, "settled": elapsed, "progress": False, "busy": 0.0,
                                          **TRAFFIC.take()})  # fmt: skip


def timed_choice(page, box_name: str, option_name: str) -> dict:
    """Open the select box named `box_name`, then time the click on its option `option_name` until
    settled. A rerun can close the list under the pointer: open it again (three tries)."""
    box = page.get_by_role("combobox", name=box_name, exact=True)
    option = page.get_by_role("option", name=option_name, exact=True)
    for attempt in range(3):
        try:
            box.click()
            option.wait_for(timeout=5_000)
            t0 = now_ms(page)
            TRAFFIC.take()
            option.click(timeout=5_000)
            return settle(page, t0)
        except Exception:  # noqa: BLE001 - the list closed under a rerun: open it again
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
    raise AssertionError("unreachable")


def settle_from_click(page, link_name: str) -> dict:
    """Click a page link in the sidebar and time it until settled."""
    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=link_name)
    t0 = now_ms(page)
    TRAFFIC.take()
    link.click()
    return settle(page, t0)


def target_of(name: str) -> float:
    for key, value in TARGETS.items():
        if name.startswith(key):
            return value
    return INTERACTION_TARGET


def print_table(rows: list[dict]) -> None:
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores; quiet = {QUIET_MS} ms")
    print("| action | runs | median | max | script ends | browser busy | target | progress shown | sent |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        target = target_of(r["action"])
        flag = "" if r["median"] <= target else " ✗"
        progress = "yes" if r["progress"] else ("—" if r["max"] <= 1 else "no ✗")
        print(f"| {r['action']} | {r['runs']} | {r['median']:.2f} s{flag} | {r['max']:.2f} s | {r['script']:.2f} s "
              f"| {r['busy']:.2f} s | ≤ {target:g} s | {progress} | {r['kb']:,.0f} kB |")  # fmt: skip
    print()
    print("| action | largest parts sent (last run) |")
    print("| --- | --- |")
    for r in rows:
        parts = ", ".join(f"{kind} {size / 1000:,.0f} kB" for kind, size in r["top"])
        print(f"| {r['action']} | {parts} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="sessions to run (the first meets a cold server)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    rows = run(args.repeat)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

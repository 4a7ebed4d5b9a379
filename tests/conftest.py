"""Shared fixtures: a `streamlit run` server factory and a Playwright browser (Debian's chromium).

    def test_x(streamlit_server, browser):
        url = streamlit_server()                       # app.py, default environment
        url = streamlit_server(env={"WORKBENCH_CRITERIA_DIR": str(folder)})
        page = browser.new_page(); page.goto(url)

Browser tests skip when /usr/bin/chromium (or $CHROMIUM) is missing, unless REQUIRE_BROWSER=1,
in which case they fail: CI sets it so a broken image cannot pass silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = SERVER_START_TIMEOUT) -> float:
    """Poll /_stcore/health until it answers 'ok'; return the seconds waited. Fails fast with
    the server log if the process dies or the deadline passes."""
    start = time.monotonic()
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return time.monotonic() - start
        except OSError:
            pass
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s:\n{log.read_text()}")
        time.sleep(0.05)


def start_streamlit(app: Path, port: int, log: Path, env: Mapping[str, str] | None = None) -> subprocess.Popen:
    """`streamlit run app` on 127.0.0.1:port, headless, output to `log`."""
    with open(log, "w") as fh:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(app),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],  # fmt: skip
            stdout=fh,
            stderr=subprocess.STDOUT,
            cwd=str(ROOT),
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory) -> Iterator[Callable[..., str]]:
    """Factory: `streamlit_server(app=APP, env=None) -> base URL`. Servers with the same app and
    environment are shared within the session; all stop at the end."""
    started: dict[tuple, tuple[str, subprocess.Popen]] = {}

    def start(app: Path | str = APP, env: Mapping[str, str] | None = None) -> str:
        key = (str(app), tuple(sorted((env or {}).items())))
        if key in started:
            return started[key][0]
        port = free_port()
        log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
        proc = start_streamlit(Path(app), port, log, env)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc, log)
        except RuntimeError:
            stop(proc)
            raise
        started[key] = (url, proc)
        return url

    yield start
    for _, proc in started.values():
        stop(proc)


def _no_browser(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """A headless chromium driven by Playwright (never `playwright install`: Debian's binary)."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _no_browser(f"no chromium at {CHROMIUM} (apt-get install chromium, or set $CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright Python package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def artifacts_dir() -> Path:
    """Git-ignored folder for screenshots and downloads kept after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

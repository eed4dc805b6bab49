"""The web UI in a real browser: Debian's headless chromium driven by npm playwright-core.

Builds a database from the sample stories (real coder) plus a story full of markup, starts
`eventwire serve` on a free port, and runs tests/browser/ui.test.mjs, which loads the UI,
applies a filter, opens an article, checks its highlights, checks the markup story is shown
as text, round-trips a multi-valued filter (URL -> bar -> Apply -> URL) and downloads its CSV,
toggles events/clusters, checks the timeline on a three-day filter, errors inside the page,
status cue words, who asserts/denies, a 390 px phone without sideways scrolling, and saves
docs/screenshot.png (dashboard) and docs/screenshot-article.png.

Skipped only when node or chromium is not installed (CI installs both: see .ci/run).
playwright-core is installed with `npm ci` from tests/browser/package-lock.json when
tests/browser/node_modules is missing; it never downloads a browser.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BROWSER_DIR = REPO / "tests" / "browser"
SAMPLES = REPO / "src" / "eventwire" / "samples"
# Screenshots go to a temporary folder; EVENTWIRE_SCREENSHOT_DIR=docs refreshes the README's.
SCREENSHOT_DIR = os.environ.get("EVENTWIRE_SCREENSHOT_DIR")

pytestmark = pytest.mark.slow

XSS_STORY = """<script>alert(1)</script> Rebels attack army base near <b>Goma</b>

GOMA, Congo (AP) -- M23 rebels attacked an army base near Goma on Monday, killing five soldiers, \
the army said. <img src=x onerror=alert(2)> The rebels denied attacking civilians.
"""


def _chromium() -> str | None:
    exe = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return exe if os.path.isfile(exe) and os.access(exe, os.X_OK) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _npm_ci() -> None:
    if (BROWSER_DIR / "node_modules" / "playwright-core" / "package.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed (needed to install playwright-core)")
    r = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=BROWSER_DIR,
                       capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1"))
    assert r.returncode == 0, f"npm ci failed:\n{r.stdout}\n{r.stderr}"


def _wait_for(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise AssertionError(f"eventwire serve exited: {proc.stdout.read()}")
        if time.monotonic() > deadline:
            raise AssertionError("eventwire serve did not answer in time")
        time.sleep(0.3)


def test_ui_in_headless_chromium(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (apt-get install nodejs npm)")
    chromium = _chromium()
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    _npm_ci()

    # a database: the sample stories (real coder) and one story full of markup
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "xss-story.txt").write_text(XSS_STORY, encoding="utf-8")
    (hostile / "dates.json").write_text(json.dumps({"xss-story.txt": "2024-02-19"}), encoding="utf-8")
    db = tmp_path / "ui.duckdb"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, "-m", "eventwire", "ingest", "--db", str(db), "--workers", "2",
                        str(SAMPLES), str(hostile)], capture_output=True, text=True, timeout=1200, env=env)
    assert r.returncode == 0, r.stderr[-3000:]

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "eventwire", "serve", "--db", str(db),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env=env)
    try:
        _wait_for(f"http://127.0.0.1:{port}/api/health", server)
        DOCS = (REPO / SCREENSHOT_DIR).resolve() if SCREENSHOT_DIR else tmp_path / "screenshots"
        DOCS.mkdir(exist_ok=True)
        cmd = [node, "ui.test.mjs", "--url", f"http://127.0.0.1:{port}",
               "--screenshot", str(DOCS / "screenshot.png"),
               "--article-screenshot", str(DOCS / "screenshot-article.png"),
               "--xss-article", "xss-story"]
        out = subprocess.run(cmd, cwd=BROWSER_DIR, capture_output=True, text=True, timeout=300,
                             env=dict(os.environ, CHROMIUM=chromium))
        print(out.stdout)
        assert out.returncode == 0, f"{out.stdout}\n{out.stderr}"
        assert "0 failed" in out.stdout.splitlines()[-1]
        assert (DOCS / "screenshot.png").stat().st_size > 10_000
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

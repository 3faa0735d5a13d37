"""The index and one report in a real headless browser (Debian's chromium): links work, no console
errors. Runs under CI=true always; elsewhere it skips when chromium is not installed."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sxsh_analysis import build

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(cleaned_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    s = build.build(
        [build.Job("national", None, "vi"), build.Job("province", "75", "vi")],
        cleaned_dir,
        out,
        jobs_n=2,
    )
    assert not s.failed
    handler = functools.partial(QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_index_and_report_in_chromium(site):
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "chromium is not installed: `make test` installs it (apt-get) where the machine allows"
            )
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright

    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{site}/index.html")
        assert page.locator("#reports tbody tr").count() == 2
        # filter, then sort by a column, as a reader would
        page.fill("#filter", "Đồng Nai")
        assert page.locator("#reports tbody tr:visible").count() == 1
        page.fill("#filter", "")
        page.click("th[data-col='5']")
        links = page.locator("#reports a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert len(hrefs) == 4
        for href in hrefs:
            r = page.request.get(f"{site}/{href}")
            assert r.status == 200, href
        page.click("a[href$='75-dong-nai.html']")
        page.wait_for_load_state()
        assert "Đồng Nai" in page.title()
        assert page.locator("figure.chart svg").count() >= 4
        assert page.locator("nav.toc a").count() >= 6
        page.click("nav.toc a >> nth=0")
        browser.close()
    assert errors == [], errors

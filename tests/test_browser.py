"""End to end in a real headless Chromium: search the served archive, open a release.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); skipped
where they are missing. Chromium may resolve only 127.0.0.1, so nothing leaves the machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_serve import YOUTH_TITLE, build_archive

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SERVE = "from scraper.cli.serve import serve; serve()"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()) and not os.environ.get("CI"),
    reason="no Chromium: install Debian's chromium and chromium-driver (CI must have them)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """``pressarchiv serve`` on a free loopback port; yields its base URL."""
    db = build_archive(tmp_path / "archiv.sqlite")
    port = free_port()
    args = [sys.executable, "-c", SERVE, "--db", f"sqlite:///{db}", "--port", str(port)]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if proc.poll() is not None:
                pytest.fail(f"serve exited: {proc.stderr.read()}")
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("serve did not answer within 10 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--dns-prefetch-disable",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--window-size=1280,1200",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def test_reader_searches_and_opens_a_release(server, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/archive/releases")
    assert "Pressemitteilungen" in browser.find_element(By.TAG_NAME, "h1").text
    box = browser.find_element(By.NAME, "_search")
    box.send_keys("Foerderprogramm")  # folded spelling finds "Förderprogramm"
    box.submit()

    links = browser.find_elements(By.CSS_SELECTOR, "td.col-title a.release-link")
    assert [link.text for link in links] == [YOUTH_TITLE]
    links[0].click()

    assert browser.find_element(By.TAG_NAME, "h1").text == YOUTH_TITLE
    assert browser.find_element(By.CSS_SELECTOR, ".release-meta time").text == "2024-02-20"
    source = browser.find_element(By.CSS_SELECTOR, ".release-source a")
    assert source.get_attribute("href") == "https://soziales.hessen.de/presse/jugendzentren"
    assert (
        "Anträge sind bis zum 30. April möglich."
        in browser.find_element(By.CSS_SELECTOR, ".release-body").text
    )
    revisions = [li.text for li in browser.find_elements(By.CSS_SELECTOR, ".release-revisions li")]
    assert len(revisions) == 2
    assert revisions[0].startswith("Fassung 1, abgerufen 2024-03-12 09:30 UTC")
    assert revisions[1].startswith("Fassung 2, abgerufen 2024-03-14 09:30 UTC")

"""End to end in a real headless Chromium: a journalist clicks through the served archive.

search -> hit -> release page (citation copied, archived copy) -> versions -> diff;
silent edits; person; ministry; feeds. Needs Debian's ``chromium`` and ``chromium-driver``
(``.ci/run`` installs them); skipped where they are missing, failing instead with ``CI`` set.
Chromium may resolve only 127.0.0.1, so nothing leaves the machine.
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
from web_helpers import HEAT, LANGUAGE, PRIZE, SCHOOL_NEW, build_newsroom

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SERVE = "from scraper.cli.serve import serve; serve()"

pytestmark = [
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()) and not os.environ.get("CI"),
        reason="no Chromium: install Debian's chromium and chromium-driver (CI must have them)",
    ),
    pytest.mark.sqlite_only(
        "a real browser on a served archive file; the same pages of a PostgreSQL archive's "
        "mirror: test_web"
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``pressarchiv serve`` on a free loopback port; yields its base URL."""
    db = build_newsroom(tmp_path_factory.mktemp("browser") / "archiv.sqlite")
    port = free_port()
    args = [sys.executable, "-c", SERVE, "--db", db, "--port", str(port)]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # up to a minute on a busy machine
            if proc.poll() is not None:
                pytest.fail(f"serve exited: {proc.stderr.read()}")
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("serve did not answer within 60 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
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
        "--lang=de-DE",
        "--window-size=1280,1200",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def css(driver, selector: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def all_css(driver, selector: str) -> list:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def click_link(driver, text: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.PARTIAL_LINK_TEXT, text).click()


def arrived(driver, fragment: str, leaving: str | None = None) -> None:
    """Wait until the browser shows an address containing ``fragment`` (and no longer
    ``leaving``): after a click or a form submission the old page may still be there."""
    from selenium.webdriver.support.ui import WebDriverWait

    def there(d) -> bool:
        return fragment in d.current_url and not (leaving and leaving in d.current_url)

    WebDriverWait(driver, 20).until(there)


def assert_german(driver) -> None:
    page = driver.page_source
    for english in ("Powered by", "CREATE TABLE", "Custom SQL", "rows where"):
        assert english not in page


def test_search_hit_release_versions_diff(server, browser):
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/")
    box = css(browser, "input[name=q]")
    box.send_keys("Sprachkurs")  # finds "Sprachkurse" (a word finds its longer forms)
    box.submit()
    arrived(browser, "q=Sprachkurs")
    assert css(browser, ".pa-count").text.startswith("1 Treffer, nach Relevanz")
    assert [m.text for m in all_css(browser, ".pa-snippet mark")][:1] == ["Sprachkurse"]
    assert_german(browser)
    css(browser, "a.pa-hit-title").click()
    arrived(browser, "/release/")
    assert css(browser, "h1").text == LANGUAGE
    assert "Hessisches Ministerium für Soziales und Integration" in css(browser, ".pa-meta").text
    css(browser, "button.pa-copy").click()
    assert css(browser, ".pa-copied").text == "Kopiert."
    citation = css(browser, "#pa-citation").get_attribute("value")
    assert f"„{LANGUAGE}“. Wiesbaden, 02.05.2019." in citation
    versions = all_css(browser, "tr.pa-version")
    assert len(versions) == 3 and "vom Ministerium geändert" in versions[1].text
    assert_german(browser)

    click_link(browser, "Unterschiede zu Fassung 1")
    arrived(browser, "/diff")
    assert css(browser, "h1").text == "Fassung 1 → Fassung 2"
    body = css(browser, ".pa-diff-field[data-field=body]")
    assert [d.text for d in body.find_elements("css selector", "del")] == ["1.200"]
    inserted = [i.text for i in body.find_elements("css selector", "ins")]
    assert inserted == ["1.500", "Anmeldungen nehmen die Volkshochschulen entgegen."]
    assert_german(browser)

    Select(css(browser, "select[name=von]")).select_by_visible_text("1")
    Select(css(browser, "select[name=bis]")).select_by_visible_text("3")
    css(browser, ".pa-compare button").click()
    arrived(browser, "bis=3")
    assert css(browser, "h1").text == "Fassung 1 → Fassung 3"

    click_link(browser, LANGUAGE)  # back to the release
    arrived(browser, "/release/", leaving="/diff")
    click_link(browser, "Fassung 1")
    arrived(browser, "/fassung/1")
    assert css(browser, "h1").text == "Fassung 1 von 3"
    assert "1.200 Plätze" in css(browser, ".pa-fields").text


def test_archived_copy_runs_no_script(server, browser):
    browser.get(server + '/?q="Integrationspreis"')
    css(browser, "a.pa-hit-title").click()
    arrived(browser, "/release/")
    assert css(browser, "h1").text == PRIZE
    css(browser, "a.pa-copy-link").click()
    arrived(browser, "/kopie/")
    assert "WARC-Datensatz" in css(browser, ".pa-meta").text
    browser.switch_to.frame(css(browser, "iframe.pa-frame"))
    try:
        assert css(browser, "h1").text == PRIZE
        assert browser.execute_script("return document.title") != "SKRIPT LIEF"
    finally:
        browser.switch_to.default_content()


def test_filters_on_the_search_page(server, browser):
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/")
    Select(css(browser, "select[name=ministerium]")).select_by_visible_text(
        "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales (HMAIJS)"
    )
    css(browser, "input[name=von]").send_keys("01.01.2024")
    css(browser, ".pa-searchline button").click()
    arrived(browser, "ministerium=")
    titles = [a.text for a in all_css(browser, "a.pa-hit-title")]
    assert titles == [HEAT, PRIZE, "Förderprogramm für Jugendzentren wird verlängert"]
    assert css(browser, ".pa-count").text.startswith("3 Meldungen")


def test_silent_edits_person_ministry_and_feeds(server, browser):
    import feedparser

    browser.get(server + "/")
    click_link(browser, "Stille Änderungen")
    arrived(browser, "/aenderungen")
    assert css(browser, "h1").text == "Stille Änderungen"
    edits = [a.text for a in all_css(browser, ".pa-edit a.pa-hit-title")]
    assert edits == [SCHOOL_NEW, LANGUAGE, SCHOOL_NEW]
    assert_german(browser)
    css(browser, ".pa-edit-summary a.pa-diff-link").click()
    arrived(browser, "/diff")
    assert css(browser, "h1").text == "Fassung 2 → Fassung 3"
    title = css(browser, ".pa-diff-field[data-field=title]")
    assert [d.text for d in title.find_elements("css selector", "del")] == ["50"]

    browser.get(server + '/?q="Integrationspreis"')
    css(browser, "a.pa-hit-title").click()
    arrived(browser, "/release/")
    click_link(browser, "Dr. Anna Becker")
    arrived(browser, "/person/")
    assert css(browser, "h1").text == "Dr. Anna Becker"
    offices = [row.text for row in all_css(browser, "tr.pa-office")]
    assert offices[0].startswith("Staatssekretärin") and offices[1].startswith("Ministerin")
    assert_german(browser)

    css(browser, ".pa-list a.pa-ministry").click()  # the ministry of her newest release
    arrived(browser, "/ministerium/")
    assert css(browser, "h1").text == (
        "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
    )
    names = [row.text for row in all_css(browser, "table.pa-names tbody tr")]
    assert any("Hessisches Ministerium für Soziales und Integration" in n for n in names)
    assert_german(browser)
    feed_url = css(browser, "a.pa-feed").get_attribute("href")
    with urllib.request.urlopen(feed_url, timeout=10) as response:
        feed = feedparser.parse(response.read())
    assert not feed.bozo and feed.version == "atom10"
    assert {e.title for e in feed.entries} == {
        HEAT,
        PRIZE,
        LANGUAGE,
        "Förderprogramm für Jugendzentren wird verlängert",
    }
    click_link(browser, "Ministerien")
    arrived(browser, "/ministerien")
    assert css(browser, "h1").text == "Ministerien"


def test_a_text_published_twice_is_one_hit_and_compared(server, browser):
    browser.get(server + "/")
    box = css(browser, "input[name=q]")
    box.send_keys("Hitzeschutzplan")
    box.submit()
    arrived(browser, "q=Hitzeschutzplan")
    assert [a.text for a in all_css(browser, "a.pa-hit-title")] == [HEAT]
    assert css(browser, ".pa-hit-also").text.startswith("Auch veröffentlicht von:")
    click_link(browser, "alle einzeln zeigen")
    arrived(browser, "alle=1")
    assert [a.text for a in all_css(browser, "a.pa-hit-title")] == [HEAT, HEAT]
    click_link(browser, "denselben Text nur einmal zeigen")
    arrived(browser, "q=Hitzeschutzplan", leaving="alle=1")
    css(browser, "a.pa-hit-title").click()
    arrived(browser, "/release/")
    assert css(browser, "#pa-also-title").text == "Auch veröffentlicht als"
    assert "% gleich" in css(browser, ".pa-also-item").text
    css(browser, ".pa-also-item a.pa-compare-link").click()
    arrived(browser, "/vergleich/")
    assert css(browser, "h1").text == "Zwei Meldungen im Vergleich"
    body = css(browser, ".pa-diff-field[data-field=body]")
    assert body.find_elements("css selector", "ins") or body.find_elements("css selector", "del")
    assert_german(browser)
    click_link(browser, "ganzen Text zeigen")
    arrived(browser, "voll=1")


def test_page_of_texts_published_more_than_once(server, browser):
    browser.get(server + "/")
    click_link(browser, "Mehrfach veröffentlicht")
    arrived(browser, "/mehrfach")
    assert css(browser, "h1").text == "Mehrfach veröffentlicht"
    assert_german(browser)
    css(browser, ".pa-copy-group a.pa-compare-link").click()
    arrived(browser, "/vergleich/")
    assert css(browser, "h1").text == "Zwei Meldungen im Vergleich"


def test_people_list_leads_to_a_person(server, browser):
    browser.get(server + "/")
    click_link(browser, "Personen")
    arrived(browser, "/personen")
    assert_german(browser)
    click_link(browser, "Dr. Anna Becker")
    arrived(browser, "/person/")
    assert css(browser, "h1").text == "Dr. Anna Becker"

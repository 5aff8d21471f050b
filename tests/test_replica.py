"""The replica over real HTTP on loopback: listings, pager, releases, robots, switches."""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import parsel
import pytest

from scraper.profiles import from_mirror, load_profiles
from scraper.replica import (
    ReplicaServer,
    catalogue,
    families,
    routes,
    save,
    site_ids,
    start_path,
    text_version,
)
from scraper.replica.hessen import FAULTS
from scraper.replica.pages import MONTHS
from scraper.replica.releases import FIELDS

FILES = Path(__file__).parent / "files"
REGEN = "stale fixture: python -m scraper.replica.save tests/files --fixtures"
SEED_START = "Anlässlich der diesjährigen Integrationskonferenz heute in Wetzlar"
SEED_END = "mögliche Zugangsbarrieren abzubauen."


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer() as server:
        yield server


def page(replica: ReplicaServer, path: str) -> parsel.Selector:
    status, content_type, body = fetch(replica.base_url + path)
    assert status == 200, path
    assert content_type == "text/html; charset=utf-8"
    return parsel.Selector(body.decode("utf-8"))


def test_catalogue_covers_enough_releases_sites_and_years():
    releases = catalogue()
    assert len(releases) >= 64
    assert len({r["site"] for r in releases}) >= 3
    assert len({r["published"][:4] for r in releases}) >= 8
    assert len({r["url"] for r in releases}) == len(releases)
    for site in ("hessen-soziales", "hessen-innen", "hessen-kultus", "hessen-finanzen"):
        assert sum(r["site"] == site for r in releases) >= 14


def test_catalogue_holds_the_seed_verbatim():
    seed = next(r for r in catalogue() if r["slug"] == "integrationskonferenz-in-wetzlar")
    assert seed["kind"] == "Presseinformation" and seed["place"] == "Wiesbaden"
    assert seed["published"] == "2018-09-25" and seed["dateline"] == "Wetzlar"
    assert seed["body"].startswith(SEED_START) and seed["body"].endswith(SEED_END)
    assert "neue Integrationsangeboten für" in seed["body"]
    assert {"name": "Kai Klose", "role": "Staatssekretär"} in seed["persons"]
    seed_file = FILES / "text" / "seed-integrationskonferenz-in-wetzlar.txt"  # the seed, verbatim
    text = " ".join(seed_file.read_text(encoding="utf-8").split())
    assert " ".join(seed["body"].split()) in text
    assert seed["subtitle"] in text


def test_replica_hosts_match_the_site_profiles():
    profiles = load_profiles()
    assert {"hessen-soziales", "hessen-innen", "hessen-kultus", "hessen-finanzen"} <= set(profiles)
    for entry in catalogue():
        profile = profiles.get(entry["site"])
        if profile is None:
            continue
        assert entry["url"].split("/")[2].removeprefix("www.") == profile.host
        if entry["family"] != "nrw-drupal":  # land.nrw names the ministry per release
            assert entry["ministry"] == profile.ministry


def test_listing_pages_have_cards_and_a_drupal_pager(replica):
    profile = load_profiles()["hessen-soziales"]
    listing = profile.listing
    path = "/soziales.hessen.de/presse?page=0"
    cards = page(replica, path).css(listing["card"])
    assert len(cards) == 10
    dates = [card.css(listing["date"]).get() for card in cards]
    assert all(len(d.split(".")) == 3 for d in dates)
    assert {card.css(listing["publisher"]).get() for card in cards} == {"HMSI"}
    assert cards[0].css("img::attr(data-src)").get()
    href = cards[0].css(listing["link"]).get()
    assert href.startswith("/soziales.hessen.de/presse/")
    assert page(replica, href).css("h1::text").get() == cards[0].css("h2 a::text").get()
    next_href = page(replica, path).css(listing["next"]).get()
    assert next_href == "?page=1"
    last = page(replica, "/soziales.hessen.de/presse?page=1")
    assert last.css(listing["next"]).get() is None


def test_every_catalogued_release_is_listed_and_served(replica):
    listed = set()
    for site in site_ids("hessen-drupal"):
        first = start_path(site)
        n, next_href = 0, "?page=0"
        while next_href:
            sel = page(replica, first.replace("page=0", f"page={n}"))
            listed.update(sel.css(".row.mb-4 .article h2 a::attr(href)").getall())
            next_href = sel.css("li.pager__item--next a::attr(href)").get()
            n += 1
    for release in catalogue():
        if release["family"] != "hessen-drupal":
            continue
        assert listed & set(release["paths"]), release["url"]
        own = release["paths"][0]
        assert from_mirror(replica.base_url + own, replica.base_url) == release["url"]
        for path in release["paths"]:
            assert page(replica, path).css("h1::text").get() == release["title"]


def test_duplicate_paths_serve_the_same_page(replica):
    duplicates = [r for r in catalogue() if len(r["paths"]) > 1]
    kinds = {p.split("/")[-1][:1] for r in duplicates for p in r["paths"][1:]}
    assert len(duplicates) >= 4 and "?" in "".join(r["paths"][1] for r in duplicates), kinds
    for release in duplicates:
        bodies = {fetch(replica.base_url + path)[2] for path in release["paths"]}
        assert len(bodies) == 1


def test_release_page_furniture(replica):
    release = next(r for r in catalogue() if r["slug"].startswith("kinderschutz-neue"))
    sel = page(replica, release["paths"][0])
    text = " ".join(sel.css("body ::text").getall())
    for chrome in ("Springe zum Inhalt", "Diese Webseite verwendet Cookies", "Hinweis schliessen",
                   "Kontakt für Pressevertreter", "Schließen", "© HMSI"):  # fmt: skip
        assert chrome in text
    assert "Lesedauer:" in "".join(sel.css(".reading-time ::text").getall())
    assert "hessen.deÖffnet sich in einem neuen Fensterabrufbar" in "".join(
        sel.css(".cp-richtext__field-richtext ::text").getall()
    )
    assert sel.css(".cp-press__ministry::text").get() == release["ministry"]


def test_broken_markup_keeps_the_body_readable(replica):
    for release in [
        r for r in catalogue() if r["slug"].startswith(("inklusion-am", "hessenkasse"))
    ]:
        html = fetch(replica.base_url + release["paths"][0])[2].decode()
        richtext = html.split('"cp-richtext__field-richtext">')[1].split("</div>")[0]
        assert "<p>" in richtext and "</p>" not in richtext
        assert "</div>\n</div>\n</article>" in html, "stray </div> after the contact block"
        body = parsel.Selector(html).css(".cp-richtext__field-richtext p")
        assert len(body) == release["body"].count("\n\n") + 1


def test_robots_txt_at_the_root_and_per_host(replica):
    status, content_type, body = fetch(replica.base_url + "/robots.txt")
    assert status == 200 and content_type == "text/plain; charset=utf-8"
    assert "Disallow: /*/suche" in body.decode()
    status, _, body = fetch(replica.base_url + "/innen.hessen.de/robots.txt")
    assert status == 200 and "Disallow: /suche" in body.decode()
    listing = page(replica, "/innen.hessen.de/presse?page=0")
    assert [h for h in listing.css(".article h2 a::attr(href)").getall() if "/suche" in h]


def test_unknown_paths_are_404_and_requests_are_logged(replica):
    assert fetch(replica.base_url + "/soziales.hessen.de/presse/gibt-es-nicht")[0] == 404
    assert "/soziales.hessen.de/presse/gibt-es-nicht" in replica.requests


def test_edited_switch_changes_exactly_the_edited_releases(replica):
    releases = [r for r in catalogue() if r["family"] == "hessen-drupal"]
    before = {r["url"]: fetch(replica.base_url + r["paths"][0])[2] for r in releases}
    replica.edited = True
    try:
        after = {r["url"]: fetch(replica.base_url + r["paths"][0])[2] for r in releases}
    finally:
        replica.edited = False
    changed = {url for url in before if before[url] != after[url]}
    assert changed == {r["url"] for r in releases if r["edited"]}
    assert 3 <= len(changed) <= 5
    edited_truth = {r["url"]: r["body"] for r in catalogue(edited=True)}
    for url in changed:
        assert edited_truth[url] != next(r["body"] for r in releases if r["url"] == url)


def test_edited_at_start():
    release = next(r for r in catalogue(edited=True) if r["edited"])
    with ReplicaServer(edited=True) as server:
        html = fetch(server.base_url + release["paths"][0])[2].decode()
    last_paragraph = release["body"].split("\n\n")[-1]
    assert last_paragraph[-40:] in html


def test_faults_mode_adds_broken_pages_only_when_on(replica):
    paths = [f"/soziales.hessen.de{path}" for path, _, _ in FAULTS]
    assert [fetch(replica.base_url + p)[0] for p in paths] == [404, 404, 404]
    with ReplicaServer(faults=True) as server:
        listed = (
            page(server, "/soziales.hessen.de/presse?page=0")
            .css(".article h2 a::attr(href)")
            .getall()
        )
        assert set(paths) <= set(listed)
        assert fetch(server.base_url + paths[0])[0] == 500
        undated = fetch(server.base_url + paths[1])[2].decode()
        assert "<time" not in undated and "Lesedauer" in undated
        assert not re.search(r"\d\d?\.\d\d?\.\d{4}|\d{4}-\d\d|20\d\d", undated)
        status, _, body = fetch(server.base_url + paths[2])
        assert status == 200 and b"\x00" in body and not body.rstrip().endswith(b"</html>")


def test_fixtures_match_the_catalogue():
    truth = {r["url"]: r for r in catalogue()}
    fixtures = sorted((FILES / "hessen").glob("*.json"))
    assert len(fixtures) >= 5
    for fixture in fixtures:
        expected = json.loads(fixture.read_text(encoding="utf-8"))
        entry = truth[expected["url"]]
        assert expected["fields"] == {key: entry[key] for key in expected["fields"]}
        assert fixture.with_suffix(".html").read_bytes() == routes()[entry["paths"][0]].body, REGEN


def test_site_ids_cover_the_catalogue():
    assert {r["site"] for r in catalogue()} <= set(site_ids())


def walk_listing(replica: ReplicaServer, site: str) -> set[str]:
    """Follow a site's listing pages with its profile's rules; return the release paths."""
    rules = load_profiles()[site].listing
    url, found = replica.base_url + start_path(site), set()
    while url:
        status, content_type, body = fetch(url)
        assert status == 200, url
        if rules.get("format") == "json":
            assert content_type == "application/json; charset=utf-8"
            data = json.loads(body)
            cards = parsel.Selector(data["html"]).css(rules["card"])
            more = data["page"] < data["pageCount"]
            url = re.sub(r"page=\d+", f"page={data['page'] + 1}", url) if more else None
        else:
            sel = parsel.Selector(body.decode("utf-8"))
            cards = sel.css(rules["card"])
            nxt = sel.css(rules["next"]).get()
            url = urljoin(url, nxt) if nxt else None
        assert cards, url
        for card in cards:
            assert card.css(rules["title"]).get() and card.css(rules["date"]).get()
            found.add(urljoin(replica.base_url, card.css(rules["link"]).get()))
    return found


@pytest.mark.parametrize("family", families())
def test_every_family_lists_and_serves_its_releases(replica, family):
    releases = catalogue(family=family)
    assert len(releases) >= 6
    listed = set()
    for site in site_ids(family):
        listed |= {url.removeprefix(replica.base_url) for url in walk_listing(replica, site)}
    profiles = load_profiles()
    for release in releases:
        assert listed & set(release["paths"]), release["url"]
        status, content_type, body = fetch(replica.base_url + release["paths"][0])
        assert status == 200 and content_type.startswith("text/html; charset=")
        text = body.decode("utf-8")
        assert release["title"] in text or release["title"] in html.unescape(text)
        profile = profiles[release["site"]]
        assert parsel.Selector(text).css(profile.release["body"]), release["url"]


def test_tricky_cases_are_present():
    releases = catalogue()
    flags = {flag for r in releases for flag in r["flags"]}
    assert {"speech", "mojibake-repaired", "replacement-char"} <= flags
    numbers = {r["number"] for r in releases}
    assert {"584/02", "K 31/2013", "158/2025", "133/2018", "305", "07/2020"} <= numbers
    bodies = " ".join(r["body"] for r in releases)
    assert "§ 12 Abs. 3" in bodies and "Drucksache 20/1234" in bodies and "\ufffd" in bodies
    assert "Der Sprecher der Bundesregierung, Martin Hollweg, teilt mit:" in bodies
    pages = b"".join(page.body for page in routes().values())
    text = pages.decode("utf-8", "replace")
    for month in MONTHS + ("Jänner",):
        assert re.search(rf"\d\. {month} \d{{4}}", text), month
    assert 'lang="en"' in text and "<time>05/11/2014</time>" in text


def test_mojibake_page_declares_the_wrong_charset(replica):
    release = next(r for r in catalogue() if "mojibake-repaired" in r["flags"])
    status, content_type, body = fetch(replica.base_url + release["paths"][0])
    assert content_type == "text/html; charset=iso-8859-1"
    assert release["title"] in body.decode("utf-8")
    assert "Ã¤" in body.decode("iso-8859-1")


def test_gold_set_matches_the_catalogue():
    truth = {r["url"]: r for r in catalogue()}
    gold = FILES / "gold"
    items = sorted(gold.rglob("*.json"))
    assert len(items) >= 40
    assert {p.parent.name for p in items} == {"hessen", "bund", "gsb", "niedersachsen",
                                              "sachsen-anhalt", "nrw"}  # fmt: skip
    assert len(list(gold.rglob("*.txt"))) >= 10
    for item in items:
        expected = json.loads(item.read_text(encoding="utf-8"))
        entry = truth[expected["url"]]
        assert expected["fields"] == {key: entry[key] for key in FIELDS}
        assert expected["flags"] == entry["flags"]
        assert item.with_suffix(".html").read_bytes() == routes()[entry["paths"][0]].body, REGEN
        txt = item.with_suffix(".txt")
        if txt.exists():
            assert text_version(entry["site"], entry["slug"]) == txt.read_text(encoding="utf-8")
            assert entry["title"] in txt.read_text(encoding="utf-8")


def test_save_writes_a_mirror_tree(tmp_path):
    assert save.main([str(tmp_path)]) is None
    assert (tmp_path / "soziales.hessen.de" / "presse@page=0.html").exists()
    seed = (
        tmp_path
        / "soziales.hessen.de/pressearchiv/pressemitteilung/integrationskonferenz-in-wetzlar"
    )
    assert json.loads(seed.with_suffix(".json").read_text(encoding="utf-8"))["fields"]["place"]
    assert (tmp_path / "robots.txt").exists()

"""The journalist's pages and feeds, driven in-process through Datasette's client."""

from __future__ import annotations

import asyncio
import re

import pytest
from lxml import etree, html

pytest.importorskip("datasette", reason="the web extra (datasette) is not installed")

from web_helpers import (  # noqa: E402
    HEAT,
    LANGUAGE,
    POLICE,
    PRIZE,
    SCHOOL,
    SCHOOL_NEW,
    YOUTH,
    build_newsroom,
    served_archive,
)
from web_helpers import SOZIALES as SOZIALES_NAME  # noqa: E402

from scraper.web import datasette_app  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"
ENGLISH_CHROME = ("Powered by", "CREATE TABLE", "sql_time_limit", "Custom SQL", "rows where")


pytestmark = pytest.mark.backends  # a PostgreSQL archive is served through its mirror


@pytest.fixture(scope="module")
def newsroom(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    return served_archive(request, folder, lambda url, path: build_newsroom(path, url))


@pytest.fixture(scope="module")
def client(newsroom):
    ds = datasette_app(newsroom)

    def get(path: str):
        return asyncio.run(ds.client.get(path))

    yield get
    ds.get_database("archive").close()


def page(client, path: str, status: int = 200):
    response = client(path)
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    text = response.text
    for english in ENGLISH_CHROME:
        assert english not in text, f"{path} shows {english!r}"
    return html.fromstring(text)


def texts(tree, css: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in tree.cssselect(css)]


def rows(tree, css: str) -> list[str]:
    """Table rows as their cells' texts joined by single spaces."""
    return [
        " ".join(" ".join(td.text_content().split()) for td in tr) for tr in tree.cssselect(css)
    ]


def release_id(client, title: str) -> str:
    tree = page(client, f'/?q="{title}"')
    link = tree.cssselect("a.pa-hit-title")[0]
    assert link.text_content() == title
    return link.get("href").rsplit("/", 1)[1]


# --- search -------------------------------------------------------------------------------


def test_search_ranks_by_relevance_with_marked_snippets(client):
    tree = page(client, "/?q=Integration")
    titles = texts(tree, "a.pa-hit-title")
    assert titles[0] == PRIZE  # the title hit outranks a mention in the ministry's name
    assert texts(tree, ".pa-count")[0].startswith(f"{len(titles)} Treffer, nach Relevanz")
    marks = texts(tree, ".pa-hit .pa-snippet mark")
    assert marks and all("integration" in m.lower() for m in marks)


def test_search_reads_german(client):
    # folded spelling finds the umlaut; a word finds its compound
    assert texts(page(client, "/?q=Foerderprogramm"), "a.pa-hit-title") == [YOUTH]
    assert texts(page(client, "/?q=Polizei"), "a.pa-hit-title") == [POLICE]


def test_search_filters_by_date_and_ministry_across_its_names(client):
    tree = page(client, "/?q=Sprachkurse&bis=2019-12-31")
    assert texts(tree, "a.pa-hit-title") == [LANGUAGE]
    german = page(client, "/?q=Sprachkurse&bis=31.12.2019")  # as a journalist types it
    assert texts(german, "a.pa-hit-title") == [LANGUAGE]
    assert german.cssselect("input[name=bis]")[0].get("value") == "31.12.2019"
    assert texts(page(client, "/?q=Sprachkurse&von=2020-01-01"), ".pa-count")[0].startswith(
        "Keine Treffer"
    )
    # 2019 was the HMSI, today the HMAIJS: choosing either name keeps both years
    for entry in ("he-hmsi-2014", "he-hmaijs-2024"):
        tree = page(client, f"/?ministerium={entry}")
        assert set(texts(tree, "a.pa-hit-title")) == {LANGUAGE, PRIZE, YOUTH, HEAT}
    assert texts(page(client, "/?ministerium=he-hmdi-2024"), "a.pa-hit-title") == [POLICE]


def test_home_lists_newest_first_with_a_count(client):
    tree = page(client, "/")
    assert texts(tree, ".pa-count")[0].startswith("7 Meldungen, neueste zuerst")
    dates = [t.get("datetime") for t in tree.cssselect(".pa-hit time")]
    assert dates == sorted(dates, reverse=True)
    assert not tree.cssselect("textarea[name=sql]")


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ('/?q="offen', 400, "Diese Suche versteht pressarchiv nicht"),
        ("/?q=Schule&von=31.02.2024", 400, "ist kein Datum"),
        ("/?q=Schule&von=2024", 400, "ist kein Datum"),
        ("/?von=2024-02-01&bis=2024-01-01", 400, "liegt nach"),
        ("/?seite=0", 400, "gibt es nicht"),
        ("/?q=Schule&seite=100000", 400, "bitte eingrenzen"),
        ("/?ministerium=ministerium-fuer-zauberei", 404, "Kein Ministerium"),
        ("/release/0000000000000000", 404, "Keine Meldung"),
        ("/person/Niemand%20Bekannt", 404, "Keine Meldung nennt"),
    ],
)
def test_bad_requests_get_a_german_message(client, path, status, message):
    tree = page(client, path, status)
    assert message in tree.text_content()
    assert "Traceback" not in tree.text_content()


# --- release page -------------------------------------------------------------------------


def test_release_page_shows_fields_source_citation_and_versions(client):
    rid = release_id(client, LANGUAGE)
    tree = page(client, f"/release/{rid}")
    assert texts(tree, "h1") == [LANGUAGE]
    assert "1.500 Plätze" in texts(tree, ".pa-body")[0]
    source = tree.cssselect("a.pa-source-link")[0]
    assert (
        source.get("href")
        == "https://soziales.hessen.de/presse/sprachkurse-für-geflüchtete-frauen-werden-ausgebaut"
    )
    citation = tree.cssselect("textarea#pa-citation")[0].text_content()
    assert citation.startswith("Hessisches Ministerium für Arbeit, Integration, Jugend und ")
    assert (
        "„Sprachkurse für geflüchtete Frauen werden ausgebaut“. Wiesbaden, 02.05.2019." in citation
    )
    assert "(archiviert am 2024-06-15, warc:" in citation
    assert tree.cssselect("button.pa-copy[data-copy=pa-citation]")
    versions = rows(tree, "tr.pa-version")
    assert [v.split()[1] for v in versions] == ["1", "2", "3"]
    assert "erste Fassung" in versions[0]
    assert "vom Ministerium geändert" in versions[1]
    assert "neu eingelesen (reparsed by pressarchiv 0.2.0)" in versions[2]
    assert texts(tree, ".pa-edit-box")[0].startswith("Nach der Veröffentlichung geändert: 1-mal")
    # issued in 2019 by the HMSI, although the relaunched site prints today's name
    assert "Hessisches Ministerium für Soziales und Integration" in texts(tree, ".pa-meta")[0]
    persons = tree.cssselect(".pa-persons a")
    assert [(a.text_content(), a.get("href")) for a in persons] == [
        ("Dr. Anna Becker", "/person/Dr.%20Anna%20Becker")
    ]


def test_release_json_uses_the_release_id(client):
    rid = release_id(client, SCHOOL_NEW)
    data = client(f"/release/{rid}.json").json()
    assert data["id"] == rid and data["title"] == SCHOOL_NEW
    assert [r["number"] for r in data["revisions"]] == [1, 2, 3]


def test_archived_copy_is_served_sandboxed(client):
    rid = release_id(client, PRIZE)
    tree = page(client, f"/release/{rid}")
    copy = tree.cssselect("a.pa-copy-link")[0].get("href")
    framed = page(client, copy)
    assert "WARC-Datensatz pressarchiv-" in framed.text_content()
    raw = client(framed.cssselect("iframe")[0].get("src"))
    assert raw.status_code == 200
    assert "sandbox" in raw.headers["content-security-policy"]
    assert f"<h1>{PRIZE}</h1>" in raw.text
    (attachment,) = tree.cssselect("a.pa-attachment-copy")
    pdf = client(attachment.get("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-1.4")
    assert "(30 Bytes, 1 Seite)" in texts(tree, ".pa-attachments li")[0]


# --- versions and diffs -------------------------------------------------------------------


def test_diff_marks_inserted_and_deleted_words(client):
    rid = release_id(client, LANGUAGE)
    tree = page(client, f"/release/{rid}/diff?von=1&bis=2")
    assert texts(tree, "h1") == ["Fassung 1 → Fassung 2"]
    assert "Das Ministerium hat den Text nach der Veröffentlichung geändert." in texts(
        tree, ".pa-edit-box"
    )
    body = tree.cssselect(".pa-diff-field[data-field=body]")[0]
    assert texts(body, "del") == ["1.200"]
    assert texts(body, "ins") == ["1.500", "Anmeldungen nehmen die Volkshochschulen entgegen."]
    assert "(−1 / +6 Wörter)" in texts(body, "h2")[0]


def test_a_reparse_is_not_an_edit(client):
    rid = release_id(client, LANGUAGE)
    tree = page(client, f"/release/{rid}/diff?von=2&bis=3")
    assert not tree.cssselect(".pa-edit-box")
    assert "neu eingelesen" in tree.text_content()
    youth = release_id(client, YOUTH)
    assert not page(client, f"/release/{youth}").cssselect(".pa-edit-box")


def test_a_new_reading_of_the_same_page_is_not_an_edit(client):
    police = release_id(client, POLICE)
    tree = page(client, f"/release/{police}")
    assert not tree.cssselect(".pa-edit-box")
    assert "neu gelesen, Seite unverändert" in rows(tree, "tr.pa-version")[1]
    diff = page(client, f"/release/{police}/diff")
    assert texts(diff, ".pa-diff-field[data-field=contact] ins") == ["353-0"]
    assert "dieselbe Seite wurde nur" in diff.text_content()


def test_diff_between_any_two_versions_and_in_full(client):
    rid = release_id(client, SCHOOL_NEW)
    short = page(client, f"/release/{rid}/diff?von=1&bis=3")
    fields = {sec.get("data-field") for sec in short.cssselect(".pa-diff-field")}
    assert fields == {"title", "body"}
    assert texts(short, ".pa-diff-field[data-field=title] del") == ["50"]
    assert texts(short, ".pa-diff-field[data-field=title] ins") == ["65"]
    assert texts(short, ".pa-diff-field[data-field=body] ins") == ["65", ", Toiletten"]
    full = page(client, f"/release/{rid}/diff?von=1&bis=3&voll=1")
    assert "Gefördert werden Dächer" in full.text_content()
    version = page(client, f"/release/{rid}/fassung/1")
    assert SCHOOL in version.text_content()


def test_search_shows_a_text_published_twice_once(client):
    tree = page(client, f'/?q="{HEAT}"')
    assert texts(tree, "a.pa-hit-title") == [HEAT]
    assert texts(tree, ".pa-count")[0].startswith("1 Treffer")
    assert texts(tree, ".pa-hit-also")[0].startswith("Auch veröffentlicht von:")
    folded = texts(tree, ".pa-folded")[0]
    assert folded.startswith("1 weitere Veröffentlichung desselben Textes zusammengefasst")
    every = page(client, f'/?q="{HEAT}"&alle=1')
    assert texts(every, "a.pa-hit-title") == [HEAT, HEAT]
    assert texts(every, ".pa-count")[0].startswith("2 Treffer")
    ministries = {t.split(": ", 1)[1] for t in texts(every, ".pa-hit-also")}
    assert ministries == {"Hessische Staatskanzlei", SOZIALES_NAME}
    filtered = page(client, f'/?q="{HEAT}"&ministerium=he-hmaijs-2024')
    assert texts(filtered, "a.pa-hit-title") == [HEAT] and not filtered.cssselect(".pa-folded")


def test_release_page_lists_the_same_text_published_elsewhere(client):
    first = release_id(client, HEAT)
    tree = page(client, f"/release/{first}")
    assert texts(tree, "#pa-also-title") == ["Auch veröffentlicht als"]
    (other,) = tree.cssselect(".pa-also-item")
    second = other.cssselect("a.pa-hit-title")[0].get("href").rsplit("/", 1)[1]
    assert second != first
    assert re.search(r"\d+ % gleich", other.text_content())
    back = page(client, f"/release/{second}")
    assert [a.get("href") for a in back.cssselect(".pa-also-item a.pa-hit-title")] == [
        f"/release/{first}"
    ]
    data = client(f"/release/{second}.json").json()
    assert data["cluster"] in (first, second) and data["also_published_as"][0]["id"] == first
    assert page(client, f"/release/{release_id(client, PRIZE)}").cssselect(".pa-also") == []


def test_page_of_texts_published_more_than_once(client):
    tree = page(client, "/mehrfach")
    assert texts(tree, "h1") == ["Mehrfach veröffentlicht"]
    assert texts(tree, ".pa-count") == ["1 Gruppe"]
    (group,) = tree.cssselect(".pa-copy-group")
    members = texts(group, ".pa-copy-member")
    assert len(members) == 2 and all(HEAT in m for m in members)
    assert "Hessische Staatskanzlei" in members[0]  # the first published copy
    assert re.search(r"\d+ % gleich · Unterschiede", members[1])
    link = group.cssselect("a.pa-compare-link")[0].get("href")
    assert page(client, link).cssselect(".pa-diff-field[data-field=body]")


def test_two_releases_compared_word_by_word(client):
    tree = page(client, f"/release/{release_id(client, HEAT)}")
    compared_link = tree.cssselect(".pa-also-item a.pa-compare-link")[0].get("href")
    compared = page(client, compared_link)
    body = compared.cssselect(".pa-diff-field[data-field=body]")[0]
    deleted, inserted = texts(body, "del"), texts(body, "ins")
    assert ("zwei" in deleted and "2" in inserted) or ("2" in deleted and "zwei" in inserted)
    assert "Das Sozialministerium koordiniert die Umsetzung." in deleted + inserted
    assert {f.get("data-field") for f in compared.cssselect(".pa-diff-field")} == {
        "body",
        "ministry",
    }


# --- silent edits, persons, ministries ----------------------------------------------------


def test_silent_edits_newest_first_without_reparses(client):
    tree = page(client, "/aenderungen")
    assert texts(tree, ".pa-count")[0].startswith("3 Änderungen")
    assert texts(tree, ".pa-edit a.pa-hit-title") == [SCHOOL_NEW, LANGUAGE, SCHOOL_NEW]
    links = [a.get("href") for a in tree.cssselect(".pa-edit-summary a.pa-diff-link")]
    assert [re.sub(r".*\?", "", link) for link in links] == [
        "von=2&bis=3",
        "von=1&bis=2",
        "von=1&bis=2",
    ]
    assert "vorher: „Schulbau: Land gibt 50 Millionen Euro für Sanierungen“" in texts(
        tree, ".pa-edit .pa-note"
    )
    kultus = page(client, "/aenderungen?ministerium=he-hkm")
    assert texts(kultus, ".pa-edit a.pa-hit-title") == [SCHOOL_NEW, SCHOOL_NEW]


def test_person_page_lists_releases_and_offices_over_time(client):
    tree = page(client, "/person/Dr.%20Anna%20Becker")
    assert texts(tree, "h1") == ["Dr. Anna Becker"]
    offices = rows(tree, "tr.pa-office")
    assert offices == [
        "Staatssekretärin 02.05.2019 02.05.2019 1",
        "Ministerin 10.06.2024 10.06.2024 1",
    ]
    assert texts(tree, ".pa-list a.pa-release-link") == [PRIZE, LANGUAGE]
    people = page(client, "/personen?q=becker")
    assert texts(people, "a.pa-person-link") == ["Dr. Anna Becker"]


def test_ministry_page_groups_a_house_across_its_names(client):
    tree = page(client, "/ministerium/he-hmaijs-2024")
    names = rows(tree, "table.pa-names tbody tr")
    assert names[-2:] == [
        "18.01.2014 – 17.01.2024 Hessisches Ministerium für Soziales und Integration HMSI 1",
        "18.01.2024 – Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales HMAIJS 3",
    ]
    assert texts(tree, ".pa-list a.pa-release-link") == [HEAT, PRIZE, YOUTH, LANGUAGE]
    feeds = [a.get("href") for a in tree.cssselect("a.pa-feed")]
    assert "/feeds/aenderungen.atom?ministerium=he-hmaijs-2024" in feeds
    overview = page(client, "/ministerien")
    assert "Hessisches Ministerium für Kultus, Bildung und Chancen" in texts(overview, "h2 a")


# --- feeds --------------------------------------------------------------------------------


def atom(client, path: str):
    """A feed, checked as Atom (RFC 4287): parsed by feedparser without complaint and
    carrying the elements the RFC requires."""
    import feedparser

    response = client(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = etree.fromstring(response.content)
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        ids.append(entry.find(f"{ATOM}id").text)
    assert len(ids) == len(set(ids))
    return parsed


def test_feed_of_new_releases(client):
    feed = atom(client, "/feeds/neu.atom")
    assert len(feed.entries) == 7
    assert {e.title for e in feed.entries} == {LANGUAGE, PRIZE, POLICE, YOUTH, SCHOOL_NEW, HEAT}
    assert all(e.link.startswith("http://localhost/release/") for e in feed.entries)
    per_ministry = atom(client, "/feeds/neu.atom?ministerium=he-hmdi-2024")
    assert [e.title for e in per_ministry.entries] == [POLICE]
    searched = atom(client, "/feeds/neu.atom?q=Integrationspreis")
    assert [e.title for e in searched.entries] == [PRIZE]
    assert "Suche „Integrationspreis“" in searched.feed.title


def test_feed_of_edits(client):
    feed = atom(client, "/feeds/aenderungen.atom")
    assert [e.title for e in feed.entries] == [
        f"Geändert: {SCHOOL_NEW}",
        f"Geändert: {LANGUAGE}",
        f"Geändert: {SCHOOL_NEW}",
    ]
    first = feed.entries[0]
    assert first.link.endswith("/diff?von=2&bis=3")
    assert "<del>50</del>" in first.content[0].value
    assert atom(client, "/feeds/aenderungen.atom?ministerium=he-hmdi-2024").entries == []
    searched = atom(client, "/feeds/aenderungen.atom?q=Sprachkurse")
    assert [e.title for e in searched.entries] == [f"Geändert: {LANGUAGE}"]


def test_feed_ids_are_stable(newsroom, client):
    again = datasette_app(newsroom)
    try:
        other = asyncio.run(again.client.get("/feeds/aenderungen.atom")).text
    finally:
        again.get_database("archive").close()
    ids = re.findall(r"<id>(.*?)</id>", client("/feeds/aenderungen.atom").text)
    assert ids == re.findall(r"<id>(.*?)</id>", other)


# --- at archive size ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(request, tmp_path_factory):
    """3,000 synthetic releases (past the search's ranking window of 2,000), 60 of them
    edited by their ministries, linked to the authority file as ``pressarchiv bench web``
    prepares its archive."""
    from scraper.bench.web import prepare

    def fill(url, _path):
        prepare(url, 3000, echo=lambda line: None, edit_every=50)

    path = served_archive(request, tmp_path_factory.mktemp("large"), fill)
    ds = datasette_app(path)

    def get(url: str):
        return asyncio.run(ds.client.get(url))

    yield path, get
    ds.get_database("archive").close()


def scalar(path, sql: str):
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchone()[0]


def test_counts_and_pages_at_archive_size(large):
    path, get = large
    tree = page(get, "/")
    assert texts(tree, ".pa-count")[0].startswith("3.000 Meldungen")
    assert texts(tree, ".pa-pager span") == ["Seite 1 von 150"]
    last = page(get, "/?seite=150")
    assert len(last.cssselect(".pa-hit")) == 20 and not last.cssselect("a[rel=next]")
    first_ids = {a.get("href") for a in tree.cssselect("a.pa-hit-title")}
    second = page(get, "/?seite=2")
    assert first_ids.isdisjoint(a.get("href") for a in second.cssselect("a.pa-hit-title"))
    innen = scalar(path, "select count(*) from releases where site = 'hessen-innen'")
    filtered = page(get, "/?ministerium=he-hmdi-2024")
    assert texts(filtered, ".pa-count")[0].startswith(f"{innen:,} Meldungen".replace(",", "."))


def test_no_copies_among_thousands_of_unrelated_releases(large):
    _path, get = large
    tree = page(get, "/mehrfach")
    assert texts(tree, ".pa-count") == ["0 Gruppen"]
    assert texts(tree, ".pa-copy-group") == []


def test_silent_edits_page_through_at_archive_size(large):
    path, get = large
    edits = scalar(path, "select count(*) from revisions where number > 1")
    assert edits == 60
    tree = page(get, "/aenderungen")
    assert texts(tree, ".pa-count")[0].startswith("60 Änderungen")
    assert len(tree.cssselect(".pa-edit")) == 50
    rest = page(get, "/aenderungen?seite=2")
    assert len(rest.cssselect(".pa-edit")) == 10
    feed = atom(get, "/feeds/aenderungen.atom")
    assert len(feed.entries) == 50
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)

"""Ministries over time: the authority file, links at store time, backfill, the CLI."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from test_storage_helpers import archive_fixture  # noqa: F401

from scraper.cli import main
from scraper.ministries import BUILTIN, AuthorityError, load_authority
from scraper.profiles import load_profiles
from storage import Archive

SOZIALES_NOW = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
SOZIALES_2014 = "Hessisches Ministerium für Soziales und Integration"
WIRTSCHAFT_UND_ENERGIE = "Bundesministerium für Wirtschaft und Energie"


@pytest.fixture(scope="module")
def authority():
    return load_authority([BUILTIN])


@pytest.mark.parametrize(
    ("site", "name", "published", "expected"),
    [
        # the printed name, in office on the day
        ("hessen-soziales", SOZIALES_NOW, date(2024, 3, 1), ("he-hmaijs-2024", "name")),
        ("hessen-soziales", SOZIALES_2014, date(2019, 5, 2), ("he-hmsi-2014", "name")),
        # an old release that the relaunched site prints with today's name: by site and date
        ("hessen-soziales", SOZIALES_NOW, date(2018, 9, 25), ("he-hmsi-2014", "site")),
        ("hessen-innen", None, date(2017, 3, 22), ("he-hmdis", "site")),
        ("lsa-stk", "Staatskanzlei und Ministerium für Kultur des Landes Sachsen-Anhalt",
         date(2002, 9, 18), ("st-stk", "site")),
        # one name used twice, years apart: the date decides
        ("bund-x", WIRTSCHAFT_UND_ENERGIE, date(2015, 6, 1), ("bund-bmwi-2013", "name")),
        ("bund-x", WIRTSCHAFT_UND_ENERGIE, date(2025, 6, 1), ("bund-bmwe-2025", "name")),
        # spelling, case, punctuation and aliases do not matter
        ("nds-mi", "NIEDERSAECHSISCHES Ministerium fuer Inneres und Sport", date(2023, 1, 1),
         ("ni-mi", "name")),
        ("bund-breg-en", "Press and Information Office of the Federal Government",
         date(2015, 3, 9), ("bund-bpa", "name")),
        # a portal site of many houses: only the name helps
        ("nrw-land", "Ministerium für Schule und Bildung des Landes Nordrhein-Westfalen",
         date(2019, 11, 14), ("nw-msb-2017", "name")),
        ("nrw-land", "Ministerium für Schule und Bildung des Landes Nordrhein-Westfalen",
         date(2012, 1, 1), ("nw-msb-2017", "name-only")),
        ("nrw-land", None, date(2019, 1, 1), (None, None)),
        # no date: the name alone
        ("hessen-soziales", SOZIALES_2014, None, ("he-hmsi-2014", "name-only")),
        ("elsewhere", "Ministerium für Zauberei", date(2020, 1, 1), (None, None)),
    ],
)  # fmt: skip
def test_resolve(authority, site, name, published, expected):
    assert authority.resolve(site, name, published) == expected


def test_a_lineage_groups_a_house_across_its_names(authority):
    chain = authority.lineage("he-hmsi-2014")
    assert [e.id for e in chain] == ["he-hsm", "he-hmsi-2014", "he-hmaijs-2024"]
    assert authority.lineage_id("he-hmsi-2014") == "he-hmaijs-2024"
    bmwi = [e.name for e in authority.lineage("bund-bmwi-2013")]
    assert bmwi == [
        "Bundesministerium für Wirtschaft und Arbeit",
        "Bundesministerium für Wirtschaft und Technologie",
        WIRTSCHAFT_UND_ENERGIE,
        "Bundesministerium für Wirtschaft und Klimaschutz",
        WIRTSCHAFT_UND_ENERGIE,
    ]
    # a re-cut: the new family ministry took portfolios from two houses
    takers = [(e.id, what) for e, what in authority.handed_over("he-hmdis")]
    assert takers == [("he-hmfg-2024", "Sport")]


def test_every_shipped_site_publishes_for_an_entry_today(authority):
    today = date.today()
    for site_id, profile in load_profiles().items():
        entry, how = authority.resolve(site_id, profile.ministry, today)
        assert entry is not None, f"{site_id}: {profile.ministry!r} has no authority entry"


def test_periods_of_a_lineage_follow_each_other(authority):
    for chain in authority.lineages():
        for before, after in zip(chain, chain[1:], strict=False):
            assert before.end is not None and after.start is not None
            assert (after.start - before.end).days == 1, (before.id, after.id)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[ministry]]\nid = 'x'\nname = 'X'\n", "jurisdiction is required"),
        ("[[ministry]]\nid = 'X Y'\nname = 'X'\njurisdiction = 'Bund'\n", "must be lower case"),
        ("[[ministry]]\nid = 'x'\nname = 'X'\njurisdiction = 'Bund'\nfrom = '2020-01-01'\n",
         "dates are written"),
        ("[[ministry]]\nid = 'x'\nname = 'X'\njurisdiction = 'Bund'\nfrom = 2020-01-01\n"
         "until = 2019-01-01\n", "is before from"),
        ("[[ministry]]\nid = 'x'\nname = 'X'\njurisdiction = 'Bund'\npredecessor = 'nope'\n",
         "unknown entry 'nope'"),
        ("[[ministry]]\nid = 'x'\nname = 'X'\njurisdiction = 'Bund'\ncolour = 'red'\n",
         "unknown key 'colour'"),
        ("[[ministry]]\nid = 'x'\nname = 'X'\njurisdiction = 'Bund'\n"
         "[[ministry]]\nid = 'x'\nname = 'Y'\njurisdiction = 'Bund'\n", "appears twice"),
        ("[[ministry]]\nid = 'a'\nname = 'A'\njurisdiction = 'Bund'\npredecessor = 'b'\n"
         "[[ministry]]\nid = 'b'\nname = 'B'\njurisdiction = 'Bund'\npredecessor = 'a'\n",
         "run in a circle"),
        ("[[ministry]]\nid = 'b'\nname = 'B'\njurisdiction = 'Bund'\n"
         "[[ministry]]\nid = 'a1'\nname = 'A'\njurisdiction = 'Bund'\npredecessor = 'b'\n"
         "[[ministry]]\nid = 'a2'\nname = 'A'\njurisdiction = 'Bund'\npredecessor = 'b'\n",
         "continued by both"),
        ("[[ministry]\n", "ministries.toml"),
    ],
)  # fmt: skip
def test_a_broken_authority_file_is_one_line(tmp_path, text, message):
    path = tmp_path / "ministries.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuthorityError, match=message) as caught:
        load_authority([path])
    assert "\n" not in str(caught.value)


def item(site: str, ministry: str | None, published: str, title: str, body: str = "Text.") -> dict:
    from datetime import UTC, datetime

    return {
        "site": site,
        "ministry": ministry,
        "url": f"https://{site}.example/{published}/{title.replace(' ', '-')}",
        "fetched_url": None,
        "fetched_at": datetime(2025, 1, 1, tzinfo=UTC),
        "kind": "Pressemitteilung",
        "number": None,
        "place": None,
        "published": published,
        "kicker": None,
        "title": title,
        "subtitle": None,
        "dateline": None,
        "body": body,
        "contact": None,
        "persons": [],
        "profile": site,
        "sources": {"published": "header"},
        "flags": [],
    }


def rows(archive: Archive, sql: str) -> list[tuple]:
    with archive.engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(sql)]


def url_of(archive: Archive) -> str:
    return archive.engine.url.render_as_string(hide_password=False)


def links(archive: Archive) -> dict[str, tuple]:
    found = rows(archive, "select title, ministry_id, ministry_match from releases")
    return {title: (mid, how) for title, mid, how in found}


def test_releases_are_linked_when_stored_and_relinked_on_change(archive):
    archive.store(
        [
            item("hessen-soziales", SOZIALES_NOW, "2018-09-25", "Alt"),
            item("hessen-soziales", SOZIALES_NOW, "2024-09-25", "Neu"),
            item("elsewhere", "Unbekanntes Amt", "2024-01-01", "Fremd"),
        ]
    )
    assert links(archive) == {
        "Alt": ("he-hmsi-2014", "site"),
        "Neu": ("he-hmaijs-2024", "name"),
        "Fremd": (None, None),
    }
    # an edit that names another ministry moves the link with the text
    moved = item("hessen-soziales", "Hessisches Kultusministerium", "2018-09-25", "Alt")
    archive.store([dict(moved, url=item("hessen-soziales", None, "2018-09-25", "Alt")["url"])])
    assert links(archive)["Alt"] == ("he-hkm", "name")


def test_backfill_links_an_archive_stored_without_links(archive):
    """An archive filled without links (as before the authority file) is linked by
    ``ministries link``; 2,500 releases cross every chunk boundary of the backfill."""
    from storage import ministries
    from storage.synthetic import populate

    populate(archive.engine, 2500)
    assert set(links(archive).values()) == {(None, None)}
    runner = CliRunner()
    ministries_chunk = ministries.CHUNK
    ministries.CHUNK = 1000
    try:
        result = runner.invoke(main, ["ministries", "link", "--db", url_of(archive)])
    finally:
        ministries.CHUNK = ministries_chunk
    assert result.exit_code == 0, result.output
    counts = dict(pair.split("=") for pair in result.output.split())
    assert counts["linked"] == "2500" and counts["unlinked"] == "0"
    assert counts["changed"] == "2500"
    innen = rows(
        archive,
        "select published >= '2024-01-18', ministry_id, count(*) from releases "
        "where site = 'hessen-innen' group by 1, 2 order by 1",
    )
    assert [(bool(after), mid) for after, mid, _ in innen] == [
        (False, "he-hmdis"),
        (True, "he-hmdi-2024"),
    ]
    again = runner.invoke(main, ["ministries", "link", "--db", url_of(archive)])
    assert again.output.strip().endswith("changed=0")


def test_ministries_command_groups_names(db_url):
    db = db_url
    with Archive(db) as archive:
        archive.store(
            [
                item("hessen-soziales", SOZIALES_2014, "2019-05-02", "A"),
                item("hessen-soziales", SOZIALES_NOW, "2024-05-02", "B"),
                item("hessen-soziales", SOZIALES_NOW, "2025-05-02", "C"),
                item("elsewhere", "Unbekanntes Amt", "2024-01-01", "D"),
            ]
        )
    result = CliRunner().invoke(main, ["ministries", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (house,) = data["ministries"]
    assert house["id"] == "he-hmaijs-2024" and house["releases"] == 3
    assert [(n["name"], n["releases"]) for n in house["names"]] == [
        ("Hessisches Sozialministerium", 0),
        (SOZIALES_2014, 1),
        (SOZIALES_NOW, 2),
    ]
    assert data["unlinked"] == [{"ministry": "Unbekanntes Amt", "releases": 1}]
    table = CliRunner().invoke(main, ["ministries", "--db", db]).output
    assert "he-hmaijs-2024  Hessen  3 releases" in table
    assert "not in the authority file: Unbekanntes Amt (1 release)" in table
    searched = CliRunner().invoke(main, ["ministries", "--db", db, "--all", "--search", "HMKB"])
    assert searched.output.startswith("he-hmkb-2024  Hessen  0 releases")


def test_check_reports_the_authority_file(tmp_path, monkeypatch):
    runner = CliRunner()
    result = runner.invoke(main, ["ministries", "check"])
    assert result.exit_code == 0 and result.output.strip().endswith("lineages: ok")
    extra = tmp_path / "mine.toml"
    extra.write_text(
        "[[ministry]]\nid = 'he-hmdf'\nname = 'Hessisches Finanzministerium'\n"
        "jurisdiction = 'Hessen'\nsites = ['hessen-finanz']\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PRESSARCHIV_MINISTRIES", str(extra))
    bad = runner.invoke(main, ["ministries", "check"])
    assert bad.exit_code == 1
    assert bad.output.strip() == "Error: ministry he-hmdf: unknown site id 'hessen-finanz'"
    extra.write_text("[[ministry]]\nid = 'x'\n", encoding="utf-8")
    broken = runner.invoke(main, ["ministries", "--db", f"sqlite:///{tmp_path / 'a.sqlite'}"])
    assert broken.exit_code == 1 and "name is required" in broken.output
    assert len(broken.output.strip().splitlines()) == 1


def test_a_user_file_overrides_an_entry(tmp_path, monkeypatch):
    extra = tmp_path / "mine.toml"
    extra.write_text(
        "[[ministry]]\nid = 'he-hmdf'\nname = 'Hessisches Ministerium der Finanzen'\n"
        "jurisdiction = 'Hessen'\naliases = ['Finanzressort Hessen']\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PRESSARCHIV_MINISTRIES", str(extra))
    authority = load_authority()
    assert authority.resolve("x", "Finanzressort Hessen", date(2020, 1, 1)) == ("he-hmdf", "name")
    assert len(authority.entries) == len(load_authority([BUILTIN]).entries)

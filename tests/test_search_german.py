"""German search on both backends: inflections both ways, compounds, stop words, fields,
counts that add up at thousands of releases."""

import pytest
from test_storage_helpers import (  # noqa: F401
    any_archive_fixture,
    backend_fixture,
    item,
    new_archive_url,
)

from storage import Archive, SearchError
from storage.synthetic import populate

SOCIAL = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
KULTUS = "Hessisches Ministerium für Kultus, Bildung und Chancen"


def release(n, title, body, ministry=KULTUS, persons=()):
    return item(
        n,
        title=title,
        subtitle=None,
        body=body,
        ministry=ministry,
        persons=[{"name": name, "role": role} for name, role in persons],
        contact="Pressestelle",
        dateline=None,
    )


RELEASES = [
    release(1, "Ein Kind braucht Schutz", "Jedes Kind hat Rechte.", SOCIAL),
    release(2, "Spielplätze erneuert", "Den Kindern stehen neue Geräte offen."),
    release(3, "Kinderschutzbund ausgezeichnet", "Preis für ehrenamtliche Arbeit."),
    release(4, "Neue Grundschulen", "Drei Schulen öffnen in Kassel."),
    release(5, "Haushalt beschlossen", "Die Schulden des Landes sinken.", SOCIAL),
    release(6, "Pflege", "Mütter und Großmütter pflegen oft.", SOCIAL),
    release(7, "Ministerium", "Das Bundesgesundheitsministerium lädt ein."),
    release(8, "Tagung", "Die digitale Verwaltung kommt.", persons=[("Kai Klose", "Minister")]),
    release(9, "Integration gelingt", "Die Integration der Familien gelingt.", KULTUS),
]
BROKEN = SOCIAL.replace(", Jugend", ",\nJugend")
RELEASES[4]["contact"] = "Pressestelle\n" + BROKEN + "\nTelefon 0611"  # the ministry again


@pytest.fixture
def german(any_archive):
    any_archive.store(RELEASES)
    return any_archive


def titles(archive, query):
    return {hit["title"] for hit in archive.search(query, limit=100)}


def test_inflections_find_each_other_both_ways(german):
    kinds = {"Ein Kind braucht Schutz", "Spielplätze erneuert", "Kinderschutzbund ausgezeichnet"}
    for query in ("Kind", "Kinder", "Kindern", "KINDES"):
        assert titles(german, query) == kinds, query
    assert titles(german, "Schule") == titles(german, "Schulen") == {"Neue Grundschulen"}
    assert titles(german, "Mutter") == {"Pflege"}  # Mütter, Großmütter
    assert titles(german, "Muetter") == {"Pflege"}


def test_compounds_but_no_stem_fragments(german):
    assert titles(german, "Gesundheit") == {"Ministerium"}  # Bundesgesundheitsministerium
    assert titles(german, "Schutz") == {"Ein Kind braucht Schutz", "Kinderschutzbund ausgezeichnet"}
    assert "Haushalt beschlossen" not in titles(german, "Schulen")  # Schulden: another stem


def test_stop_words_are_ignored_unless_quoted(german):
    assert titles(german, "die Integration der Familien") == {"Integration gelingt"}
    assert titles(german, '"die"') == {
        "Haushalt beschlossen", "Tagung", "Integration gelingt"
    }  # fmt: skip
    assert titles(german, '"Die Integration der"') == {"Integration gelingt"}
    with pytest.raises(SearchError, match="only stop words"):
        german.search("die der")


def test_plain_words_skip_the_ministry_and_fields_narrow(german):
    assert titles(german, "Integration") == {"Integration gelingt"}  # not the contact block
    assert titles(german, "Pressestelle Telefon") == {"Haushalt beschlossen"}
    assert titles(german, "ministry:Integration") == {
        "Ein Kind braucht Schutz", "Haushalt beschlossen", "Pflege"
    }  # fmt: skip
    assert titles(german, "title:Kind") == {
        "Ein Kind braucht Schutz", "Kinderschutzbund ausgezeichnet"
    }  # fmt: skip
    assert titles(german, "person:Klose") == titles(german, "Klose") == {"Tagung"}
    assert titles(german, "person:Minister") == {"Tagung"}
    assert titles(german, "person:digital") == set()
    assert titles(german, "Kind -ministerium:Integration") == {
        "Spielplätze erneuert", "Kinderschutzbund ausgezeichnet"
    }  # fmt: skip
    assert titles(german, 'title:"Neue Grundschulen"') == {"Neue Grundschulen"}
    assert titles(german, "title:Kinder*") == {"Kinderschutzbund ausgezeichnet"}
    assert titles(german, '"stehen neue"') == {"Spielplätze erneuert"}
    assert titles(german, '"neue stehen"') == set()
    assert titles(german, '"Kindern stehen neue"') == {"Spielplätze erneuert"}
    assert titles(german, '"Kindern stehen ne"*') == {"Spielplätze erneuert"}
    assert titles(german, '"Kindern neue"') == set()


def test_prefix_and_umlauts(german):
    assert titles(german, "Digital*") == {"Tagung"}
    assert titles(german, "Spielplaetze") == {"Spielplätze erneuert"}
    assert titles(german, "grossmuetter") == {"Pflege"}


def test_hits_carry_url_and_count(german):
    found = german.find("Kind", limit=2)
    assert found["total"] == 3 and not found["capped"] and len(found["hits"]) == 2
    assert all(h["url"].startswith("https://soziales.hessen.de/presse/") for h in found["hits"])
    snippets = [hit["snippet"] for hit in german.find("Kindern")["hits"]]
    assert any("**Kind**" in s for s in snippets) and any("**Kindern**" in s for s in snippets)


@pytest.fixture(scope="module")
@backend_fixture
def thousands(request, tmp_path_factory):
    """3,000 synthetic releases, past the ranking window (2,000) for common words, on the
    backend under test (SQLite, or PostgreSQL in its pass)."""
    url = new_archive_url(request, tmp_path_factory.mktemp("size"), "size.sqlite")
    with Archive(url) as archive:
        populate(archive.engine, 3000)
        yield archive


@pytest.mark.parametrize(("a", "b"), [("Polizei", "Hessen"), ("Land", "Förderung")])
def test_boolean_counts_add_up_past_the_ranking_window(thousands, a, b):
    def total(query):
        found = thousands.find(query, limit=1)
        assert not found["capped"]
        return found["total"]

    both, only_a = total(f"{a} AND {b}"), total(f"{a} -{b}")
    assert total(a) == both + only_a
    assert total(f"{a} OR {b}") == total(a) + total(b) - both
    assert total(f"{a} {b}") == both == total(f"{b} UND {a}")
    assert max(total(a), total(b)) > 2000  # counted, not just the ranked window


def test_migrations_rebuild_the_index(any_archive):
    from alembic import command

    from storage.engine import alembic_config

    any_archive.store(RELEASES)
    with any_archive.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0009_payload_digests")
            assert conn.exec_driver_sql("SELECT count(*) FROM release_search").scalar() == 0
            command.upgrade(config, "head")
    assert titles(any_archive, "Kindern") == titles(any_archive, "Kind")
    assert titles(any_archive, "Integration") == {"Integration gelingt"}
    assert titles(any_archive, '"Kindern stehen neue"') == {"Spielplätze erneuert"}

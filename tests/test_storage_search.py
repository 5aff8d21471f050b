import contextlib

import pytest
import sqlalchemy as sa
from alembic import command
from test_storage_helpers import any_archive_fixture, archive_fixture, item  # noqa: F401

from storage import ArchiveError, SearchError
from storage.engine import alembic_config
from storage.query import And, Field, Or, Phrase, Term, parse
from storage.snippet import MARK

SCHOOL = item(
    2,
    title="Neue Grundschule in Kassel eröffnet",
    subtitle=None,
    dateline="Kassel",
    body="Die Grundschule stärkt Jungen. Das Land fördert Schulen und Kitas.",
    persons=[{"name": "Anna Muster", "role": "Kultusministerin"}],
    site="hessen-kultus",
    ministry="Hessisches Ministerium für Kultus, Bildung und Chancen",
    kind="Pressemitteilung",
    published="2021-05-04",
)
ROADS = item(
    3,
    title="Straßenbau in Nordhessen",
    subtitle=None,
    dateline="Kassel",
    ministry="Hessisches Ministerium für Wirtschaft, Energie, Verkehr und Wohnen",
    body="Die Landesstraße wird saniert. Der Verkehr wird umgeleitet.",
    persons=[],
    kind="Presseinformation",
    published="2019-01-10",
)


@pytest.fixture
def filled(any_archive):
    any_archive.store([item(1), SCHOOL, ROADS])
    return any_archive


def titles(archive, query, **options):
    return [hit["title"] for hit in archive.search(query, **options)]


def test_parse_tree():
    assert parse("Integration") == Term("integration", "contains")
    assert parse("Integr*") == Term("integr", "prefix")
    assert parse("EU") == Term("eu", "exact")
    assert parse('"Integration muss"') == Phrase(("integration", "muss"))
    assert parse("„Integration muss“*") == Phrase(("integration", "muss"), prefix=True)
    assert parse("WIR-Programm") == Phrase(("wir", "programm"), prefix=True)
    both = And((Term("maedchen", "contains"), Term("strasse", "contains")))
    assert parse("Maedchen Straße") == both
    assert parse("a OR b NICHT c") == Or(
        (Term("a", "exact"), And((Term("b", "exact"),), (Term("c", "exact"),)))
    )
    assert parse("b -c") == And((Term("b", "exact"),), (Term("c", "exact"),))
    assert parse("die Kinder und der Hund") == And(
        (Term("kinder", "contains"), Term("hund", "contains"))
    )
    assert parse('"die Kinder"') == Phrase(("die", "kinder"))
    assert parse('Titel:"neue Schule" person:(Klose OR Muster)') == And(
        (
            Field("title", Phrase(("neue", "schule"))),
            Field("person", Or((Term("klose", "contains"), Term("muster", "contains")))),
        )
    )
    assert parse("ministerium:Integr*") == Field("ministry", Term("integr", "prefix"))


@pytest.mark.parametrize(
    "query, message",
    [
        ('"Integration', "quote is not closed"),
        ("(Schule OR Kita", "parenthesis is not closed"),
        ("Schule)", "closing parenthesis"),
        ("NOT Corona", "NOT needs a term"),
        ("-Corona", "NOT needs a term"),
        ("die NOT Schule", "excludes words but has none to search for"),
        ("der die das", r"only stop words \(der, die, das\)"),
        ("title:", "no words"),
        ("title: OR x", "title: needs a word"),
        ("Schule OR", "nothing to work on"),
        ("I*", "too short"),
        ("ab*", r"prefix 'ab\*' is too short \(at least 3 letters\)"),
        ("  ", "no words"),
        ("!!! ???", "no words"),
    ],
)
def test_unparsable_queries_raise_one_line_search_error(archive, query, message):
    with pytest.raises(SearchError, match=message) as info:
        archive.search(query)
    assert "\n" not in str(info.value)


def test_a_word_finds_its_compounds(filled):
    assert titles(filled, "Integration") == ["Integrationskonferenz in Wetzlar Nr. 1"]
    assert titles(filled, "Konferenz") == ["Integrationskonferenz in Wetzlar Nr. 1"]
    assert titles(filled, "Schule") == ["Neue Grundschule in Kassel eröffnet"]
    (hit,) = [h for h in filled.search("Straße") if h["title"] == "Straßenbau in Nordhessen"]
    assert f"{MARK[0]}Landesstraße{MARK[1]}" in hit["snippet"]


def test_umlauts_and_sharp_s_fold_both_ways(filled):
    for query in ("Maedchen", "Mädchen", "MÄDCHEN"):
        assert titles(filled, query) == ["Integrationskonferenz in Wetzlar Nr. 1"]
    for query in ("Strasse", "Straße", "strasse"):
        assert "Straßenbau in Nordhessen" in titles(filled, query)
    assert titles(filled, "eroeffnet") == ["Neue Grundschule in Kassel eröffnet"]


def test_phrases_match_consecutive_words_only(filled):
    assert titles(filled, '"Integration muss aktiv"') == ["Integrationskonferenz in Wetzlar Nr. 1"]
    assert titles(filled, '"muss Integration"') == []
    assert titles(filled, '"Landesstraße wird"') == ["Straßenbau in Nordhessen"]


def test_boolean_operators(filled):
    assert len(titles(filled, "Land OR Wetzlar")) == 3
    assert len(titles(filled, "Pressestelle")) == 3
    assert titles(filled, "Schule AND Kassel") == ["Neue Grundschule in Kassel eröffnet"]
    assert titles(filled, "Schule Wetzlar") == []
    assert set(titles(filled, "Wiesbaden NOT Schule")) == {
        "Integrationskonferenz in Wetzlar Nr. 1",
        "Straßenbau in Nordhessen",
    }
    assert titles(filled, "(Kitas OR Verkehr) NICHT umgeleitet") == [
        "Neue Grundschule in Kassel eröffnet"
    ]


def test_prefix(filled):
    assert titles(filled, "Integr*") == ["Integrationskonferenz in Wetzlar Nr. 1"]
    assert titles(filled, "Grund*") == ["Neue Grundschule in Kassel eröffnet"]
    assert titles(filled, "Strassenb*") == ["Straßenbau in Nordhessen"]
    assert titles(filled, "bau*") == []  # a prefix does not look inside words


def test_short_words_match_whole_words(filled):
    assert titles(filled, '"Die"') != [] and titles(filled, "Kit") == []


def test_title_hits_rank_first(any_archive):
    any_archive.store(
        [
            item(10, title="Haushalt beschlossen", body="Auch Kassel profitiert davon."),
            item(11, title="Kassel bekommt neues Museum", body="Ein Museum für alle."),
        ]
    )
    assert titles(any_archive, "Kassel")[0] == "Kassel bekommt neues Museum"


def test_results_carry_fields_and_marked_snippet(filled):
    (hit,) = filled.search("Maedchen")
    assert set(hit) >= {"id", "published", "ministry", "title", "snippet", "score"}
    assert hit["published"] == "2024-03-02" and hit["ministry"].startswith("Hessisches")
    assert f"{MARK[0]}Mädchen{MARK[1]}" in hit["snippet"]
    (hit,) = filled.search("Schule")
    assert f"{MARK[0]}Grundschule{MARK[1]}" in hit["snippet"]


def test_filters(filled):
    school, roads = ["Neue Grundschule in Kassel eröffnet"], ["Straßenbau in Nordhessen"]
    assert titles(filled, "Pressestelle", site="hessen-kultus") == school
    assert titles(filled, "Pressestelle", ministry="kultus") == school
    assert titles(filled, "Pressestelle", since="2020-01-01", until="2021-12-31") == school
    assert titles(filled, "Pressestelle", person="muster") == school
    assert titles(filled, "Pressestelle", person="Klose") == [
        "Integrationskonferenz in Wetzlar Nr. 1"
    ]
    assert titles(filled, "Pressestelle", kind="presseinformation") == roads
    assert titles(filled, "Pressestelle", person="100%_") == []


def test_limit(filled):
    assert len(filled.search("Pressestelle", limit=1)) == 1
    with pytest.raises(SearchError):
        filled.search("Pressestelle", limit=0)


@pytest.mark.parametrize(
    "query",
    [
        "xyzzy'; DROP TABLE releases; --",
        'xyzzy" OR 1=1 --',
        "xyzzy) OR (1=1",
        "NEAR(xyzzy b)",
        "xyzzy:b {title}",
        "xyzzy' OR '1'='1",
    ],
)
def test_user_text_never_reaches_sql(filled, query):
    statements = []
    sa.event.listen(filled.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with contextlib.suppress(SearchError):
        filled.search(query, ministry=query, person=query, kind=query)
    assert not any("xyzzy" in sql.lower() or "DROP" in sql for sql in statements)
    assert filled.count() == 3


def test_index_follows_edits_in_the_same_transaction(any_archive):
    any_archive.store([item(1)])
    any_archive.store([item(1, body="Neuer Text über Windenergie.")])
    assert titles(any_archive, "Windenergie") == ["Integrationskonferenz in Wetzlar Nr. 1"]
    assert titles(any_archive, "Anlässlich") == []


def test_failed_batch_leaves_index_untouched(archive, monkeypatch):
    archive.store([item(1)])
    index_releases = archive._texts_changed

    def index_then_fail(conn, pks, *rest):
        index_releases(conn, pks, *rest)
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(archive, "_texts_changed", index_then_fail)
    with pytest.raises(ArchiveError, match="disk I/O error"):
        archive.store([item(1, body="Solarpark"), item(2, body="Windpark")])
    assert titles(archive, "Solarpark") == [] and titles(archive, "Windpark") == []
    assert titles(archive, "Anlässlich") == ["Integrationskonferenz in Wetzlar Nr. 1"]


def test_index_is_rebuilt_by_migration(db_url):
    from storage import Archive

    url = db_url
    with Archive(url) as arch:
        arch.store([item(1), SCHOOL])
        config = alembic_config()
        with arch.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            with conn.begin():
                config.attributes["connection"] = conn
                command.downgrade(config, "0001")
            assert "release_search" not in sa.inspect(conn).get_table_names()
    with Archive(url) as arch:
        assert titles(arch, "Grundschule") == ["Neue Grundschule in Kassel eröffnet"]
        assert titles(arch, "Konferenz") == ["Integrationskonferenz in Wetzlar Nr. 1"]


def test_hyphenated_word_is_a_phrase_that_may_go_on(any_archive):
    any_archive.store([item(1, body="Die Mittel des WIR-Programms wirken."), item(2, body="Wir.")])
    assert titles(any_archive, "WIR-Programm") == ["Integrationskonferenz in Wetzlar Nr. 1"]

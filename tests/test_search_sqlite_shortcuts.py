"""SQLite search shortcuts give the same matches as the plain queries: prefixes spelled out
as vocabulary words, and the hit count continued below the ranked window."""

import itertools

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from scraper.web import finder
from storage import Archive, phrase_pairs, search_index
from storage.benchmark import query_sets
from storage.query import parse
from storage.search import filters
from storage.synthetic import COMMONEST, populate

pytestmark = pytest.mark.sqlite_only(
    "shortcuts of SQLite's FTS5 index; totals past the ranking window on PostgreSQL: "
    "test_search_german"
)
QUERIES = ["Polizei", "langfristig", "Bericht", "Förder*", "Digital*", '"der"', "Land Förderung"]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """3,000 synthetic releases: common words match more than the ranking window (2,000)."""
    with Archive(f"sqlite:///{tmp_path_factory.mktemp('short') / 'a.sqlite'}") as archive:
        populate(archive.engine, 3000)
        yield archive


def matches(archive, query):
    """Total and the pks of the first 100 hits, in order."""
    found = archive.find(query, limit=100, collapse=False)
    return found["total"], [hit["id"] for hit in found["hits"]]


def test_prefixes_are_spelled_out_as_vocabulary_words(synthetic):
    with synthetic.engine.connect() as conn:
        index = search_index.index_for(conn)
        kept, listed = index.spelled(["polizei", "langfristig", "ab", "12"])
    assert kept == ["ab", "12"]  # too short for the vocabulary / digits only
    assert "polizeiminister" in listed and "langfristigem" in listed
    assert all(w.startswith(("polizei", "langfristig")) for w in listed)


def test_spelled_out_prefixes_find_what_prefixes_find(synthetic, monkeypatch):
    spelled = {q: matches(synthetic, q) for q in QUERIES}
    monkeypatch.setattr(search_index, "MAX_SPELLED", 0)  # every prefix stays a prefix
    plain = {q: matches(synthetic, q) for q in QUERIES}
    for query in QUERIES:
        assert spelled[query][0] == plain[query][0], query
        assert set(spelled[query][1]) & set(plain[query][1]), query  # scores differ a little
    assert max(total for total, _ in spelled.values()) > 2000


def test_the_count_goes_on_below_the_ranked_window(synthetic):
    brute = (
        "SELECT count(*) FROM release_search JOIN releases ON releases.pk = release_search.rowid "
        "WHERE release_search MATCH :m AND (:site IS NULL OR releases.site = :site)"
    )
    with synthetic.engine.connect() as conn:
        index = search_index.index_for(conn)
        for query, site in itertools.product(QUERIES, [None, "hessen-innen"]):
            tree = parse(query)
            match = index.compile(tree)
            everything = conn.scalar(text(brute), {"m": match, "site": site})
            for size, cap in ((2000, 10_001), (100, 10_001), (100, 150)):
                rows, total = index.ranked(match, filters(site=site), size, cap, tree)
                assert len(rows) == min(size, everything), (query, site)
                assert total == min(everything, cap), (query, site, size, cap)
    assert everything > 150


def brute_matches(archive, query: str, site: str | None = None) -> list[int]:
    """The pks of every match of ``query`` in FTS5 itself, newest first."""
    stmt = (
        "SELECT releases.pk FROM release_search "
        "JOIN releases ON releases.pk = release_search.rowid "
        "WHERE release_search MATCH :m AND (:site IS NULL OR releases.site = :site) "
        "ORDER BY releases.pk DESC"
    )
    with archive.engine.connect() as conn:
        match = search_index.index_for(conn).compile(parse(query))
        return list(conn.scalars(text(stmt), {"m": match, "site": site}))


def ids(archive, pks: list[int]) -> set[str]:
    with archive.engine.connect() as conn:
        rows = conn.execute(text("SELECT pk, id FROM releases")).all()
    return {release_id for pk, release_id in rows if pk in set(pks)}


def title_and_body_phrase(archive) -> str:
    """A phrase ("<title's first word> in") that some releases have in their title and
    others only in their body."""
    with archive.engine.connect() as conn:
        titles = list(conn.scalars(text("SELECT title FROM releases ORDER BY pk")))
        for word in dict.fromkeys(title.split()[0] for title in titles):
            phrase = f'"{word} in"'
            counts = [
                conn.scalar(
                    text("SELECT count(*) FROM release_search WHERE release_search MATCH :m"),
                    {"m": f"{part} : {phrase.lower()}"},
                )
                for part in ("title", "body")
            ]
            if counts[0] >= 1 and counts[1] >= 3:
                return phrase
    raise AssertionError("no phrase in titles and bodies")


def test_a_phrase_finds_what_fts5_finds_and_ranks_title_hits_first(synthetic):
    phrase = title_and_body_phrase(synthetic)
    found = synthetic.find(phrase, limit=100, collapse=False)
    everything = brute_matches(synthetic, phrase)
    assert found["total"] == len(everything) < search_index.PHRASE_WINDOW
    assert not found["capped"]
    assert {hit["id"] for hit in found["hits"]} == ids(synthetic, everything)
    words = phrase.strip('"').lower()
    in_title = [words in hit["title"].lower() for hit in found["hits"]]
    assert True in in_title and False in in_title
    assert in_title == sorted(in_title, reverse=True), in_title  # title hits first


def candidates(archive, phrase: str) -> int:
    """The number of releases with every token of ``phrase`` in the pair table."""
    sql = f"SELECT count(*) FROM {phrase_pairs.TABLE} WHERE {phrase_pairs.TABLE} MATCH :m"
    with archive.engine.connect() as conn:
        return conn.scalar(text(sql), {"m": phrase_pairs.match(parse(phrase))})


@pytest.fixture(scope="module")
def drawn(synthetic):
    """Phrases drawn from every body as the benchmark draws them: the first 80 that are one
    token (two words, or three around a stop word), and every other one that has candidates
    without the phrase (checked in the texts)."""
    with synthetic.engine.connect() as conn:
        bodies = list(conn.scalars(text("SELECT body FROM releases")))
    phrases = query_sets(bodies)["phrase"]
    exact = [p for p in phrases if phrase_pairs.exact(parse(p))]
    checked = [
        p
        for p in phrases
        if phrase_pairs.usable(parse(p))
        and not phrase_pairs.exact(parse(p))
        and candidates(synthetic, p) > len(brute_matches(synthetic, p))
    ]
    assert len(checked) >= 5 and any(len(parse(p).words) == 3 for p in exact[:80])
    return exact[:80] + checked


@pytest.mark.parametrize("span", [0, search_index.SPAN_PER_TEXT])
def test_drawn_phrases_find_what_fts5_finds(synthetic, drawn, monkeypatch, span):
    """Through the pair table, the newest matches and the count FTS5 finds (with ``span``
    0, every candidate is checked in its text; at this size FTS5 takes them over
    otherwise)."""
    monkeypatch.setattr(search_index, "SPAN_PER_TEXT", span)
    for phrase in drawn:
        everything = brute_matches(synthetic, phrase)
        found = synthetic.find(phrase, limit=search_index.PHRASE_WINDOW, collapse=False)
        assert found["total"] == min(len(everything), search_index.PHRASE_CAP), phrase
        newest = everything[: search_index.PHRASE_WINDOW]
        assert {hit["id"] for hit in found["hits"]} == ids(synthetic, newest), phrase


def test_a_common_phrase_ranks_its_newest_matches_and_counts_up_to_a_cap(synthetic, monkeypatch):
    monkeypatch.setattr(search_index, "PHRASE_WINDOW", 30)
    monkeypatch.setattr(search_index, "PHRASE_CAP", 200)
    for site in (None, "hessen-innen"):
        everything = brute_matches(synthetic, '"in der"', site)
        assert len(everything) > 200
        found = synthetic.find('"in der"', site=site, limit=30, collapse=False)
        assert (found["total"], found["capped"]) == (200, True)  # "more than 200 hits"
        assert {hit["id"] for hit in found["hits"]} == ids(synthetic, everything[:30])
        further = synthetic.find('"in der"', site=site, limit=30, offset=240, collapse=False)
        counted = min(len(everything), 270)  # the cap grows to the hits asked for
        assert (further["total"], further["capped"]) == (counted, len(everything) > 270)
        assert {hit["id"] for hit in further["hits"]} <= ids(synthetic, everything[:270])
        assert len(further["hits"]) == counted - 240


def test_the_web_search_ranks_and_counts_as_the_cli_does(synthetic, monkeypatch):
    monkeypatch.setattr(search_index, "PHRASE_WINDOW", 30)
    monkeypatch.setattr(search_index, "PHRASE_CAP", 200)
    for query in ('"in der"', title_and_body_phrase(synthetic), COMMONEST[-1], "Bericht"):
        cli = synthetic.find(query, limit=20, offset=10, collapse=False)
        with Session(synthetic.engine) as session:
            web = finder.search(session, query, limit=20, offset=10, collapse=False)
        assert [hit["id"] for hit in web.hits] == [hit["id"] for hit in cli["hits"]], query
        assert (web.total, web.capped) == (cli["total"], cli["capped"]), query


def fts5_ranking(archive, query: str, size: int = 2000) -> list[int]:
    """The pks of the ``size`` newest matches of ``query``, best first by FTS5's bm25."""
    with archive.engine.connect() as conn:
        index = search_index.index_for(conn)
        rows = index.reads.rows(*index.window(index.compile(parse(query)), [], size))
    return [pk for pk, _ in sorted(rows, key=lambda row: (-row[1], -row[0]))]


def pks_of(archive, found: dict) -> list[int]:
    with archive.engine.connect() as conn:
        by_id = dict(conn.execute(text("SELECT id, pk FROM releases")).all())
    return [by_id[hit["id"]] for hit in found["hits"]]


def test_a_word_of_one_form_ranks_its_window_as_fts5s_bm25_does(synthetic):
    for query in ('"der"', COMMONEST[-1]):
        found = synthetic.find(query, limit=100, collapse=False)
        assert found["capped"] or found["total"] > 2000, query  # the window is full
        assert pks_of(synthetic, found) == fts5_ranking(synthetic, query)[:100], query


def test_a_word_of_many_forms_ranks_fts5s_best_matches_near_the_top(synthetic):
    found = synthetic.find("Bericht", limit=20, collapse=False)
    assert found["total"] > 2000  # the window is full: its forms' weights are estimated
    ours, theirs = pks_of(synthetic, found), fts5_ranking(synthetic, "Bericht")[:20]
    assert theirs[0] in ours[:3]
    assert len(set(ours) & set(theirs)) >= 14

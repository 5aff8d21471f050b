"""SQLite search shortcuts give the same matches as the plain queries: prefixes spelled out
as vocabulary words, and the hit count continued below the ranked window."""

import itertools

import pytest
from sqlalchemy import text

from storage import Archive, search_index
from storage.query import parse
from storage.search import filters
from storage.synthetic import populate

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
            match = index.compile(parse(query))
            everything = conn.scalar(text(brute), {"m": match, "site": site})
            for size, cap in ((2000, 10_001), (100, 10_001), (100, 150)):
                rows, total = index.ranked(match, filters(site=site), size, cap)
                assert len(rows) == min(size, everything), (query, site)
                assert total == min(everything, cap), (query, site, size, cap)
    assert everything > 150

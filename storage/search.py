"""Running a search: parse, compile for the backend, filter, rank, count, cut snippets."""

from __future__ import annotations

from storage import copies
from storage.errors import SearchError
from storage.query import parse, positive_terms
from storage.records import as_date, fold, iso
from storage.search_index import index_for
from storage.snippet import hit_test, snippet
from storage.sqlread import Condition, in_list, reads_for

DEFAULT_LIMIT = 20
RANK_WINDOW = 2000
"""Ranking considers the ``RANK_WINDOW`` most recently stored matches (PostgreSQL: its
index's ``rank_window``): the index yields them in its own order at almost no cost and
scores only those, which keeps the commonest words fast at archive scale; queries with
fewer matches are ranked over all of them."""
COUNT_CAP = 10_000
"""Hit counts above this are reported as "more than": counting every match of the
commonest words would cost more than the search itself (SQLite: lower for a lone
phrase, see ``search_index.PHRASE_CAP``)."""


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


HIT_COLUMNS = ("pk", "id", "published", "site", "ministry", "kind", "title", "url")
HIT_COLUMNS += ("body", "subtitle", "kicker")
"""The columns of a release that a hit shows (or cuts its snippet from)."""


def filters(site=None, ministry=None, since=None, until=None, person=None, kind=None) -> list:
    """SQL conditions on ``releases`` for the search options (all values bound)."""
    conditions = []
    if site:
        conditions.append(Condition("releases.site = :site", {"site": site}))
    if ministry:
        like = "lower(releases.ministry) LIKE lower(:ministry) ESCAPE '\\'"
        conditions.append(Condition(like, {"ministry": _like(ministry)}))
    if since:
        since = as_date(since, "since")
        conditions.append(Condition("releases.published >= :since", {"since": since}))
    if until:
        until = as_date(until, "until")
        conditions.append(Condition("releases.published <= :until", {"until": until}))
    if kind:
        conditions.append(Condition("lower(releases.kind) = :kind", {"kind": kind.lower()}))
    if person:
        named = (
            "releases.pk IN (SELECT release_pk FROM release_persons "
            "WHERE name_key LIKE :person ESCAPE '\\')"
        )
        conditions.append(Condition(named, {"person": _like(fold(person))}))
    return conditions


def in_ministries(ministry_ids) -> Condition:
    """Releases linked to one of the ministries authority file's entries ``ministry_ids``."""
    marks, params = in_list("ministry_id", sorted(ministry_ids))
    return Condition(f"releases.ministry_id IN {marks}", params)


def rank(source, query: str, tree, conditions: list, wanted: int) -> tuple:
    """``(ranked, total, cap)``: the ``(pk, score)`` of the matches of ``query`` (parsed:
    ``tree``) passing ``conditions`` that ranking considers, best first (at least
    ``wanted`` when as many match), and how many match, counted up to ``cap + 1``.
    ``SearchError`` for a query the engine rejects. ``source``: a ``sqlread.Reads``, or a
    SQLAlchemy session or connection."""
    index = index_for(source)
    try:
        index.before_search()
        match = index.compile(tree)
        size, cap = index.limits(tree, COUNT_CAP)
        size, cap = max(size, wanted), max(cap, wanted)  # never fewer hits than asked for
        window, total = index.ranked(match, conditions, size, cap + 1, tree)
    except index.reads.errors as exc:  # a query the engine rejects
        raise SearchError(f"the search engine cannot run this query: {query!r}") from exc
    return sorted(window, key=lambda row: (-row[1], -row[0])), total, cap


def find(
    source,
    query: str,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    collapse: bool = True,
    **options,
) -> dict:
    """``total`` hits for ``query`` (``capped``: at least that many) and the ranked
    ``hits`` ``offset`` to ``offset + limit``: id, published, site, ministry, kind, title,
    url, snippet, score, also_published_as (ids of the release's near-duplicates).
    With ``collapse``, a near-duplicate cluster is one hit, its best-ranked member
    (``folded``: how many copies were left out). ``SearchError`` for a query the parser
    or the engine rejects. ``source``: a ``sqlread.Reads``, or a SQLAlchemy session or
    connection."""
    if limit < 1:
        raise SearchError("limit must be at least 1")
    tree = parse(query)
    reads = reads_for(source)
    index = index_for(reads)
    ranked, total, cap = rank(reads, query, tree, filters(**options), offset + limit)
    folded = 0
    if collapse:
        kept = copies.collapse(reads, ranked)
        folded, ranked = len(ranked) - len(kept), kept
    ranked = ranked[offset : offset + limit]
    also = copies.also_published(reads, [pk for pk, _ in ranked])
    releases = _hit_rows(reads, [pk for pk, _ in ranked])
    is_hit = hit_test(index.highlights(positive_terms(tree)))
    hits = []
    for release_pk, score in ranked:
        release = releases[release_pk]
        texts = (release["body"], release["subtitle"], release["kicker"], release["title"])
        cut = next((s for t in texts if t and (s := snippet(t, is_hit))), None)
        hits.append(
            {
                "id": release["id"],
                "published": iso(release["published"]),
                "site": release["site"],
                "ministry": release["ministry"],
                "kind": release["kind"],
                "title": release["title"],
                "url": release["url"],
                "snippet": cut or snippet_start(release["body"]),
                "score": round(float(score), 4),
                "also_published_as": [other["id"] for other in also[release_pk]],
            }
        )
    total -= folded
    return {
        "total": min(total, cap),
        "capped": total > cap,
        "hits": hits,
        "folded": folded,
    }


def _hit_rows(reads, pks: list[int]) -> dict[int, dict]:
    """``pk -> {HIT_COLUMNS}`` of the releases ``pks``."""
    marks, params = in_list("pk", pks)
    sql = f"SELECT {', '.join(HIT_COLUMNS)} FROM releases WHERE pk IN {marks}"
    return {row[0]: dict(zip(HIT_COLUMNS, row, strict=True)) for row in reads.rows(sql, params)}


def search(source, query: str, limit: int = DEFAULT_LIMIT, **options) -> list[dict]:
    """The ranked hits of ``find`` (the first ``limit``)."""
    return find(source, query, limit, **options)["hits"]


def snippet_start(text: str | None, size: int = 30) -> str:
    """The first ``size`` words of ``text`` (when no hit shows in any field)."""
    words = (text or "").split()
    return " ".join(words[:size]) + (" …" if len(words) > size else "")

"""Running a search: parse, compile for the backend, filter, rank, count, cut snippets."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from storage import clusters
from storage.errors import SearchError
from storage.models import Release, ReleasePerson
from storage.query import parse, positive_terms
from storage.reader import as_date, iso
from storage.records import fold
from storage.search_index import index_for
from storage.snippet import hit_test, snippet

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


def filters(site=None, ministry=None, since=None, until=None, person=None, kind=None) -> list:
    """SQL conditions on ``Release`` for the search options (all values bound)."""
    conditions = []
    if site:
        conditions.append(Release.site == site)
    if ministry:
        conditions.append(Release.ministry.ilike(_like(ministry), escape="\\"))
    if since:
        conditions.append(Release.published >= as_date(since, "since"))
    if until:
        conditions.append(Release.published <= as_date(until, "until"))
    if kind:
        conditions.append(func.lower(Release.kind) == kind.lower())
    if person:
        named = select(ReleasePerson.release_pk).where(
            ReleasePerson.name_key.like(_like(fold(person)), escape="\\")
        )
        conditions.append(Release.pk.in_(named))
    return conditions


def rank(session: Session, query: str, tree, conditions: list, wanted: int) -> tuple:
    """``(ranked, total, cap)``: the ``(pk, score)`` of the matches of ``query`` (parsed:
    ``tree``) passing ``conditions`` that ranking considers, best first (at least
    ``wanted`` when as many match), and how many match, counted up to ``cap + 1``.
    ``SearchError`` for a query the engine rejects."""
    index = index_for(session.connection())
    try:
        index.before_search()
        match = index.compile(tree)
        size, cap = index.limits(tree, COUNT_CAP)
        size, cap = max(size, wanted), max(cap, wanted)  # never fewer hits than asked for
        window, total = index.ranked(match, conditions, size, cap + 1, tree)
    except (OperationalError, ProgrammingError) as exc:  # a query the engine rejects
        raise SearchError(f"the search engine cannot run this query: {query!r}") from exc
    return sorted(window, key=lambda row: (-row[1], -row[0])), total, cap


def find(
    session: Session,
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
    or the engine rejects."""
    if limit < 1:
        raise SearchError("limit must be at least 1")
    tree = parse(query)
    index = index_for(session.connection())
    ranked, total, cap = rank(session, query, tree, filters(**options), offset + limit)
    folded = 0
    if collapse:
        kept = clusters.collapse(session, ranked)
        folded, ranked = len(ranked) - len(kept), kept
    ranked = ranked[offset : offset + limit]
    also = clusters.also_published(session, [pk for pk, _ in ranked])
    releases = {
        r.pk: r
        for r in session.scalars(select(Release).where(Release.pk.in_([p for p, _ in ranked])))
    }
    is_hit = hit_test(index.highlights(positive_terms(tree)))
    hits = []
    for release_pk, score in ranked:
        release = releases[release_pk]
        texts = (release.body, release.subtitle, release.kicker, release.title)
        cut = next((s for t in texts if t and (s := snippet(t, is_hit))), None)
        hits.append(
            {
                "id": release.id,
                "published": iso(release.published),
                "site": release.site,
                "ministry": release.ministry,
                "kind": release.kind,
                "title": release.title,
                "url": release.url,
                "snippet": cut or snippet_start(release.body),
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


def search(session: Session, query: str, limit: int = DEFAULT_LIMIT, **options) -> list[dict]:
    """The ranked hits of ``find`` (the first ``limit``)."""
    return find(session, query, limit, **options)["hits"]


def snippet_start(text: str | None, size: int = 30) -> str:
    """The first ``size`` words of ``text`` (when no hit shows in any field)."""
    words = (text or "").split()
    return " ".join(words[:size]) + (" …" if len(words) > size else "")

"""The journalist's search: the CLI's German search with paging, a hit count and filters by
publication date and ministry lineage (authority entries), plus newest-first lists for feeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import clusters, copies
from storage.models import Release
from storage.query import parse, positive_terms
from storage.search import COUNT_CAP, filters, in_ministries, rank, snippet_start
from storage.search_index import clauses, index_for
from storage.snippet import hit_test, snippet


@dataclass
class Found:
    """One page of results: ``total`` hits (``capped``: at least that many), the hits;
    ``folded``: how many further copies of shown releases a collapsed search left out."""

    total: int
    capped: bool
    hits: list[dict] = field(default_factory=list)
    folded: int = 0


def _conditions(ministry_ids, since: date | None, until: date | None) -> list:
    conditions = filters(since=since, until=until)
    if ministry_ids:
        conditions.append(in_ministries(ministry_ids))
    return conditions


def _hit(release: Release, cut: str | None) -> dict:
    return {
        "id": release.id,
        "published": release.published.isoformat() if release.published else None,
        "ministry": release.ministry,
        "ministry_id": release.ministry_id,
        "kind": release.kind,
        "title": release.title,
        "snippet": cut,
        "revisions": release.revision,
        "withdrawn": release.withdrawn is not None,
    }


def _releases(session: Session, pks: list[int]) -> list[Release]:
    found = {r.pk: r for r in session.scalars(select(Release).where(Release.pk.in_(pks)))}
    return [found[pk] for pk in pks if pk in found]


def _with_copies(session: Session, releases: list[Release], hits: list[dict]) -> list[dict]:
    """``hits`` with ``also``: the other releases of each one's near-duplicate cluster."""
    also = clusters.also_published(session, [r.pk for r in releases])
    for release, hit in zip(releases, hits, strict=True):
        hit["also"] = also[release.pk]
    return hits


def search(
    session: Session,
    query: str,
    ministry_ids=None,
    since=None,
    until=None,
    limit: int = 20,
    offset: int = 0,
    collapse: bool = True,
) -> Found:
    """Hits for ``query`` ranked by relevance (``SearchError`` for a query the parser
    rejects); snippets cut around the hits, marked ``**like this**``. With ``collapse``,
    a near-duplicate cluster is one hit (its best-ranked member); each hit lists the
    other members of its cluster as ``also``."""
    tree = parse(query)
    conditions = _conditions(ministry_ids, since, until)
    ranked, total, cap = rank(session, query, tree, conditions, offset + limit)
    kept = copies.collapse(session, ranked) if collapse else ranked
    page = kept[offset : offset + limit]
    is_hit = hit_test(positive_terms(tree))
    hits = []
    releases = _releases(session, [pk for pk, _ in page])
    for release in releases:
        texts = (release.body, release.subtitle, release.kicker, release.title)
        cut = next((s for t in texts if t and (s := snippet(t, is_hit))), None)
        hits.append(_hit(release, cut or snippet_start(release.body)))
    hits = _with_copies(session, releases, hits)
    folded = len(ranked) - len(kept)
    total -= folded
    return Found(min(total, cap), total > cap, hits, folded)


def newest(
    session: Session, ministry_ids=None, since=None, until=None, limit: int = 20, offset: int = 0
) -> Found:
    """Releases newest publication date first (the search page without a query)."""
    conditions = _conditions(ministry_ids, since, until)
    stmt = (
        select(Release)
        .where(*clauses(conditions))
        .order_by(Release.published.desc(), Release.id.desc())
        .limit(limit)
        .offset(offset)
    )
    releases = list(session.scalars(stmt))
    hits = _with_copies(session, releases, [_hit(r, snippet_start(r.body, 40)) for r in releases])
    counted = select(Release.pk).where(*clauses(conditions)).limit(COUNT_CAP * 10 + 1).subquery()
    total = session.scalar(select(func.count()).select_from(counted))
    return Found(min(total, COUNT_CAP * 10), total > COUNT_CAP * 10, hits)


def latest_pks(session: Session, query: str | None, ministry_ids=None, limit=50) -> list[int]:
    """The releases stored last (newest first), optionally only those matching ``query``."""
    conditions = _conditions(ministry_ids, None, None)
    if query:
        index = index_for(session)
        window, _ = index.ranked(index.compile(parse(query)), conditions, limit, limit)
        return [pk for pk, _ in window]
    stmt = select(Release.pk).where(*clauses(conditions)).order_by(Release.pk.desc()).limit(limit)
    return list(session.scalars(stmt))


def latest_stored(session: Session, query: str | None, ministry_ids=None, limit=50) -> list:
    """What a feed of new releases lists: ``latest_pks`` as releases."""
    return _releases(session, latest_pks(session, query, ministry_ids, limit))

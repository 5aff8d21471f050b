"""Reading releases back as export rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import Session

from storage.models import Release, ReleaseUrl, Revision
from storage.records import PUBLIC_FIELDS, as_date, iso

CHUNK = 500


def row(release, urls: list[str]) -> dict:
    """The export row of ``release`` (a ``Release`` or a row of its table; keys in
    ``exports.EXPORT_COLUMNS`` order)."""
    data = {"id": release.id, "site": release.site, "ministry": release.ministry}
    data["url"] = release.url
    for name in PUBLIC_FIELDS:
        if name != "ministry":
            data[name] = getattr(release, name)
    data["published"] = iso(release.published)
    data.update(
        urls=urls,
        flags=release.flags,
        profile=release.profile,
        sources=release.sources or {},
        first_seen=iso(release.first_seen),
        last_seen=iso(release.last_seen),
        withdrawn=iso(release.withdrawn),
        revisions=release.revision,
        content_hash=release.content_hash,
    )
    return data


def urls_of(session: Session | Connection, pks: list[int]) -> dict[int, list[str]]:
    """All URLs of the given releases, oldest first."""
    found: dict[int, list[str]] = defaultdict(list)
    stmt = (
        select(ReleaseUrl.release_pk, ReleaseUrl.url)
        .where(ReleaseUrl.release_pk.in_(pks))
        .order_by(ReleaseUrl.release_pk, ReleaseUrl.first_seen, ReleaseUrl.url)
    )
    for pk, url in session.execute(stmt):
        found[pk].append(url)
    return found


def release_filters(site=None, since=None, until=None) -> list:
    """The WHERE conditions picking releases by site and publication date."""
    filters = []
    if site:
        filters.append(Release.site == site)
    if since:
        filters.append(Release.published >= as_date(since, "since"))
    if until:
        filters.append(Release.published <= as_date(until, "until"))
    return filters


def release_query(site=None, since=None, until=None) -> Select:
    """Releases (as plain rows) filtered by site and publication date, ordered by date
    then id."""
    stmt = select(*Release.__table__.columns).where(*release_filters(site, since, until))
    return stmt.order_by(Release.published.asc().nulls_last(), Release.id)


def chunks(session: Session, stmt: Select) -> Iterator[list[tuple[int, dict]]]:
    """``(pk, export row)`` pairs for ``stmt`` (a ``release_query``), ``CHUNK`` at a time.

    The releases are streamed as plain rows (a server-side cursor on PostgreSQL), so
    memory stays flat however many there are; the URLs of each chunk are read on the
    same connection while the stream is open.
    """
    conn = session.connection()
    result = conn.execution_options(yield_per=CHUNK).execute(stmt)
    for chunk in result.partitions():
        urls = urls_of(conn, [r.pk for r in chunk])
        yield [(release.pk, row(release, urls[release.pk])) for release in chunk]


def rows(session: Session, stmt: Select) -> Iterator[dict]:
    """Export rows for ``stmt`` (a ``release_query``), streamed in chunks."""
    for chunk in chunks(session, stmt):
        for _pk, data in chunk:
            yield data


def revisions(session: Session, release: Release) -> list[dict]:
    """Every revision of ``release``, oldest first."""
    stmt = select(Revision).where(Revision.release_pk == release.pk).order_by(Revision.number)
    return [
        {
            "number": rev.number,
            "content_hash": rev.content_hash,
            "fields": rev.fields,
            "fetched_at": iso(rev.fetched_at),
            "fetched_url": rev.fetched_url,
            "warc_file": rev.warc_file,
            "warc_offset": rev.warc_offset,
            "warc_digest": rev.warc_digest,
            "source": rev.source or "crawl",
            "note": rev.note,
        }
        for rev in session.scalars(stmt)
    ]

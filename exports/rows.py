"""Export rows with what the writers add to the stored release: attachments, archived
copy, citation and near-duplicate cluster; optionally only releases changed after a
revision sequence number."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from exports.citation import citation
from storage import Archive, clusters
from storage.models import Attachment, Release, Revision
from storage.reader import chunks, release_query


def last_revision(archive: Archive) -> int:
    """The newest revision sequence number (``revisions.pk``), 0 for an empty archive."""
    with Session(archive.engine) as session:
        return session.scalar(select(func.max(Revision.pk))) or 0


def _extras(conn: Connection, pks: list[int]) -> tuple[dict, dict]:
    """The current revision and the attachment URLs of the releases ``pks``."""
    current = select(
        Revision.release_pk, Revision.fetched_at, Revision.warc_file, Revision.warc_offset
    ).join(Release, (Release.pk == Revision.release_pk) & (Revision.number == Release.revision))
    revisions = {r.release_pk: r for r in conn.execute(current.where(Release.pk.in_(pks)))}
    attached = defaultdict(list)
    stmt = (
        select(Attachment.release_pk, Attachment.url)
        .where(Attachment.release_pk.in_(pks))
        .order_by(Attachment.pk)
    )
    for pk, url in conn.execute(stmt):
        if url not in attached[pk]:
            attached[pk].append(url)
    return revisions, attached


def _complete(conn: Connection, chunk: list[tuple[int, dict]]) -> Iterator[dict]:
    pks = [pk for pk, _row in chunk]
    revisions, attached = _extras(conn, pks)
    cluster = clusters.cluster_ids(conn, pks)
    for pk, row in chunk:
        revision = revisions.get(pk)
        row["attachments"] = attached.get(pk, [])
        row["archived_copy"] = (
            f"warc:{revision.warc_file}#{revision.warc_offset}"
            if revision is not None and revision.warc_file
            else None
        )
        row["citation"] = citation(row, revision.fetched_at if revision is not None else None)
        row["cluster"] = cluster[pk]
        yield row


def export_rows(
    archive: Archive, site=None, since=None, until=None, after: int | None = None
) -> Iterator[dict]:
    """Rows ordered by date then id; with ``after``, only releases with a revision past it.

    Streamed chunk by chunk, so memory stays flat however large the archive.
    """
    stmt = release_query(site, since, until)
    if after is not None:
        stmt = stmt.where(Release.pk.in_(select(Revision.release_pk).where(Revision.pk > after)))
    with Session(archive.engine) as session:
        for chunk in chunks(session, stmt):
            yield from _complete(session.connection(), chunk)

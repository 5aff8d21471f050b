"""Export rows with what the writers add to the stored release: attachments, archived
copy and citation; optionally only releases changed after a revision sequence number."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exports.citation import citation
from storage import Archive, clusters
from storage.models import Attachment, Release, Revision
from storage.reader import CHUNK, release_query, rows

_CURRENT = (
    select(Release.id, Revision.fetched_at, Revision.warc_file, Revision.warc_offset)
    .join(Revision, Revision.release_pk == Release.pk)
    .where(Revision.number == Release.revision)
)


def last_revision(archive: Archive) -> int:
    """The newest revision sequence number (``revisions.pk``), 0 for an empty archive."""
    with Session(archive.engine) as session:
        return session.scalar(select(func.max(Revision.pk))) or 0


def _extras(session: Session, ids: list[str]) -> tuple[dict, dict]:
    current = {row.id: row for row in session.execute(_CURRENT.where(Release.id.in_(ids)))}
    attached = defaultdict(list)
    stmt = (
        select(Release.id, Attachment.url)
        .join(Attachment, Attachment.release_pk == Release.pk)
        .where(Release.id.in_(ids))
        .order_by(Attachment.pk)
    )
    for release_id, url in session.execute(stmt):
        if url not in attached[release_id]:
            attached[release_id].append(url)
    return current, attached


def _complete(session: Session, chunk: list[dict]) -> list[dict]:
    ids = [row["id"] for row in chunk]
    current, attached = _extras(session, ids)
    cluster = clusters.cluster_ids_of(session, ids)
    for row in chunk:
        revision = current.get(row["id"])
        row["attachments"] = attached.get(row["id"], [])
        row["archived_copy"] = (
            f"warc:{revision.warc_file}#{revision.warc_offset}"
            if revision is not None and revision.warc_file
            else None
        )
        row["citation"] = citation(row, revision.fetched_at if revision is not None else None)
        row["cluster"] = cluster.get(row["id"], row["id"])
    return chunk


def export_rows(
    archive: Archive, site=None, since=None, until=None, after: int | None = None
) -> Iterator[dict]:
    """Rows ordered by date then id; with ``after``, only releases with a revision past it."""
    stmt = release_query(site, since, until)
    if after is not None:
        stmt = stmt.where(Release.pk.in_(select(Revision.release_pk).where(Revision.pk > after)))
    with Session(archive.engine) as session:
        chunk: list[dict] = []
        for row in rows(session, stmt):
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield from _complete(session, chunk)
                chunk = []
        yield from _complete(session, chunk)

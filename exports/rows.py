"""Export rows with what the writers add to the stored release: attachments, archived
copy, citation and near-duplicate cluster; optionally only releases changed after a
revision sequence number."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exports import reading
from exports.citation import citation
from storage import Archive
from storage.models import Release, Revision
from storage.reader import release_filters


def last_revision(archive: Archive) -> int:
    """The newest revision sequence number (``revisions.pk``), 0 for an empty archive."""
    with Session(archive.engine) as session:
        return session.scalar(select(func.max(Revision.pk))) or 0


def export_rows(
    archive: Archive, site=None, since=None, until=None, after: int | None = None
) -> Iterator[dict]:
    """Rows ordered by date then id (undated last); with ``after``, only releases with a
    revision past it.

    Streamed chunk by chunk, so memory stays flat however large the archive.
    """
    filters = release_filters(site, since, until)
    if after is not None:
        filters.append(Release.pk.in_(select(Revision.release_pk).where(Revision.pk > after)))
    with archive.engine.connect() as conn:
        for chunk in reading.chunks(conn, filters):
            pks = [values[0] for values in chunk]
            urls, attached = reading.urls(conn, pks), reading.attachments(conn, pks)
            for values in chunk:
                pk, (fetched_at, warc_file, warc_offset, cluster) = values[0], values[24:]
                row = reading.release_row(values, urls[pk])
                row["attachments"] = attached.get(pk, [])
                row["archived_copy"] = f"warc:{warc_file}#{warc_offset}" if warc_file else None
                row["citation"] = citation(row, reading.utc(fetched_at))
                row["cluster"] = cluster
                yield row

"""Export rows with what the writers add to the stored release: attachments, archived
copy, citation and near-duplicate cluster; optionally only releases changed after a
revision sequence number. ``export_chunks`` gives them encoded, as SQLite builds them
itself on SQLite (``exports.sqlite_records``)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exports import reading, sqlite_records
from exports.writers import encoded
from storage import Archive
from storage.models import Release, Revision
from storage.reader import release_filters


def last_revision(archive: Archive) -> int:
    """The newest revision sequence number (``revisions.pk``), 0 for an empty archive."""
    with Session(archive.engine) as session:
        return session.scalar(select(func.max(Revision.pk))) or 0


def _filters(site, since, until, after: int | None) -> list:
    filters = release_filters(site, since, until)
    if after is not None:
        filters.append(Release.pk.in_(select(Revision.release_pk).where(Revision.pk > after)))
    return filters


def export_rows(
    archive: Archive, site=None, since=None, until=None, after: int | None = None
) -> Iterator[dict]:
    """Rows ordered by date then id (undated last); with ``after``, only releases with a
    revision past it.

    Streamed chunk by chunk, so memory stays flat however large the archive.
    """
    with archive.engine.connect() as conn:
        for _pk, row in reading.rows_of(conn, _filters(site, since, until, after)):
            yield row


def export_chunks(
    archive: Archive, fmt: str, site=None, since=None, until=None, after: int | None = None
) -> Iterator[tuple[list[bytes], list]]:
    """The rows of ``export_rows`` as ``fmt`` records (JSON objects, or CSV lines without
    their line end), with their publication dates, a chunk at a time."""
    filters = _filters(site, since, until, after)
    with archive.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            yield from sqlite_records.chunks(conn, fmt, filters)
        else:
            yield from encoded((row for _pk, row in reading.rows_of(conn, filters)), fmt)

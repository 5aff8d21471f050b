"""Reading releases for an export fast: plain driver values, side tables per chunk.

The releases are read by one statement per part (dated ones by ``(published, id)``, then
the undated ones by id), each following the ``ix_releases_published`` index instead of
sorting the table; the current revision (fetch time, WARC record) and the cluster's
oldest member come along by joins. Values are taken as the driver returns them (on
SQLite straight from its cursor) and converted here, without ORM objects or per-column
result processing. URLs and attachments are read per chunk with the chunk's pks as one
bound parameter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

import orjson
from sqlalchemy import Connection, Integer, Select, any_, bindparam, func, select, type_coerce
from sqlalchemy.orm import aliased
from sqlalchemy.types import NullType

from exports.citation import citation
from storage.clusters import ReleaseCluster
from storage.models import Attachment, Release, ReleaseUrl, Revision

CHUNK = 1000

_RELEASE_COLUMNS = (
    "pk", "id", "site", "ministry", "url", "kind", "number", "place", "published", "kicker",
    "title", "subtitle", "dateline", "body", "contact", "persons", "flags", "profile",
    "sources", "first_seen", "last_seen", "withdrawn", "revision", "content_hash",
)  # fmt: skip


def utc(value) -> datetime | None:
    """A stored time as the driver returns it (a datetime, or SQLite's text) as aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def stamp(value) -> str | None:
    """A stored time in ISO 8601 with ``+00:00``, as ``utc(value).isoformat()`` gives it."""
    if value is None:
        return None
    if type(value) is str and len(value) == 26 and value[10] == " " and value[19] == ".":
        # SQLite's text of a naive UTC time, YYYY-MM-DD HH:MM:SS.ffffff
        seconds = value[11:19] if value.endswith(".000000") else value[11:]
        return f"{value[:10]}T{seconds}+00:00"
    return utc(value).isoformat()


def _day(value) -> str | None:
    return value if value is None or isinstance(value, str) else value.isoformat()


def _json(value):
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def _plain(column):
    """``column`` read without result processing (the driver's own value)."""
    return type_coerce(column, NullType()).label(column.name)


def statements(filters: list) -> list[Select]:
    """The export's statements, dated releases first: release columns, then the current
    revision's fetch time, WARC file and offset, and the cluster id."""
    current, oldest = aliased(Revision), aliased(Release)
    columns = [
        *(_plain(Release.__table__.c[name]) for name in _RELEASE_COLUMNS),
        _plain(current.fetched_at),
        current.warc_file,
        current.warc_offset,
        func.coalesce(oldest.id, Release.id),
    ]
    joined = (
        select(*columns)
        .outerjoin(
            current, (current.release_pk == Release.pk) & (current.number == Release.revision)
        )
        .outerjoin(ReleaseCluster, ReleaseCluster.release_pk == Release.pk)
        .outerjoin(oldest, oldest.pk == ReleaseCluster.cluster_pk)
        .where(*filters)
    )
    return [
        joined.where(Release.published.is_not(None)).order_by(Release.published, Release.id),
        joined.where(Release.published.is_(None)).order_by(Release.id),
    ]


def _parts(conn: Connection, stmt: Select) -> Iterator[list]:
    """The rows of ``stmt``, ``CHUNK`` at a time (on PostgreSQL from a server-side cursor)."""
    if conn.dialect.name == "sqlite":  # rows straight from the sqlite3 cursor
        result = conn.execute(stmt)
        return iter(lambda: result.cursor.fetchmany(CHUNK), [])
    return conn.execute(stmt, execution_options={"yield_per": CHUNK}).partitions()


def _all(conn: Connection, stmt: Select) -> list:
    """All rows of ``stmt`` (on SQLite straight from the sqlite3 cursor)."""
    if conn.dialect.name == "sqlite":
        return conn.execute(stmt).cursor.fetchall()
    return conn.execute(stmt).all()


def pk_in(column, pks: list[int], dialect: str):
    """``column IN pks`` with the pks as one bound value (a JSON array on SQLite, an array
    on PostgreSQL), not one parameter each."""
    if dialect == "sqlite":
        each = func.json_each(orjson.dumps(pks).decode()).table_valued("value")
        return column.in_(select(each.c.value))
    from sqlalchemy.dialects.postgresql import ARRAY  # not loaded for SQLite archives

    return column == any_(bindparam("pks", pks, type_=ARRAY(Integer)))


def _lists(conn: Connection, stmt: Select, unique: bool = False) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for pk, url in _all(conn, stmt):
        if not (unique and url in found[pk]):
            found[pk].append(url)
    return found


def urls(conn: Connection, pks: list[int]) -> dict[int, list[str]]:
    """All URLs of the releases ``pks``, oldest first."""
    where = pk_in(ReleaseUrl.release_pk, pks, conn.dialect.name)
    order = (ReleaseUrl.release_pk, ReleaseUrl.first_seen, ReleaseUrl.url)
    return _lists(conn, select(ReleaseUrl.release_pk, ReleaseUrl.url).where(where).order_by(*order))


def attachments(conn: Connection, pks: list[int]) -> dict[int, list[str]]:
    """The attachment URLs of the releases ``pks`` in page order, each URL once."""
    where = pk_in(Attachment.release_pk, pks, conn.dialect.name)
    stmt = select(Attachment.release_pk, Attachment.url).where(where).order_by(Attachment.pk)
    return _lists(conn, stmt, unique=True)


def release_row(values, urls: list[str]) -> dict:
    """The export row (``exports.EXPORT_COLUMNS`` up to ``content_hash``) of the release
    columns at the start of ``values``."""
    (_pk, id_, site, ministry, url, kind, number, place, published, kicker, title, subtitle,
     dateline, body, contact, persons, flags, profile, sources, first_seen, last_seen,
     withdrawn, revision, content_hash) = values[:24]  # fmt: skip
    return {
        "id": id_, "site": site, "ministry": ministry, "url": url, "kind": kind,
        "number": number, "place": place, "published": _day(published), "kicker": kicker,
        "title": title, "subtitle": subtitle, "dateline": dateline, "body": body,
        "contact": contact, "persons": _json(persons), "urls": urls, "flags": _json(flags),
        "profile": profile, "sources": _json(sources) or {},
        "first_seen": stamp(first_seen), "last_seen": stamp(last_seen),
        "withdrawn": stamp(withdrawn), "revisions": revision, "content_hash": content_hash,
    }  # fmt: skip


def chunks(conn: Connection, filters: Iterable) -> Iterator[list]:
    """The rows of ``statements(filters)`` (driver values), ``CHUNK`` at a time.

    Both statements are started before the first row is read, so that they see the same
    state of the archive (one SQLite read transaction; on PostgreSQL one repeatable-read
    snapshot).
    """
    if conn.dialect.name == "postgresql":
        conn.execution_options(isolation_level="REPEATABLE READ")
    parts = [_parts(conn, stmt) for stmt in statements(list(filters))]
    for part in parts:
        yield from part


def rows_of(conn: Connection, filters: Iterable) -> Iterator[tuple[int, dict]]:
    """``(pk, export row)`` of the releases ``filters`` pick, in export order: the stored
    release with URLs, attachments, archived copy, citation and cluster."""
    for chunk in chunks(conn, filters):
        pks = [values[0] for values in chunk]
        found_urls, attached = urls(conn, pks), attachments(conn, pks)
        for values in chunk:
            pk, (fetched_at, warc_file, warc_offset, cluster) = values[0], values[24:]
            row = release_row(values, found_urls[pk])
            row["attachments"] = attached.get(pk, [])
            row["archived_copy"] = f"warc:{warc_file}#{warc_offset}" if warc_file else None
            row["citation"] = citation(row, utc(fetched_at))
            row["cluster"] = cluster
            yield pk, row

"""SQLAlchemy models of the archive (the migrations in ``storage/migrations`` create them).

``releases`` holds the current state of each release; ``revisions`` keeps every text a
release ever had (never updated or deleted; ``revisions.pk`` grows with every new or
changed text, so it doubles as a change sequence for incremental exports);
A revision whose body is the release's current body leaves it out of its stored
``fields`` (so the text is stored once); ``RevisionFields`` puts it back on every read and
the triggers of migrations 0013 (SQLite) and 0016 (PostgreSQL) restore it before the
release's body changes.
``release_urls`` maps every canonical URL seen to its release; ``release_persons`` lists
the people of the current text for search by person; ``attachments`` the files (PDFs)
linked from releases with their extracted text; ``export_marks`` how far each named
scheduled export got. ``runs``, ``run_sites`` and ``failures`` are the crawl log (see
``storage.runs``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class with_current_body(FunctionElement):
    """A revision's stored fields with the body of its release where they leave it out."""

    name = "with_current_body"
    inherit_cache = True
    type = JSON()


@compiles(with_current_body)
def _stored_fields(element, compiler, **kw):
    return compiler.process(list(element.clauses)[0], **kw)


@compiles(with_current_body, "sqlite")
def _fields_with_body(element, compiler, **kw):
    fields, release_pk = (compiler.process(clause, **kw) for clause in element.clauses)
    current = f"(SELECT body FROM releases AS current_text WHERE current_text.pk = {release_pk})"
    return (
        f"CASE WHEN json_type({fields}, '$.body') IS NULL "
        f"THEN json_set({fields}, '$.body', {current}) ELSE {fields} END"
    )


WITH_BODY_SQL = (
    "(SELECT json_object_agg(key, value ORDER BY n) FROM ("
    "SELECT key, value, n FROM json_each({fields}) WITH ORDINALITY AS stored (key, value, n) "
    "UNION ALL SELECT 'body', to_json({body}), 9223372036854775807) AS kept)"
)
"""PostgreSQL: the JSON object ``fields`` with ``"body": body`` added at its end."""


@compiles(with_current_body, "postgresql")
def _fields_with_body_postgres(element, compiler, **kw):
    fields, release_pk = (compiler.process(clause, **kw) for clause in element.clauses)
    current = f"(SELECT body FROM releases AS current_text WHERE current_text.pk = {release_pk})"
    with_body = WITH_BODY_SQL.format(fields=fields, body=current)
    return f"CASE WHEN {fields} -> 'body' IS NULL THEN {with_body} ELSE {fields} END"


class RevisionFields(TypeDecorator):
    """A revision's fields (JSON), read with the body in (see the module docstring)."""

    impl = JSON
    cache_ok = True

    def column_expression(self, column):
        return with_current_body(column, column.table.c.release_pk)


class Base(DeclarativeBase):
    pass


class Release(Base):
    __tablename__ = "releases"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(16), unique=True)
    site: Mapped[str] = mapped_column(String(100))
    ministry: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(2048))
    kind: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    kicker: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    dateline: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    persons: Mapped[list] = mapped_column(JSON)
    profile: Mapped[str | None] = mapped_column(String(100))
    sources: Mapped[dict | None] = mapped_column(JSON)  # field -> the reader that gave it
    flags: Mapped[list] = mapped_column(JSON)
    title_key: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    revision: Mapped[int] = mapped_column(Integer)
    withdrawn: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when noticed gone
    ministry_id: Mapped[str | None] = mapped_column(String(100))  # authority file entry
    ministry_match: Mapped[str | None] = mapped_column(String(20))  # name, site, name-only

    __table_args__ = (
        Index("ix_releases_match", "site", "published", "title_key"),
        Index("ix_releases_published", "published", "id"),
        Index("ix_releases_ministry", "ministry"),
        Index("ix_releases_ministry_id", "ministry_id", "published"),
    )


class ReleaseUrl(Base):
    __tablename__ = "release_urls"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    release_pk: Mapped[int] = mapped_column(ForeignKey("releases.pk"), index=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    etag: Mapped[str | None] = mapped_column(String(255))  # validators of the last fetch
    last_modified: Mapped[str | None] = mapped_column(String(64))


class Revision(Base):
    __tablename__ = "revisions"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_pk: Mapped[int] = mapped_column(ForeignKey("releases.pk"))
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    fields: Mapped[dict] = mapped_column(RevisionFields)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fetched_url: Mapped[str | None] = mapped_column(String(2048))
    warc_file: Mapped[str | None] = mapped_column(String(255))
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    warc_digest: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(20))  # None: a crawl; "reparse"
    note: Mapped[str | None] = mapped_column(Text)  # e.g. the normaliser version of a reparse

    __table_args__ = (
        UniqueConstraint("release_pk", "number", name="uq_revisions_number"),
        # partial in the database (number > 1, migration 0006); a dialect's ``*_where``
        # here would import that dialect whenever the models load (40-100 ms of every
        # command's start), and Alembic does not compare it
        Index("ix_revisions_edits", "fetched_at"),
        Index("ix_revisions_warc_digest", "warc_digest"),
    )


class ReleasePerson(Base):
    __tablename__ = "release_persons"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_pk: Mapped[int] = mapped_column(ForeignKey("releases.pk"), index=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, index=True)

    __table_args__ = (
        # person pages and lists count releases per name from the index alone
        Index("ix_release_persons_key_release", "name_key", "release_pk", "name"),
    )


class Attachment(Base):
    """A file (PDF) linked from a release, archived in the WARC files; ``text`` for search."""

    __tablename__ = "attachments"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_pk: Mapped[int] = mapped_column(ForeignKey("releases.pk"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    fetched_url: Mapped[str | None] = mapped_column(String(2048))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_type: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    warc_file: Mapped[str | None] = mapped_column(String(255))
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    warc_digest: Mapped[str | None] = mapped_column(String(100))
    pages: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("release_pk", "url", "sha256", name="uq_attachments_content"),
        Index("ix_attachments_warc_digest", "warc_digest"),
    )


class ExportMark(Base):
    """How far the scheduled export ``name`` got: the last revision pk it covered."""

    __tablename__ = "export_marks"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    revision_pk: Mapped[int] = mapped_column(Integer)
    exported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rows: Mapped[int] = mapped_column(Integer)
    output: Mapped[str | None] = mapped_column(Text)


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(100))
    sites: Mapped[list] = mapped_column(JSON)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    problems: Mapped[list] = mapped_column(JSON)


class RunSite(Base):
    __tablename__ = "run_sites"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    site: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20))
    complete: Mapped[bool] = mapped_column(Boolean)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    withdrawn: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (UniqueConstraint("run_id", "site", name="uq_run_sites"),)


class Failure(Base):
    __tablename__ = "failures"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    site: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(2048))
    reason: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10), default="failed", server_default="failed")

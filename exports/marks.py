"""Marks of scheduled exports (``--since-last NAME``): how far each named export got."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from storage import Archive, ArchiveError
from storage.models import ExportMark


def mark_of(archive: Archive, name: str) -> int:
    """The last revision sequence number export ``name`` covered (0 before its first run)."""
    with Session(archive.engine) as session:
        mark = session.get(ExportMark, name)
        return mark.revision_pk if mark else 0


def move_mark(archive: Archive, name: str, revision_pk: int, rows: int, output: str | None):
    """Record that export ``name`` now covers every revision up to ``revision_pk``; an
    ``ArchiveError`` when the archive refuses the write (e.g. a role that may only read)."""
    try:
        with Session(archive.engine) as session, session.begin():
            session.merge(
                ExportMark(
                    name=name,
                    revision_pk=revision_pk,
                    exported_at=datetime.now(UTC),
                    rows=rows,
                    output=output,
                )
            )
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ArchiveError(f"archive write failed: {reason}") from exc

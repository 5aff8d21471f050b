"""Known payloads: where an identical payload is already archived, for ``revisit`` records.

A re-fetch of an unchanged page (a server that does not answer ``304``) returns the same
bytes; instead of storing them again, the writer writes a ``revisit`` record (profile
*identical payload digest*) that refers to the response record already holding them. The
originals are found by payload digest among the records the archive points at (revisions
and attachments, ``ix_*_warc_digest``); an original is used only when its file is there and
its record header says the same digest, so a revisit never refers to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, select, union_all
from sqlalchemy.exc import SQLAlchemyError
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storage.models import Attachment, Revision


@dataclass(frozen=True)
class Original:
    """The response record that holds a payload: where it is and who it is."""

    file: str
    offset: int
    record_id: str
    uri: str
    date: str


def original_at(folder: Path, file: str, offset: int, digest: str) -> Original | None:
    """The response record at ``file#offset`` if it is there and holds ``digest``."""
    try:
        with open(folder / file, "rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)), None)
    except (OSError, ArchiveLoadFailed, EOFError, ValueError):
        return None
    if record is None or record.rec_type != "response":
        return None
    headers = record.rec_headers
    if headers.get_header("WARC-Payload-Digest") != digest:
        return None
    return Original(
        file, offset, headers.get_header("WARC-Record-ID"),
        headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"),
    )  # fmt: skip


class KnownPayloads:
    """Looks payload digests up in the archive the crawl writes to: one indexed query per
    response (it runs for every page fetched), compiled once and sent on a connection of
    its own straight through the database driver (SQLAlchemy's per-query work cost more
    than the query; PostgreSQL in autocommit mode, so no transaction stays open)."""

    def __init__(self, engine, folder: str | Path):
        self.engine = engine
        self.folder = Path(folder)
        self._found: dict[str, Original] = {}
        self._connection = None
        digest = bindparam("digest")
        candidates = union_all(
            select(Revision.warc_file, Revision.warc_offset).where(
                Revision.warc_digest == digest, Revision.warc_file.is_not(None)
            ),
            select(Attachment.warc_file, Attachment.warc_offset).where(
                Attachment.warc_digest == digest, Attachment.warc_file.is_not(None)
            ),
        ).limit(5)
        self._query = candidates.compile(dialect=engine.dialect)

    def find(self, digest: str) -> Original | None:
        """An archived response record with this payload digest, or None."""
        if digest in self._found:
            return self._found[digest]
        try:
            found = self._candidates(digest)
        except (SQLAlchemyError, self.engine.dialect.loaded_dbapi.Error):
            return None  # a new archive, not created yet: nothing is known
        for file, offset in found:
            original = original_at(self.folder, file, offset, digest)
            if original is not None:
                self._found[digest] = original
                return original
        return None

    def _candidates(self, digest: str) -> list[tuple[str, int]]:
        if self._connection is None:
            self._connection = self.engine.raw_connection()
            if self.engine.dialect.name == "postgresql":
                self._connection.driver_connection.autocommit = True
        query = self._query
        params = query.construct_params({"digest": digest})
        if query.positional:
            params = [params[name] for name in query.positiontup]
        cursor = self._connection.cursor()
        try:
            cursor.execute(query.string, params)
            return cursor.fetchall()
        finally:
            cursor.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.engine.dispose()

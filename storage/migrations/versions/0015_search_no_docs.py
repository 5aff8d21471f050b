"""SQLite: the search index keeps no word lists and smaller prefix indexes.

``release_search_docs`` (each document's words, compressed, for FTS5 to take a document out
of the contentless index) is dropped: the writer makes a replaced release's old document
again from its stored row before changing it (``search_index.documents``). The prefix
indexes of 2 letters are dropped too (``prefix = '3 4'``): 2-letter prefix queries
(``ab*``) merge the words' lists instead of reading one. The index is rebuilt from the
releases; the file shrinks after ``VACUUM``. PostgreSQL: nothing to do.

Revision ID: 0015_search_no_docs
Revises: 0014_search_pairs_sqlite
"""

import zlib

from alembic import op
from sqlalchemy import text

from storage.search_index import PARTS, documents, rebuild

revision = "0015_search_no_docs"
down_revision = "0014_search_pairs_sqlite"
branch_labels = None
depends_on = None

FTS = (
    "CREATE VIRTUAL TABLE release_search USING fts5("
    "title, extra, body, persons, ministry, content = '', "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '{prefix}')"
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    op.execute("DROP TABLE release_search")
    op.execute("DROP TABLE release_search_docs")
    op.execute(FTS.format(prefix="3 4"))
    rebuild(conn)


def downgrade() -> None:
    """0014's index: prefixes of 2, 3 and 4 letters, and the documents kept compressed."""
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    op.execute("DROP TABLE release_search")
    op.execute(FTS.format(prefix="2 3 4"))
    op.execute("CREATE TABLE release_search_docs (pk INTEGER PRIMARY KEY, doc BLOB NOT NULL)")
    rebuild(conn)
    pks = list(conn.scalars(text("SELECT pk FROM releases ORDER BY pk")))
    for start in range(0, len(pks), 500):
        docs = documents(conn, pks[start : start + 500])
        conn.execute(
            text("INSERT INTO release_search_docs (pk, doc) VALUES (:pk, :doc)"),
            [{"pk": pk, "doc": _pack(doc)} for pk, doc in docs.items()],
        )


def _pack(doc: dict[str, str]) -> bytes:
    """A document as 0014's code kept it (parts joined by ``\\x1f``, zlib level 6)."""
    return zlib.compress("\x1f".join(doc[part] for part in PARTS).encode(), 6)

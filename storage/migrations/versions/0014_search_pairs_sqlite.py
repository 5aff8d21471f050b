"""SQLite search: the pairs of neighbouring words in a contentless FTS5 table of their own
(``release_pairs``, rowids only: ``detail = none``), so a phrase of common words is one
index lookup instead of reading their position lists (PostgreSQL has them since 0011).
Filled from the documents kept in ``release_search_docs``.

Revision ID: 0014_search_pairs_sqlite
Revises: 0013_text_once
"""

from itertools import islice

from alembic import op

from storage.search_index import contentless_rows

revision = "0014_search_pairs_sqlite"
down_revision = "0013_text_once"
branch_labels = None
depends_on = None

CHUNK = 5000


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE release_pairs USING fts5(pairs, content = '', detail = none, "
        "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
    )
    driver = conn.connection.driver_connection
    rows = contentless_rows(driver.cursor(), "release_pairs")
    insert = "INSERT INTO release_pairs (rowid, pairs) VALUES (?, ?)"
    while chunk := list(islice(rows, CHUNK)):
        driver.executemany(insert, chunk)
    op.execute("INSERT INTO release_pairs (release_pairs) VALUES ('optimize')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE release_pairs")

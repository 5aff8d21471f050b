"""SQLite: an index of neighbouring word pairs for phrases, and no prefix indexes.

``release_search_pairs`` (see ``storage.phrase_pairs``) lets a phrase be found without
comparing word positions in every release that has its words. ``release_search`` is made
again without its prefix indexes of 3 and 4 letters (``prefix = '3 4'``), which held half
its size: a prefix that starts at most 64 vocabulary words is matched as those words
(``SqliteIndex.spelled``), and longer lists measured no slower without them. Both are
filled from the releases (every document made again: minutes per 100,000 releases); the
file shrinks after ``VACUUM``. It runs in one transaction (an interrupted upgrade leaves
the archive as it was). PostgreSQL: nothing to do (its index holds pairs already).

Revision ID: 0017_phrase_pairs
Revises: 0016_postgres_size
"""

from alembic import op

from storage.phrase_pairs import CREATE, TABLE
from storage.search_index import index_for, rebuild

revision = "0017_phrase_pairs"
down_revision = "0016_postgres_size"
branch_labels = None
depends_on = None

FTS = (
    "CREATE VIRTUAL TABLE release_search USING fts5("
    "title, extra, body, persons, ministry, content = ''{prefix}, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    _begin(conn)
    op.execute("DROP TABLE release_search")
    op.execute(FTS.format(prefix=""))
    op.execute(CREATE)
    rebuild(conn)
    index_for(conn).optimize()


def downgrade() -> None:
    """0016's index: prefixes of 3 and 4 letters, no pairs."""
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    _begin(conn)
    op.execute("DROP TABLE release_search")
    op.execute(f"DROP TABLE {TABLE}")
    op.execute(FTS.format(prefix=", prefix = '3 4'"))
    rebuild(conn)
    index_for(conn).optimize()


def _begin(conn) -> None:
    """Open the transaction before the first ``DROP``: Python's ``sqlite3`` opens one only
    before a statement that writes rows, so the tables would be dropped and made at once,
    and an interrupted rebuild would leave an empty index behind."""
    driver = conn.connection.dbapi_connection
    if not driver.in_transaction:
        driver.execute("BEGIN")

"""SQLite: the pair table also holds the triples of words around a stop word.

A phrase such as ``"Ausbau der Radwege"`` was found through its pairs ``ausbau_der`` and
``der_radwege``; at a million releases tens of thousands hold both apart, and each had to
be checked in its text. Its triple ``ausbau_der_radwege`` answers it alone (see
``storage.phrase_pairs``). The pair table is made again from the releases (every
document made again: minutes per 100,000 releases); the main index is left as it is. It
runs in one transaction (an interrupted upgrade leaves the archive as it was).
PostgreSQL: nothing to do (its own index of pairs is not changed).

Revision ID: 0018_common_triples
Revises: 0017_phrase_pairs
"""

from alembic import op

from storage.phrase_pairs import CREATE, TABLE, pairs
from storage.search_index import index_for, rebuild

revision = "0018_common_triples"
down_revision = "0017_phrase_pairs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    index = index_for(conn)
    _remake(conn, lambda docs: index.store_pairs(dict(docs)))


def downgrade() -> None:
    """0017's pair table: pairs only."""
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    insert = f"INSERT INTO {TABLE} (rowid, pairs) VALUES (?, ?)"
    _remake(
        conn, lambda docs: conn.exec_driver_sql(insert, [(pk, pairs(d, False)) for pk, d in docs])
    )


def _remake(conn, store) -> None:
    """The pair table dropped, made again and filled by ``store`` from every release, in
    one transaction (opened before the ``DROP``: Python's ``sqlite3`` opens one only before
    a statement that writes rows)."""
    driver = conn.connection.dbapi_connection
    if not driver.in_transaction:
        driver.execute("BEGIN")
    op.execute(f"DROP TABLE {TABLE}")
    op.execute(CREATE)
    rebuild(conn, store=store)
    op.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")

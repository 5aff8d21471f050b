"""PostgreSQL search: word pairs in the index, so phrases are found without reading every
document that holds their words. Rebuilds the PostgreSQL index (SQLite: nothing to do).

Revision ID: 0011_search_pairs
Revises: 0010_search_german
"""

from alembic import op

from storage.search_index import rebuild

revision = "0011_search_pairs"
down_revision = "0010_search_german"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        rebuild(conn)


def downgrade() -> None:
    """The pairs stay (0010's code does not use them and finds the same)."""

"""SQLite: no index of word pairs. The first version of this migration added one
(``release_pairs``) for phrases, but filtering FTS5 matches by the rowids it gives re-runs
the full-text query for each rowid, which made phrases slower, not faster; it is dropped
where that version ran. Nothing to do elsewhere.

Revision ID: 0014_search_pairs_sqlite
Revises: 0013_text_once
"""

from alembic import op

revision = "0014_search_pairs_sqlite"
down_revision = "0013_text_once"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS release_pairs")


def downgrade() -> None:
    """Nothing to restore (0013's code never used the table)."""

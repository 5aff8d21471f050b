"""German search: the ministry's name left out where a contact block repeats it, so plain
words do not find every release of a ministry through its contact block. Re-indexes every
release.

Revision ID: 0012_search_contact
Revises: 0011_search_pairs
"""

from alembic import op

from storage.search_index import rebuild

revision = "0012_search_contact"
down_revision = "0011_search_pairs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    rebuild(op.get_bind())


def downgrade() -> None:
    """Nothing to undo: 0011's code reads the index as it is."""

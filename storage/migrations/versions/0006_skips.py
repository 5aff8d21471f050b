"""Crawl log: skips (links refused on purpose) beside failures.

Revision ID: 0006_skips
Revises: 0005_sources
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_skips"
down_revision = "0005_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("failures") as batch:
        batch.add_column(sa.Column("kind", sa.String(10), nullable=False, server_default="failed"))
    with op.batch_alter_table("run_sites") as batch:
        batch.add_column(sa.Column("skipped", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("run_sites") as batch:
        batch.drop_column("skipped")
    with op.batch_alter_table("failures") as batch:
        batch.drop_column("kind")

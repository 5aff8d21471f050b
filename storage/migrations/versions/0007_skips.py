"""Crawl log: skips (links refused on purpose) beside failures.

Revision ID: 0007_skips
Revises: 0006_ministries
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_skips"
down_revision = "0006_ministries"
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

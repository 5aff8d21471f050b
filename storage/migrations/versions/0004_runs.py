"""Crawl log (runs, run_sites, failures), HTTP validators per URL, withdrawn releases.

Revision ID: 0004_runs
Revises: 0003_evidence
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0004_runs"
down_revision = "0003_evidence"
branch_labels = None
depends_on = None

COUNTERS = ("pages", "new", "changed", "unchanged", "withdrawn", "failed")


def upgrade() -> None:
    op.add_column("releases", sa.Column("withdrawn", UTCDateTime))
    op.add_column("release_urls", sa.Column("etag", sa.String(255)))
    op.add_column("release_urls", sa.Column("last_modified", sa.String(64)))

    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("ended_at", UTCDateTime),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(100), nullable=False),
        sa.Column("sites", sa.JSON, nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("problems", sa.JSON, nullable=False),
    )
    op.create_table(
        "run_sites",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in COUNTERS),
        sa.UniqueConstraint("run_id", "site", name="uq_run_sites"),
    )
    op.create_index("ix_run_sites_run_id", "run_sites", ["run_id"])
    op.create_index("ix_run_sites_site", "run_sites", ["site"])
    op.create_table(
        "failures",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_failures_run_id", "failures", ["run_id"])


def downgrade() -> None:
    for table in ("failures", "run_sites", "runs"):
        op.drop_table(table)
    with op.batch_alter_table("release_urls") as batch:
        batch.drop_column("last_modified")
        batch.drop_column("etag")
    with op.batch_alter_table("releases") as batch:
        batch.drop_column("withdrawn")

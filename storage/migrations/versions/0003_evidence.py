"""Evidence and scheduled exports: reparse revisions, attachments, export marks.

Revision ID: 0003_evidence
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0003_evidence"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("revisions", sa.Column("source", sa.String(20)))
    op.add_column("revisions", sa.Column("note", sa.Text))

    op.create_table(
        "attachments",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("release_pk", sa.Integer, sa.ForeignKey("releases.pk"), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("fetched_url", sa.String(2048)),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.Column("content_type", sa.String(255)),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("warc_file", sa.String(255)),
        sa.Column("warc_offset", sa.BigInteger),
        sa.Column("warc_digest", sa.String(100)),
        sa.Column("pages", sa.Integer),
        sa.Column("text", sa.Text),
        sa.UniqueConstraint("release_pk", "url", "sha256", name="uq_attachments_content"),
    )
    op.create_index("ix_attachments_release_pk", "attachments", ["release_pk"])

    op.create_table(
        "export_marks",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("revision_pk", sa.Integer, nullable=False),
        sa.Column("exported_at", UTCDateTime, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("output", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("export_marks")
    op.drop_table("attachments")
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("note")
        batch.drop_column("source")

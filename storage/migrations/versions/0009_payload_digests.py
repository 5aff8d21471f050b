"""Evidence: find an archived payload by its digest (for WARC ``revisit`` records).

Revision ID: 0009_payload_digests
Revises: 0008_dupes
"""

from alembic import op

revision = "0009_payload_digests"
down_revision = "0008_dupes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_revisions_warc_digest", "revisions", ["warc_digest"])
    op.create_index("ix_attachments_warc_digest", "attachments", ["warc_digest"])


def downgrade() -> None:
    op.drop_index("ix_attachments_warc_digest", "attachments")
    op.drop_index("ix_revisions_warc_digest", "revisions")

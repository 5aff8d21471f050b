"""Releases, their URLs, revisions and persons.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "releases",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("id", sa.String(16), nullable=False, unique=True),
        sa.Column("site", sa.String(100), nullable=False),
        sa.Column("ministry", sa.Text),
        sa.Column("url", sa.String(2048), nullable=False),
        *(sa.Column(name, sa.Text) for name in ("kind", "number", "place")),
        sa.Column("published", sa.Date),
        *(
            sa.Column(name, sa.Text)
            for name in ("kicker", "title", "subtitle", "dateline", "body", "contact")
        ),
        sa.Column("persons", sa.JSON, nullable=False),
        sa.Column("profile", sa.String(100)),
        sa.Column("date_source", sa.String(20)),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("title_key", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen", UTCDateTime, nullable=False),
        sa.Column("last_seen", UTCDateTime, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
    )
    op.create_index("ix_releases_match", "releases", ["site", "published", "title_key"])
    op.create_index("ix_releases_published", "releases", ["published", "id"])
    op.create_index("ix_releases_ministry", "releases", ["ministry"])

    op.create_table(
        "release_urls",
        sa.Column("url", sa.String(2048), primary_key=True),
        sa.Column("release_pk", sa.Integer, sa.ForeignKey("releases.pk"), nullable=False),
        sa.Column("first_seen", UTCDateTime, nullable=False),
    )
    op.create_index("ix_release_urls_release_pk", "release_urls", ["release_pk"])

    op.create_table(
        "revisions",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("release_pk", sa.Integer, sa.ForeignKey("releases.pk"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("fetched_at", UTCDateTime, nullable=False),
        sa.Column("fetched_url", sa.String(2048)),
        sa.Column("warc_file", sa.String(255)),
        sa.Column("warc_offset", sa.BigInteger),
        sa.Column("warc_digest", sa.String(100)),
        sa.UniqueConstraint("release_pk", "number", name="uq_revisions_number"),
    )

    op.create_table(
        "release_persons",
        sa.Column("pk", sa.Integer, primary_key=True),
        sa.Column("release_pk", sa.Integer, sa.ForeignKey("releases.pk"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("name_key", sa.Text, nullable=False),
    )
    op.create_index("ix_release_persons_release_pk", "release_persons", ["release_pk"])
    op.create_index("ix_release_persons_name_key", "release_persons", ["name_key"])


def downgrade() -> None:
    for table in ("release_persons", "revisions", "release_urls", "releases"):
        op.drop_table(table)

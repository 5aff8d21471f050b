"""Ministries over time: each release's entry in the authority file; an index for edits.

``releases.ministry_id`` is the id of the authority entry (``scraper/data/ministries.toml``)
that published the release, ``ministry_match`` how it was found (``name``, ``site``,
``name-only``). Existing archives are linked by ``pressarchiv ministries link``.
``ix_revisions_edits`` lists the later revisions (number > 1) by fetch time, for the
"silent edits" page and feed; ``ix_release_persons_key_release`` lets person pages count
releases per name from the index alone.

Revision ID: 0006_ministries
Revises: 0005_sources
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_ministries"
down_revision = "0005_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("releases", sa.Column("ministry_id", sa.String(100)))
    op.add_column("releases", sa.Column("ministry_match", sa.String(20)))
    op.create_index("ix_releases_ministry_id", "releases", ["ministry_id", "published"])
    op.create_index(
        "ix_revisions_edits",
        "revisions",
        ["fetched_at"],
        sqlite_where=sa.text("number > 1"),
        postgresql_where=sa.text("number > 1"),
    )
    op.create_index(
        "ix_release_persons_key_release", "release_persons", ["name_key", "release_pk", "name"]
    )


def downgrade() -> None:
    op.drop_index("ix_release_persons_key_release", "release_persons")
    op.drop_index("ix_revisions_edits", "revisions")
    op.drop_index("ix_releases_ministry_id", "releases")
    op.drop_column("releases", "ministry_match")
    op.drop_column("releases", "ministry_id")

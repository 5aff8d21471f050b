"""Near-duplicates: LSH bands, verified pairs and clusters (see ``storage.clusters``).

Existing archives get empty tables; ``pressarchiv dupes --rebuild`` fills them.

Revision ID: 0008_dupes
Revises: 0007_skips
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_dupes"
down_revision = "0007_skips"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dupe_bands",
        sa.Column("band", sa.BigInteger, primary_key=True),
        sa.Column("release_pk", sa.Integer, sa.ForeignKey("releases.pk"), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_dupe_bands_release", "dupe_bands", ["release_pk"])
    op.create_table(
        "dupe_pairs",
        sa.Column("release_pk", sa.Integer, sa.ForeignKey("releases.pk"), primary_key=True),
        sa.Column("other_pk", sa.Integer, sa.ForeignKey("releases.pk"), primary_key=True),
        sa.Column("similarity", sa.Float, nullable=False),
    )
    op.create_table(
        "release_clusters",
        sa.Column("release_pk", sa.Integer, sa.ForeignKey("releases.pk"), primary_key=True),
        sa.Column("cluster_pk", sa.Integer, nullable=False),
    )
    op.create_index("ix_release_clusters_cluster_pk", "release_clusters", ["cluster_pk"])


def downgrade() -> None:
    op.drop_table("release_clusters")
    op.drop_table("dupe_pairs")
    op.drop_index("ix_dupe_bands_release", "dupe_bands")
    op.drop_table("dupe_bands")

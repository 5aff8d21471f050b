"""Provenance per field: ``releases.sources`` (field -> reader) replaces ``date_source``.

Each release's ``date_source`` is carried over as ``sources["published"]``.

Revision ID: 0005_sources
Revises: 0004_runs
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_sources"
down_revision = "0004_runs"
branch_labels = None
depends_on = None

CARRY_OVER = {
    "sqlite": "UPDATE releases SET sources = CASE WHEN date_source IS NULL THEN '{}'"
    " ELSE json_object('published', date_source) END",
    "postgresql": "UPDATE releases SET sources = CASE WHEN date_source IS NULL THEN '{}'::json"
    " ELSE json_build_object('published', date_source) END",
}
CARRY_BACK = {
    "sqlite": "UPDATE releases SET date_source = json_extract(sources, '$.published')",
    "postgresql": "UPDATE releases SET date_source = sources ->> 'published'",
}


def upgrade() -> None:
    op.add_column("releases", sa.Column("sources", sa.JSON))
    op.execute(CARRY_OVER[op.get_bind().dialect.name])
    op.drop_column("releases", "date_source")


def downgrade() -> None:
    op.add_column("releases", sa.Column("date_source", sa.String(20)))
    op.execute(CARRY_BACK[op.get_bind().dialect.name])
    op.drop_column("releases", "sources")

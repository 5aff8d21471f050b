"""German search: the ministry in a part of its own, persons for ``person:``, stems.

``release_search`` gets five parts (title, short fields, body, persons, ministry) so plain
words no longer match the ministry's name; ``search_terms`` holds every word of 3+ letters
(numbers aside) with its Snowball stem, for inflections both ways. Both are rebuilt from
the releases (with their attachments' text).

Revision ID: 0010_search_german
Revises: 0009_payload_digests
"""

import sqlalchemy as sa
from alembic import op

from storage.search_index import rebuild

revision = "0010_search_german"
down_revision = "0009_payload_digests"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE VIRTUAL TABLE release_search USING fts5("
    "title, extra, body, persons, ministry, tokenize = 'unicode61 remove_diacritics 2', "
    "prefix = '2 3 4')",
    "CREATE TABLE search_terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, "
    "stem TEXT NOT NULL)",
    "CREATE INDEX ix_search_terms_stem ON search_terms (stem)",
    "CREATE VIRTUAL TABLE search_terms_tri USING fts5("
    "term, content = 'search_terms', content_rowid = 'id', tokenize = 'trigram')",
    "CREATE TRIGGER search_terms_ai AFTER INSERT ON search_terms BEGIN "
    "INSERT INTO search_terms_tri (rowid, term) VALUES (new.id, new.term); END",
]
POSTGRES = [
    "CREATE TABLE release_search ("
    "release_pk INTEGER PRIMARY KEY REFERENCES releases (pk), document TSVECTOR NOT NULL)",
    "CREATE INDEX ix_release_search_document ON release_search USING GIN (document)",
    "CREATE TABLE search_terms (id SERIAL PRIMARY KEY, term TEXT NOT NULL UNIQUE, "
    "stem TEXT NOT NULL)",
    "CREATE INDEX ix_search_terms_stem ON search_terms (stem)",
]
OLD_SQLITE = [
    "CREATE VIRTUAL TABLE release_search USING fts5("
    "title, extra, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
    "CREATE TABLE search_terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE search_terms_tri USING fts5("
    "term, content = 'search_terms', content_rowid = 'id', tokenize = 'trigram')",
    "CREATE TRIGGER search_terms_ai AFTER INSERT ON search_terms BEGIN "
    "INSERT INTO search_terms_tri (rowid, term) VALUES (new.id, new.term); END",
]
OLD_POSTGRES = [
    "CREATE TABLE release_search ("
    "release_pk INTEGER PRIMARY KEY REFERENCES releases (pk), document TSVECTOR NOT NULL)",
    "CREATE INDEX ix_release_search_document ON release_search USING GIN (document)",
    "CREATE TABLE search_terms (id SERIAL PRIMARY KEY, term TEXT NOT NULL UNIQUE)",
]
TRIGRAMS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public",
    "CREATE INDEX ix_search_terms_tri ON search_terms USING GIN (term public.gin_trgm_ops)",
]


def _drop(conn) -> None:
    tables = ["search_terms", "release_search"]
    if conn.dialect.name != "postgresql":
        tables = ["search_terms_tri"] + tables
    for name in tables:
        op.execute(f"DROP TABLE IF EXISTS {name}")


def _trigrams(conn) -> None:
    """The trigram index for infix lookups, where the server lets us install ``pg_trgm``."""
    try:
        with conn.begin_nested():
            for statement in TRIGRAMS:
                conn.exec_driver_sql(statement)
    except sa.exc.DBAPIError:
        pass  # without it the lookup scans the vocabulary


def upgrade() -> None:
    conn = op.get_bind()
    _drop(conn)
    for statement in POSTGRES if conn.dialect.name == "postgresql" else SQLITE:
        op.execute(statement)
    if conn.dialect.name == "postgresql":
        _trigrams(conn)
    rebuild(conn)


def downgrade() -> None:
    """Back to 0002's index tables, empty: 0007's code cannot read the new ones, and the
    index is derived from the releases (nothing archived is lost)."""
    conn = op.get_bind()
    _drop(conn)
    for statement in OLD_POSTGRES if conn.dialect.name == "postgresql" else OLD_SQLITE:
        op.execute(statement)

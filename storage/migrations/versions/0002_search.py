"""Full-text search: the release index and the vocabulary (see storage/search_index.py).

Made empty: 0010_search_german replaces both tables and indexes every release.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE VIRTUAL TABLE release_search USING fts5("
    "title, extra, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
    "CREATE TABLE search_terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE search_terms_tri USING fts5("
    "term, content = 'search_terms', content_rowid = 'id', tokenize = 'trigram')",
    "CREATE TRIGGER search_terms_ai AFTER INSERT ON search_terms BEGIN "
    "INSERT INTO search_terms_tri (rowid, term) VALUES (new.id, new.term); END",
]
POSTGRES = [
    "CREATE TABLE release_search ("
    "release_pk INTEGER PRIMARY KEY REFERENCES releases (pk), document TSVECTOR NOT NULL)",
    "CREATE INDEX ix_release_search_document ON release_search USING GIN (document)",
    "CREATE TABLE search_terms (id SERIAL PRIMARY KEY, term TEXT NOT NULL UNIQUE)",
]


def upgrade() -> None:
    conn = op.get_bind()
    for statement in POSTGRES if conn.dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    conn = op.get_bind()
    tables = ["search_terms", "release_search"]
    if conn.dialect.name != "postgresql":
        tables = ["search_terms_tri"] + tables
    for name in tables:
        op.execute(f"DROP TABLE {name}")

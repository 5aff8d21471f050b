"""The text stored once (SQLite): the search index keeps no copy of the documents, and the
current revision of a release leaves its body out (it is the release's body).

``release_search`` becomes a contentless FTS5 table; the folded documents it was built
from are kept compressed in ``release_search_docs`` (FTS5 needs them to take a document
out again). A revision's body is left out of its ``fields`` where it equals the release's
current body; triggers put it back into the revision before the release's body changes,
so every path that writes the archive (ORM, bulk inserts, SQL) keeps every text. Existing
archives are converted in place; the file shrinks after ``VACUUM``. PostgreSQL: nothing to
do (its ``tsvector`` is no copy of the text; large JSON values are compressed in TOAST).

Revision ID: 0013_text_once
Revises: 0012_search_contact
"""

from alembic import op

from storage.search_index import rebuild

revision = "0013_text_once"
down_revision = "0012_search_contact"
branch_labels = None
depends_on = None

FTS = (
    "CREATE VIRTUAL TABLE release_search USING fts5("
    "title, extra, body, persons, ministry, {content}"
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
)
TRIGGERS = [
    # a revision that repeats its release's current body leaves it out
    "CREATE TRIGGER revisions_body_once AFTER INSERT ON revisions "
    "WHEN json_type(new.fields, '$.body') = 'text' AND json_extract(new.fields, '$.body') = "
    "(SELECT body FROM releases WHERE pk = new.release_pk) BEGIN "
    "UPDATE revisions SET fields = json_remove(fields, '$.body') WHERE pk = new.pk; END",
    # before a release's body changes, the revisions that left it out get it back
    "CREATE TRIGGER releases_body_kept AFTER UPDATE OF body ON releases "
    "WHEN new.body IS NOT old.body BEGIN "
    "UPDATE revisions SET fields = json_set(fields, '$.body', old.body) "
    "WHERE release_pk = old.pk AND json_type(fields, '$.body') IS NULL; END",
]
STRIP = (
    "UPDATE revisions SET fields = json_remove(fields, '$.body') "
    "WHERE json_type(fields, '$.body') = 'text' AND json_extract(fields, '$.body') = "
    "(SELECT body FROM releases WHERE pk = revisions.release_pk)"
)
RESTORE = (
    "UPDATE revisions SET fields = json_set(fields, '$.body', "
    "(SELECT body FROM releases WHERE pk = revisions.release_pk)) "
    "WHERE json_type(fields, '$.body') IS NULL"
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    op.execute("DROP TABLE release_search")
    op.execute(FTS.format(content="content = '', "))
    op.execute("CREATE TABLE release_search_docs (pk INTEGER PRIMARY KEY, doc BLOB NOT NULL)")
    rebuild(conn)
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute(STRIP)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER revisions_body_once")
    op.execute("DROP TRIGGER releases_body_kept")
    op.execute(RESTORE)
    op.execute("DROP TABLE release_search")
    op.execute("DELETE FROM release_search_docs")
    op.execute(FTS.format(content=""))
    rebuild(conn)
    op.execute("DROP TABLE release_search_docs")

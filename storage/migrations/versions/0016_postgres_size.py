"""PostgreSQL size: the text stored once, and the search documents compressed with LZ4.

* A revision's body is left out of its ``fields`` where it equals the release's current
  body (as migration 0013 does on SQLite). A trigger takes the body out of each new
  revision before it is stored; another puts it back into the revisions that left it out
  before a release's body changes, so every path that writes the archive keeps every
  text. ``models.RevisionFields`` puts the body back on every read (at the end of the
  fields, as on SQLite).
* ``release_search.document`` is compressed with LZ4 where the server has it: the default
  (pglz) gives up on about a third of the documents (their word pairs compress by less
  than a quarter) and stores them whole (85% of synthetic documents at 100,000 releases,
  14.4 KB each; 8.8 KB with LZ4). A copy would keep the old compression, so the table is
  copied with each document made anew and its GIN index built again.

Existing archives are converted in place (the revisions' old versions stay as free space
that new rows reuse; ``VACUUM FULL revisions`` gives it back). SQLite: nothing to do.

Revision ID: 0016_postgres_size
Revises: 0015_search_no_docs
"""

from alembic import op

from storage.models import WITH_BODY_SQL

revision = "0016_postgres_size"
down_revision = "0015_search_no_docs"
branch_labels = None
depends_on = None

WITHOUT_BODY = (
    "(SELECT coalesce(json_object_agg(key, value ORDER BY n), '{{}}') "
    "FROM json_each({fields}) WITH ORDINALITY AS kept (key, value, n) WHERE key <> 'body')"
)
REPEATS_BODY = (
    "json_typeof({fields} -> 'body') = 'string' AND {fields} ->> 'body' = "
    "(SELECT body FROM releases WHERE pk = {release_pk})"
)
CREATE = [
    # a revision that repeats its release's current body leaves it out
    "CREATE FUNCTION revisions_body_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF {REPEATS_BODY.format(fields='NEW.fields', release_pk='NEW.release_pk')} THEN "
    f"NEW.fields := {WITHOUT_BODY.format(fields='NEW.fields')}; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER revisions_body_once BEFORE INSERT ON revisions "
    "FOR EACH ROW EXECUTE FUNCTION revisions_body_once()",
    # before a release's body changes, the revisions that left it out get it back
    "CREATE FUNCTION releases_body_kept() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"UPDATE revisions SET fields = {WITH_BODY_SQL.format(fields='fields', body='OLD.body')} "
    "WHERE release_pk = OLD.pk AND fields -> 'body' IS NULL; RETURN NULL; END $$",
    "CREATE TRIGGER releases_body_kept AFTER UPDATE OF body ON releases FOR EACH ROW "
    "WHEN (NEW.body IS DISTINCT FROM OLD.body) EXECUTE FUNCTION releases_body_kept()",
]
DROP = [
    "DROP TRIGGER revisions_body_once ON revisions",
    "DROP FUNCTION revisions_body_once()",
    "DROP TRIGGER releases_body_kept ON releases",
    "DROP FUNCTION releases_body_kept()",
]
STRIP = (
    f"UPDATE revisions SET fields = {WITHOUT_BODY.format(fields='fields')} "
    f"WHERE {REPEATS_BODY.format(fields='fields', release_pk='revisions.release_pk')}"
)
RESTORE = (
    "UPDATE revisions SET fields = "
    + WITH_BODY_SQL.format(fields="revisions.fields", body="releases.body")
    + " FROM releases WHERE releases.pk = revisions.release_pk "
    "AND revisions.fields -> 'body' IS NULL"
)
HAS_LZ4 = "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
COPY_INDEX = [
    "CREATE TABLE release_search_copy ("
    "release_pk INTEGER PRIMARY KEY REFERENCES releases (pk), "
    "document TSVECTOR COMPRESSION {method} NOT NULL)",
    # concatenating makes a new value, which is compressed anew (a copy keeps the old one)
    "INSERT INTO release_search_copy SELECT release_pk, document || ''::tsvector "
    "FROM release_search ORDER BY release_pk",
    "DROP TABLE release_search",
    "ALTER TABLE release_search_copy RENAME TO release_search",
    "ALTER INDEX release_search_copy_pkey RENAME TO release_search_pkey",
    "ALTER TABLE release_search RENAME CONSTRAINT release_search_copy_release_pk_fkey "
    "TO release_search_release_pk_fkey",
    "CREATE INDEX ix_release_search_document ON release_search USING GIN (document)",
    "ANALYZE release_search",
]


def _copy_index(method: str) -> None:
    """``release_search`` rewritten with its documents compressed by ``method``."""
    for statement in COPY_INDEX:
        op.execute(statement.format(method=method))


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for statement in CREATE:
        op.execute(statement)
    op.execute(STRIP)
    if conn.exec_driver_sql(HAS_LZ4).scalar():
        _copy_index("lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DROP:
        op.execute(statement)
    op.execute(RESTORE)
    _copy_index("pglz")

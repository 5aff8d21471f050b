"""The full-text index: one document per release, kept in step inside every write.

Documents hold the folded words (see ``records.fold``) of three weighted parts: the title,
the short fields (kicker, subtitle, kind, number, place, dateline, ministry, persons,
contact) and the body with the text of the release's PDF attachments. ``search_terms`` is
the archive's vocabulary (words of 5+ letters); a ``contains`` term is expanded through it
to the longer words that contain it inside (``schule`` -> ``grundschule``),
so compounds are found without indexing word fragments.

* SQLite: FTS5 table ``release_search`` (unicode61 tokenizer, prefix indexes, bm25 ranking
  with ``WEIGHTS``); the vocabulary has an FTS5 trigram index
  (``search_terms_tri``), so the infix lookup does not scan it.
* PostgreSQL: ``release_search.document`` is a weighted ``tsvector`` with the ``simple``
  configuration (the text is folded already; ``german`` stemming would disagree with the
  folding and with SQLite), GIN-indexed, ranked by ``ts_rank_cd``; the infix lookup is a
  ``LIKE`` scan over the vocabulary (no ``pg_trgm`` needed).
"""

from __future__ import annotations

from sqlalchemy import (
    Connection,
    Select,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)

from storage.models import Release
from storage.query import Or, Phrase, Term
from storage.records import words

SHORT_FIELDS = ("kicker", "subtitle", "kind", "number", "place", "dateline", "ministry", "contact")
MIN_VOCABULARY = 5
MAX_EXPANSION = 200
WEIGHTS = (10.0, 3.0, 1.0)
"""bm25 weights of title, short fields and body (SQLite)."""


def include_name(name: str | None, type_: str, _parents) -> bool:
    """Alembic autogenerate filter: skip the index tables (made by hand, not by models)."""
    return not (type_ == "table" and (name or "").startswith(("release_search", "search_")))


def document(fields: dict) -> dict[str, str]:
    """The folded ``title``, ``extra`` and ``body`` of one release's fields."""
    persons = " ".join(f"{p['name']} {p.get('role') or ''}" for p in fields.get("persons") or [])
    extra = " ".join(fields.get(name) or "" for name in SHORT_FIELDS) + " " + persons
    return {
        "title": " ".join(words(fields.get("title") or "")),
        "extra": " ".join(words(extra)),
        "body": " ".join(words(f"{fields.get('body') or ''} {fields.get('attachments') or ''}")),
    }


def vocabulary(doc: dict[str, str]) -> set[str]:
    """The words of ``doc`` long enough to contain a shorter search word."""
    return {w for part in doc.values() for w in part.split() if len(w) >= MIN_VOCABULARY}


class SearchIndex:
    """What both backends share: compiling a query tree with infix expansion."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def infixes(self, word: str) -> list[str]:
        """Vocabulary words containing ``word`` after their first letter, shortest first."""
        found = [w for w in self._containing(word) if not w.startswith(word)]
        return sorted(found, key=lambda w: (len(w), w))[:MAX_EXPANSION]

    def compile(self, node) -> str:
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Or):
            return self.any_of([self.compile(option) for option in node.options])
        return self.all_of(
            [self.compile(n) for n in node.include], [self.compile(n) for n in node.exclude]
        )

    def term(self, term: Term) -> str:
        if term.mode == "exact":
            return self.word(term.word)
        first = self.word(term.word, prefix=True)
        if term.mode == "prefix":
            return first
        return self.any_of([first] + [self.word(w) for w in self.infixes(term.word)])

    def before_search(self) -> None:
        """Prepare the connection for a search query (nothing to do by default)."""

    def store(self, docs: list[tuple[int, dict[str, str]]]) -> None:
        """(Re)index the given ``(release pk, document)`` pairs."""
        terms = set().union(*(vocabulary(doc) for _, doc in docs)) if docs else set()
        self._store(docs)
        if terms:
            self.conn.execute(self.add_terms, [{"term": t} for t in sorted(terms)])


class SqliteIndex(SearchIndex):
    add_terms = text("INSERT OR IGNORE INTO search_terms (term) VALUES (:term)")
    fts = table("release_search", column("rowid"))

    def optimize(self) -> None:
        """Merge the index into one segment (after a bulk load)."""
        self.conn.execute(text("INSERT INTO release_search (release_search) VALUES ('optimize')"))

    def _containing(self, word: str) -> list[str]:
        stmt = text(
            "SELECT t.term FROM search_terms_tri JOIN search_terms t "
            "ON t.id = search_terms_tri.rowid WHERE search_terms_tri MATCH :q"
        )
        return list(self.conn.scalars(stmt, {"q": f'"{word}"'}))

    @staticmethod
    def word(word: str, prefix: bool = False) -> str:
        return f'"{word}"' + ("*" if prefix else "")

    @staticmethod
    def phrase(phrase: Phrase) -> str:
        return '"' + " ".join(phrase.words) + '"' + ("*" if phrase.prefix else "")

    @staticmethod
    def any_of(parts: list[str]) -> str:
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def all_of(self, include: list[str], exclude: list[str]) -> str:
        query = "(" + " AND ".join(include) + ")"
        return f"{query} NOT {self.any_of(exclude)}" if exclude else query

    def _store(self, docs) -> None:
        self.conn.execute(
            text("DELETE FROM release_search WHERE rowid = :pk"), [{"pk": pk} for pk, _ in docs]
        )
        self.conn.execute(
            text(
                "INSERT INTO release_search (rowid, title, extra, body) "
                "VALUES (:pk, :title, :extra, :body)"
            ),
            [{"pk": pk, **doc} for pk, doc in docs],
        )

    def window(self, match: str, conditions: list, size: int) -> Select:
        """``(pk, score)`` of the ``size`` newest matches passing ``conditions``; the
        higher the score, the better (bm25 with ``WEIGHTS``, negated)."""
        score = -func.bm25(literal_column("release_search"), *WEIGHTS)
        stmt = select(self.fts.c.rowid, score).select_from(self.fts)
        stmt = stmt.where(text("release_search MATCH :match").bindparams(match=match))
        stmt = _filtered(stmt, self.fts.c.rowid, conditions)
        return stmt.order_by(self.fts.c.rowid.desc()).limit(size)


class PostgresIndex(SearchIndex):
    add_terms = text("INSERT INTO search_terms (term) VALUES (:term) ON CONFLICT DO NOTHING")
    fts = table("release_search", column("release_pk"), column("document"))

    def before_search(self) -> None:
        """Make the planner use the GIN index (a bitmap scan): it prices reading every
        (TOASTed) tsvector far too low and would scan the table or the primary key."""
        self.conn.execute(text("SET LOCAL enable_seqscan = off"))
        self.conn.execute(text("SET LOCAL enable_indexscan = off"))

    def optimize(self) -> None:
        """Refresh the planner's statistics (after a bulk load), so it uses the GIN index."""
        for name in ("releases", "release_persons", "release_search", "search_terms"):
            self.conn.execute(text(f"ANALYZE {name}"))

    def _containing(self, word: str) -> list[str]:
        stmt = text("SELECT term FROM search_terms WHERE term LIKE :pattern")
        return list(self.conn.scalars(stmt, {"pattern": f"_%{word}%"}))

    @staticmethod
    def word(word: str, prefix: bool = False) -> str:
        return f"'{word}'" + (":*" if prefix else "")

    def phrase(self, phrase: Phrase) -> str:
        last = len(phrase.words) - 1
        parts = [self.word(w, phrase.prefix and i == last) for i, w in enumerate(phrase.words)]
        return "(" + " <-> ".join(parts) + ")"

    @staticmethod
    def any_of(parts: list[str]) -> str:
        return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"

    def all_of(self, include: list[str], exclude: list[str]) -> str:
        return "(" + " & ".join(include + [f"!{self.any_of(exclude)}"] * bool(exclude)) + ")"

    def _store(self, docs) -> None:
        vector = " || ".join(
            f"setweight(to_tsvector('simple', :{part}), '{weight}')"
            for part, weight in (("title", "A"), ("extra", "B"), ("body", "C"))
        )
        self.conn.execute(
            text(
                f"INSERT INTO release_search (release_pk, document) VALUES (:pk, {vector}) "
                "ON CONFLICT (release_pk) DO UPDATE SET document = excluded.document"
            ),
            [{"pk": pk, **doc} for pk, doc in docs],
        )

    def window(self, match: str, conditions: list, size: int) -> Select:
        """As for SQLite; ``ts_rank_cd`` is computed for the window's rows only."""
        query = func.to_tsquery(literal_column("'simple'"), bindparam("match", match))
        pk = self.fts.c.release_pk
        newest = select(pk).select_from(self.fts).where(self.fts.c.document.op("@@")(query))
        newest = _filtered(newest, pk, conditions).order_by(pk.desc()).limit(size).subquery()
        score = func.ts_rank_cd(self.fts.c.document, query)
        stmt = select(newest.c.release_pk, score).select_from(newest)
        return stmt.join(self.fts, pk == newest.c.release_pk)


def _filtered(stmt: Select, pk, conditions: list) -> Select:
    """``stmt`` joined to ``releases`` and restricted by ``conditions``, if any."""
    if not conditions:
        return stmt
    return stmt.join(Release.__table__, Release.pk == pk).where(*conditions)


def index_for(conn: Connection) -> SearchIndex:
    """The index implementation for the connection's database."""
    return PostgresIndex(conn) if conn.dialect.name == "postgresql" else SqliteIndex(conn)

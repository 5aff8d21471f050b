"""The full-text index: one document per release, kept in step inside every write.

Documents hold the folded words (see ``records.fold``) of five parts: the title, the short
fields (kicker, subtitle, kind, number, place, dateline, contact: without the ministry's
name, which contact blocks often repeat), the body with the text of the release's PDF
attachments, the persons (names and offices) and the ministry. Plain query words search the
first four; the ministry only answers ``ministry:`` (so ``Integration`` does not find every
release of an integration ministry).

``search_terms`` is the archive's vocabulary (words of 3+ letters, not numbers) with each
word's Snowball stem. A query word is expanded through it (see ``german.seeds``): to the
words of its stem (``Kindern`` -> ``kind``, ``kinder``, ``kindes``), to the words starting
with it or an inflection of it, and to the longer words containing one of those inside
(``schule`` -> ``grundschule``), so inflections and compounds are found without indexing
stems or word fragments; phrases and prefixes match the words as written.

* SQLite: contentless FTS5 table ``release_search`` (no copy of the documents: to replace
  one, FTS5 needs its old words, which are made again from the release's stored row before
  the writer changes it, see ``documents``; so ``document`` and ``records.words`` must
  not change without a migration that rebuilds the index; unicode61 tokenizer, no
  prefix indexes since migration 0017, bm25 ranking with ``WEIGHTS``; fields as column
  filters); the vocabulary has an FTS5 trigram index (``search_terms_tri``), so the infix
  lookup does not scan it; phrases go through ``phrase_pairs``' table of word pairs and
  triples around stop words (0017, 0018).
* PostgreSQL: ``release_search.document`` is a ``tsvector`` built here (the words are folded
  already; ``german`` stemming in the database would disagree with SQLite): title weight A,
  short fields and persons B, body C; persons and ministry again as tagged lexemes
  (``p~klose``, ``m~integration``) for the fields, and the pairs of neighbouring words
  (``_digitalpakt_schule``) for phrases. GIN-indexed, ranked by ``ts_rank``;
  the infix lookup is a ``LIKE`` over the vocabulary (trigram-indexed where ``pg_trgm``
  could be installed).

The query side (expanding and compiling a query, ranking on SQLite) reads through a
``sqlread.Reads`` with plain SQL, so ``pressarchiv search`` on SQLite runs without
SQLAlchemy; SQLAlchemy is imported where the index is written and on PostgreSQL.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING

from storage import german, phrase_pairs
from storage.query import And, Field, Or, Phrase, Term
from storage.records import fold, words
from storage.sqlread import Reads, in_list, reads_for, where

if TYPE_CHECKING:
    from sqlalchemy import Connection, Select

SHORT_FIELDS = ("kicker", "subtitle", "kind", "number", "place", "dateline", "ministry", "contact")
"""Release columns read for the index besides title, body and persons."""
INDEXED_FIELDS = ("title", "body", "persons", *SHORT_FIELDS)
PARTS = ("title", "extra", "body", "persons", "ministry")
MIN_VOCABULARY = 3
MIN_CONTAINS = 4
MAX_EXPANSION = 200
MAX_SPELLED = 64
"""SQLite: a prefix that starts at most this many vocabulary words is matched as those
words (see ``SqliteIndex.spelled``)."""
WEIGHTS = (10.0, 3.0, 1.0, 3.0, 1.0)
"""bm25 weights of title, short fields, body, persons and ministry (SQLite)."""
BM25_K1, BM25_B = 1.2, 0.75
"""FTS5's bm25 constants (for ``SqliteIndex.phrase_scores``)."""
PHRASE_WINDOW = 200
PHRASE_CAP = 2000
"""SQLite: a lone phrase ranks its ``PHRASE_WINDOW`` newest matches and counts up to
``PHRASE_CAP`` (where FTS5 finds them, it compares word positions in every document
that has all the phrase's words, the archive's slowest search)."""
CHECK_CHUNK = 200
"""SQLite: the candidates of a phrase that is not one token of the pair table (the
releases with all its tokens) are checked this many at a time, newest first (see
``phrase_matches``)."""
SPAN_PER_TEXT = 1000
"""SQLite: checking one candidate's stored text (0.05-0.3 ms) costs about what FTS5 spends
on a range of this many pks (0.2-0.6 µs per release with all the phrase's words, which
most of a range lacks). At 1,000,000 synthetic releases with the triples of migration
0018, 400 phrases drawn as the benchmark draws them: 1,000 gave CPU p95 11.3 ms, max 46-50
ms; 2,500 p95 12.1, max 176-189 (FTS5 on a phrase of three common words); 250 to 700 p95
11.1-12.6, max 68-164 (the texts of a person's name in many releases)."""
MAX_POSITION = 16383
"""PostgreSQL keeps word positions up to this one."""


def include_name(name: str | None, type_: str, _parents) -> bool:
    """Alembic autogenerate filter: skip the index tables (made by hand, not by models)."""
    return not (type_ == "table" and (name or "").startswith(("release_search", "search_")))


def document_words(fields: dict) -> dict[str, list[str]]:
    """The folded words of one release's fields, per part of ``PARTS``. The ministry's
    name is left out of the short fields where the contact block repeats it."""
    persons = " ".join(f"{p['name']} {p.get('role') or ''}" for p in fields.get("persons") or [])
    short = " ".join(fields.get(name) or "" for name in SHORT_FIELDS if name != "ministry")
    ministry = words(fields.get("ministry") or "")
    return {
        "title": words(fields.get("title") or ""),
        "extra": _without(words(short), ministry),
        "body": words(f"{fields.get('body') or ''} {fields.get('attachments') or ''}"),
        "persons": words(persons),
        "ministry": ministry,
    }


def document(fields: dict) -> dict[str, str]:
    """The document the index holds for one release: ``document_words`` joined by spaces."""
    return {part: " ".join(found) for part, found in document_words(fields).items()}


def _without(found: list[str], name: list[str]) -> list[str]:
    """``found`` without the runs of words that spell ``name``."""
    if not name:
        return found
    kept, i, size = [], 0, len(name)
    while i < len(found):
        if found[i : i + size] == name:
            i += size
        else:
            kept.append(found[i])
            i += 1
    return kept


def vocabulary(found: Iterable[str]) -> list[str]:
    """The distinct words of ``found`` that query words are expanded to (3+ letters, not
    numbers), sorted."""
    return sorted(w for w in set(found) if len(w) >= MIN_VOCABULARY and not w.isdigit())


def sources(
    source,
    pks: list[int],
    chunk: int = 500,
    known: dict[int, tuple[dict, list[str]]] | None = None,
) -> list[tuple[dict, list[str]]]:
    """The indexed columns (``pk`` and ``INDEXED_FIELDS``) of the releases ``pks`` as
    stored now, each with its attachments' texts in stored order; in chunks of ``pks``,
    by pk within each. ``known``: those the caller has just written itself (by pk), not
    read again. ``source``: a ``sqlread.Reads``, or a SQLAlchemy connection."""
    reads = reads_for(source)
    names = ("pk", *INDEXED_FIELDS)
    known = known or {}
    found: list[tuple[dict, list[str]]] = []
    for start in range(0, len(pks), chunk):
        part = pks[start : start + chunk]
        read = [pk for pk in part if pk not in known]
        texts: dict[int, list[str]] = {}
        rows: dict[int, dict] = {}
        if read:
            marks, params = in_list("pk", read)
            sql = (
                "SELECT release_pk, text FROM attachments "
                f"WHERE release_pk IN {marks} AND text IS NOT NULL ORDER BY pk"
            )
            for pk, text_ in reads.rows(sql, params):
                texts.setdefault(pk, []).append(text_)
            sql = f"SELECT {', '.join(names)} FROM releases WHERE pk IN {marks}"
            rows = {
                row[0]: _with_persons(dict(zip(names, row, strict=True)))
                for row in reads.rows(sql, params)
            }
        for pk in sorted(part):
            if pk in known:
                found.append(known[pk])
            elif pk in rows:
                found.append((rows[pk], texts.get(pk, [])))
    return found


def short_text(row: dict) -> str:
    """The folded text of a release row's indexed columns but the body (its title, short
    fields and persons): every word of their document parts is in it."""
    persons = [f"{p['name']} {p.get('role') or ''}" for p in row["persons"] or []]
    shorts = (row.get(name) or "" for name in ("title", *SHORT_FIELDS))
    return fold(" ".join([*shorts, *persons]))


def _with_persons(row: dict) -> dict:
    """``row`` with its ``persons`` as a list (SQLite's plain SQL reads JSON as text)."""
    if isinstance(row["persons"], str):
        row["persons"] = json.loads(row["persons"])
    return row


def documents(conn: Connection, pks: list[int]) -> dict[int, dict[str, str]]:
    """The documents of the releases ``pks`` as made from their stored rows now (read
    before a write changes them, these are the words the index holds for them)."""
    return {
        row["pk"]: document(dict(row, attachments=" ".join(texts)))
        for row, texts in sources(conn, pks)
    }


class SearchIndex:
    """What both backends share: compiling a query tree with vocabulary expansion."""

    add_terms = ""
    columns: dict = {}
    rank_window = 2000
    """Ranking scores the ``rank_window`` most recently stored matches (see ``window``)."""

    def __init__(self, reads: Reads):
        self.reads = reads
        self.conn = reads.connection  # writes and PostgreSQL's ranking: SQLAlchemy's
        self._expanded: dict[str, tuple[list[str], list[str]]] = {}

    def family(self, word: str) -> list[str]:
        """The vocabulary words with the Snowball stem of ``word``."""
        sql = "SELECT term FROM search_terms WHERE stem = :stem"
        return self.reads.column(sql, {"stem": german.stem(word)})

    def infixes(self, word: str) -> list[str]:
        """Vocabulary words containing ``word`` after their first letter, shortest first."""
        found = [w for w in self._containing(word) if not w.startswith(word)]
        return sorted(found, key=lambda w: (len(w), w))[:MAX_EXPANSION]

    def expand(self, term: Term) -> tuple[list[str], list[str]]:
        """``(prefixes, words)`` a term matches: index words starting with one of the
        prefixes, and the whole words listed."""
        key = f"{term.mode}:{term.word}"
        if key not in self._expanded:
            self._expanded[key] = self._expand(term)
        return self._expanded[key]

    def _expand(self, term: Term) -> tuple[list[str], list[str]]:
        if term.mode == "prefix":
            return [term.word], []
        family = self.family(term.word)
        if term.mode == "exact":
            return [], sorted(set(family) | {term.word})
        seeds = german.seeds(term.word, family, MIN_CONTAINS)
        short = {f for f in family if len(f) < MIN_CONTAINS}
        inside = {w for seed in seeds for w in self.infixes(seed)}
        whole = (set(family) | inside | short) - set(seeds)
        whole = {w for w in whole if not w.startswith(tuple(seeds))}
        return seeds, sorted(whole, key=lambda w: (len(w), w))[:MAX_EXPANSION]

    def highlights(self, terms: list[Term | Phrase]) -> list[Term | Phrase]:
        """``terms`` as the words they matched, for ``snippet.hit_test``."""
        found: list[Term | Phrase] = []
        for term in terms:
            if isinstance(term, Phrase) or term.mode == "prefix":
                found.append(term)
                continue
            prefixes, whole = self.expand(term)
            found += [Term(p, "contains") for p in prefixes]
            found += [Term(w, "exact") for w in whole]
        return found

    def compile(self, node, field: str | None = None) -> str:
        """The backend's match expression for a query tree."""
        if isinstance(node, Term | Phrase):
            return self.restrict(self.any_of(self.options(node, field)), field)
        if isinstance(node, Field):
            return self.compile(node.node, node.name)
        if isinstance(node, Or):
            return self.any_of([self.compile(option, field) for option in node.options])
        assert isinstance(node, And)
        return self.all_of(
            [self.compile(n, field) for n in node.include],
            [self.compile(n, field) for n in node.exclude],
        )

    def options(self, node: Term | Phrase, field: str | None = None) -> list[str]:
        """The backend's match expressions of a term's forms (a phrase: itself), any of
        which matches."""
        if isinstance(node, Phrase):
            return [self.phrase(node, field)]
        prefixes, whole = self.expand(node)
        prefixes, listed = self.spelled(prefixes)
        options = [self.word(p, field, True) for p in prefixes]
        return options + [self.word(w, field) for w in [*whole, *listed]]

    def spelled(self, prefixes: list[str]) -> tuple[list[str], list[str]]:
        """``(prefixes, words)``: the prefixes to match as prefixes, and the words that
        stand in for the others (none by default)."""
        return prefixes, []

    def before_search(self) -> None:
        """Prepare the connection for a search query (nothing to do by default)."""

    def limits(self, tree, cap: int) -> tuple[int, int]:
        """``(rank window, count cap)`` for a query tree: ``rank_window`` and ``cap``."""
        return self.rank_window, cap

    def store(
        self,
        docs: list[tuple[int, dict[str, str]]],
        old: dict[int, dict[str, str]] | None = None,
        found: Iterable[str] | None = None,
    ) -> None:
        """(Re)index the given ``(release pk, document)`` pairs; ``old`` holds the documents
        the index has now for those of the releases it holds (see ``documents``); ``found``
        the documents' words, where the caller has them split already."""
        if found is None:
            found = chain.from_iterable(part.split() for _, doc in docs for part in doc.values())
        terms = self.unknown(vocabulary(found))
        self._store(docs, old or {})
        if terms:
            from sqlalchemy import text

            rows = zip(terms, german.stems(terms), strict=True)
            self.conn.execute(text(self.add_terms), [{"term": t, "stem": s} for t, s in rows])

    def unknown(self, terms: list[str], chunk: int = 2000) -> list[str]:
        """``terms`` not in the vocabulary yet (most words of a batch are known already;
        looking them up costs less than inserting them again)."""
        from sqlalchemy import bindparam, text

        stmt = text("SELECT term FROM search_terms WHERE term IN :terms")
        stmt = stmt.bindparams(bindparam("terms", expanding=True))
        known: set[str] = set()
        for start in range(0, len(terms), chunk):
            known.update(self.conn.scalars(stmt, {"terms": terms[start : start + chunk]}))
        return [term for term in terms if term not in known]


class SqliteIndex(SearchIndex):
    add_terms = "INSERT OR IGNORE INTO search_terms (term, stem) VALUES (:term, :stem)"
    columns = {None: "{title extra body persons}", "title": "title"}
    columns |= {"person": "persons", "ministry": "ministry"}
    contentful = False
    """True only while migrations before 0013 rebuild the index (see ``rebuild``)."""

    @cached_property
    def paired(self) -> bool:
        """Whether the archive has the pair table (not before migration 0017)."""
        sql = "SELECT 1 FROM sqlite_master WHERE name = :name"
        return self.reads.value(sql, {"name": phrase_pairs.TABLE}) is not None

    def optimize(self) -> None:
        """Merge the index (and the pair table) into one segment (after a bulk load)."""
        names = ["release_search", phrase_pairs.TABLE] if self.paired else ["release_search"]
        for name in names:
            self.conn.exec_driver_sql(f"INSERT INTO {name} ({name}) VALUES ('optimize')")

    def spelled(self, prefixes: list[str]) -> tuple[list[str], list[str]]:
        """A prefix of 3+ letters (not digits) that starts at most ``MAX_SPELLED``
        vocabulary words is matched as those words: FTS5 merges the whole index's lists
        of a prefix's words before it returns the first match (and again for bm25),
        while a list of words is read only as far as the newest matches reach. Every
        indexed word of 3+ letters that is not a number is in the vocabulary, so the
        same documents match (the scores differ a little: bm25 weighs each word)."""
        kept, listed = [], []
        sql = "SELECT term FROM search_terms WHERE term >= :low AND term < :high LIMIT :most"
        for prefix in prefixes:
            found = []
            if len(prefix) >= MIN_VOCABULARY and not prefix.isdigit():
                high = prefix[:-1] + chr(ord(prefix[-1]) + 1)
                args = {"low": prefix, "high": high, "most": MAX_SPELLED + 1}
                found = self.reads.column(sql, args)
            if found and len(found) <= MAX_SPELLED:
                listed += found
            else:
                kept.append(prefix)
        return kept, listed

    def _containing(self, word: str) -> list[str]:
        sql = (
            "SELECT t.term FROM search_terms_tri JOIN search_terms t "
            "ON t.id = search_terms_tri.rowid WHERE search_terms_tri MATCH :q"
        )
        return self.reads.column(sql, {"q": f'"{word}"'})

    @staticmethod
    def word(word: str, field: str | None = None, prefix: bool = False) -> str:
        return f'"{word}"' + ("*" if prefix else "")

    @staticmethod
    def phrase(phrase: Phrase, field: str | None = None) -> str:
        return '"' + " ".join(phrase.words) + '"' + ("*" if phrase.prefix else "")

    def restrict(self, expression: str, field: str | None) -> str:
        return f"{self.columns[field]} : {expression}"

    @staticmethod
    def any_of(parts: list[str]) -> str:
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def all_of(self, include: list[str], exclude: list[str]) -> str:
        query = "(" + " AND ".join(include) + ")"
        return f"{query} NOT {self.any_of(exclude)}" if exclude else query

    def _store(self, docs, old: dict[int, dict[str, str]]) -> None:
        """Take the documents' old versions out (a contentless index needs their words),
        then add the new ones."""
        latest = dict(docs)
        if self.contentful:
            self.conn.exec_driver_sql(
                "DELETE FROM release_search WHERE rowid = ?", [(pk,) for pk in latest]
            )
        replaced = [(pk, *(old[pk][p] for p in PARTS)) for pk in latest if pk in old]
        if replaced and not self.contentful:
            self.conn.exec_driver_sql(
                "INSERT INTO release_search "
                "(release_search, rowid, title, extra, body, persons, ministry) "
                "VALUES ('delete', ?, ?, ?, ?, ?, ?)",
                replaced,
            )
        self.conn.exec_driver_sql(
            "INSERT INTO release_search (rowid, title, extra, body, persons, ministry) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(pk, *(doc[p] for p in PARTS)) for pk, doc in latest.items()],
        )
        if self.paired:
            self.store_pairs(latest, old)

    def store_pairs(self, latest: dict[int, dict[str, str]], old: dict | None = None) -> None:
        """The same for the pair table (see ``phrase_pairs``)."""
        name, old = phrase_pairs.TABLE, old or {}
        replaced = [(pk, phrase_pairs.pairs(old[pk])) for pk in latest if pk in old]
        if replaced:
            self.conn.exec_driver_sql(
                f"INSERT INTO {name} ({name}, rowid, pairs) VALUES ('delete', ?, ?)", replaced
            )
        self.conn.exec_driver_sql(
            f"INSERT INTO {name} (rowid, pairs) VALUES (?, ?)",
            [(pk, phrase_pairs.pairs(doc)) for pk, doc in latest.items()],
        )

    def window(
        self,
        match: str,
        conditions: list,
        size: int,
        below: int | None = None,
        scored=True,
        lowest: int | None = None,
    ) -> tuple[str, dict]:
        """SQL and parameters: ``(pk, score)`` of the ``size`` newest matches passing
        ``conditions`` (with pks below ``below`` and from ``lowest`` on, if given); the
        higher the score, the better (bm25 with ``WEIGHTS``, negated). Without
        ``scored``: the pks alone."""
        weights = ", ".join(map(str, WEIGHTS))
        score = f", -bm25(release_search, {weights})" if scored else ""
        joined = " JOIN releases ON releases.pk = release_search.rowid" if conditions else ""
        below_sql = " AND release_search.rowid < :below" if below is not None else ""
        below_sql += " AND release_search.rowid >= :lowest" if lowest is not None else ""
        filtered, params = where(conditions)
        sql = (
            f"SELECT release_search.rowid{score} FROM release_search{joined} "
            f"WHERE release_search MATCH :match{below_sql}{filtered} "
            "ORDER BY release_search.rowid DESC LIMIT :size"
        )
        return sql, params | {"match": match, "below": below, "lowest": lowest, "size": size}

    def ranked(
        self, match: str, conditions: list, size: int, cap: int, tree=None
    ) -> tuple[list, int]:
        """``(pk, score)`` of the ``size`` newest matches (see ``window``) and the number
        of matches, up to ``cap``: when the window is full, the count goes on below its
        oldest match (without bm25), so the window's matches are not read twice.
        A lone phrase of two or more words (``tree``) is ranked by ``phrase_scores``."""
        if lone_phrase(tree):
            found = self.phrase_matches(tree, match, conditions, cap)
            scores = self.phrase_scores(tree, found[:size], len(found))
            return list(zip(found[:size], scores, strict=True)), len(found)
        if lone_word(tree) and not conditions:
            found = self.reads.column(*self.window(match, conditions, size, scored=False))
            if len(found) == size:
                from storage import window_scores  # it imports this module

                scores = window_scores.scores(self.reads, self.options(tree), found)
                rows = list(zip(found, scores, strict=True))
                return rows, size + self.count_below(match, conditions, cap - size, found[-1])
        rows = self.reads.rows(*self.window(match, conditions, size))
        if len(rows) < size:
            return rows, len(rows)
        return rows, size + self.count_below(match, conditions, cap - size, rows[-1][0])

    def count_below(self, match: str, conditions: list, cap: int, below: int) -> int:
        """The number of matches passing ``conditions`` with pks below ``below``, up to
        ``cap``."""
        sql, params = self.window(match, conditions, cap, below=below, scored=False)
        return self.reads.value(f"SELECT count(*) FROM ({sql})", params)

    def phrase_matches(self, phrase: Phrase, match: str, conditions: list, cap: int) -> list:
        """The pks of the ``cap`` newest matches of a lone phrase (its FTS5 ``match``).
        Where the pair table answers it (see ``phrase_pairs``): a pair's releases; for
        three or more words, the releases with all its pairs, ``CHECK_CHUNK`` at a time,
        checked in their stored texts, until a chunk's pks lie close together (fewer than
        ``SPAN_PER_TEXT`` per candidate): from there on FTS5 finds the rest (down to the
        last candidate's pk: every match is a candidate)."""
        if not (self.paired and phrase_pairs.usable(phrase)):
            return self.fts_matches(match, conditions, cap)
        wanted = phrase_pairs.match(phrase)
        if phrase_pairs.exact(phrase):
            return self.reads.column(*self.candidates(wanted, conditions, cap))
        found: list[int] = []
        below = None
        while len(found) < cap:
            chunk = self.reads.column(*self.candidates(wanted, conditions, CHECK_CHUNK, below))
            if not chunk:
                break
            if chunk[0] - chunk[-1] < SPAN_PER_TEXT * len(chunk):
                lowest = chunk[-1] if len(chunk) < CHECK_CHUNK else None
                sql, params = self.window(
                    match, conditions, cap - len(found), chunk[0] + 1, scored=False, lowest=lowest
                )
                return found + self.reads.column(sql, params)
            found += self.checked(phrase, chunk)
            if len(chunk) < CHECK_CHUNK:
                break
            below = chunk[-1]
        return found[:cap]

    def checked(self, phrase: Phrase, pks: list[int]) -> list[int]:
        """Those of the releases ``pks`` whose stored texts have ``phrase``, in order."""
        held = set()
        for row, texts in sources(self.reads, pks):
            body = " ".join([row["body"] or "", *texts])
            if phrase_pairs.in_text(body, phrase) or _in_short_parts(row, phrase):
                held.add(row["pk"])
        return [pk for pk in pks if pk in held]

    def fts_matches(self, match: str, conditions: list, cap: int) -> list[int]:
        """The pks of the ``cap`` newest matches of ``match`` in FTS5."""
        return self.reads.column(*self.window(match, conditions, cap, scored=False))

    def candidates(
        self, wanted: str, conditions: list, size: int, below: int | None = None
    ) -> tuple[str, dict]:
        """SQL and parameters: the pks of the ``size`` newest releases (with pks below
        ``below``, if given) passing ``conditions`` whose pairs match ``wanted``."""
        name = phrase_pairs.TABLE
        joined = f" JOIN releases ON releases.pk = {name}.rowid" if conditions else ""
        below_sql = f" AND {name}.rowid < :below" if below is not None else ""
        filtered, params = where(conditions)
        sql = (
            f"SELECT {name}.rowid FROM {name}{joined} "
            f"WHERE {name} MATCH :pairs{below_sql}{filtered} "
            f"ORDER BY {name}.rowid DESC LIMIT :size"
        )
        return sql, params | {"pairs": wanted, "below": below, "size": size}

    def limits(self, tree, cap: int) -> tuple[int, int]:
        """A lone phrase of two or more words: ``PHRASE_WINDOW`` and ``PHRASE_CAP``."""
        return (PHRASE_WINDOW, PHRASE_CAP) if lone_phrase(tree) else (self.rank_window, cap)

    def phrase_scores(self, phrase: Phrase, pks: list[int], matches: int) -> list[float]:
        """bm25 with ``WEIGHTS`` of a lone phrase in the releases ``pks``, without FTS5's
        bm25 (which counts the phrase's documents over the whole index first: every
        document with all its words, positions compared). The phrase's weight is the same
        in every document, so the order comes from the phrase's occurrences per field and
        each document's length (FTS5's own record of it): the occurrences in the title,
        short fields and persons are counted in the stored fields; the body counts once
        when none of those has the phrase (its occurrences there are not counted: reading
        and folding the bodies would cost what bm25 does)."""
        if not pks:
            return []
        lengths = document_lengths(self.reads, pks)
        documents, average = averages(self.reads)
        weight = max(math.log((documents - matches + 0.5) / (matches + 0.5)), 1e-6)
        scores = []
        short = self.short_occurrences(phrase, pks)
        for pk in pks:
            found = short.get(pk) or WEIGHTS[PARTS.index("body")]
            norm = 1 - BM25_B + BM25_B * lengths[pk] / average
            scores.append(weight * found * (BM25_K1 + 1) / (found + BM25_K1 * norm))
        return scores

    def short_occurrences(self, phrase: Phrase, pks: list[int]) -> dict[int, float]:
        """The weighted occurrences of ``phrase`` in the title, short fields and persons
        of those releases ``pks`` that have it there (their folded text is searched for
        its words first; only those with all of them are split into words)."""
        names = ("pk", "title", "persons", *SHORT_FIELDS)
        marks, params = in_list("pk", pks)
        sql = f"SELECT {', '.join(names)} FROM releases WHERE pk IN {marks}"
        found = {}
        for values in self.reads.rows(sql, params):
            row = _with_persons(dict(zip(names, values, strict=True)))
            text = short_text(row)
            if all(word in text for word in phrase.words):
                parts = document(dict(row))
                found[row["pk"]] = sum(
                    WEIGHTS[PARTS.index(part)] * occurrences(parts[part].split(), phrase)
                    for part in ("title", "extra", "persons")
                )
        return found


def _in_short_parts(row: dict, phrase: Phrase) -> bool:
    """Whether a release row's parts but the body have ``phrase`` (made into words only
    when their folded text has every word of it)."""
    text = short_text(row)
    return all(word in text for word in phrase.words) and phrase_pairs.in_parts(
        document(dict(row, body="")), phrase
    )


def lone_word(tree) -> bool:
    """Whether a query tree is one word or a quoted word (no field, nothing else)."""
    return isinstance(tree, Term) or (isinstance(tree, Phrase) and len(tree.words) == 1)


def lone_phrase(tree) -> bool:
    """Whether a query tree is one phrase of two or more words (no field, nothing else)."""
    return isinstance(tree, Phrase) and len(tree.words) > 1


def occurrences(found: list[str], phrase: Phrase) -> int:
    """How often ``phrase`` occurs in the words ``found`` (its last word as a prefix if
    the phrase is one)."""
    size, *head, last = len(phrase.words), *phrase.words[:-1], phrase.words[-1]
    return sum(
        1
        for i in range(len(found) - size + 1)
        if found[i : i + size - 1] == head
        and (found[i + size - 1].startswith(last) if phrase.prefix else found[i + size - 1] == last)
    )


def document_lengths(reads: Reads, pks: list[int]) -> dict[int, int]:
    """SQLite: the length in words of the documents ``pks`` (FTS5's own record of it)."""
    marks = ",".join("?" * len(pks))
    cursor = reads.cursor()  # many rows: without SQLAlchemy's
    cursor.execute(f"SELECT id, sz FROM release_search_docsize WHERE id IN ({marks})", pks)
    return {pk: sum(_varints(size)) for pk, size in cursor}


def averages(reads: Reads) -> tuple[int, float]:
    """SQLite: the index's number of documents and their average length in words (FTS5's
    "averages" record)."""
    documents, *totals = _varints(reads.value("SELECT block FROM release_search_data WHERE id = 1"))
    return documents, sum(totals) / max(documents, 1)


def _varints(blob: bytes) -> list[int]:
    """The SQLite varints of an FTS5 record (values below 2**56)."""
    values, value = [], 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            values.append(value)
            value = 0
    return values


TAGS = {"person": "p~", "ministry": "m~"}
"""PostgreSQL: lexeme prefixes of the persons and ministry copies (``~`` is never in a word)."""


def pair(first: str, second: str) -> str:
    """PostgreSQL: two neighbouring words as one lexeme, ``_digitalpakt_schule`` (``_`` is
    never in a word, so no word prefix such as ``digital:*`` matches a pair)."""
    return f"_{first}_{second}"


def tsvector(doc: dict[str, str]) -> str:
    """The ``tsvector`` literal of a document: parts one position apart, weighted; and
    each pair of neighbouring words of a part (``_digitalpakt_schule``, no position), so a
    two-word phrase is one index lookup without reading the documents."""
    parts = [
        ("", "title", "A"),
        ("", "extra", "B"),
        ("", "persons", "B"),
        ("", "body", "C"),
        (TAGS["person"], "persons", ""),
        (TAGS["ministry"], "ministry", ""),
    ]
    positions: dict[str, list[str]] = defaultdict(list)
    pairs: set[str] = set()
    position = 0
    for tag, part, weight in parts:
        words = doc[part].split()
        for word in words:
            position = min(position + 1, MAX_POSITION)
            if len(positions[tag + word]) < 256:
                positions[tag + word].append(f"{position}{weight}")
        if not tag:
            pairs.update(pair(a, b) for a, b in zip(words, words[1:], strict=False))
        position += 1
    located = (f"'{lexeme}':{','.join(at)}" for lexeme, at in positions.items())
    return " ".join([*located, *(f"'{pair}'" for pair in pairs)])


_PAIR = re.compile(r"'(_[^'\s]+)'(?!:)")
_ONLY_PAIRS = re.compile(r"[\s()&]*(?:'_[^'\s]+'(?!:)[\s()&]*)+")


def pairs_only(match: str) -> str | None:
    """The ``tsvector`` literal of the word pairs of ``match`` when it is nothing but
    whole pairs ANDed (no prefix, weight, other word, ``|`` or ``!``), else None."""
    if not _ONLY_PAIRS.fullmatch(match):
        return None
    return " ".join(f"'{lexeme}'" for lexeme in sorted(set(_PAIR.findall(match))))


class PostgresIndex(SearchIndex):
    rank_window = 1000
    """Smaller than SQLite's: ranking reads each document from the TOAST table (~25 µs)."""
    add_terms = "INSERT INTO search_terms (term, stem) VALUES (:term, :stem) ON CONFLICT DO NOTHING"

    def before_search(self) -> None:
        """Make the planner use the GIN index (a bitmap scan): it prices reading every
        (TOASTed) tsvector far too low and would scan the table or the primary key.
        One statement, one round trip (``set_config`` with ``true``: as ``SET LOCAL``)."""
        self.reads.rows(
            "SELECT set_config('enable_seqscan', 'off', true), "
            "set_config('enable_indexscan', 'off', true)"
        )

    def optimize(self) -> None:
        """Refresh the planner's statistics (after a bulk load), so it uses the GIN index."""
        for name in ("releases", "release_persons", "release_search", "search_terms"):
            self.conn.exec_driver_sql(f"ANALYZE {name}")

    def _containing(self, word: str) -> list[str]:
        sql = "SELECT term FROM search_terms WHERE term LIKE :pattern"
        return self.reads.column(sql, {"pattern": f"_%{word}%"})

    @staticmethod
    def word(word: str, field: str | None = None, prefix: bool = False) -> str:
        marks = ("*" if prefix else "") + ("A" if field == "title" else "")
        return f"'{TAGS.get(field, '')}{word}'" + (f":{marks}" if marks else "")

    def phrase(self, phrase: Phrase, field: str | None = None) -> str:
        """Neighbouring words as word pairs (found in the index alone), and for three or
        more words also in order (``<->``, checked in the documents the pairs found)."""
        words, last = phrase.words, len(phrase.words) - 1
        ordered = [self.word(w, field, phrase.prefix and i == last) for i, w in enumerate(words)]
        if field is not None or len(words) == 1:
            return "(" + " <-> ".join(ordered) + ")"
        pairs = [
            self.word(pair(a, b), None, phrase.prefix and i == last - 1)
            for i, (a, b) in enumerate(zip(words, words[1:], strict=False))
        ]
        if len(pairs) == 1:
            return pairs[0]
        return "(" + " & ".join(pairs) + " & (" + " <-> ".join(ordered) + "))"

    @staticmethod
    def restrict(expression: str, field: str | None) -> str:
        return expression

    @staticmethod
    def any_of(parts: list[str]) -> str:
        return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"

    def all_of(self, include: list[str], exclude: list[str]) -> str:
        return "(" + " & ".join(include + [f"!{self.any_of(exclude)}"] * bool(exclude)) + ")"

    def _store(self, docs, old: dict[int, dict[str, str]]) -> None:
        from sqlalchemy import text

        self.conn.execute(
            text(
                "INSERT INTO release_search (release_pk, document) "
                "VALUES (:pk, CAST(:document AS tsvector)) "
                "ON CONFLICT (release_pk) DO UPDATE SET document = excluded.document"
            ),
            [{"pk": pk, "document": tsvector(doc)} for pk, doc in docs],
        )

    def window(self, match: str, conditions: list, size: int, counted=False) -> Select:
        """As for SQLite; ``ts_rank`` is computed for the window's rows only (it counts
        word pairs, which have no positions for ``ts_rank_cd``).
        ``counted`` adds a third column: the number of all matches.

        A match of word pairs alone (a two-word phrase, or several ANDed) scores the same
        in every document that holds it (a pair has no position or weight), so it is
        scored once on the pairs themselves instead of reading each document."""
        from sqlalchemy import bindparam, cast, column, func, select, table
        from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR  # not on SQLite's path

        fts = table("release_search", column("release_pk"), column("document"))
        query = cast(bindparam("match", match), TSQUERY)
        pk = fts.c.release_pk
        columns = [pk, func.count().over().label("total")] if counted else [pk]
        newest = select(*columns).select_from(fts).where(fts.c.document.op("@@")(query))
        newest = _filtered(newest, pk, conditions).order_by(pk.desc()).limit(size).subquery()
        extra = [newest.c.total] if counted else []
        pairs = pairs_only(match)
        if pairs is not None:
            score = func.ts_rank(cast(bindparam("pairs", pairs), TSVECTOR), query)
            return select(newest.c.release_pk, score, *extra).select_from(newest)
        score = func.ts_rank(fts.c.document, query)
        stmt = select(newest.c.release_pk, score, *extra).select_from(newest)
        return stmt.join(fts, pk == newest.c.release_pk)

    def ranked(
        self, match: str, conditions: list, size: int, cap: int, tree=None
    ) -> tuple[list, int]:
        """As for SQLite (``tree`` is not used), counted in the same pass (the bitmap scan
        reads every match)."""
        rows = self.conn.execute(self.window(match, conditions, size, counted=True)).all()
        return [(pk, score) for pk, score, _ in rows], rows[0][2] if rows else 0


def rebuild(conn: Connection, chunk: int = 500, store: Callable | None = None) -> None:
    """Index every release with its attachments' text (for migrations; tables exist, and
    a contentless SQLite index is empty: a new table). ``store``: what is done with each
    chunk's ``(pk, document)`` pairs instead of storing them in the whole index."""
    from sqlalchemy import JSON, column, inspect, select, table

    index = index_for(conn)
    if isinstance(index, SqliteIndex):
        index.contentful = "release_search_content" in inspect(conn).get_table_names()
    names = ("title", "body", *SHORT_FIELDS)
    releases = table("releases", column("pk"), column("persons", JSON), *map(column, names))
    attachments = table("attachments", *map(column, ("pk", "release_pk", "text")))
    result = conn.execute(select(releases).order_by(releases.c.pk)).mappings()
    for rows in iter(lambda: result.fetchmany(chunk), []):
        texts: dict[int, list[str]] = defaultdict(list)
        stmt = select(attachments.c.release_pk, attachments.c.text).order_by(attachments.c.pk)
        for release_pk, text_ in conn.execute(
            stmt.where(attachments.c.release_pk.in_([row["pk"] for row in rows]))
        ):
            texts[release_pk].append(text_ or "")
        (store or index.store)(
            [
                (row["pk"], document(dict(row, attachments=" ".join(texts[row["pk"]]))))
                for row in rows
            ]
        )


def clauses(conditions: list) -> list:
    """``sqlread.Condition`` s as SQLAlchemy clauses (their parameters bound)."""
    from sqlalchemy import text

    return [text(c.sql).bindparams(**c.params) for c in conditions]


def _filtered(stmt: Select, pk, conditions: list) -> Select:
    """``stmt`` joined to ``releases`` and restricted by ``conditions``, if any."""
    if not conditions:
        return stmt
    from sqlalchemy import column, table

    releases = table("releases", column("pk"))
    return stmt.join(releases, releases.c.pk == pk).where(*clauses(conditions))


def index_for(source) -> SearchIndex:
    """The index implementation for the database of ``source`` (a ``sqlread.Reads``, or
    a SQLAlchemy session or connection)."""
    reads = reads_for(source)
    return PostgresIndex(reads) if reads.dialect == "postgresql" else SqliteIndex(reads)

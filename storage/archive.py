"""The Archive: open (and migrate) a database, store batches, read releases back."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from storage import browse, clusters, ministries, reader, search
from storage import runs as crawl_log
from storage.engine import make_engine, migrate
from storage.errors import ArchiveError, one_line
from storage.models import Release
from storage.records import prepare
from storage.search import DEFAULT_LIMIT
from storage.search_index import document_words, documents, index_for, sources
from storage.writer import StoreCounts, plan_items, store_reparse


def _safe_url(db_url: str) -> str:
    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable URL>"


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused: a batch makes hundreds of thousands of
    small objects (rows, words, shingles) and no cycles worth collecting halfway; the
    collections it would trigger cost about a tenth of the batch's CPU time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Archive:
    """The release archive behind one SQLAlchemy URL; use as a context manager."""

    def __init__(self, db_url: str, resolve_ministry: ministries.Resolve | None = None):
        self._resolve_ministry = resolve_ministry
        try:
            self.engine = make_engine(db_url)
            migrate(self.engine)
        except Exception as exc:  # bad URL, missing driver, unreachable server, bad schema
            message = f"cannot open archive {_safe_url(db_url)}: {one_line(exc)}"
            raise ArchiveError(message) from exc

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """A session for reads; database failures become a one-line ``ArchiveError``."""
        try:
            with self._session() as session:
                yield session
        except SQLAlchemyError as exc:
            raise ArchiveError(f"archive read failed: {one_line(exc)}") from exc

    def resolve_ministry(self) -> ministries.Resolve:
        """How releases are linked to the ministries authority file (loaded on first use;
        an unreadable user file is a one-line ``ArchiveError``)."""
        if self._resolve_ministry is None:
            try:
                self._resolve_ministry = ministries.default_resolver()
            except Exception as exc:  # scraper.ministries.AuthorityError
                raise ArchiveError(f"ministries authority file: {exc}") from exc
        return self._resolve_ministry

    def _texts_changed(
        self,
        conn: Connection,
        pks: list[int],
        old: dict[int, dict[str, str]],
        written: dict[int, tuple[dict, list[str]]] | None = None,
    ) -> None:
        """Keep the search index and the near-duplicate clusters in step with the
        releases ``pks`` (new texts or attachments), inside the write transaction; ``old``
        are the documents of those that were indexed, read before the write; ``written``
        the indexed columns of those the caller knows as written (see ``sources``)."""
        if not pks:
            return
        found = sources(conn, pks, known=written)
        split = [
            (row["pk"], document_words(dict(row, attachments=" ".join(texts))))
            for row, texts in found
        ]
        docs = [(pk, {part: " ".join(w) for part, w in parts.items()}) for pk, parts in split]
        # Without attachment texts, a document's title and body are the folded words the
        # shingles are made of: no need to fold the text a second time.
        known = {
            pk: parts["title"] + parts["body"]
            for (pk, parts), (_, texts) in zip(split, found, strict=True)
            if not texts
        }
        clusters.update(conn, [(row["pk"], row["title"], row["body"]) for row, _ in found], known)
        every = chain.from_iterable(w for _, parts in split for w in parts.values())
        index_for(conn).store(docs, old, every)

    def store(self, items: Iterable[dict], then=None) -> StoreCounts:
        """Store one batch in one transaction: all of it or (on any error) none of it.

        ``then(session, counts)``, if given, runs inside the same transaction at its end
        (the crawl log and HTTP validators are written there, see ``storage.crawlstate``).
        """
        prepared = [prepare(item) for item in items]
        resolve = self.resolve_ministry()  # an unreadable authority file fails before the batch
        try:
            with _gc_paused(), self._session() as session, session.begin():
                conn = session.connection()
                plan = plan_items(conn, prepared, resolve)
                old = documents(conn, plan.replacing())
                counts, changed = StoreCounts(**plan.counts), plan.write()
                self._texts_changed(conn, changed, old, plan.written())
                if then is not None:
                    then(session, counts)
        except SQLAlchemyError as exc:
            raise ArchiveError(f"batch not stored: {one_line(exc)}") from exc
        return counts

    def store_reparses(self, reparsed: list[tuple[str, dict]], note: str) -> int:
        """Record reparsed texts ``(release id, item)`` in one transaction.

        Each that differs from its release's current text becomes a new revision marked
        ``source="reparse"`` with ``note``; returns how many did.
        """
        prepared = [(release_id, prepare(item)) for release_id, item in reparsed]
        resolve = self.resolve_ministry()
        try:
            with self._session() as session, session.begin():
                releases = {rid: self._release(session, rid) for rid, _ in prepared}
                pks = [release.pk for release in releases.values() if release is not None]
                old = documents(session.connection(), pks)
                changed = [
                    release.pk
                    for rid, item in prepared
                    if (release := releases[rid]) is not None
                    and store_reparse(session, release, item, note, resolve)
                ]
                session.flush()
                self._texts_changed(session.connection(), list(dict.fromkeys(changed)), old)
                return len(changed)
        except SQLAlchemyError as exc:
            raise ArchiveError(f"reparse not stored: {one_line(exc)}") from exc

    def link_ministries(self) -> dict[str, int]:
        """Link every release to the ministries authority file anew (one transaction)."""
        resolve = self.resolve_ministry()
        try:
            with self._session() as session, session.begin():
                return ministries.relink(session, resolve)
        except SQLAlchemyError as exc:
            raise ArchiveError(f"ministry links not stored: {one_line(exc)}") from exc

    def ministry_counts(self) -> tuple[dict[str, dict], dict[str | None, dict]]:
        """Releases per ministry entry id, and per printed name of the unlinked ones."""
        with self._reading() as session:
            return ministries.release_counts(session)

    def releases(self, site=None, since=None, until=None) -> Iterator[dict]:
        """Export rows ordered by ``published`` (undated last), then id."""
        stmt = reader.release_query(site, since, until)
        with self._reading() as session:
            yield from reader.rows(session, stmt)

    def _release(self, session: Session, release_id: str) -> Release | None:
        return session.scalar(select(Release).where(Release.id == release_id))

    def get(self, release_id: str) -> dict | None:
        """The export row of one release, or None."""
        with self._reading() as session:
            release = self._release(session, release_id)
            if release is None:
                return None
            return reader.row(release, reader.urls_of(session, [release.pk])[release.pk])

    def revisions(self, release_id: str) -> list[dict]:
        """Every revision of one release, oldest first (empty for an unknown id)."""
        with self._reading() as session:
            release = self._release(session, release_id)
            return reader.revisions(session, release) if release else []

    def sites(self) -> dict[str, int]:
        """Release counts per site id."""
        stmt = select(Release.site, func.count()).group_by(Release.site).order_by(Release.site)
        with self._reading() as session:
            return dict(session.execute(stmt).all())

    def count(self) -> int:
        """How many releases the archive holds."""
        with self._reading() as session:
            return session.scalar(select(func.count()).select_from(Release))

    def search(
        self,
        query: str,
        site=None,
        ministry=None,
        since=None,
        until=None,
        person=None,
        kind=None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[dict]:
        """Ranked full-text hits (see ``storage.query`` for the syntax); ``SearchError``."""
        with self._reading() as session:
            return search.search(
                session,
                query,
                limit,
                site=site,
                ministry=ministry,
                since=since,
                until=until,
                person=person,
                kind=kind,
            )

    def find(self, query: str, limit: int = DEFAULT_LIMIT, offset: int = 0, **options) -> dict:
        """``search`` with the hit count: ``{"total", "capped", "hits"}`` (options as there)."""
        with self._reading() as session:
            return search.find(session, query, limit, offset, **options)

    def show(self, release_id: str) -> dict | None:
        """One release with URLs, first/last seen and its revisions with word diffs."""
        with self._reading() as session:
            release = self._release(session, release_id)
            if release is None:
                return None
            data = browse.show(session, release)
            data["cluster"] = clusters.cluster_ids(session, [release.pk])[release.pk]
            data["also_published_as"] = clusters.also_published(session, [release.pk])[release.pk]
            return data

    def dupes(self, limit: int = 100) -> list[dict]:
        """Releases published more than once (near-duplicates), most recently grown first."""
        with self._reading() as session:
            return clusters.clusters(session, limit)

    def rebuild_dupes(self, echo=None, after: int | None = None) -> int:
        """Recompute the near-duplicate clusters of every release (one transaction); with
        ``after``, check only the releases past that pk."""
        try:
            with self._session() as session, session.begin():
                return clusters.rebuild(session, echo=echo, after=after)
        except SQLAlchemyError as exc:
            raise ArchiveError(f"clusters not stored: {one_line(exc)}") from exc

    def persons(self, search: str | None = None) -> list[dict]:
        """People named in releases, with offices and release counts."""
        with self._reading() as session:
            return browse.persons(session, search)

    def changes(self, since=None) -> list[dict]:
        """Releases edited after publication, newest change first, with word diffs."""
        with self._reading() as session:
            return browse.changes(session, reader.as_date(since, "since"))

    def stats(self) -> dict:
        """Releases per ministry and month, and field fill rates."""
        with self._reading() as session:
            return browse.stats(session)

    def runs(self, limit: int | None = None) -> list[dict]:
        """The newest crawl runs first, with their counters summed over sites."""
        with self._reading() as session:
            return crawl_log.list_runs(session, limit)

    def run(self, run_id: int) -> dict | None:
        """One crawl run with its per-site counters and every failure, or None."""
        with self._reading() as session:
            return crawl_log.get_run(session, run_id)

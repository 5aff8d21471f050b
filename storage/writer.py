"""Storing one batch of crawled items (called inside the batch's transaction).

A batch is stored in three steps: the releases, URLs and attachments it may touch are
read in a few queries (``_Known``); the items are matched one after another in memory,
exactly as if each were stored before the next is looked up (``_Plan``); then every table
gets its rows in one ``executemany`` (``_Plan.write``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import (
    Connection,
    Date,
    Select,
    String,
    Text,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from storage.bulk import insert_rows
from storage.ministries import Resolve, link
from storage.models import Attachment, Release, ReleasePerson, ReleaseUrl, Revision
from storage.records import PUBLIC_FIELDS, Item, fold
from storage.search_index import INDEXED_FIELDS

RELEASES, URLS, REVISIONS = Release.__table__, ReleaseUrl.__table__, Revision.__table__
PERSONS, ATTACHMENTS = ReleasePerson.__table__, Attachment.__table__
CHUNK = 200
"""Items per lookup query (each adds an ``OR`` term; SQLite limits expression depth)."""
TEXT_COLUMNS = tuple(n for n in PUBLIC_FIELDS if n != "published") + ("profile", "sources")
TEXT_INDEXED = tuple(n for n in INDEXED_FIELDS if n != "persons")
KNOWN_COLUMNS = ("pk", "id", "site", "ministry", "published", "title_key", "content_hash")
KNOWN_COLUMNS += ("revision", "first_seen", "last_seen", "ministry_id", "ministry_match")


class StoreCounts(NamedTuple):
    """How many items of a batch were new, changed or unchanged releases."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass(eq=False)
class _Release:
    """A release as the batch sees it: read from the archive or new in this batch."""

    order: tuple  # (0, pk) for stored releases, (1, n) for new ones: oldest first
    row: dict  # column values; ``pk`` is None until a new release is inserted
    attachments: set = field(default_factory=set)  # (url, sha256)
    new: bool = False
    text: bool = False  # got a new text in this batch
    touched: bool = False  # a new text or attachment: index, link and clusters follow
    seen: bool = False  # first/last seen moved

    @property
    def key(self) -> tuple | None:
        row = self.row
        if row["published"] and row["title_key"]:
            return (row["site"], row["published"], row["title_key"])
        return None


def _values(item: Item) -> dict:
    """The release columns an item's text sets."""
    fields = item.fields
    values = {name: fields[name] for name in TEXT_COLUMNS}
    values["sources"] = fields["sources"] or {}
    values["flags"] = fields["flags"]
    values["published"] = item.published
    values["title_key"] = item.title_key
    values["content_hash"] = item.content_hash
    return values


@lru_cache(maxsize=1)
def _lookup() -> Select:
    """Releases by id (``ids``), pk (``pks``) or any of ``CHUNK`` keys (``s0``, ``d0``,
    ``t0``: site, date, folded title): one statement, compiled once."""
    keys = [
        and_(
            RELEASES.c.site == bindparam(f"s{n}", type_=String),
            RELEASES.c.published == bindparam(f"d{n}", type_=Date),
            RELEASES.c.title_key == bindparam(f"t{n}", type_=Text),
        )
        for n in range(CHUNK)
    ]
    ids = RELEASES.c.id.in_(bindparam("ids", expanding=True))
    pks = RELEASES.c.pk.in_(bindparam("pks", expanding=True))
    return select(*(RELEASES.c[name] for name in KNOWN_COLUMNS)).where(or_(ids, pks, *keys))


class _Known:
    """What the archive holds for a batch: releases by URL, id and (site, date, title)."""

    def __init__(self, conn: Connection, items: list[Item]):
        self.by_url: dict[str, _Release] = {}
        self.by_id: dict[str, _Release] = {}
        self.by_key: dict[tuple, list[_Release]] = {}
        urls = sorted({item.url for item in items})
        url_pks: dict[str, int] = {}
        for start in range(0, len(urls), 5 * CHUNK):
            stmt = select(URLS.c.url, URLS.c.release_pk)
            stmt = stmt.where(URLS.c.url.in_(urls[start : start + 5 * CHUNK]))
            url_pks.update(conn.execute(stmt).all())
        releases: dict[int, _Release] = {}
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            params = {
                "ids": [item.id for item in chunk],
                "pks": sorted({url_pks[item.url] for item in chunk if item.url in url_pks}),
            }
            keyed = [item for item in chunk if item.published and item.title_key]
            for n in range(CHUNK):  # unused places match nothing (NULL)
                item = keyed[n] if n < len(keyed) else None
                params[f"s{n}"] = item and item.site
                params[f"d{n}"] = item and item.published
                params[f"t{n}"] = item and item.title_key
            for row in conn.execute(_lookup(), params).mappings():
                if row["pk"] not in releases:
                    releases[row["pk"]] = _Release((0, row["pk"]), dict(row))
        for release in releases.values():
            self.add(release)
        self.by_url = {url: releases[pk] for url, pk in url_pks.items()}
        if releases and any(item.attachments for item in items):
            stmt = select(ATTACHMENTS.c.release_pk, ATTACHMENTS.c.url, ATTACHMENTS.c.sha256)
            for pk, url, sha256 in conn.execute(
                stmt.where(ATTACHMENTS.c.release_pk.in_(sorted(releases)))
            ):
                releases[pk].attachments.add((url, sha256))

    def add(self, release: _Release) -> None:
        self.by_id[release.row["id"]] = release
        if release.key:
            self.by_key.setdefault(release.key, []).append(release)

    def rekey(self, release: _Release, old: tuple | None) -> None:
        """Follow a release whose date or folded title changed."""
        if old == release.key:
            return
        if old:
            self.by_key[old].remove(release)
        if release.key:
            self.by_key.setdefault(release.key, []).append(release)

    def find(self, item: Item) -> _Release | None:
        """The release ``item`` belongs to: by any known URL, else the oldest with its id
        or its (site, date, title)."""
        if item.url in self.by_url:
            return self.by_url[item.url]
        found = [self.by_id[item.id]] if item.id in self.by_id else []
        if item.published and item.title_key:
            found += self.by_key.get((item.site, item.published, item.title_key), [])
        return min(found, key=lambda release: release.order, default=None)


class _Plan:
    """The rows a batch writes, built item by item against ``_Known``."""

    def __init__(self, conn: Connection, items: list[Item], resolve: Resolve):
        self.conn, self.resolve = conn, resolve
        self.known = _Known(conn, items)
        self.releases: dict[_Release, None] = {}  # those to write, in first-touch order
        self.new = 0
        self.urls: list[tuple[str, _Release, datetime]] = []
        self.revisions: list[tuple[_Release, dict]] = []
        self.attachments: list[tuple[_Release, dict]] = []
        self.counts = {"new": 0, "changed": 0, "unchanged": 0}

    def add(self, item: Item) -> None:
        """Store one item in memory (see ``storage.writer`` for the rules)."""
        release = self.known.find(item)
        if release is None:
            row = {"pk": None, "id": item.id, "site": item.site, "url": item.url}
            row |= {"first_seen": item.fetched_at, "last_seen": item.fetched_at, "revision": 1}
            release = _Release((1, self.new), row | _values(item), new=True)
            release.text = release.touched = True
            self.known.add(release)
            self.new += 1
            outcome = "new"
        else:
            row = release.row
            first = min(row["first_seen"], item.fetched_at)
            last = max(row["last_seen"], item.fetched_at)
            release.seen |= (first, last) != (row["first_seen"], row["last_seen"])
            row["first_seen"], row["last_seen"] = first, last
            if row["content_hash"] == item.content_hash:
                outcome = "unchanged"
            else:
                old = release.key
                row["revision"] += 1
                row |= _values(item)
                self.known.rekey(release, old)
                release.text = release.touched = True
                outcome = "changed"
        self.counts[outcome] += 1
        self.releases[release] = None
        if item.url not in self.known.by_url:
            self.known.by_url[item.url] = release
            self.urls.append((item.url, release, item.fetched_at))
        for found in item.attachments:
            if (found["url"], found["sha256"]) not in release.attachments:
                release.attachments.add((found["url"], found["sha256"]))
                self.attachments.append((release, _attachment(found, item)))
                release.touched = True
        if outcome != "unchanged":
            self.revisions.append((release, _revision(item, release.row["revision"])))

    def written(self) -> dict[int, tuple[dict, list[str]]]:
        """What ``search_index.sources`` would read for the new releases once ``write``
        ran: their indexed columns and their attachments' texts, by pk (not for a
        release with a column that is neither text nor empty: the database stores it
        as text)."""
        texts: dict[_Release, list[str]] = {}
        for release, found in self.attachments:
            if release.new and found["text"] is not None:
                texts.setdefault(release, []).append(found["text"])
        out = {}
        for release in self.releases:
            row = release.row
            if release.new and all(isinstance(row[n], str | None) for n in TEXT_INDEXED):
                columns = {"pk": row["pk"]} | {n: row[n] for n in INDEXED_FIELDS}
                out[row["pk"]] = (columns, texts.get(release, []))
        return out

    def replacing(self) -> list[int]:
        """The pks of stored releases that ``write`` gives a new text or attachment."""
        return [r.row["pk"] for r in self.releases if r.touched and not r.new]

    def write(self) -> list[int]:
        """Write the planned rows; returns the pks of the releases with a new text or
        attachment, in the order they were first touched."""
        touched = [r for r in self.releases if r.touched]
        for release in touched:
            row = release.row
            row["ministry_id"], row["ministry_match"] = self.resolve(
                row["site"], row["ministry"], row["published"]
            )
        self._releases()
        conn = self.conn
        if self.urls:
            rows = [{"url": u, "release_pk": r.row["pk"], "first_seen": t} for u, r, t in self.urls]
            insert_rows(conn, URLS, rows)
        if self.revisions:
            rows = [
                v | {"release_pk": r.row["pk"], "fields": stored_fields(v["fields"], r.row["body"])}
                for r, v in self.revisions
            ]
            insert_rows(conn, REVISIONS, rows)
        self._persons()
        if self.attachments:
            rows = [v | {"release_pk": r.row["pk"]} for r, v in self.attachments]
            insert_rows(conn, ATTACHMENTS, rows)
        return [release.row["pk"] for release in touched]

    def _releases(self) -> None:
        new = [r for r in self.releases if r.new]
        if new and self.conn.dialect.name == "sqlite":
            # the pks SQLite would give (max + 1 on): one executemany, where RETURNING in
            # parameter order would insert row by row
            first = (self.conn.scalar(select(func.max(RELEASES.c.pk))) or 0) + 1
            for pk, release in enumerate(new, first):
                release.row["pk"] = pk
            insert_rows(self.conn, RELEASES, [r.row for r in new])
        elif new:
            stmt = insert(RELEASES).returning(RELEASES.c.pk, sort_by_parameter_order=True)
            rows = [{k: v for k, v in r.row.items() if k != "pk"} for r in new]
            for release, pk in zip(new, self.conn.execute(stmt, rows).scalars(), strict=True):
                release.row["pk"] = pk
        stored = [r for r in self.releases if not r.new]
        groups = {
            ("first_seen", "last_seen"): [r for r in stored if r.seen and not r.touched],
            ("first_seen", "last_seen", "revision", "ministry_id", "ministry_match"): [
                r for r in stored if r.touched and not r.text
            ],
            ("first_seen", "last_seen", "revision", "ministry_id", "ministry_match")
            + TEXT_COLUMNS
            + ("flags", "published", "title_key", "content_hash"): [r for r in stored if r.text],
        }
        for columns, releases in groups.items():
            if releases:
                stmt = update(RELEASES).where(RELEASES.c.pk == bindparam("b_pk"))
                stmt = stmt.values({c: bindparam(f"b_{c}") for c in columns})
                rows = [{f"b_{c}": r.row[c] for c in ("pk", *columns)} for r in releases]
                self.conn.execute(stmt, rows)

    def _persons(self) -> None:
        texts = [r for r in self.releases if r.text]
        stored = [r.row["pk"] for r in texts if not r.new]
        if stored:
            self.conn.execute(delete(PERSONS).where(PERSONS.c.release_pk.in_(stored)))
        rows = [row for r in texts for row in _person_rows(r.row["pk"], r.row["persons"])]
        insert_rows(self.conn, PERSONS, rows)


def _person_rows(pk: int, persons: list[dict]) -> list[dict]:
    return [
        {"release_pk": pk, "name": p["name"], "role": p["role"], "name_key": fold(p["name"])}
        for p in persons
    ]


def stored_fields(fields: dict, body: str | None) -> dict:
    """A revision's fields as stored, without the body where it is the release's current
    ``body``, as the triggers of migrations 0013 (SQLite, after the insert) and 0016
    (PostgreSQL, before it) would leave it out: left out here, the SQLite row does not
    shrink after it is written and leave free space, and PostgreSQL's trigger has nothing
    to rewrite (about 0.3 ms a revision under load)."""
    if isinstance(fields.get("body"), str) and fields["body"] == body:
        return {name: value for name, value in fields.items() if name != "body"}
    return fields


def _revision(item: Item, number: int, **extra) -> dict:
    warc = item.warc or {}
    return {
        "number": number,
        "content_hash": item.content_hash,
        "fields": item.fields,
        "fetched_at": item.fetched_at,
        "fetched_url": item.fetched_url,
        "warc_file": warc.get("file"),
        "warc_offset": warc.get("offset"),
        "warc_digest": warc.get("digest"),
        "source": None,
        "note": None,
    } | extra


def _attachment(found: dict, item: Item) -> dict:
    warc = found.get("warc") or {}
    return {
        "url": found["url"],
        "fetched_url": found.get("fetched_url"),
        "fetched_at": found.get("fetched_at") or item.fetched_at,
        "content_type": found.get("content_type"),
        "sha256": found["sha256"],
        "size": found["size"],
        "warc_file": warc.get("file"),
        "warc_offset": warc.get("offset"),
        "warc_digest": warc.get("digest"),
        "pages": found.get("pages"),
        "text": found.get("text"),
    }


def plan_items(conn: Connection, items: list[Item], resolve: Resolve) -> _Plan:
    """Match a batch against the archive; ``write()`` then stores it and returns the pks of
    the releases whose text or attachments changed (the search index and near-duplicate
    clusters must follow); ``counts`` are the new, changed and unchanged items.

    Each item is matched as if the ones before it were stored already: by a known URL,
    else the oldest release with its id or its (site, date, folded title). A new text
    becomes a new revision (none is ever changed); an unchanged one only moves first and
    last seen.
    """
    plan = _Plan(conn, items, resolve)
    for item in items:
        plan.add(item)
    return plan


def store_reparse(
    session: Session, release: Release, item: Item, note: str, resolve: Resolve
) -> bool:
    """Record a reparsed text as a new revision (``source="reparse"``) if it differs.

    The release's current text becomes the reparsed one; no revision is changed, and
    first/last seen stay as they are. Returns True when a revision was added.
    """
    if release.content_hash == item.content_hash:
        return False
    release.revision += 1
    for name, value in _values(item).items():
        setattr(release, name, value)
    link(release, resolve)
    conn = session.connection()
    session.flush()
    revision = _revision(item, release.revision, source="reparse", note=note)
    conn.execute(insert(REVISIONS), [revision | {"release_pk": release.pk}])
    conn.execute(delete(PERSONS).where(PERSONS.c.release_pk == release.pk))
    rows = _person_rows(release.pk, release.persons)
    if rows:
        conn.execute(insert(PERSONS), rows)
    return True

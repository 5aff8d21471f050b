"""The same release everywhere: near-duplicates across sites and reposts, kept in clusters.

A release's title and body are cut into shingles (``SHINGLE`` consecutive folded words).
A MinHash signature of the shingles (datasketch, ``NUM_PERM`` permutations) is split into
``BANDS`` bands of ``ROWS`` values; each band's hash is stored in ``dupe_bands``
(locality-sensitive hashing: two texts share a band with a probability that rises steeply
with their Jaccard similarity). A new or changed text looks up the releases sharing one
of its bands (index lookups, no scan) and verifies each candidate pairwise on the exact
shingle sets: a pair is the same release when ``same_release(jaccard, containment)``
says so (thresholds calibrated by ``pressarchiv bench dupes`` on a labelled set of
pairs). Verified pairs go to ``dupe_pairs`` (both directions, with the Jaccard
similarity); a cluster is a connected component of pairs and every member carries the
pk of its oldest member in ``release_clusters`` (singletons have no row there).

The public cluster id of a release is the release id of its cluster's oldest member, or
its own id when no other release shares its text.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import (
    BigInteger,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from storage.bulk import insert_rows
from storage.copies import also_published, briefs, cluster_keys, member
from storage.models import Base, Release
from storage.records import words

SHINGLE = 3
NUM_PERM = 96
BANDS = 32
ROWS = 3
SEED = 1
MIN_SHINGLES = 12
"""Texts with fewer shingles (about a dozen words) are too short to call duplicates."""
JACCARD = 0.38
CONTAINMENT = 0.8
CONTAINMENT_JACCARD = 0.3
"""Verification: the same release when the shingle sets' Jaccard similarity reaches
``JACCARD``, or when one text is nearly contained in the other (``CONTAINMENT`` of the
smaller set; a repost with a paragraph added) and their Jaccard still reaches
``CONTAINMENT_JACCARD``."""
FEW = 4 * MIN_SHINGLES
"""The first shingles looked at for ``MIN_SHINGLES`` distinct ones (all, if too few)."""
MAX_CLUSTER = 500
"""A cluster is walked up to this many members (a guard against runaway chains)."""


class DupeBand(Base):
    """One LSH band hash of a release's signature."""

    __tablename__ = "dupe_bands"

    band: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    release_pk: Mapped[int] = mapped_column(ForeignKey("releases.pk"), primary_key=True)

    __table_args__ = (
        Index("ix_dupe_bands_release", "release_pk"),
        {"sqlite_with_rowid": False},
    )


class DupePair(Base):
    """A verified near-duplicate pair (stored in both directions)."""

    __tablename__ = "dupe_pairs"

    release_pk: Mapped[int] = mapped_column(ForeignKey("releases.pk"), primary_key=True)
    other_pk: Mapped[int] = mapped_column(ForeignKey("releases.pk"), primary_key=True)
    similarity: Mapped[float] = mapped_column(Float)


class ReleaseCluster(Base):
    """A release that shares its text with others: the pk of its cluster's oldest member."""

    __tablename__ = "release_clusters"

    release_pk: Mapped[int] = mapped_column(ForeignKey("releases.pk"), primary_key=True)
    cluster_pk: Mapped[int] = mapped_column(Integer, index=True)


def shingles(title: str | None, body: str | None) -> set[bytes]:
    """The word ``SHINGLE``-grams of the folded title and body."""
    return shingle_set(words(f"{title or ''} {body or ''}"))


def shingle_set(tokens: list[str]) -> set[bytes]:
    """The ``SHINGLE``-grams of folded words ``tokens``."""
    grams = zip(*(tokens[i:] for i in range(SHINGLE)), strict=False)
    return set(map(str.encode, map(" ".join, grams)))


@lru_cache(maxsize=1)
def _template():
    from storage.minhash import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32", hashfunc=zlib.crc32)


def signature(shingle_set: Iterable[bytes]):
    """The MinHash hash values (``NUM_PERM`` unsigned 32-bit integers) of a shingle set;
    shingles are hashed with CRC-32 (a C function: a sixth of the time of the default SHA-1
    per shingle, and as good for telling word sequences apart)."""
    from storage.minhash import MinHash

    template = _template()
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=zlib.crc32,
        permutations=template.permutations,
        scheme=template.scheme,
    )
    minhash.update_batch(list(shingle_set))
    return minhash.hashvalues


PERSONS = [b"band%04d" % i for i in range(BANDS)]
"""The BLAKE2b personalisation of each band."""


@lru_cache(maxsize=4)
def _band_parts(itemsize: int) -> list[tuple[slice, bytes]]:
    """Each band's bytes in a signature of ``itemsize``-byte values, and its personalisation."""
    step = ROWS * itemsize
    return [(slice(i * step, (i + 1) * step), PERSONS[i]) for i in range(BANDS)]


_BAND_VALUES = struct.Struct(f">{BANDS}q")


def bands(hashvalues) -> list[int]:
    """The ``BANDS`` band hashes of a signature, as signed 64-bit integers: BLAKE2b of
    each band's ``ROWS`` values (their bytes as stored)."""
    raw, blake2b = hashvalues.tobytes(), hashlib.blake2b
    digests = [
        blake2b(raw[part], digest_size=8, person=person).digest()
        for part, person in _band_parts(hashvalues.itemsize)
    ]
    return list(_BAND_VALUES.unpack(b"".join(digests)))


def similarity(a: set, b: set) -> tuple[float, float]:
    """Jaccard similarity and containment (overlap over the smaller set) of two sets."""
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


def same_release(jaccard: float, containment: float) -> bool:
    """The verification rule (see the module docstring)."""
    return jaccard >= JACCARD or (containment >= CONTAINMENT and jaccard >= CONTAINMENT_JACCARD)


def _forget(conn: Connection, pks: list[int]) -> set[int]:
    """Drop the bands and pairs of ``pks``; returns the members of their clusters before.

    A release without bands has no pairs and no cluster either (one query for new ones).
    """
    had: list[int] = []
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        stmt = select(DupeBand.release_pk).where(DupeBand.release_pk.in_(chunk))
        had += conn.scalars(stmt.distinct())
    if not had:
        return set()
    before = _cluster_members(conn, had)
    for start in range(0, len(had), 500):
        chunk = had[start : start + 500]
        conn.execute(delete(DupeBand).where(DupeBand.release_pk.in_(chunk)))
        conn.execute(delete(DupePair).where(DupePair.release_pk.in_(chunk)))
        conn.execute(delete(DupePair).where(DupePair.other_pk.in_(chunk)))
    return before


def _marks(conn: Connection, count: int) -> str:
    """``count`` placeholders in the driver's own parameter style."""
    return ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * count)


def _sharing(conn: Connection, keys: list[int]) -> dict[int, list[int]]:
    """``band -> release pks`` of the stored bands among ``keys`` (by the driver directly:
    a batch looks up some 16,000 bands)."""
    found: dict[int, list[int]] = {}
    for start in range(0, len(keys), 2000):
        chunk = tuple(keys[start : start + 2000])
        sql = f"SELECT band, release_pk FROM dupe_bands WHERE band IN ({_marks(conn, len(chunk))})"
        for band, pk in conn.exec_driver_sql(sql, chunk):
            found.setdefault(band, []).append(pk)
    return found


def update(
    conn: Connection,
    texts: list[tuple[int, str | None, str | None]],
    known: dict[int, list[str]] | None = None,
) -> None:
    """Re-check releases ``(pk, title, body)`` after their texts were stored: their bands,
    pairs and clusters. ``known`` holds the folded words of title and body the caller has
    made already (by pk). Signatures are made from the words (``storage.sketches``); the
    exact shingle sets only for the releases that have candidates to verify.

    Runs inside the write transaction; each is compared with the archive and with the
    others of ``texts`` (as if stored one after another: pairs are symmetric).
    """
    from storage import sketches  # NumPy: only where texts are stored

    before = _forget(conn, [pk for pk, _, _ in texts])
    known = known or {}
    tokens = {
        pk: known[pk] if pk in known else words(f"{title or ''} {body or ''}")
        for pk, title, body in texts
    }
    crcs = dict(zip(tokens, sketches.shingle_crcs(list(tokens.values())), strict=True))
    sets = _ShingleSets(tokens)
    crcs = {pk: own for pk, own in crcs.items() if sets.enough(pk, own)}
    found = sketches.signatures(list(crcs.values()), _template().permutations)
    keys = {pk: sorted(set(bands(values))) for pk, values in zip(crcs, found, strict=True)}
    stored = _sharing(conn, sorted(set().union(*keys.values()))) if keys else {}
    owners: dict[int, list[int]] = {}  # band -> the batch's releases with it, in order
    for pk, own_keys in keys.items():
        for key in own_keys:
            owners.setdefault(key, []).append(pk)
    candidates: dict[int, set[int]] = {pk: set() for pk in keys}
    for key, pks in owners.items():
        if len(pks) > 1 or key in stored:
            for n, pk in enumerate(pks):
                candidates[pk].update(stored.get(key, ()), pks[:n])
    outside = sorted({o for found in candidates.values() for o in found if o not in keys})
    others = {pk: shingles(title, body) for pk, title, body in _texts(conn, outside)}
    pairs = []
    for pk, found in candidates.items():
        for other_pk in sorted(found):
            other = sets[other_pk] if other_pk in keys else others[other_pk]
            jaccard, containment = similarity(sets[pk], other)
            if same_release(jaccard, containment):
                pairs += [(pk, other_pk, jaccard), (other_pk, pk, jaccard)]
    rows = [(k, pk) for pk, own_keys in keys.items() for k in own_keys]
    if rows:
        sql = f"INSERT INTO dupe_bands (band, release_pk) VALUES ({_marks(conn, 2)})"
        conn.exec_driver_sql(sql, rows)
    insert_rows(
        conn,
        DupePair.__table__,
        [{"release_pk": a, "other_pk": b, "similarity": round(s, 4)} for a, b, s in pairs],
    )
    touched = before | {a for a, _, _ in pairs}
    if touched:
        _recluster(conn, touched)


class _ShingleSets(dict):
    """The shingle sets of texts given as folded words (by pk), made on first use."""

    def __init__(self, tokens: dict[int, list[str]]):
        super().__init__()
        self.tokens = tokens

    def __missing__(self, pk: int) -> set[bytes]:
        self[pk] = found = shingle_set(self.tokens[pk])
        return found

    def enough(self, pk: int, crcs) -> bool:
        """At least ``MIN_SHINGLES`` distinct shingles (``crcs``: their CRC-32 values; as
        many distinct values prove it, fewer are checked on the shingles themselves)."""
        if len(crcs) < MIN_SHINGLES:
            return False
        if len(set(crcs[:FEW].tolist())) >= MIN_SHINGLES:  # nearly always: no set made
            return True
        return len(set(crcs.tolist())) >= MIN_SHINGLES or len(self[pk]) >= MIN_SHINGLES


def _texts(conn: Connection, pks: list[int]):
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        yield from conn.execute(
            select(Release.pk, Release.title, Release.body).where(Release.pk.in_(chunk))
        )


def _cluster_members(conn: Connection, pks: list[int]) -> set[int]:
    """The members of the clusters of ``pks`` (none for releases not in a cluster)."""
    clusters = set()
    for start in range(0, len(pks), 500):
        stmt = select(ReleaseCluster.cluster_pk).where(
            ReleaseCluster.release_pk.in_(pks[start : start + 500])
        )
        clusters.update(conn.scalars(stmt))
    found = sorted(clusters)
    members: set[int] = set()
    for start in range(0, len(found), 500):
        stmt = select(ReleaseCluster.release_pk).where(
            ReleaseCluster.cluster_pk.in_(found[start : start + 500])
        )
        members.update(conn.scalars(stmt))
    return members


def _component(conn: Connection, start: int) -> set[int]:
    """The releases connected to ``start`` by verified pairs (up to ``MAX_CLUSTER``)."""
    seen, frontier = {start}, [start]
    while frontier and len(seen) < MAX_CLUSTER:
        stmt = select(DupePair.other_pk).where(DupePair.release_pk.in_(frontier))
        frontier = [pk for pk in set(conn.scalars(stmt)) if pk not in seen]
        seen.update(frontier)
    return seen


def _recluster(conn: Connection, pks: set[int]) -> None:
    """Relabel the clusters of ``pks``: each component gets the pk of its oldest member."""
    done: set[int] = set()
    for pk in sorted(pks):
        if pk in done:
            continue
        component = _component(conn, pk)
        done |= component
        members = sorted(component)
        conn.execute(delete(ReleaseCluster).where(ReleaseCluster.release_pk.in_(members)))
        if len(members) > 1:
            insert_rows(
                conn,
                ReleaseCluster.__table__,
                [{"release_pk": m, "cluster_pk": members[0]} for m in members],
            )


def cluster_ids(session: Session | Connection, pks: list[int]) -> dict[int, str]:
    """``pk -> public cluster id`` (the release id of the cluster's oldest member)."""
    keys = cluster_keys(session, pks)
    ids = dict(
        session.execute(
            select(Release.pk, Release.id).where(Release.pk.in_(sorted(set(keys.values()))))
        ).all()
    )
    return {pk: ids[key] for pk, key in keys.items()}


def cluster_count(session: Session) -> int:
    """How many clusters (texts published more than once) the archive holds."""
    stmt = select(func.count(func.distinct(ReleaseCluster.cluster_pk)))
    return session.scalar(stmt) or 0


def clusters(session: Session, limit: int = 100, offset: int = 0) -> list[dict]:
    """Clusters with more than one release, the most recently grown first: ``cluster``
    (its id), ``releases`` (how many) and ``members`` (the oldest first)."""
    newest = func.max(ReleaseCluster.release_pk)
    stmt = (
        select(ReleaseCluster.cluster_pk, func.count(), newest)
        .group_by(ReleaseCluster.cluster_pk)
        .order_by(newest.desc())
        .limit(limit)
        .offset(offset)
    )
    found = session.execute(stmt).all()
    heads = [cluster for cluster, _, _ in found]
    members = also_published(session, heads)
    oldest = briefs(session, heads)
    return [
        {
            "cluster": oldest[cluster]["id"],
            "releases": count,
            "members": [member(oldest[cluster], 1.0), *members[cluster]],
        }
        for cluster, count, _ in found
    ]


def rebuild(session: Session, batch: int = 2000, echo=None, after: int | None = None) -> int:
    """Recompute bands, pairs and clusters of every release (for an archive made before
    near-duplicate detection, or after the thresholds changed); returns the count.
    With ``after``, only the releases with a higher pk are checked (added in bulk, not
    through ``Archive.store``), against everything indexed.

    The same rule as the store-time check, in bulk: a chunk's bands are written at once,
    its candidate pairs (a band shared with an older release) found by one join."""
    conn = session.connection()
    if after is None:
        for table in (ReleaseCluster, DupePair, DupeBand):
            conn.execute(delete(table))
    done, last = 0, after or 0
    touched: set[int] = set()
    while True:
        stmt = (
            select(Release.pk, Release.title, Release.body)
            .where(Release.pk > last)
            .order_by(Release.pk)
            .limit(batch)
        )
        chunk = conn.execute(stmt).all()
        if not chunk:
            break
        touched |= _index_chunk(conn, chunk)
        last = chunk[-1].pk
        done += len(chunk)
        if echo:
            echo(done)
    if touched:
        _recluster(conn, touched)
    return done


def _index_chunk(conn: Connection, chunk: list) -> set[int]:
    """Bands and verified pairs of the releases ``chunk`` (pk, title, body), whose pks are
    above every indexed one; returns the pks of the pairs found."""
    sets = {pk: shingles(title, body) for pk, title, body in chunk}
    sets = {pk: own for pk, own in sets.items() if len(own) >= MIN_SHINGLES}
    rows = [
        {"band": k, "release_pk": pk}
        for pk, own in sets.items()
        for k in set(bands(signature(own)))
    ]
    if not rows:
        return set()
    conn.execute(insert(DupeBand), rows)
    new, old = aliased(DupeBand), aliased(DupeBand)
    stmt = (
        select(new.release_pk, old.release_pk)
        .join(old, old.band == new.band)
        .where(new.release_pk.between(chunk[0].pk, chunk[-1].pk), old.release_pk < new.release_pk)
        .distinct()
    )
    candidates = conn.execute(stmt).all()
    outside = sorted({o for _, o in candidates if o not in sets})
    others = {pk: shingles(title, body) for pk, title, body in _texts(conn, outside)}
    pairs = []
    for pk, other in candidates:
        jaccard, containment = similarity(sets[pk], sets.get(other) or others.get(other, set()))
        if same_release(jaccard, containment):
            pairs += [(pk, other, jaccard), (other, pk, jaccard)]
    if pairs:
        conn.execute(
            insert(DupePair),
            [{"release_pk": a, "other_pk": b, "similarity": round(s, 4)} for a, b, s in pairs],
        )
    return {a for a, _, _ in pairs}

"""Near-duplicate detection measured: precision and recall on a labelled set, speed at size.

Quality: the texts of ``dupes_pairs.toml`` (written for the project) are stored in a fresh
archive exactly as a crawl stores them (so LSH, verification and clustering all run), and
every pair of texts is scored: the same release (same ``story``) should share a cluster,
different releases should not. The same pairs' exact similarities give the threshold sweep
the verification rule was calibrated with. Optionally the texts of a dev set nobody on the
project wrote (``realtexts``: all different releases) are stored too, and every pair they
form that lands in one cluster is a false positive.

Speed: a synthetic archive (``storage.synthetic``) of N releases is indexed by the rebuild;
then new releases, half of them edited reposts of stored ones, are stored in crawl-sized
batches and the store-time check is timed (its share of each ``Archive.store``), with the
candidates it verified. The reference in the same run: datasketch's own in-memory
``MinHashLSH`` with the same bands over the same N signatures (query only, no
verification), and its memory beside the on-disk size of the band table.
"""

from __future__ import annotations

import itertools
import random
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import Archive, clusters
from storage.models import Release

LABELLED = Path(__file__).with_name("dupes_pairs.toml")
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


class LabelledSetError(ValueError):
    """The labelled set cannot be read (one line)."""


def load_labelled(path: Path = LABELLED) -> list[dict]:
    """The texts of the labelled set with ``from`` edits applied: id, story, topic,
    title, body."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))["text"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise LabelledSetError(f"cannot read {path}: {exc}") from None
    by_id: dict[str, dict] = {}
    for entry in raw:
        text = {k: entry[k] for k in ("id", "story", "topic")}
        if "from" in entry:
            base = by_id[entry["from"]]
            paragraphs = [p for p in base["body"].split("\n\n")]
            drop = set(entry.get("drop", []))
            paragraphs = [p for i, p in enumerate(paragraphs) if i not in drop]
            body = "\n\n".join(entry.get("prepend", []) + paragraphs + entry.get("append", []))
            for old, new in entry.get("replace", []):
                if old not in body:
                    raise LabelledSetError(f"{entry['id']}: {old!r} is not in {entry['from']}")
                body = body.replace(old, new)
            text.update(title=entry.get("title", base["title"]), body=body)
        else:
            text.update(title=entry["title"], body=entry["body"].strip())
        by_id[text["id"]] = text
    return list(by_id.values())


@dataclass
class Quality:
    """Pair counts of one run over a set of texts."""

    texts: int = 0
    pairs: int = 0
    same: int = 0
    found: int = 0
    true_positive: int = 0
    hard_negatives: int = 0
    hard_false: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)
    wrong: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positive / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.same if self.same else 1.0


def _item(text: dict, n: int) -> dict:
    site = f"quelle-{n % 7}"
    return {
        "site": site,
        "ministry": site,
        "url": f"https://{site}.example.de/presse/{text['id']}",
        "fetched_at": T0,
        "kind": "Pressemitteilung",
        "published": "2026-02-27",
        "title": text["title"],
        "body": text["body"],
        "persons": [],
        "flags": [],
    }


def _clusters_of(texts: list[dict], folder: Path, seed: int) -> dict[str, int]:
    """Store ``texts`` (shuffled, in batches of 10) in a fresh archive: id -> cluster pk."""
    order = list(enumerate(texts))
    random.Random(seed).shuffle(order)
    with Archive(f"sqlite:///{folder / f'labelled-{seed}.sqlite'}") as archive:
        for start in range(0, len(order), 10):
            archive.store([_item(text, n) for n, text in order[start : start + 10]])
        with Session(archive.engine) as session:
            pks = dict(session.execute(select(Release.url, Release.pk)).all())
            keys = clusters.cluster_keys(session, list(pks.values()))
    return {url.rsplit("/", 1)[1]: keys[pk] for url, pk in pks.items()}


def quality(texts: list[dict], seed: int = 0) -> Quality:
    """Precision and recall of the whole store-time pipeline over every pair of ``texts``."""
    with tempfile.TemporaryDirectory() as tmp:
        cluster = _clusters_of(texts, Path(tmp), seed)
    q = Quality(texts=len(texts))
    for a, b in itertools.combinations(texts, 2):
        q.pairs += 1
        truth = a["story"] == b["story"]
        grouped = cluster[a["id"]] == cluster[b["id"]]
        q.same += truth
        q.found += grouped
        q.true_positive += truth and grouped
        if not truth and a.get("topic") == b.get("topic"):
            q.hard_negatives += 1
            q.hard_false += grouped
        if truth and not grouped:
            q.missed.append((a["id"], b["id"]))
        if grouped and not truth:
            q.wrong.append((a["id"], b["id"]))
    return q


def sweep(texts: list[dict], thresholds=(0.3, 0.34, 0.38, 0.42, 0.46, 0.5, 0.6)) -> list[dict]:
    """Precision and recall of the verification alone (exact similarities, no LSH) for
    other Jaccard thresholds, the containment rule kept: how the threshold was chosen."""
    sets = {t["id"]: clusters.shingles(t["title"], t["body"]) for t in texts}
    scored = [
        (a["story"] == b["story"], *clusters.similarity(sets[a["id"]], sets[b["id"]]))
        for a, b in itertools.combinations(texts, 2)
    ]
    rows = []
    for threshold in thresholds:
        found = [
            truth
            for truth, jaccard, containment in scored
            if jaccard >= threshold
            or (containment >= clusters.CONTAINMENT and jaccard >= clusters.CONTAINMENT_JACCARD)
        ]
        same = sum(truth for truth, _, _ in scored)
        rows.append(
            {
                "jaccard": threshold,
                "precision": sum(found) / len(found) if found else 1.0,
                "recall": sum(found) / same if same else 1.0,
            }
        )
    return rows


def lsh_chance(jaccard: float) -> float:
    """The chance that two texts of this Jaccard similarity share at least one band."""
    return 1 - (1 - jaccard**clusters.ROWS) ** clusters.BANDS


def expected_recall(texts: list[dict]) -> float:
    """The recall the band lookup promises on the same-release pairs of ``texts`` (their
    verified share times the chance that LSH offers them as candidates), averaged: the
    measured recall is one draw of it."""
    sets = {t["id"]: clusters.shingles(t["title"], t["body"]) for t in texts}
    chances = []
    for a, b in itertools.combinations(texts, 2):
        if a["story"] == b["story"]:
            jaccard, containment = clusters.similarity(sets[a["id"]], sets[b["id"]])
            verified = clusters.same_release(jaccard, containment)
            chances.append(lsh_chance(jaccard) if verified else 0.0)
    return sum(chances) / len(chances) if chances else 1.0


def real_texts(folder: Path) -> list[dict]:
    """The dev set's texts (read at run time, never copied), each its own story, as a
    crawl would store them: title and body as the normaliser reads them."""
    from scraper.normalise import normalise_text

    files = sorted(folder.glob("case_*.txt"))
    if not files:
        raise LabelledSetError(f"no case_*.txt in {folder}")
    texts = []
    for path in files:
        record = normalise_text(path.read_text(encoding="utf-8", errors="replace"))
        texts.append(
            {
                "id": path.stem,
                "story": path.stem,
                "topic": None,
                "title": record.title or "",
                "body": record.body or "",
            }
        )
    return texts


def background(texts: list[dict]) -> float:
    """Candidates a check would verify per million stored releases if the archive's
    unrelated texts were as similar to each other as the pairs of ``texts`` are: the
    mean chance of a shared band over those pairs, times a million."""
    sets = [clusters.shingles(t["title"], t["body"]) for t in texts]
    chances = [lsh_chance(clusters.similarity(a, b)[0]) for a, b in itertools.combinations(sets, 2)]
    return sum(chances) / len(chances) * 1e6 if chances else 0.0


# --- speed ---------------------------------------------------------------------------------


@dataclass
class Speed:
    releases: int
    indexed_per_second: float | None
    checks: int = 0
    check_ms: float = 0.0
    store_ms: float = 0.0
    candidates: float = 0.0
    reposts: int = 0
    reposts_found: int = 0
    band_bytes: int | None = None
    reference_query_ms: float | None = None
    reference_mb: float | None = None


def _reposts(archive: Archive, count: int, seed: int) -> tuple[list[dict], list[str]]:
    """Edited reposts of ``count`` stored releases (first sentence cut, a line added) and
    as many new synthetic releases; the ids of the originals."""
    from storage.synthetic import releases

    with Session(archive.engine) as session:
        total = session.scalar(select(func.count()).select_from(Release))
        rng = random.Random(seed)
        pks = rng.sample(range(1, total + 1), count)
        originals = session.scalars(select(Release).where(Release.pk.in_(pks))).all()
    items = []
    for n, release in enumerate(originals):
        body = ". ".join(release.body.split(". ")[1:]) + " Quelle: Hessische Staatskanzlei."
        items.append(
            {
                "site": "hessen-staatskanzlei",
                "url": f"https://staatskanzlei.hessen.de/presse/uebernahme-{seed}-{n}",
                "fetched_at": T0,
                "published": release.published.isoformat(),
                "title": release.title,
                "body": body,
                "persons": [],
                "flags": [],
            }
        )
    for n, (site, fields) in enumerate(releases(count, seed=seed + 1, first=10_000_000)):
        items.append(
            dict(fields, site=site, url=f"https://neu.example.de/{seed}/{n}", fetched_at=T0)
        )
    rng.shuffle(items)
    return items, [r.id for r in originals]


def speed(db: str, count: int, checks: int = 200, echo=print, reference: bool = True) -> Speed:
    """Fill ``db`` to ``count`` synthetic releases, index them, time the store-time check."""
    from storage.synthetic import populate

    with Archive(db) as archive:
        have = archive.count()
        if have < count:
            echo(f"generating {count - have} synthetic releases …")
            populate(archive.engine, count - have)
        with Session(archive.engine) as session:
            indexed = session.scalar(select(func.max(clusters.DupeBand.release_pk))) or 0
            last = session.scalar(select(func.max(Release.pk))) or 0
        rate = None
        if indexed < last:
            echo(f"indexing releases {indexed + 1} to {last} for near-duplicates …")
            start = time.perf_counter()
            done = archive.rebuild_dupes(
                echo=lambda n: n % 50_000 == 0 and echo(f"  {n}"), after=indexed or None
            )
            rate = done / (time.perf_counter() - start)
        result = Speed(releases=count, indexed_per_second=rate)
        items, originals = _reposts(archive, checks // 2, seed=archive.count())
        timed = _TimedUpdate()
        clusters.update, original = timed, clusters.update
        try:
            start = time.perf_counter()
            for first in range(0, len(items), 50):
                archive.store(items[first : first + 50])
            elapsed = time.perf_counter() - start
        finally:
            clusters.update = original
        result.checks = timed.calls
        result.check_ms = timed.seconds / timed.calls * 1000
        result.store_ms = elapsed / len(items) * 1000
        result.candidates = timed.candidates / timed.calls
        result.reposts = len(originals)
        grouped = {c["cluster"] for c in archive.dupes(limit=10 * len(originals))}
        result.reposts_found = sum(1 for rid in originals if rid in grouped)
        result.band_bytes = _table_bytes(archive, "dupe_bands")
    if reference:
        result.reference_query_ms, result.reference_mb = _reference(db, items)
    return result


class _TimedUpdate:
    """``clusters.update`` with its time and candidate count summed."""

    def __init__(self):
        self.calls = 0
        self.seconds = 0.0
        self.candidates = 0
        self.update = clusters.update

    def __call__(self, conn, texts, known=None):
        start = time.perf_counter()
        self.update(conn, texts, known)
        self.seconds += time.perf_counter() - start
        self.calls += len(texts)
        for pk, title, body in texts:
            own = clusters.shingles(title, body)
            if len(own) >= clusters.MIN_SHINGLES:
                keys = clusters.bands(clusters.signature(own))
                stmt = select(func.count(func.distinct(clusters.DupeBand.release_pk))).where(
                    clusters.DupeBand.band.in_(keys), clusters.DupeBand.release_pk != pk
                )
                self.candidates += conn.scalar(stmt) or 0


def _table_bytes(archive: Archive, table: str) -> int | None:
    """On-disk bytes of a SQLite table with its indexes (``dbstat``), None where unknown."""
    if archive.engine.dialect.name != "sqlite":
        return None
    with archive.engine.connect() as conn:
        try:
            return conn.exec_driver_sql(
                "SELECT sum(pgsize) FROM dbstat WHERE name = ? OR name IN "
                "(SELECT name FROM sqlite_master WHERE tbl_name = ? AND type = 'index')",
                (table, table),
            ).scalar()
        except Exception:  # SQLite built without dbstat
            return None


def _reference(db: str, items: list[dict]) -> tuple[float, float]:
    """datasketch's in-memory MinHashLSH (same bands and rows) over the archive's
    signatures: query ms per new text and the index's resident memory in MB."""
    import psutil
    from datasketch import MinHash, MinHashLSH

    template = clusters._template()
    lsh = MinHashLSH(num_perm=clusters.NUM_PERM, params=(clusters.BANDS, clusters.ROWS))
    before = psutil.Process().memory_info().rss
    with Archive(db) as archive, Session(archive.engine) as session:
        stmt = select(Release.pk, Release.title, Release.body).execution_options(yield_per=2000)
        for pk, title, body in session.execute(stmt):
            shingle_set = clusters.shingles(title, body)
            if len(shingle_set) >= clusters.MIN_SHINGLES:
                values = clusters.signature(shingle_set)
                lsh.insert(
                    pk, MinHash(hashvalues=values, scheme=template.scheme), check_duplication=False
                )
    memory = (psutil.Process().memory_info().rss - before) / 1e6
    queries = [
        MinHash(hashvalues=clusters.signature(s), scheme=template.scheme)
        for s in (clusters.shingles(i["title"], i["body"]) for i in items)
        if len(s) >= clusters.MIN_SHINGLES
    ]
    start = time.perf_counter()
    for query in queries:
        lsh.query(query)
    return (time.perf_counter() - start) / len(queries) * 1000, memory


def report(
    q: Quality,
    sweep_rows: list[dict],
    expected: float,
    real: Quality | None,
    fast: Speed | None,
    real_background: float | None = None,
) -> str:
    lines = [
        f"labelled set: {q.texts} texts, {q.pairs} pairs, {q.same} the same release, "
        f"{q.hard_negatives} different releases on the same topic",
        f"  store-time pipeline (LSH {clusters.BANDS}x{clusters.ROWS} of {clusters.NUM_PERM} "
        f"permutations, verified at Jaccard >= {clusters.JACCARD} or containment >= "
        f"{clusters.CONTAINMENT} with Jaccard >= {clusters.CONTAINMENT_JACCARD}):",
        f"  precision {q.precision:.3f}  recall {q.recall:.3f}  "
        f"({q.true_positive} of {q.same} found, {q.found - q.true_positive} wrong; "
        f"same-topic pairs grouped: {q.hard_false} of {q.hard_negatives})",
    ]
    lines.append(
        f"  expected recall of the band lookup on these pairs: {expected:.3f} "
        f"(chance of a shared band: {lsh_chance(0.4):.2f} at Jaccard 0.4, "
        f"{lsh_chance(0.5):.2f} at 0.5, {lsh_chance(0.6):.3f} at 0.6)"
    )
    lines += [f"  missed: {a} ~ {b}" for a, b in q.missed]
    lines += [f"  wrong:  {a} ~ {b}" for a, b in q.wrong]
    lines.append("  threshold sweep (verification alone): Jaccard  precision  recall")
    lines += [
        f"    {row['jaccard']:.2f}  {row['precision']:.3f}  {row['recall']:.3f}"
        + ("  <- used" if row["jaccard"] == clusters.JACCARD else "")
        for row in sweep_rows
    ]
    if real is not None:
        lines.append(
            f"real texts (dev set, all different releases): {real.texts} texts, "
            f"{real.pairs} pairs, grouped wrongly: {real.found}"
        )
        if real_background is not None:
            lines.append(
                f"  candidates a check would verify at 1M releases as alike as these: "
                f"{real_background:,.1f}"
            )
        lines += [f"  wrong:  {a} ~ {b}" for a, b in real.wrong]
    if fast is not None:
        lines.append(f"speed at {fast.releases:,} releases:")
        if fast.indexed_per_second:
            lines.append(f"  rebuild: {fast.indexed_per_second:,.0f} releases/s")
        lines.append(
            f"  store-time check: {fast.check_ms:.2f} ms per release "
            f"({fast.candidates:.1f} candidates verified on average) of {fast.store_ms:.2f} ms "
            f"per stored release; {fast.checks} checks"
        )
        lines.append(f"  planted reposts grouped: {fast.reposts_found} of {fast.reposts}")
        if fast.band_bytes:
            lines.append(
                f"  band table on disk: {fast.band_bytes / 1e6:,.0f} MB "
                f"({fast.band_bytes / fast.releases:,.0f} bytes per release)"
            )
        if fast.reference_query_ms is not None:
            lines.append(
                f"  reference, datasketch MinHashLSH in memory (same bands, query only, "
                f"no verification): {fast.reference_query_ms:.3f} ms per query, "
                f"{fast.reference_mb:,.0f} MB resident; ratio of our check to it: "
                f"{fast.check_ms / fast.reference_query_ms:.1f}x"
            )
    return "\n".join(lines)

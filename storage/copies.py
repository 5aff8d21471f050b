"""Reading the near-duplicate clusters back: which releases share a text (see
``storage.clusters``, which finds and stores them). Plain SQL on a ``sqlread.Reads`` (or
a SQLAlchemy session or connection), so a search on SQLite runs it without SQLAlchemy."""

from __future__ import annotations

from storage.records import iso
from storage.sqlread import in_list, reads_for

CHUNK = 2000
"""Releases looked up in one statement (a search's whole ranked window at once)."""
BRIEF = ("pk", "id", "title", "ministry", "ministry_id", "site", "published")
"""The columns of a release that a list of copies shows."""


def _clustered(source, pks: list[int]) -> dict[int, int]:
    """``pk -> cluster pk`` of those of ``pks`` that share their text with others."""
    reads = reads_for(source)
    found: dict[int, int] = {}
    for start in range(0, len(pks), CHUNK):
        marks, params = in_list("pk", pks[start : start + CHUNK])
        sql = f"SELECT release_pk, cluster_pk FROM release_clusters WHERE release_pk IN {marks}"
        found.update(reads.rows(sql, params))
    return found


def cluster_keys(source, pks: list[int]) -> dict[int, int]:
    """``pk -> cluster pk`` for the given releases (a release alone is its own cluster)."""
    found = _clustered(source, pks)
    return {pk: found.get(pk, pk) for pk in pks}


def collapse(source, ranked: list[tuple]) -> list[tuple]:
    """``ranked`` rows (release pk first) with only the first row of each cluster."""
    keys = cluster_keys(source, [row[0] for row in ranked])
    seen: set[int] = set()
    kept = []
    for row in ranked:
        key = keys[row[0]]
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def briefs(source, pks: list[int]) -> dict[int, dict]:
    """``pk -> {BRIEF columns}`` of the releases ``pks``."""
    marks, params = in_list("pk", pks)
    sql = f"SELECT {', '.join(BRIEF)} FROM releases WHERE pk IN {marks}"
    return {
        row[0]: dict(zip(BRIEF, row, strict=True)) for row in reads_for(source).rows(sql, params)
    }


def also_published(source, pks: list[int]) -> dict[int, list[dict]]:
    """For each release of ``pks``: the other members of its cluster, oldest first, with
    id, title, ministry, site, published and their Jaccard similarity to it (``None``
    when related only through a third release)."""
    reads = reads_for(source)
    clustered = _clustered(reads, pks)
    out: dict[int, list[dict]] = {pk: [] for pk in pks}
    if not clustered:
        return out
    marks, params = in_list("cluster", sorted(set(clustered.values())))
    columns = ", ".join(f"r.{name}" for name in BRIEF)
    sql = (
        f"SELECT c.cluster_pk, {columns} FROM release_clusters c "
        f"JOIN releases r ON r.pk = c.release_pk WHERE c.cluster_pk IN {marks} ORDER BY r.pk"
    )
    by_cluster: dict[int, list[dict]] = {}
    for cluster, *row in reads.rows(sql, params):
        by_cluster.setdefault(cluster, []).append(dict(zip(BRIEF, row, strict=True)))
    marks, params = in_list("pk", list(clustered))
    sql = f"SELECT release_pk, other_pk, similarity FROM dupe_pairs WHERE release_pk IN {marks}"
    pairs = {(a, b): s for a, b, s in reads.rows(sql, params)}
    for pk, cluster in clustered.items():
        out[pk] = [
            member(r, pairs.get((pk, r["pk"])))
            for r in by_cluster.get(cluster, [])
            if r["pk"] != pk
        ]
    return out


def member(release: dict, similarity: float | None) -> dict:
    """One copy as listed: a ``briefs`` row with its ``similarity``."""
    found = {name: release[name] for name in BRIEF if name != "pk"}
    return found | {"published": iso(release["published"]), "similarity": similarity}

"""``pressarchiv bench-search``: search latency on a synthetic archive of N releases."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from scraper.cli.options import open_archive


@click.command("bench-search")
@click.option("--releases", "count", type=click.IntRange(1), default=100_000, show_default=True)
@click.option(
    "--queries", type=click.IntRange(2), default=50, show_default=True, help="Queries per class."
)
@click.option(
    "--db",
    metavar="URL",
    help="Archive to fill and query (default: a reusable SQLite file in the temp dir).",
)
@click.option("--check", is_flag=True, help="Exit 1 when a p95 target is missed.")
def bench_search(count, queries, db, check):
    """Fill a synthetic archive (unless it holds N releases) and report latency percentiles."""
    from storage.benchmark import TARGETS_MS, run
    from storage.synthetic import populate

    db = db or f"sqlite:///{Path(tempfile.gettempdir()) / f'pressarchiv-bench-{count}.sqlite'}"
    with open_archive(db, create=True) as archive:
        have = archive.count()
        if have < count:
            click.echo(f"generating {count - have} synthetic releases into {db} …", err=True)
            populate(archive.engine, count - have)
        click.echo(f"{archive.count()} releases, {queries} queries per class")
        load = os.getloadavg()[0]
        click.echo(f"load average {load:.1f} on {os.cpu_count()} CPUs before the run")
        missed = []
        for name, cuts in run(archive, queries).items():
            ok = cuts["p95"] < TARGETS_MS[name]
            missed += [] if ok else [name]
            click.echo(
                f"{name:7} p50 {cuts['p50']:7.1f} ms  p95 {cuts['p95']:7.1f} ms  "
                f"p99 {cuts['p99']:7.1f} ms  cpu p95 {cuts['cpu_p95']:7.1f} ms  "
                f"(p95 target < {TARGETS_MS[name]:.0f} ms: "
                f"{'ok' if ok else 'MISSED'})"
            )
        click.echo(size_line(archive))
        click.echo(relevance_line(db))
    if check and missed:
        raise click.ClickException(f"p95 target missed for: {', '.join(missed)}")


GROUPS = {"releases": "releases", "revisions": "revisions"}
"""Tables shown on their own in ``size_line``; the search tables (``release_search*``,
``search_terms*``) make up the index, the rest is "other"."""

SQLITE_SIZES = (
    "SELECT m.tbl_name, sum(s.pgsize) FROM dbstat AS s "
    "JOIN sqlite_master AS m ON m.name = s.name GROUP BY m.tbl_name"
)
POSTGRES_SIZES = (
    "SELECT relname, pg_total_relation_size(oid) FROM pg_class "
    "WHERE relkind = 'r' AND relnamespace = to_regnamespace(current_schema())"
)


def size_line(archive) -> str:
    """The archive's size per 1,000 releases, split into releases, revisions, the search
    index and the rest (tables with their indexes; SQLite: pages in use, PostgreSQL:
    total relation sizes)."""
    from sqlalchemy import text

    with archive.engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        rows = conn.execute(text(POSTGRES_SIZES if postgres else SQLITE_SIZES)).all()
    parts = dict.fromkeys(["releases", "revisions", "search index", "other"], 0)
    for name, size in rows:
        search = name.startswith(("release_search", "search_terms"))
        parts[GROUPS.get(name, "search index" if search else "other")] += size or 0
    per = 1000 / max(archive.count(), 1) / 1e6
    split = ", ".join(f"{name} {size * per:.2f}" for name, size in parts.items())
    return f"size: {sum(parts.values()) * per:.2f} MB per 1,000 releases ({split})"


def relevance_line(db: str) -> str:
    """The relevance set's figures on a throwaway archive of the same backend."""
    from storage import relevance

    with relevance.scratch_archive(db) as archive:
        results = relevance.evaluate(archive)
    figures = relevance.summary(results)
    missed = [f"{r['query']} ({r['rank'] or '-'})" for r in results if r["rank"] != 1]
    return (
        f"relevance: {figures['top3']}/{figures['queries']} queries rank their release in "
        f"the top {relevance.TOP}, {figures['top1']} first, MRR {figures['mrr']:.2f}"
        + (f"; not first: {', '.join(missed)}" if missed else "")
    )


COMMANDS = [bench_search]

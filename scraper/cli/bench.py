"""``pressarchiv bench normalise``: the normaliser on the gold set, beside trafilatura/htmldate."""

from __future__ import annotations

import json
from pathlib import Path

import click

DEFAULT_GOLD = Path("tests") / "files" / "gold"
DEFAULT_FILES = Path("tests") / "files"


@click.group("bench")
def bench() -> None:
    """Measure pressarchiv against other tools (needs the optional ``bench`` extras)."""


@bench.command("normalise")
@click.option(
    "--gold", "gold", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_GOLD,
    show_default=True, help="Folder of gold items (.html/.txt with expected .json beside).",
)  # fmt: skip
@click.option("--repeat", default=5, show_default=True, help="Timed passes (best is kept).")
@click.option(
    "--realpages", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Also score the realpages dev set in DIR (read at run time, with its score.py).",
)  # fmt: skip
@click.option(
    "--realtexts", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Also score the realtexts dev set in DIR (read at run time, with its score.py).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def normalise(
    gold: Path, repeat: int, realpages: Path | None, realtexts: Path | None, as_json: bool
) -> None:
    """Per-field accuracy, body token F1, date accuracy and pages per second, side by side."""
    from scraper.bench import realsets
    from scraper.bench.normaliser import load_gold, report, run, to_json

    if not gold.is_dir():
        raise click.ClickException(f"gold set not found: {gold} (use --gold DIR)")
    if not load_gold(gold):
        raise click.ClickException(f"no gold items (.html/.txt with .json) in {gold}")
    result = run(gold, repeat=repeat)
    try:
        pages = realsets.run_realpages(realpages) if realpages else None
        texts = realsets.run_realtexts(realtexts) if realtexts else None
    except realsets.DevSetError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps({**to_json(result), **realsets.to_json(pages, texts)}, indent=2))
        return
    click.echo(report(result))
    for part in (pages and realsets.report_pages(pages), texts and realsets.report_texts(texts)):
        if part:
            click.echo("\n" + part)


@bench.command("web")
@click.option("--releases", "count", type=click.IntRange(1), default=100_000, show_default=True)
@click.option("--repeat", type=click.IntRange(1), default=5, show_default=True,
              help="Timed requests per page.")  # fmt: skip
@click.option("--db", metavar="URL", help="SQLite archive to fill and serve "
              "(default: a reusable file in the temp dir).")  # fmt: skip
def web(count: int, repeat: int, db: str | None) -> None:
    """Page timings of the journalist's view beside Datasette's own pages (web extra)."""
    import os
    import tempfile

    from scraper.bench.web import pages, prepare, report, run
    from scraper.cli.serve import sqlite_file

    db = db or f"sqlite:///{Path(tempfile.gettempdir()) / f'pressarchiv-bench-web-{count}.sqlite'}"
    prepare(db, count, echo=lambda line: click.echo(line, err=True))
    path = sqlite_file(db)
    load = os.getloadavg()[0]
    click.echo(f"{count} releases; load average {load:.1f} on {os.cpu_count()} CPUs")
    click.echo(report(run(str(path), pages(db), repeat)))


@bench.command("encodings")
@click.option(
    "--files", "folder", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_FILES,
    show_default=True, help="Folder of saved pages (.html, all subfolders).",
)  # fmt: skip
@click.option("--details", is_flag=True, help="Name each changed page and what changed.")
def encodings(folder: Path, details: bool) -> None:
    """Every saved page served in other encodings and shapes (Windows-1252, Latin-1, UTF-16,
    NULs, deep nesting): how many records change or come out garbled; exits 1 when any does."""
    from scraper.bench.encodings import report, run, saved_pages

    if not folder.is_dir() or not saved_pages(folder):
        raise click.ClickException(f"no saved pages (.html) in {folder} (use --files DIR)")
    result = run(folder)
    click.echo(report(result, details=details))
    if any(tally.changed for tally in result.tallies.values()):
        raise SystemExit(1)


@bench.command("dupes")
@click.option("--pairs", type=click.Path(dir_okay=False, path_type=Path),
              help="Labelled set (default: scraper/bench/dupes_pairs.toml).")  # fmt: skip
@click.option("--real", "real", type=click.Path(file_okay=False, path_type=Path),
              help="A folder of real texts (case_*.txt), all different releases: counts "
              "the pairs grouped wrongly.")  # fmt: skip
@click.option("--releases", "count", type=click.IntRange(0), default=100_000, show_default=True,
              help="Archive size for the speed figures (0: no speed run).")  # fmt: skip
@click.option("--checks", type=click.IntRange(2), default=200, show_default=True,
              help="New releases stored and timed (half of them reposts).")  # fmt: skip
@click.option("--db", metavar="URL", help="SQLite archive to fill and reuse "
              "(default: a file in the temp dir).")  # fmt: skip
def dupes(pairs: Path | None, real: Path | None, count: int, checks: int, db: str | None):
    """Near-duplicates: precision and recall on a labelled set, speed at archive size."""
    import tempfile

    from scraper.bench.dupes import (
        LABELLED,
        LabelledSetError,
        background,
        expected_recall,
        load_labelled,
        quality,
        real_texts,
        report,
        speed,
        sweep,
    )

    try:
        texts = load_labelled(pairs or LABELLED)
        real_set = real_texts(real) if real else None
    except LabelledSetError as exc:
        raise click.ClickException(str(exc)) from None
    measured = quality(texts)
    real_measured = quality(real_set) if real_set else None
    fast = None
    if count:
        tmp = Path(tempfile.gettempdir()) / f"pressarchiv-bench-dupes-{count}.sqlite"
        fast = speed(
            db or f"sqlite:///{tmp}", count, checks, lambda line: click.echo(line, err=True)
        )
    real_background = background(real_set) if real_set else None
    click.echo(
        report(measured, sweep(texts), expected_recall(texts), real_measured, fast, real_background)
    )


@bench.command("hostile")
def hostile() -> None:
    """Peak memory and time of crawls of the hostile replica (first run and rerun), beside
    the ordinary replica; exits 1 when a crawl needs more than 500 MB."""
    from scraper.bench.hostile import LIMIT, report, run

    rows = run()
    click.echo(report(rows))
    if max(measured.peak for _, measured in rows) >= LIMIT:
        raise SystemExit(1)


@bench.command("crawl")
@click.option("--releases", "count", type=click.IntRange(1), default=5_000, show_default=True,
              help="Releases the large replica serves.")  # fmt: skip
@click.option("--hosts", type=click.IntRange(1), default=20, show_default=True,
              help="Hosts (sites) they are spread over.")  # fmt: skip
@click.option("--repeat", type=click.IntRange(1), default=1, show_default=True,
              help="Crawls per tool, alternating (the fastest is kept).")  # fmt: skip
def crawl(count: int, hosts: int, repeat: int) -> None:
    """Pages per second and CPU per page of a crawl of the large replica, beside a bare
    Scrapy spider fetching the same pages in the same run."""
    from scraper.bench.crawl import report, run

    measured, stored = run(count, hosts, repeat)
    click.echo(report(measured, count, min(hosts, count), stored))


@bench.command("verify")
@click.option("--releases", "count", type=click.IntRange(1), default=100_000, show_default=True)
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the archive is built (default: a reusable temp folder).")  # fmt: skip
def verify(count: int, folder: Path | None) -> None:
    """``verify`` over a synthetic archive of N releases with WARC records, beside
    ``warcio check`` on the same files; prints the rate and a 1M extrapolation."""
    import tempfile

    from scraper.bench.fixity import prepare, report, run

    folder = folder or Path(tempfile.gettempdir()) / f"pressarchiv-bench-verify-{count}"
    db, warc = prepare(folder, count, echo=lambda line: click.echo(line, err=True))
    click.echo(report(*run(db, warc)))


@bench.command("revisits")
def revisits() -> None:
    """WARC bytes of a second full crawl of the replica (served without 304), without and
    with revisit records."""
    from scraper.bench.revisits import report, run

    click.echo(report(run()))


@bench.command("export")
@click.option("--releases", "count", type=click.IntRange(1), default=100_000, show_default=True)
@click.option("--db", metavar="URL", help="SQLite archive to fill and export "
              "(default: a reusable file in the temp dir).")  # fmt: skip
@click.option("--format", "formats", type=click.Choice(["jsonl", "json", "csv"]), multiple=True,
              help="Only these formats (repeatable; default all three).")  # fmt: skip
def export(count: int, db: str | None, formats: tuple[str, ...]) -> None:
    """``pressarchiv export`` of N releases in each format beside the sqlite3 shell's -json
    and -csv on the same archive: wall and CPU seconds, peak memory, ratio."""
    import tempfile

    from scraper.bench.export import prepare, report, run

    folder = Path(tempfile.gettempdir())
    db = db or f"sqlite:///{folder / f'pressarchiv-bench-export-{count}.sqlite'}"
    if not db.startswith("sqlite:///") or db == "sqlite:///:memory:":
        raise click.ClickException("--db: the sqlite3 shell reads SQLite files: a sqlite:///FILE")
    prepare(db, count, echo=lambda line: click.echo(line, err=True))
    with tempfile.TemporaryDirectory(dir=folder) as out:
        path = Path(db.removeprefix("sqlite:///"))
        rows = run(db, path, Path(out), formats or ("jsonl", "json", "csv"))
    click.echo(report(count, rows))


@bench.command("startup")
@click.option("--db", metavar="URL", help="SQLite archive to search (default: a reusable "
              "file of --releases synthetic releases in the temp dir).")  # fmt: skip
@click.option("--releases", "count", type=click.IntRange(1), default=113, show_default=True,
              help="Size of the default archive (the demo's).")  # fmt: skip
@click.option("--query", default="Integration", show_default=True, help="The search query.")
@click.option("--runs", type=click.IntRange(1), default=7, show_default=True,
              help="Timed runs of each command (the median is reported).")  # fmt: skip
def startup(db: str | None, count: int, query: str, runs: int) -> None:
    """Start-up: median wall and CPU seconds of ``--help``, ``search`` and ``stats`` on a
    small archive beside ``python -c pass`` and the sqlite3 shell, with ratios."""
    import sqlite3
    import tempfile

    from scraper.bench.export import prepare
    from scraper.bench.startup import report, run

    default = Path(tempfile.gettempdir()) / f"pressarchiv-bench-startup-{count}.sqlite"
    db = db or f"sqlite:///{default}"
    if not db.startswith("sqlite:///") or db == "sqlite:///:memory:":
        raise click.ClickException("--db: the sqlite3 shell reads SQLite files: a sqlite:///FILE")
    path = Path(db.removeprefix("sqlite:///"))
    if db == f"sqlite:///{default}":
        prepare(db, count, echo=lambda line: click.echo(line, err=True))
    elif not path.is_file():
        raise click.ClickException(f"--db: no archive at {path}")
    with sqlite3.connect(path) as conn:
        releases = conn.execute("SELECT count(*) FROM releases").fetchone()[0]
    click.echo(report(run(db, path, query, runs), runs, releases))


@bench.command("ingest")
@click.option("--releases", "count", type=click.IntRange(1), default=10_000, show_default=True)
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the two archives are built (default: a temp folder).")  # fmt: skip
@click.option("--db", metavar="URL", help="A PostgreSQL database on this machine: build the "
              "two archives there, in schemas bench_ingest_api and bench_ingest_raw.")  # fmt: skip
@click.option("--repeat", type=click.IntRange(1), default=3, show_default=True,
              help="Runs, each into new archives; the median is reported.")  # fmt: skip
def ingest(count: int, folder: Path | None, db: str | None, repeat: int) -> None:
    """Storing N releases through the archive API beside executemany of the same rows into
    the same schema (sqlite3, or psycopg with --db): seconds, releases per second, ratio
    (the median of several runs)."""
    import tempfile

    from scraper.bench.ingest import report, run

    if db is not None:
        if not db.startswith("postgresql"):
            raise click.ClickException("--db: a postgresql+psycopg:// URL (SQLite is the default)")
        from scraper.bench import ingest_pg
        from storage.errors import ArchiveError

        try:
            runs = [ingest_pg.run(db, count) for _ in range(repeat)]
            click.echo(report(count, runs, backend="PostgreSQL"))
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from exc
        return
    with tempfile.TemporaryDirectory() as temp:
        where = folder or Path(temp)
        where.mkdir(parents=True, exist_ok=True)
        click.echo(report(count, [run(where, count) for _ in range(repeat)]))


@bench.command("serve")
@click.option("--releases", "count", type=click.IntRange(1), default=10_000, show_default=True,
              help="Releases stored while serving.")  # fmt: skip
@click.option("--base", type=click.IntRange(1), default=20_000, show_default=True,
              help="Releases in the archive before (filled when it holds fewer).")  # fmt: skip
@click.option("--db", metavar="URL", help="SQLite archive (default: a reusable file in the "
              "temp dir; it grows by --releases each run).")  # fmt: skip
def serve_under_writes(count: int, base: int, db: str | None) -> None:
    """``pressarchiv serve`` requested again and again while N releases are stored:
    failed requests, latency, and whether the new releases show without a restart."""
    import tempfile

    from scraper.bench.export import prepare
    from scraper.bench.serve import report, run

    db = db or f"sqlite:///{Path(tempfile.gettempdir()) / f'pressarchiv-bench-serve-{base}.sqlite'}"
    if not db.startswith("sqlite:///") or db == "sqlite:///:memory:":
        raise click.ClickException("--db: serve works on SQLite archive files: a sqlite:///FILE")
    prepare(db, base, echo=lambda line: click.echo(line, err=True))
    result = run(Path(db.removeprefix("sqlite:///")), count)
    click.echo(report(result))
    if result.failures:
        raise SystemExit(1)


@bench.command("workers")
@click.option("--workers", "counts", default="1,2,4", show_default=True,
              help="Worker counts to measure, comma-separated.")  # fmt: skip
@click.option("--jobs", type=click.IntRange(1), default=4, show_default=True,
              help="Jobs each worker runs at once.")  # fmt: skip
@click.option("--releases", "count", type=click.IntRange(1), default=1_000, show_default=True)
@click.option("--hosts", type=click.IntRange(1), default=200, show_default=True)
@click.option("--latency", type=click.FloatRange(0), default=50.0, show_default=True,
              help="Milliseconds per answer.")  # fmt: skip
@click.option("--delay", type=click.FloatRange(0.01), default=1.0, show_default=True,
              help="Seconds between two requests to one host.")  # fmt: skip
@click.option("--broker", metavar="URL", envvar="PRESSARCHIV_BROKER",
              default="redis://127.0.0.1:6379/14", show_default=True)  # fmt: skip
@click.option(
    "--db",
    metavar="URL",
    envvar="PRESSARCHIV_DB",
    required=True,
    help="PostgreSQL server URL (a fresh schema per measurement, dropped after).",
)
def workers(counts, jobs, count, hosts, latency, delay, broker, db) -> None:
    """Releases per second of one crawl of every host on 1, 2, 4 workers, and the scaling."""
    from scraper.bench.workers import report, run

    try:
        numbers = [int(n) for n in counts.split(",")]
    except ValueError:
        raise click.BadParameter(
            f"not a list of numbers: {counts}", param_hint="--workers"
        ) from None
    if not db.startswith("postgresql"):
        raise click.BadParameter("needs a PostgreSQL URL", param_hint="--db")
    rows = run(numbers, jobs, count, hosts, latency / 1000, delay, broker, db)
    click.echo(report(rows, jobs, count, min(hosts, count), latency / 1000, delay))


COMMANDS = [bench]

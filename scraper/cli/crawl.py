"""``pressarchiv crawl`` and ``pressarchiv demo``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from scraper import exits
from scraper.cli.options import (
    archive_url,
    contact_option,
    date_range,
    db_option,
    db_url_from,
    mirror_url,
    sites_dir_option,
)

if TYPE_CHECKING:
    from scraper.crawl import CrawlSummary, WalkOptions

LOCKED_EXIT = exits.BUSY  # another crawl holds the archive, try again later

verbose_option = click.option("-v", "--verbose", is_flag=True, help="Log every request.")
warc_dir_option = click.option(
    "--warc-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of the WARC files (default: <archive>.warc beside a SQLite file, else ./warc).",
)


WALK_OPTIONS = [
    click.option("--full", is_flag=True,
                 help="Walk every listing page; re-check known releases no longer listed."),
    click.option("--since", metavar="DATE",
                 help="Backfill: only releases dated on or after DATE (YYYY-MM-DD)."),
    click.option("--until", metavar="DATE",
                 help="Backfill: only releases dated on or before DATE (YYYY-MM-DD)."),
    click.option("--known-limit", type=click.IntRange(min=1), envvar="PRESSARCHIV_KNOWN_LIMIT",
                 help="Stop after N known, unchanged releases in a row (default 10)."),
    click.option("--delay", type=click.FloatRange(min=0), metavar="SECONDS",
                 help="Seconds between requests to one host (default 1; 0 on loopback)."),
    click.option("--batch-size", type=click.IntRange(min=1),
                 help="Releases stored per transaction (default 50)."),
    click.option("--max-wait", type=click.FloatRange(min=0), metavar="SECONDS",
                 help="Longest Retry-After (429/503) waited out before a retry (default 300)."),
    click.option("--wait", is_flag=True,
                 help="Wait while another crawl holds the archive instead of exiting 75."),
]  # fmt: skip


def walk_options(command):
    for option in reversed(WALK_OPTIONS):
        command = option(command)
    return command


def _walk(options: dict) -> WalkOptions:
    from scraper.crawl import WalkOptions

    options["since"], options["until"] = date_range(options["since"], options["until"])
    return WalkOptions(**options)


def _crawl_or_fail(**kwargs) -> CrawlSummary:
    from scraper.crawl import run_crawl
    from scraper.profiles import ProfileError
    from storage import ArchiveError
    from storage.lock import LockBusy

    try:
        return run_crawl(**kwargs)
    except LockBusy as exc:
        click.echo(f"crawl not started: another crawl is running ({exc}); "
                   "use --wait to wait for it", err=True)  # fmt: skip
        sys.exit(LOCKED_EXIT)
    except (ProfileError, ArchiveError) as exc:
        raise click.ClickException(str(exc)) from None


def _finish(summary: CrawlSummary) -> None:
    """The summary line, the run's status on stderr, and the exit status of the contract."""
    if summary.killed:
        how = "twice: stopped at once" if len(summary.signals) > 1 else "stored what it had"
        click.echo(f"crawl interrupted ({how})", err=True)
    for problem in summary.problems:
        click.echo(f"crawl failed: {problem}", err=True)
    status = summary.status
    if status == "finished" and summary.failed:
        status = f"finished with {summary.failed} failed pages"
    counts = f"withdrawn={summary.withdrawn}, skipped={summary.skipped}"
    click.echo(f"run {summary.run_id} {status}, {counts} (pressarchiv runs {summary.run_id})",
               err=True)  # fmt: skip
    click.echo(summary.line())
    sys.exit(summary.exit_code)


@click.command()
@click.argument("site_ids", metavar="SITE...", nargs=-1, required=True)
@db_option
@click.option("--base-url", metavar="URL", help="Fetch from a mirror laid out one folder per host.")
@click.option("--max-releases", type=click.IntRange(min=1), help="Stop after N releases per site.")
@click.option("--max-listing-pages", type=click.IntRange(min=1), metavar="N",
              help="Read at most N listing pages per site (default 50 for an incremental run; "
                   "no cap for --full/--since/--until).")  # fmt: skip
@sites_dir_option
@contact_option
@verbose_option
@warc_dir_option
@walk_options
@click.option(
    "--broker",
    metavar="URL",
    envvar="PRESSARCHIV_BROKER",
    help="Queue one job per host on this Celery broker (redis:// or amqp://) for "
    "`pressarchiv worker`s instead of crawling here; with --wait, follow them.",
)
@click.option(
    "--wait-timeout",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="With --broker --wait: give up following the jobs after SECONDS.",
)
def crawl(site_ids, db, base_url, max_releases, max_listing_pages, sites_dir, contact, verbose,
          warc_dir, broker, wait_timeout, **walk) -> None:  # fmt: skip
    """Crawl the given sites into the archive (incremental unless --full or --since/--until).

    Exit status: 0 all well, 3 finished but some pages failed, 1 the crawl failed,
    75 another crawl holds the archive (or, with --broker --wait, no worker answers),
    130/143 interrupted.
    """
    options = _walk(walk)
    if broker:
        from scraper.cli.workers import crawl_on_workers

        crawl_on_workers(broker, list(site_ids), archive_url(db_url_from(db)), options,
                         base_url=mirror_url(base_url), sites_dir=sites_dir, contact=contact,
                         max_releases=max_releases, max_listing_pages=max_listing_pages,
                         timeout=wait_timeout, finish=_finish)  # fmt: skip
        return
    summary = _crawl_or_fail(
        site_ids=list(site_ids),
        db_url=archive_url(db_url_from(db)),
        base_url=mirror_url(base_url),
        max_releases=max_releases,
        max_listing_pages=max_listing_pages,
        sites_dir=sites_dir,
        contact=contact,
        log_level="DEBUG" if verbose else "WARNING",
        warc_dir=warc_dir,
        walk=options,
    )
    _finish(summary)


@click.command()
@db_option
@click.option("--edited", is_flag=True, help="Serve the replica with some releases edited.")
@verbose_option
@warc_dir_option
def demo(db, edited, verbose, warc_dir) -> None:
    """Serve the replica sites and crawl all of them into the archive (a --full walk)."""
    from scraper.crawl import WalkOptions
    from scraper.replica import ReplicaServer, site_ids

    db_url = archive_url(db_url_from(db))
    with ReplicaServer(edited=edited) as server:
        click.echo(f"replica serving at {server.base_url}", err=True)
        summary = _crawl_or_fail(
            site_ids=site_ids(),
            db_url=db_url,
            base_url=server.base_url,
            log_level="DEBUG" if verbose else "WARNING",
            warc_dir=warc_dir,
            walk=WalkOptions(full=True),
        )
    _finish(summary)


COMMANDS = [crawl, demo]

"""``pressarchiv crawl`` and ``pressarchiv demo``."""

from __future__ import annotations

import sys

import click

from scraper.cli.options import db_option, db_url_from, sites_dir_option
from scraper.crawl import CrawlSummary, run_crawl
from scraper.profiles import ProfileError
from storage import ArchiveError

contact_option = click.option(
    "--contact",
    envvar="PRESSARCHIV_CONTACT",
    default=None,
    help="Operator contact (e-mail or URL) sent in the user agent (env PRESSARCHIV_CONTACT).",
)
verbose_option = click.option("-v", "--verbose", is_flag=True, help="Log every request.")
warc_dir_option = click.option(
    "--warc-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of the WARC files (default: <archive>.warc beside a SQLite file, else ./warc).",
)


def _crawl_or_fail(**kwargs) -> CrawlSummary:
    try:
        return run_crawl(**kwargs)
    except (ProfileError, ArchiveError) as exc:
        raise click.ClickException(str(exc)) from None


def _finish(summary: CrawlSummary) -> None:
    for problem in summary.problems:
        click.echo(f"crawl failed: {problem}", err=True)
    click.echo(summary.line())
    if not summary.ok:
        sys.exit(1)


@click.command()
@click.argument("site_ids", metavar="SITE...", nargs=-1, required=True)
@db_option
@click.option("--base-url", metavar="URL", help="Fetch from a mirror laid out one folder per host.")
@click.option("--max-releases", type=click.IntRange(min=1), help="Stop after N releases per site.")
@sites_dir_option
@contact_option
@verbose_option
@warc_dir_option
def crawl(site_ids, db, base_url, max_releases, sites_dir, contact, verbose, warc_dir) -> None:
    """Crawl the given sites into the archive."""
    summary = _crawl_or_fail(
        site_ids=list(site_ids),
        db_url=db_url_from(db),
        base_url=base_url,
        max_releases=max_releases,
        sites_dir=sites_dir,
        contact=contact,
        log_level="DEBUG" if verbose else "WARNING",
        warc_dir=warc_dir,
    )
    _finish(summary)


@click.command()
@db_option
@click.option("--edited", is_flag=True, help="Serve the replica with some releases edited.")
@verbose_option
@warc_dir_option
def demo(db, edited, verbose, warc_dir) -> None:
    """Serve the replica sites and crawl all of them into the archive."""
    from scraper.replica import ReplicaServer, site_ids

    with ReplicaServer(edited=edited) as server:
        click.echo(f"replica serving at {server.base_url}", err=True)
        summary = _crawl_or_fail(
            site_ids=site_ids(),
            db_url=db_url_from(db),
            base_url=server.base_url,
            log_level="DEBUG" if verbose else "WARNING",
            warc_dir=warc_dir,
        )
    _finish(summary)


COMMANDS = [crawl, demo]

"""``pressarchiv reparse``: rebuild every release from the WARC files, without the network."""

from __future__ import annotations

import sys

import click

from scraper import exits
from scraper.cli.options import db_option, db_url_from, existing_archive, sites_dir_option


@click.command()
@click.option("--site", metavar="ID", help="Only this site id.")
@db_option
@click.option(
    "--warc-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of the WARC files (default: <archive>.warc beside a SQLite file, else ./warc).",
)
@click.option("--note", metavar="TEXT", help="Note on new revisions (default: the version).")
@sites_dir_option
def reparse(site, db, warc_dir, note, sites_dir) -> None:
    """Run the current normaliser over the archived pages; store what changed as revisions.

    Ends with one line reparsed=N changed=N unchanged=N failed=N. Exit status: 0 all well,
    3 some releases failed, 1 reparse failed, 75 a crawl holds the archive.
    """
    from scraper.profiles import ProfileError
    from scraper.reparse import reparse as run_reparse
    from storage import ArchiveError
    from storage.lock import LockBusy

    db_url = existing_archive(db_url_from(db))
    try:
        summary = run_reparse(db_url, site, warc_dir, sites_dir, note)
    except LockBusy as exc:
        click.echo(f"Error: reparse not started: {exc}", err=True)
        sys.exit(exits.BUSY)
    except (ProfileError, ArchiveError) as exc:
        raise click.ClickException(str(exc)) from None
    for failure in summary.failures:
        click.echo(f"failed {failure}", err=True)
    click.echo(summary.line())
    sys.exit(exits.PARTIAL if summary.failed else exits.OK)


COMMANDS = [reparse]

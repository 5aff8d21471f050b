"""``pressarchiv verify``: fixity check of the WARC records the archive points at."""

from __future__ import annotations

import sys

import click

from scraper import exits
from scraper.cli.options import db_option, db_url_from, existing_archive, format_option
from scraper.cli.output import emit_json


@click.command()
@db_option
@click.option(
    "--warc-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of the WARC files (default: <archive>.warc beside a SQLite file, else ./warc).",
)
@click.option("--site", metavar="ID", help="Only the releases of this site id.")
@format_option("text", "json")
def verify(db, warc_dir, site, fmt) -> None:
    """Re-read every WARC record a revision or attachment points at and check its digests.

    Prints one line per missing file or damaged record with the releases it holds, then
    checked=N ok=N missing=N damaged=N unarchived=N files=N rate=N/s. Exit status: 0 all
    records intact, 4 some missing or damaged, 1 verify could not run.
    """
    from pathlib import Path

    from scraper.evidence import warc_dir_for
    from scraper.evidence.fixity import verify as run_verify
    from storage import Archive, ArchiveError

    db_url = existing_archive(db_url_from(db))
    folder = warc_dir_for(db_url, warc_dir) or Path("warc")
    try:
        with Archive(db_url) as archive:
            report = run_verify(archive.engine, folder, site)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        emit_json(report.to_dict())
    else:
        for problem in report.problems:
            click.echo(problem.line())
        click.echo(report.line())
    sys.exit(exits.DAMAGED if report.problems else exits.OK)


COMMANDS = [verify]

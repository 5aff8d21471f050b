"""``pressarchiv mirror``: an incremental SQLite copy of an archive, for ``serve``."""

from __future__ import annotations

import click

from scraper.cli.options import db_option, db_url_from, existing_archive


@click.command()
@db_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The SQLite mirror file (created, or brought up to date).",
)
@click.option(
    "--warc-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="The archive's WARC folder, for serve (default: <archive>.warc beside a SQLite "
    "file, else ./warc).",
)
def mirror(db: str | None, output: str, warc_dir: str | None) -> None:
    """Copy the archive (e.g. on PostgreSQL) into a SQLite file that `serve` can browse.

    Run again, only what changed since is copied, in one transaction: a `serve` on the
    mirror shows the new state without a restart and never an error.
    """
    from scraper.evidence.paths import warc_dir_for
    from storage import ArchiveError
    from storage.mirror import mirror as run_mirror

    db_url = existing_archive(db_url_from(db))
    try:
        counts = run_mirror(db_url, output, warc_dir_for(db_url, warc_dir))
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    what = "copied" if counts.first else "updated"
    click.echo(
        f"{what} {output}: releases={counts.releases} revisions={counts.revisions} "
        f"rows={counts.rows}"
    )


COMMANDS = [mirror]

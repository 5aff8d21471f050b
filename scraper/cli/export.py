"""``pressarchiv export``: write the archive as CSV, JSON or JSON Lines."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

import exports
from exports.manifest import Tally, write_sidecars
from exports.marks import mark_of, move_mark
from exports.rows import export_rows, last_revision
from scraper.cli.options import (  # noqa: F401 (parse_date: imported from here by search)
    archive_url,
    date_range,
    db_option,
    db_url_from,
    existing_archive,
    output_path,
    parse_date,
    writable_archive,
)
from scraper.profiles import ProfileError, load_profiles
from storage import Archive, ArchiveError

BROKEN_PIPE_EXIT = 141  # what a shell reports for a process ended by SIGPIPE


def check_site(archive: Archive, site: str | None) -> None:
    """A one-line error for a site id that is neither configured nor in the archive."""
    try:
        known = site is None or site in load_profiles() or site in archive.sites()
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    if not known:
        raise click.ClickException(f"unknown site id {site!r} (see `pressarchiv sites`)")


def open_archive(db: str | None, create: bool = False) -> Archive:
    """The existing archive for ``--db`` (``create``: made if missing), or a one-line error;
    a command that only reads never creates an empty archive."""
    url = db_url_from(db)
    try:
        return Archive(archive_url(url) if create else existing_archive(url))
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


def quiet_broken_pipe() -> None:
    """The reader of stdout went away (``| head``): end at once, without a message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing left to flush at exit
    except (OSError, ValueError):  # stdout without a file descriptor (tests)
        pass
    sys.exit(BROKEN_PIPE_EXIT)


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(exports.FORMATS), default="csv", show_default=True
)
@click.option(
    "-o", "--output", metavar="PATH", help="File (default stdout); never an archive or a device."
)
@click.option("--site", metavar="ID", help="Only this site id.")
@click.option("--since", metavar="DATE", help="Published on or after (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Published on or before (YYYY-MM-DD).")
@click.option(
    "--since-last",
    metavar="NAME",
    help="Only releases new or changed since the last successful export NAME; then move its mark.",
)
@db_option
def export(fmt, output, site, since, until, since_last, db):
    """Export releases ordered by date, then id.

    CSV list cells: persons as "Name (Rolle); Name (Rolle)", urls, flags and attachments
    joined with " | "; cells starting with = + - @ get a leading ' (formula neutralised).
    With -o, FILE.manifest.json and FILE.datapackage.json are written beside FILE.
    """
    start, end = date_range(since, until)
    output = output_path(output, db_url_from(db), ("manifest.json", "datapackage.json"))
    query = {"site": site, "since": since, "until": until, "since_last": since_last}
    if since_last:  # the mark must be able to move, or the export is not taken as done
        writable_archive(db_url_from(db))
    with open_archive(db) as archive:
        check_site(archive, site)
        try:
            through = last_revision(archive)
            after = mark_of(archive, since_last) if since_last else None
            rows = Tally(export_rows(archive, site, start, end, after))
            count = exports.write(rows, fmt, output)
            if output:
                revisions = {"after": after, "through": through}
                write_sidecars(output, fmt, count, query, rows.published(), revisions)
            if since_last:
                _move_mark(archive, since_last, through, count, output)
        except BrokenPipeError:
            quiet_broken_pipe()
        except (ArchiveError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
    if output:
        click.echo(f"{count} releases written to {output}", err=True)


def _move_mark(archive, name: str, through, count: int, output: str | None) -> None:
    """Move the export's mark; if it cannot move, the file's manifest goes, so that no
    consumer takes the export for a complete one (the next run repeats it)."""
    try:
        move_mark(archive, name, through, count, output)
    except (ArchiveError, OSError) as exc:
        if output:
            Path(f"{output}.manifest.json").unlink(missing_ok=True)
        raise click.ClickException(
            f"export mark {name!r} not moved ({exc}); the export is not complete"
        ) from None


COMMANDS = [export]

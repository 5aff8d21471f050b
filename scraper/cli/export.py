"""``pressarchiv export``: write the archive as CSV, JSON or JSON Lines."""

from __future__ import annotations

import os
import sys
from datetime import date

import click

import exports
from exports.manifest import Tally, write_sidecars
from exports.marks import mark_of, move_mark
from exports.rows import export_rows, last_revision
from scraper.cli.options import db_option, db_url_from
from scraper.profiles import ProfileError, load_profiles
from storage import Archive, ArchiveError

BROKEN_PIPE_EXIT = 141  # what a shell reports for a process ended by SIGPIPE


def parse_date(value: str | None, option: str) -> date | None:
    """A ``YYYY-MM-DD`` option value, or a one-line error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def date_range(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """The checked ``--since`` / ``--until`` pair."""
    start, end = parse_date(since, "--since"), parse_date(until, "--until")
    if start and end and start > end:
        raise click.ClickException(f"--since {start} is after --until {end}")
    return start, end


def check_site(archive: Archive, site: str | None) -> None:
    """A one-line error for a site id that is neither configured nor in the archive."""
    try:
        known = site is None or site in load_profiles() or site in archive.sites()
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    if not known:
        raise click.ClickException(f"unknown site id {site!r} (see `pressarchiv sites`)")


def open_archive(db: str | None) -> Archive:
    """The archive for ``--db``, or a one-line error."""
    try:
        return Archive(db_url_from(db))
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
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File (default stdout)."
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
    query = {"site": site, "since": since, "until": until, "since_last": since_last}
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
                move_mark(archive, since_last, through, count, output)
        except BrokenPipeError:
            quiet_broken_pipe()
        except (ArchiveError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
    if output:
        click.echo(f"{count} releases written to {output}", err=True)


COMMANDS = [export]

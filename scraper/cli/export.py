"""``pressarchiv export``: write the archive as CSV, JSON or JSON Lines."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

import exports
from scraper import exits
from scraper.cli.options import (
    check_site,
    date_range,
    db_option,
    db_url_from,
    format_option,
    open_archive,
    output_path,
    since_option,
    site_option,
    until_option,
    writable_archive,
)

BROKEN_PIPE_EXIT = exits.BROKEN_PIPE  # what a shell reports for a process ended by SIGPIPE


def quiet_broken_pipe() -> None:
    """The reader of stdout went away (``| head``): end at once, without a message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing left to flush at exit
    except (OSError, ValueError):  # stdout without a file descriptor (tests)
        pass
    sys.exit(BROKEN_PIPE_EXIT)


@click.command()
@format_option(*exports.FORMATS)
@click.option(
    "-o", "--output", metavar="PATH", help="File (default stdout); never an archive or a device."
)
@site_option
@since_option
@until_option
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
    from exports.manifest import Tally, write_sidecars
    from exports.marks import mark_of, move_mark
    from exports.rows import export_chunks, last_revision
    from storage import ArchiveError

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
            rows = Tally(export_chunks(archive, fmt, site, start, end, after))
            count = exports.write_chunks(rows, fmt, output)
            if output:
                revisions = {"after": after, "through": through}
                write_sidecars(output, fmt, count, query, rows.published(), revisions)
            if since_last:
                _move_mark(move_mark, archive, since_last, through, count, output)
        except BrokenPipeError:
            quiet_broken_pipe()
        except (ArchiveError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
    if output:
        click.echo(f"{count} releases written to {output}", err=True)


def _move_mark(move_mark, archive, name: str, through, count: int, output: str | None) -> None:
    """Move the export's mark; if it cannot move, the file's manifest goes, so that no
    consumer takes the export for a complete one (the next run repeats it)."""
    from storage import ArchiveError

    try:
        move_mark(archive, name, through, count, output)
    except (ArchiveError, OSError) as exc:
        if output:
            Path(f"{output}.manifest.json").unlink(missing_ok=True)
        raise click.ClickException(
            f"export mark {name!r} not moved ({exc}); the export is not complete"
        ) from None


COMMANDS = [export]

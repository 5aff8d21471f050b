"""``pressarchiv export``: write the archive as CSV, JSON or JSON Lines."""

from __future__ import annotations

from datetime import date

import click

import exports
from scraper.cli.options import db_option, db_url_from
from scraper.profiles import ProfileError, load_profiles
from storage import Archive, ArchiveError


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
@db_option
def export(fmt, output, site, since, until, db):
    """Export releases ordered by date, then id.

    CSV list cells: persons as "Name (Rolle); Name (Rolle)", urls and flags joined
    with " | "; cells starting with = + - @ get a leading ' (formula neutralised).
    """
    start, end = date_range(since, until)
    with open_archive(db) as archive:
        check_site(archive, site)
        try:
            count = exports.write(archive.releases(site, start, end), fmt, output)
        except (ArchiveError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
    if output:
        click.echo(f"{count} releases written to {output}", err=True)


COMMANDS = [export]

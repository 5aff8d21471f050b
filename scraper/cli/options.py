"""Options and helpers shared by several commands.

Like every command module, this one imports only click and the standard library at the
top: ``pressarchiv --help`` and the read commands must start without Scrapy (see
``scraper.cli``). The library a command drives is imported inside the command.
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from storage import Archive

DEFAULT_DB = "sqlite:///pressarchiv.sqlite"
DB_ENV = "PRESSARCHIV_DB"


def db_url_from(value: str | None) -> str:
    """The archive URL: ``--db``, else ``PRESSARCHIV_DB``, else a SQLite file here."""
    return value or os.environ.get(DB_ENV) or DEFAULT_DB


db_option = click.option(
    "--db",
    "db",
    metavar="URL",
    default=None,
    help=f"SQLAlchemy URL of the archive (env {DB_ENV}; default {DEFAULT_DB}).",
)

sites_dir_option = click.option(
    "--sites-dir",
    type=click.Path(file_okay=False),
    default=None,
    envvar="PRESSARCHIV_SITES",
    help="Extra folder of site profile files (*.toml).",
)

contact_option = click.option(
    "--contact",
    envvar="PRESSARCHIV_CONTACT",
    default=None,
    help="Operator contact (e-mail or URL) sent in the user agent (env PRESSARCHIV_CONTACT).",
)

site_option = click.option("--site", metavar="ID", help="Only this site id.")
since_option = click.option("--since", metavar="DATE", help="Published on or after (YYYY-MM-DD).")
until_option = click.option("--until", metavar="DATE", help="Published on or before (YYYY-MM-DD).")


def format_option(*choices: str):
    """``--format`` with the given choices, the first being the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


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


def open_archive(db: str | None) -> Archive:
    """The archive for ``--db`` (or ``PRESSARCHIV_DB``), or a one-line error."""
    from storage import Archive, ArchiveError

    try:
        return Archive(db_url_from(db))
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


def check_site(archive: Archive, site: str | None) -> None:
    """A one-line error for a site id that is neither configured nor in the archive."""
    from scraper.profiles import ProfileError, load_profiles

    try:
        known = site is None or site in load_profiles() or site in archive.sites()
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    if not known:
        raise click.ClickException(f"unknown site id {site!r} (see `pressarchiv sites`)")

"""Options shared by several commands."""

from __future__ import annotations

import os

import click

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

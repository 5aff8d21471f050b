"""Options and helpers shared by several commands.

Like every command module, this one imports only click and the standard library at the
top: ``pressarchiv --help`` and the read commands must start without Scrapy (see
``scraper.cli``). The library a command drives is imported inside the command.
"""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

if TYPE_CHECKING:
    from storage import Archive
    from storage.quick import QuickArchive

DEFAULT_DB = "sqlite:///pressarchiv.sqlite"
DB_ENV = "PRESSARCHIV_DB"


def db_url_from(value: str | None) -> str:
    """The archive URL: ``--db``, else ``PRESSARCHIV_DB``, else a SQLite file here."""
    return value or os.environ.get(DB_ENV) or DEFAULT_DB


def sqlite_path(db_url: str) -> Path | None:
    """The file of a SQLite archive URL (None for other databases); a one-line error for
    a URL that does not parse or an in-memory SQLite database, which keeps nothing."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(db_url)
    except ArgumentError:
        raise click.ClickException(f"--db: cannot parse {db_url!r} as a database URL") from None
    if url.get_backend_name() != "sqlite":
        return None
    if url.database in (None, "", ":memory:"):
        raise click.ClickException(
            "--db: an in-memory SQLite archive keeps nothing; give a file, "
            "e.g. sqlite:///pressarchiv.sqlite"
        )
    return Path(url.database)


def archive_url(db_url: str) -> str:
    """An archive URL a command may write to (created when missing)."""
    sqlite_path(db_url)
    return db_url


def existing_archive(db_url: str) -> str:
    """An archive URL for a command that only reads: a one-line error instead of creating
    an empty archive where there is none."""
    path = sqlite_path(db_url)
    if path is None:
        from sqlalchemy.engine import make_url

        from storage.engine import holds_archive

        if holds_archive(db_url):
            return db_url
        path = make_url(db_url).render_as_string(hide_password=True)
    elif path.is_file():
        return db_url
    raise click.ClickException(
        f"no archive at {path} (crawl one with `pressarchiv crawl` or `pressarchiv demo`, "
        "or name it with --db)"
    )


def mirror_url(value: str | None) -> str | None:
    """A ``--base-url``: an http(s) URL with a host, or a one-line error."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as exc:
        raise click.ClickException(f"--base-url: {value!r} is not a URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.ClickException(
            f"--base-url: {value!r} is not an http(s) URL with a host, e.g. http://127.0.0.1:8000"
        )
    return value


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


def open_archive(db: str | None, create: bool = False) -> Archive:
    """The existing archive for ``--db`` (or ``PRESSARCHIV_DB``; with ``create``: made if
    missing), or a one-line error; a command that only reads never creates an empty one."""
    from storage import Archive, ArchiveError

    url = db_url_from(db)
    try:
        return Archive(archive_url(url) if create else existing_archive(url))
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


def open_search(db: str | None) -> Archive | QuickArchive:
    """The archive to search for ``--db``: a SQLite file at the newest schema is read
    through the sqlite3 driver (``storage.quick``: without SQLAlchemy, a third of the
    start-up); anything else as ``open_archive``."""
    from storage.quick import QuickArchive

    return QuickArchive.open(db_url_from(db)) or open_archive(db)


def check_site(archive: Archive | QuickArchive, site: str | None) -> None:
    """A one-line error for a site id that is neither configured nor in the archive."""
    from scraper.profiles import ProfileError, load_profiles

    try:
        known = site is None or site in load_profiles() or site in archive.sites()
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    if not known:
        raise click.ClickException(f"unknown site id {site!r} (see `pressarchiv sites`)")


SQLITE_MAGIC = b"SQLite format 3\x00"


def _refusal(path: Path, archive: Path | None) -> str | None:
    """Why an export must not be written to ``path``, or None."""
    if path.is_symlink():
        return "is a symbolic link (nothing is written through a link; name the file itself)"
    if not path.exists():
        return None if path.parent.is_dir() else f"folder {path.parent} does not exist"
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        return "is a folder"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, FIFO or socket)"
    if archive is not None and path.resolve() == archive.resolve():
        return "is the archive itself"
    with path.open("rb") as head:
        if head.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC:
            return "is a SQLite database (an archive?); an export never replaces one"
    if path.name.endswith((".warc", ".warc.gz")):
        return "is a WARC file"
    return None


def output_path(value: str | None, db_url: str, sidecars: tuple[str, ...] = ()) -> str | None:
    """An ``-o`` target that replaces nothing precious: not an archive, device, FIFO,
    folder or symbolic link (nor are the ``sidecars`` beside it); else a one-line error."""
    if value is None:
        return None
    path = Path(value)
    archive = sqlite_path(db_url)
    for target in (path, *(path.with_name(f"{path.name}.{suffix}") for suffix in sidecars)):
        why = _refusal(target, archive)
        if why:
            raise click.ClickException(f"-o: {target} {why}; nothing written")
    return value


def writable_archive(db_url: str) -> None:
    """A one-line error when a SQLite archive cannot be written (read-only file or folder)."""
    path = sqlite_path(db_url)
    if path is not None and path.exists():
        for target in (path, path.parent):
            if not os.access(target, os.W_OK):
                raise click.ClickException(f"the archive {path} is read-only ({target})")

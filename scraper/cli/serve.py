"""``pressarchiv serve``: browse a SQLite archive, or a mirror of any archive, in Datasette."""

from __future__ import annotations

import importlib.util
import socket
import threading
from pathlib import Path

import click

from scraper.cli.options import db_option, db_url_from, existing_archive


def sqlite_file(db_url: str) -> Path:
    """The SQLite file behind ``db_url``, or a one-line error."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(db_url)
    except ArgumentError:
        raise click.ClickException(f"--db: cannot parse {db_url!r} as a database URL") from None
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            f"serve reads SQLite files only (Datasette), not {url.get_backend_name()}: "
            "serve it through a mirror, `pressarchiv serve --db URL --mirror FILE.sqlite`, "
            "or copy it with `pressarchiv mirror --db URL -o FILE.sqlite` and serve that file"
        )
    if url.database in (None, "", ":memory:"):
        raise click.ClickException("serve needs an archive file, e.g. sqlite:///pressarchiv.sqlite")
    path = Path(url.database)
    if not path.is_file():
        raise click.ClickException(f"no archive at {path} (create one with `pressarchiv demo`)")
    return path


def check_port(host: str, port: int) -> None:
    """A one-line error when ``host:port`` cannot be listened on (e.g. already in use)."""
    try:
        socket.create_server((host, port)).close()
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def keep_mirrored(db_url: str, path: Path, every: float, stop: threading.Event) -> None:
    """Bring the mirror at ``path`` up to date every ``every`` seconds until ``stop`` is set;
    a failed run is one line on stderr and the next one tries again."""
    from storage import ArchiveError
    from storage.mirror import mirror

    while not stop.wait(every):
        try:
            counts = mirror(db_url, path)
        except ArchiveError as exc:
            click.echo(f"Error: mirror not updated: {exc}", err=True)
        else:
            if counts.releases:
                click.echo(f"mirror updated: releases={counts.releases}", err=True)


def mirrored(db_url: str, path: Path) -> Path:
    """``path`` made an up-to-date mirror of the archive at ``db_url`` (one-line errors)."""
    from scraper.evidence.paths import warc_dir_for
    from storage import ArchiveError
    from storage.mirror import mirror

    try:
        counts = mirror(db_url, path, warc_dir_for(db_url))
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"mirrored into {path}: releases={counts.releases}", err=True)
    return path


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8001, show_default=True, help="Port to listen on.")
@click.option(
    "--mirror",
    "mirror_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Serve a SQLite mirror of the archive (e.g. on PostgreSQL) kept in FILE "
    "(see `pressarchiv mirror`).",
)
@click.option(
    "--refresh",
    type=click.FloatRange(min=0),
    default=60,
    show_default=True,
    help="With --mirror: bring the mirror up to date every SECONDS (0: only at the start).",
)
def serve(db: str | None, host: str, port: int, mirror_file: Path | None, refresh: float) -> None:
    """Browse the archive read-only in Datasette: search, facets, release pages.

    Needs the web extra (pip install 'pressarchiv[web]'). The file is opened read-only
    while a crawl may write to it: new releases show up without a restart. An archive on
    PostgreSQL is served through a SQLite mirror (--mirror FILE), updated while serving.
    """
    db_url = db_url_from(db)
    if mirror_file is not None:
        path = mirrored(existing_archive(db_url), mirror_file)
    else:
        path = sqlite_file(db_url)
    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("serve needs Datasette: pip install 'pressarchiv[web]'")
    import uvicorn

    from scraper.web import WebError, datasette_app

    try:
        app = datasette_app(path).app()
    except WebError as exc:
        raise click.ClickException(str(exc)) from None
    check_port(host, port)
    if mirror_file is not None and refresh:
        stop = threading.Event()
        args = (db_url, mirror_file, refresh, stop)
        threading.Thread(target=keep_mirrored, args=args, daemon=True).start()
    click.echo(f"Serving {path} read-only at http://{host}:{port}/archive/releases", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


COMMANDS = [serve]

"""``pressarchiv serve``: browse a SQLite archive read-only in Datasette."""

from __future__ import annotations

import importlib.util
import socket
from pathlib import Path

import click

from scraper.cli.options import db_option, db_url_from


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
            "copy the archive with `pressarchiv mirror --db URL -o FILE.sqlite` "
            "and serve that file (run mirror again to bring it up to date)"
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


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8001, show_default=True, help="Port to listen on.")
def serve(db: str | None, host: str, port: int) -> None:
    """Browse the archive read-only in Datasette: search, facets, release pages.

    Needs the web extra (pip install 'pressarchiv[web]'). The file is opened read-only
    while a crawl may write to it: new releases show up without a restart.
    """
    path = sqlite_file(db_url_from(db))
    if importlib.util.find_spec("datasette") is None:
        raise click.ClickException("serve needs Datasette: pip install 'pressarchiv[web]'")
    import uvicorn

    from scraper.web import WebError, datasette_app

    try:
        app = datasette_app(path).app()
    except WebError as exc:
        raise click.ClickException(str(exc)) from None
    check_port(host, port)
    click.echo(f"Serving {path} read-only at http://{host}:{port}/archive/releases", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


COMMANDS = [serve]

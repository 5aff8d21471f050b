"""``pressarchiv health``: one line per problem of the archive, for cron."""

from __future__ import annotations

import sys

import click

from scraper import exits
from scraper.cli.options import db_option, db_url_from, existing_archive, format_option
from scraper.cli.output import emit_json


@click.command()
@db_option
@click.option("--site", metavar="ID", help="Only this site id.")
@click.option("--max-age", type=click.IntRange(min=0), default=2, show_default=True,
              help="Days after which a site's last successful run is stale.")  # fmt: skip
@format_option("text", "json")
def health(db, site, max_age, fmt) -> None:
    """Per site: age of the last successful run, failures of the latest run by kind, gaps
    in the release numbers, silences against the site's own rhythm, and fields that the
    latest run filled far less often than before.

    One line per problem, then sites=N problems=N. Exit status: 0 healthy, 5 problems
    found, 1 the archive cannot be read.
    """
    from storage import Archive, ArchiveError
    from storage.health import Thresholds, check, to_dict

    db_url = existing_archive(db_url_from(db))
    try:
        with Archive(db_url) as archive:
            sites = check(archive.engine, site, limits=Thresholds(max_age=max_age))
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    problems = [problem for health in sites for problem in health.problems]
    if fmt == "json":
        emit_json({"healthy": not problems, "sites": [to_dict(h) for h in sites]})
    else:
        for problem in problems:
            click.echo(problem.line())
        click.echo(f"sites={len(sites)} problems={len(problems)}")
    sys.exit(exits.WARNINGS if problems else exits.OK)


COMMANDS = [health]

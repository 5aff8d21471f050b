"""``pressarchiv runs``: the crawl log."""

from __future__ import annotations

import json

import click
from sqlalchemy.orm import Session

from scraper.cli.options import db_option, db_url_from, existing_archive
from storage import Archive, ArchiveError
from storage import runs as crawl_log

COLUMNS = ("id", "started", "ended", "status", "mode", "pages", "new", "changed",
           "unchanged", "withdrawn", "failed", "skipped")  # fmt: skip


def _table(rows: list[dict]) -> str:
    cells = [
        [str(row[c] if row[c] is not None else "-") for c in COLUMNS] + [" ".join(row["sites"])]
        for row in rows
    ]
    header = [*COLUMNS, "sites"]
    widths = [max(len(x) for x in column) for column in zip(header, *cells, strict=True)]
    return "\n".join(
        "  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *cells]
    )


def _detail(run: dict) -> str:
    lines = [f"run {run['id']}: {run['status']}, {run['mode']}",
             f"started {run['started']}, ended {run['ended'] or '-'}"]  # fmt: skip
    for site in run["per_site"]:
        counts = " ".join(f"{name}={site[name]}" for name in crawl_log.COUNTERS)
        walk = "complete walk" if site["complete"] else "incomplete walk"
        lines.append(f"  {site['site']}: {site['status']}, {walk}, {counts}")
    lines += [f"problem: {problem}" for problem in run["problems"]]
    for title, key in (("failures", "failures"), ("skipped", "skips")):
        lines.append(f"{title}: {len(run[key])}")
        lines += [f"  {f['url']}  {f['reason']}" for f in run[key]]
    return "\n".join(lines)


@click.command()
@click.argument("run_id", metavar="[ID]", type=int, required=False)
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many runs to list, newest first.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")  # fmt: skip
def runs(run_id, db, limit, fmt) -> None:
    """List crawl runs (newest first), or show run ID with its failures.

    A run left ``running`` by a process that is gone is shown as ``interrupted``.
    """
    try:
        with (
            Archive(existing_archive(db_url_from(db))) as archive,
            Session(archive.engine) as session,
        ):
            found = (
                crawl_log.get_run(session, run_id)
                if run_id is not None
                else crawl_log.list_runs(session, limit)
            )
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    if found is None:
        raise click.ClickException(f"no run {run_id} in this archive")
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif run_id is not None:
        click.echo(_detail(found))
    else:
        click.echo(_table(found) if found else "no runs recorded yet")


COMMANDS = [runs]

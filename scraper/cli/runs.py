"""``pressarchiv runs``: the crawl log."""

from __future__ import annotations

import click

from scraper.cli.options import db_option, format_option, open_archive
from scraper.cli.output import emit_csv, emit_json, emit_table

COLUMNS = ["id", "started", "ended", "status", "mode", "pages", "new", "changed",
           "unchanged", "withdrawn", "failed", "skipped", "sites"]  # fmt: skip


def _detail(run: dict) -> str:
    lines = [f"run {run['id']}: {run['status']}, {run['mode']}",
             f"started {run['started']}, ended {run['ended'] or '-'}"]  # fmt: skip
    for site in run["per_site"]:
        counts = " ".join(f"{name}={site[name]}" for name in COLUMNS[5:-1])
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
@format_option("table", "json", "csv")
def runs(run_id, db, limit, fmt) -> None:
    """List crawl runs (newest first), or show run ID with its failures and skips.

    A run left ``running`` by a process that is gone is shown as ``interrupted``.
    """
    from storage import ArchiveError

    try:
        with open_archive(db) as archive:
            found = archive.run(run_id) if run_id is not None else archive.runs(limit)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    if found is None:
        raise click.ClickException(f"no run {run_id} in this archive")
    if fmt == "json":
        return emit_json(found)
    if run_id is not None and fmt == "table":
        return click.echo(_detail(found))
    listed = [found] if run_id is not None else found
    rows = [dict(run, sites=" ".join(run["sites"])) for run in listed]
    if fmt == "csv":
        return emit_csv(COLUMNS, rows)
    if not rows:
        return click.echo("no runs recorded yet")
    emit_table(COLUMNS, rows, {"sites": 1000}, empty="-")


COMMANDS = [runs]

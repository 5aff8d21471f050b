"""``pressarchiv dupes``: releases published more than once (near-duplicates)."""

from __future__ import annotations

import click

from scraper.cli.options import db_option, format_option, open_archive
from scraper.cli.output import cut, emit_csv, emit_json


@click.command()
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True,
              help="How many clusters (the most recently grown first).")  # fmt: skip
@click.option("--rebuild", is_flag=True,
              help="Recompute every release's clusters first (an archive made before "
              "near-duplicate detection).")  # fmt: skip
@format_option("table", "json", "csv")
@db_option
def dupes(limit, rebuild, fmt, db):
    """The same release published by several issuers, or reposted with small edits.

    Each group lists its releases, the oldest first, with the similarity of each to the
    first (the share of three-word sequences they have in common). New releases are
    checked when they are stored.
    """
    from storage import ArchiveError

    with open_archive(db) as archive:
        if rebuild:
            try:
                done = archive.rebuild_dupes(
                    echo=lambda n: click.echo(f"{n} releases checked", err=True)
                )
            except ArchiveError as exc:
                raise click.ClickException(str(exc)) from None
            if not done:
                click.echo("the archive holds no release", err=True)
        found = archive.dupes(limit)
    if fmt == "json":
        return emit_json(found)
    if fmt == "csv":
        rows = [dict(member, cluster=c["cluster"]) for c in found for member in c["members"]]
        columns = ["cluster", "id", "published", "ministry", "title", "similarity"]
        return emit_csv(columns, rows)
    if not found:
        click.echo("no release is published more than once", err=True)
    for cluster in found:
        click.echo(f"cluster {cluster['cluster']}  {cluster['releases']} releases")
        for member in cluster["members"]:
            share = member["similarity"]
            similar = "    " if share is None else f"{share:4.0%}"
            click.echo(
                f"  {member['id']}  {member['published'] or '----------'}  {similar}  "
                f"{cut(member['ministry'] or member['site'], 40):40}  {member['title'] or ''}"
            )
        click.echo()


COMMANDS = [dupes]

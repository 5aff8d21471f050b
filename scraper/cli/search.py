"""``search``, ``show``, ``persons``, ``changes``, ``stats``: read the archive as a journalist."""

from __future__ import annotations

import csv
import json
import sys

import click

from exports.columns import csv_cell, person_text
from scraper.cli.export import check_site, date_range, open_archive, parse_date
from scraper.cli.options import db_option
from storage import ArchiveError

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format.",
)


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def emit_csv(columns: list[str], rows: list[dict]) -> None:
    """CSV with a header; list cells and formula neutralising as in exports."""
    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(name, row.get(name)) for name in columns])


def emit_table(columns: list[str], rows: list[dict], widths: dict[str, int] | None = None):
    """Plain aligned columns; cells longer than their width are cut with an ellipsis."""
    widths = widths or {}
    cells = [[_cut(_plain(row.get(c)), widths.get(c, 60)) for c in columns] for row in rows]
    sizes = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    for line in [columns] + cells:
        click.echo("  ".join(c.ljust(size) for c, size in zip(line, sizes, strict=True)).rstrip())


def _plain(value) -> str:
    if value is None:
        return ""
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def emit(fmt: str, columns: list[str], rows: list[dict], widths=None) -> None:
    if fmt == "json":
        emit_json(rows)
    elif fmt == "csv":
        emit_csv(columns, rows)
    else:
        emit_table(columns, rows, widths)


@click.command()
@click.argument("query")
@click.option("--site", metavar="ID", help="Only this site id.")
@click.option("--ministry", metavar="TEXT", help="Ministry name contains TEXT.")
@click.option("--since", metavar="DATE", help="Published on or after (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Published on or before (YYYY-MM-DD).")
@click.option("--person", metavar="NAME", help="Only releases naming this person.")
@click.option("--kind", metavar="KIND", help="Only this kind, e.g. Pressemitteilung.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@format_option
@db_option
def search(query, site, ministry, since, until, person, kind, limit, fmt, db):
    """Full-text search in German.

    A word finds its compounds and inflections (Integration -> Integrationskonferenz);
    Maedchen = Mädchen, Strasse = Straße; "exact phrase"; AND, OR, NOT, ( ); Integr* prefix.
    Hits are marked **like this** in the snippet.
    """
    start, end = date_range(since, until)
    with open_archive(db) as archive:
        check_site(archive, site)
        try:
            hits = archive.search(
                query,
                site=site,
                ministry=ministry,
                since=start,
                until=end,
                person=person,
                kind=kind,
                limit=limit,
            )
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
    if fmt != "table":
        columns = ["id", "published", "ministry", "title", "snippet", "site", "kind", "score"]
        return emit(fmt, columns, hits)
    if not hits:
        click.echo("no matches", err=True)
    for hit in hits:
        ministry = _cut(hit["ministry"] or "", 40)
        click.echo(f"{hit['id']}  {hit['published'] or '----------'}  {ministry}")
        click.echo(f"    {hit['title']}")
        click.echo(f"    {hit['snippet']}\n")


@click.command()
@click.argument("release_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@db_option
def show(release_id, fmt, db):
    """One release: all fields, its URLs, first/last seen, revisions with word diffs."""
    with open_archive(db) as archive:
        data = archive.show(release_id)
    if data is None:
        raise click.ClickException(f"no release with id {release_id!r}")
    if fmt == "json":
        return emit_json(data)
    revisions = data.pop("revisions")
    for name, value in data.items():
        if name == "persons":
            value = "; ".join(person_text(p) for p in value)
        elif name == "body":
            continue
        click.echo(f"{name + ':':14}{_plain(value)}")
    click.echo(f"\n{data['body'] or ''}\n")
    for revision in revisions:
        click.echo(
            f"revision {revision['number']}  fetched {revision['fetched_at']}  "
            f"{revision['fetched_url'] or ''}"
        )
        for field, diff in revision.get("diff", {}).items():
            click.echo(f"  {field}: {diff}")


@click.command()
@click.option("--search", "name", metavar="NAME", help="Only names containing NAME.")
@format_option
@db_option
def persons(name, fmt, db):
    """People named in releases, with their offices and release counts."""
    with open_archive(db) as archive:
        people = archive.persons(name)
    emit(fmt, ["name", "roles", "releases", "first", "last"], people, {"roles": 50})


@click.command()
@click.option("--since", metavar="DATE", help="Changes noticed on or after (YYYY-MM-DD).")
@format_option
@db_option
def changes(since, fmt, db):
    """Releases edited after publication, newest first, with word diffs."""
    start = parse_date(since, "--since")
    with open_archive(db) as archive:
        edited = archive.changes(start)
    if fmt == "json":
        return emit_json(edited)
    rows = [
        dict(release, to=change["to"], fetched_at=change["fetched_at"], field=field, diff=diff)
        for release in edited
        for change in release["changes"]
        for field, diff in change["diff"].items()
    ]
    if fmt == "csv":
        columns = ["id", "published", "ministry", "title", "to", "fetched_at", "field", "diff"]
        return emit_csv(columns, rows)
    for release in edited:
        click.echo(
            f"{release['id']}  {release['published']}  changed {release['changed_at']}  "
            f"{release['title']}"
        )
        for change in release["changes"]:
            for field, diff in change["diff"].items():
                click.echo(f"  rev {change['to']} {field}: {diff}")
    if not edited:
        click.echo("no edited releases", err=True)


@click.command()
@format_option
@db_option
def stats(fmt, db):
    """Releases per ministry and per month, and how often each field is filled."""
    with open_archive(db) as archive:
        data = archive.stats()
    if fmt == "json":
        return emit_json(data)
    rows = (
        [{"section": "total", "key": "releases", "value": data["releases"]}]
        + [
            {"section": "ministry", "key": r["ministry"], "value": r["releases"]}
            for r in data["per_ministry"]
        ]
        + [
            {"section": "month", "key": r["month"], "value": r["releases"]}
            for r in data["per_month"]
        ]
        + [
            {"section": "field", "key": name, "value": f"{v['rate']:.1%} ({v['filled']})"}
            for name, v in data["fields"].items()
        ]
    )
    emit(fmt, ["section", "key", "value"], rows, {"key": 70})


COMMANDS = [search, show, persons, changes, stats]

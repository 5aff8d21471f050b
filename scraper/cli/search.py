"""``search``, ``show``, ``persons``, ``changes``, ``stats``: read the archive as a journalist."""

from __future__ import annotations

import click

from exports.columns import person_text
from scraper.cli.options import (
    check_site,
    date_range,
    db_option,
    format_option,
    open_archive,
    open_search,
    parse_date,
    since_option,
    site_option,
    until_option,
)
from scraper.cli.output import cut, emit, emit_csv, emit_json, plain


class QueryCommand(click.Command):
    """A command whose arguments are the words of a search query: a word with a leading
    ``-`` is left out of the results (``Schule -Corona``), not taken for an option; an
    unknown ``--long`` option is still refused."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = {name for param in self.get_params(ctx) for name in param.opts}
        for arg in args:
            if arg == "--":
                break
            if arg.startswith("--") and arg.split("=", 1)[0] not in known:
                raise click.NoSuchOption(arg.split("=", 1)[0], ctx=ctx)
        return super().parse_args(ctx, args)


@click.command(cls=QueryCommand, context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@site_option
@click.option("--ministry", metavar="TEXT", help="Ministry name contains TEXT.")
@since_option
@until_option
@click.option("--person", metavar="NAME", help="Only releases naming this person.")
@click.option("--kind", metavar="KIND", help="Only this kind, e.g. Pressemitteilung.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--all-copies", is_flag=True,
              help="List each publication of the same text (by another issuer, a repost) "
              "as a hit of its own instead of once.")  # fmt: skip
@format_option("table", "json", "csv")
@db_option
def search(query, site, ministry, since, until, person, kind, limit, all_copies, fmt, db):
    """Full-text search in German, ranked by relevance.

    A word finds its inflections and compounds (Kind = Kindern, Integration ->
    Integrationskonferenz); Maedchen = Mädchen, Strasse = Straße; stop words (der, und)
    are ignored unless quoted; "exact phrase"; AND, OR, NOT or -word, ( ); Integr* prefix;
    title:, person:, ministry: fields (plain words do not search the ministry's name).
    Prints the hit count and, per hit, id, date, ministry, title, URL and a snippet with
    hits marked **like this**.
    """
    from storage import ArchiveError

    text = " ".join(query)
    start, end = date_range(since, until)
    with open_search(db) as archive:
        check_site(archive, site)
        try:
            found = archive.find(
                text,
                site=site,
                ministry=ministry,
                since=start,
                until=end,
                person=person,
                kind=kind,
                limit=limit,
                collapse=not all_copies,
            )
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
    hits, count = found["hits"], hit_count(found)
    if fmt == "json":
        return emit_json(
            {"query": text, "total": found["total"], "capped": found["capped"]}
            | {"folded": found["folded"], "hits": hits}
        )
    if fmt == "csv":
        click.echo(count, err=True)
        columns = ["id", "published", "ministry", "title", "url", "snippet", "site", "kind"]
        return emit_csv(columns + ["score", "also_published_as"], hits)
    click.echo(f"{count}{f', showing the first {len(hits)}' if len(hits) < found['total'] else ''}")
    for hit in hits:
        ministry = cut(hit["ministry"] or "", 40)
        click.echo(f"\n{hit['id']}  {hit['published'] or '----------'}  {ministry}")
        click.echo(f"    {hit['title']}")
        click.echo(f"    {hit['url']}")
        click.echo(f"    {hit['snippet']}")
        if hit["also_published_as"]:
            click.echo(f"    also published as {', '.join(hit['also_published_as'])}")


def hit_count(found: dict) -> str:
    """``17 hits`` / ``1 hit`` / ``more than 10000 hits``."""
    total = found["total"]
    if found["capped"]:
        return f"more than {total} hits"
    return f"{total} hit{'' if total == 1 else 's'}"


@click.command()
@click.argument("release_id", metavar="ID")
@format_option("text", "json")
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
    also = data.pop("also_published_as", [])
    for name, value in data.items():
        if name == "persons":
            value = "; ".join(person_text(p) for p in value)
        elif name == "body":
            continue
        click.echo(f"{name + ':':14}{plain(value)}")
    for other in also:
        click.echo(
            f"also published as {other['id']}  {other['published'] or '----------'}  "
            f"{other['ministry'] or other['site']}"
        )
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
@format_option("table", "json", "csv")
@db_option
def persons(name, fmt, db):
    """People named in releases, with their offices and release counts."""
    with open_archive(db) as archive:
        people = archive.persons(name)
    emit(fmt, ["name", "roles", "releases", "first", "last"], people, {"roles": 50})


@click.command()
@click.option("--since", metavar="DATE", help="Changes noticed on or after (YYYY-MM-DD).")
@format_option("table", "json", "csv")
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
@format_option("table", "json", "csv")
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

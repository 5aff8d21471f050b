"""``pressarchiv ministries``: ministries across their names, from the authority file."""

from __future__ import annotations

import click

from scraper.cli.options import db_option, format_option, open_archive, sites_dir_option
from scraper.cli.output import emit_csv, emit_json


def _authority():
    from scraper.ministries import AuthorityError, load_authority

    try:
        return load_authority()
    except AuthorityError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(invoke_without_command=True)
@click.option("--search", "text", metavar="TEXT", help="Only ministries whose names contain TEXT.")
@click.option("--all", "show_all", is_flag=True, help="Also ministries without releases.")
@format_option("table", "json", "csv")
@db_option
@click.pass_context
def ministries(ctx, text, show_all, fmt, db):
    """Ministries across their names: each house with its names over time and releases.

    Releases are linked to the authority file when stored; `ministries link` links an
    existing archive (or relinks it after the file changed).
    """
    if ctx.invoked_subcommand is not None:
        return
    from scraper.ministries import overview

    authority = _authority()
    with open_archive(db) as archive:
        houses, unlinked = overview(authority, archive.ministry_counts(), text, show_all)
    if fmt == "json":
        return emit_json({"ministries": houses, "unlinked": unlinked})
    if fmt == "csv":
        rows = [
            dict(name, lineage=house["id"], jurisdiction=house["jurisdiction"])
            for house in houses
            for name in house["names"]
        ]
        columns = ["lineage", "jurisdiction", "id", "name", "abbreviation", "from", "until"]
        return emit_csv(columns + ["releases", "first", "last"], rows)
    for house in houses:
        click.echo(f"{house['id']}  {house['jurisdiction']}  {_releases(house['releases'])}")
        for name in house["names"]:
            period = f"{name['from'] or '':10} – {name['until'] or '':10}"
            click.echo(
                f"  {period}  {name['abbreviation'] or '':7} {name['name']}  "
                f"({_releases(name['releases'])}{_dates(name)})"
            )
        for change in house["changes"]:
            click.echo(f"  {change}")
        click.echo()
    for row in unlinked:
        click.echo(f"not in the authority file: {row['ministry']} ({_releases(row['releases'])})")
    if not houses and not unlinked:
        click.echo("no ministries", err=True)


def _releases(n: int) -> str:
    return f"{n} release" if n == 1 else f"{n} releases"


def _dates(name: dict) -> str:
    return f", {name['first']} to {name['last']}" if name["first"] else ""


@ministries.command("link")
@db_option
def link(db):
    """Link every release of the archive to its authority entry (a backfill; repeatable)."""
    from storage import ArchiveError

    with open_archive(db) as archive:
        try:
            counts = archive.link_ministries()
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
    by = {key: counts.get(key, 0) for key in ("name", "site", "name-only", "none")}
    click.echo(
        f"linked={by['name'] + by['site'] + by['name-only']} by_name={by['name']} "
        f"by_site={by['site']} name_only={by['name-only']} unlinked={by['none']} "
        f"changed={counts['changed']}"
    )


@ministries.command("check")
@sites_dir_option
def check(sites_dir):
    """Check the authority file(s): references, periods, and that every site id exists."""
    from scraper.profiles import ProfileError, load_profiles

    authority = _authority()
    try:
        sites = load_profiles(sites_dir)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    unknown = sorted(
        {(e.id, s) for e in authority.entries.values() for s in e.sites if s not in sites}
    )
    if unknown:
        entry, site = unknown[0]
        raise click.ClickException(f"ministry {entry}: unknown site id {site!r}")
    lineages = authority.lineages()
    click.echo(f"{len(authority.entries)} ministries in {len(lineages)} lineages: ok")


COMMANDS = [ministries]

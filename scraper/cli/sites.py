"""``pressarchiv sites``: the sites the archive can crawl, and a check of one of them."""

from __future__ import annotations

import sys

import click

from scraper.cli.options import contact_option, sites_dir_option


@click.command()
@click.option("--check", "check_id", metavar="SITE", help="Fetch one listing and one release.")
@click.option("--base-url", metavar="URL", help="With --check: fetch from a mirror.")
@contact_option
@sites_dir_option
def sites(check_id, base_url, contact, sites_dir) -> None:
    """List the site ids that can be crawled, or check what one site's profile finds."""
    from scraper.profiles import ProfileError, get_profile, load_profiles

    try:
        if check_id:
            _check(get_profile(check_id, sites_dir), base_url, contact, sites_dir)
            return
        profiles = load_profiles(sites_dir)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    width = max((len(site_id) for site_id in profiles), default=0)
    for site_id, profile in sorted(profiles.items()):
        click.echo(f"{site_id:<{width}}  {profile.name}  ({profile.base_url})")


def _check(profile, base_url, contact, sites_dir) -> None:
    from scraper.check import CheckError, check_site, describe
    from scraper.items import RECORD_FIELDS

    try:
        report = check_site(profile, base_url, contact, sites_dir)
    except CheckError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"site      {profile.id} ({profile.family}, {profile.source})")
    click.echo(f"listing   {report.listing_url}")
    click.echo(f"          {report.release_links} release links, next page: "
               f"{report.next_page or '-- (none)'}")  # fmt: skip
    click.echo(f"release   {report.release_url or '-- (none)'}")
    for name in RECORD_FIELDS:
        click.echo(f"  {name:<11} {describe(report.fields.get(name))}")
    for name, value in report.provenance.items():
        click.echo(f"  {name:<11} {describe(value)}")
    for problem in report.problems:
        click.echo(f"problem: {problem}", err=True)
    click.echo("profile ok" if report.ok else "profile broken")
    if not report.ok:
        sys.exit(1)


COMMANDS = [sites]

"""``pressarchiv sites``: the sites the archive can crawl."""

from __future__ import annotations

import click

from scraper.cli.options import sites_dir_option
from scraper.profiles import ProfileError, load_profiles


@click.command()
@sites_dir_option
def sites(sites_dir: str | None) -> None:
    """List the site ids that can be crawled, with their names."""
    try:
        profiles = load_profiles(sites_dir)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    width = max((len(site_id) for site_id in profiles), default=0)
    for site_id, profile in sorted(profiles.items()):
        click.echo(f"{site_id:<{width}}  {profile.name}  ({profile.base_url})")


COMMANDS = [sites]

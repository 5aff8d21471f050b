"""``pressarchiv replica``: serve the local replica of the ministry sites."""

from __future__ import annotations

import sys

import click


@click.command()
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one)."
)
@click.option("--edited", is_flag=True, help="Serve some releases with an edited text.")
@click.option("--faults", is_flag=True, help="Add a server error, a dateless and a broken page.")
@click.option(
    "--hostile", is_flag=True, help="Turn hessen-soziales into a hostile site (one fault a card)."
)
def replica(port: int, edited: bool, faults: bool, hostile: bool) -> None:
    """Serve the replica sites on 127.0.0.1 until interrupted."""
    from scraper.profiles import get_profile
    from scraper.replica import ReplicaServer, site_ids

    try:
        server = ReplicaServer(port=port, edited=edited, faults=faults, hostile=hostile)
    except OSError as exc:
        raise click.ClickException(f"cannot serve on port {port}: {exc.strerror}") from None
    click.echo(f"replica serving at {server.base_url} (Ctrl-C stops)")
    for site_id in site_ids():
        for url in get_profile(site_id).absolute_start_urls(server.base_url):
            click.echo(f"  {site_id:<24} {url}")
    if server.hostile:
        from scraper.replica.hostile import FAULTS, SITE

        click.echo(f"hostile: {SITE} lists {len(FAULTS)} faults, other hosts at "
                   f"{server.elsewhere.url}")  # fmt: skip
    sys.stdout.flush()  # the addresses reach a pipe now, not when the replica stops
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


COMMANDS = [replica]

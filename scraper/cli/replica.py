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
@click.option("--releases", type=click.IntRange(1), help="Serve the large replica instead: "
              "this many synthetic releases over --hosts sites.")  # fmt: skip
@click.option("--hosts", type=click.IntRange(1), default=20, show_default=True,
              help="Hosts of the large replica.")  # fmt: skip
@click.option("--latency", type=click.FloatRange(0), default=0.0, show_default=True,
              help="Milliseconds the large replica waits before each answer.")  # fmt: skip
@click.option(
    "--log",
    "log",
    type=click.Path(dir_okay=False),
    help="Append every request of "
    "the large replica (host, path, start, end, status) to this file as JSON lines.",
)
@click.option(
    "--sites-dir",
    type=click.Path(file_okay=False),
    help="Where the large replica "
    "writes its sites file for `crawl --sites-dir` (default: a temporary folder).",
)
def replica(port: int, edited: bool, faults: bool, hostile: bool, releases: int | None,
            hosts: int, latency: float, log: str | None,
            sites_dir: str | None) -> None:  # fmt: skip
    """Serve the replica sites on 127.0.0.1 until interrupted."""
    if releases:
        _serve_scale(port, releases, hosts, latency, log, sites_dir)
        return
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


def _serve_scale(port: int, releases: int, hosts: int, latency: float, log: str | None,
                 sites_dir: str | None) -> None:  # fmt: skip
    import tempfile

    from scraper.replica.scale import ScaleReplica, site_id

    try:
        server = ScaleReplica(releases, hosts, latency / 1000, port=port, log=log)
    except OSError as exc:
        raise click.ClickException(f"cannot serve on port {port}: {exc.strerror}") from None
    folder = server.data.write_sites(sites_dir or tempfile.mkdtemp(prefix="pressarchiv-scale-"))
    last = site_id(server.data.hosts - 1)
    click.echo(f"large replica serving at {server.base_url} (Ctrl-C stops): {releases} releases "
               f"on {server.data.hosts} hosts, sites {site_id(0)} .. {last}")  # fmt: skip
    click.echo(f"  sites file: {folder} (crawl --sites-dir {folder} --base-url {server.base_url})")
    sys.stdout.flush()
    server.serve_forever()


COMMANDS = [replica]

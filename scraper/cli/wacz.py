"""``pressarchiv wacz``: the evidence of selected releases as a WACZ package."""

from __future__ import annotations

import click

from scraper.cli.options import db_option, db_url_from, existing_archive, parse_date


@click.command("wacz")
@click.option("--site", metavar="ID", help="Only the releases of this site id.")
@click.option("--since", metavar="DATE", help="Releases published on or after (YYYY-MM-DD).")
@click.option("-o", "--output", metavar="FILE.wacz", required=True,
              type=click.Path(dir_okay=False), help="The package to write.")  # fmt: skip
@db_option
@click.option(
    "--warc-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of the WARC files (default: <archive>.warc beside a SQLite file, else ./warc).",
)
def wacz(site, since, output, db, warc_dir) -> None:
    """Write the WARC records of the selected releases (pages, attachments, revisits with
    their originals) as a WACZ package, with pages.jsonl and datapackage.json, validated."""
    from pathlib import Path

    from scraper.evidence import warc_dir_for
    from scraper.evidence.package import WaczError, write_wacz
    from storage import Archive, ArchiveError

    since_date = parse_date(since, "--since") if since else None
    if not output.endswith(".wacz"):
        raise click.ClickException(f"-o: {output!r} must end in .wacz")
    db_url = existing_archive(db_url_from(db))
    folder = warc_dir_for(db_url, warc_dir) or Path("warc")
    try:
        with Archive(db_url) as archive:
            summary = write_wacz(archive.engine, folder, output, site, since_date)
    except (ArchiveError, WaczError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{output}: {summary.line()} (valid WACZ)")


COMMANDS = [wacz]

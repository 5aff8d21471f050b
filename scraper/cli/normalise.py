"""``pressarchiv normalise``: saved pages or plain-text releases -> JSON records."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from scraper.cli.options import sites_dir_option

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}


def _read(name: str) -> tuple[str, str | bytes]:
    """("html" | "text", content) of a file, or of stdin for ``-``."""
    path = Path(name)
    try:
        data = sys.stdin.buffer.read() if name == "-" else path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {name}: {exc.strerror or exc}") from None
    if path.suffix.lower() in HTML_SUFFIXES or _starts_with_markup(data):
        return "html", data
    return "text", data


def _starts_with_markup(data: bytes) -> bool:
    """Whether the content opens with ``<`` once decoded (a UTF-8 or UTF-16 byte order mark,
    whitespace and NULs before it do not count)."""
    from scraper.normalise.source import decode

    start = decode(data[:1024], markup=False).text.lstrip("\ufeff\x00 \t\r\n")
    return start[:1] == "<"


@click.command("normalise")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True,
    help="Output format: one JSON object per input.",
)  # fmt: skip
@click.option("--url", default=None, help="The page's URL (chooses the site profile).")
@sites_dir_option
def normalise(files: tuple[str, ...], fmt: str, url: str | None, sites_dir: str | None) -> None:
    """Normalise saved release pages (.html) or plain-text releases (.txt, - for stdin)."""
    from scraper.normalise import normalise_html, normalise_text
    from scraper.profiles import ProfileError, load_profiles

    try:
        profiles = load_profiles(sites_dir)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    if url is not None:
        try:
            urlsplit(url).port  # noqa: B018 (raises ValueError for a broken host or port)
        except ValueError as exc:
            raise click.ClickException(f"--url: {url!r} is not a URL ({exc})") from None
    inputs = [(name, *_read(name)) for name in files]
    for name, kind, content in inputs:
        if kind == "html":
            record = normalise_html(content, url=url, profiles=profiles)
        else:
            record = normalise_text(content)
        out = {**record.to_dict(), "uncertain": dict(record.notes), "source": name}
        indent = 2 if len(inputs) == 1 else None
        click.echo(json.dumps(out, ensure_ascii=False, indent=indent))
        for field, why in record.notes.items():
            click.echo(f"{name}: {field} uncertain: {why}", err=True)


COMMANDS = [normalise]

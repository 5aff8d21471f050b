"""Save replica pages as files, for fixtures and offline inspection.

``python -m scraper.replica.save DIR`` writes every distinct page as a mirror tree
(``DIR/<host>/<path>.html``, a query as ``@page=0``) and, beside each release page,
a ``.json`` with its expected fields. ``--release SITE:SLUG`` (repeatable) and
``--listing SITE`` write only those pages, flat, named after the slug or the site.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .site import catalogue, routes, start_path


def file_name(path: str) -> str:
    """A relative file name for a served path (``/h/presse?page=1`` -> ``h/presse@page=1.html``)."""
    path, _, query = path.lstrip("/").partition("?")
    if path.endswith("/"):
        path += "index"
    if path.endswith(".txt"):
        return path
    return path + (f"@{query}" if query else "") + ".html"


def expectation(entry: dict) -> dict:
    """What a fixture's ``.json`` holds: where the page is from and its expected fields."""
    from .releases import FIELDS

    return {
        "site": entry["site"],
        "url": entry["url"],
        "flags": entry["flags"],
        "fields": {key: entry[key] for key in FIELDS},
    }


def write(target: Path, body: bytes | str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(body, str):
        target.write_text(body, encoding="utf-8")
    else:
        target.write_bytes(body)


def save_tree(directory: Path, edited: bool = False, faults: bool = False) -> int:
    """Write every distinct page once, and a ``.json`` beside each release; returns pages."""
    table = routes(edited, faults)
    seen: set[int] = set()
    for path, page in table.items():
        if id(page) not in seen:
            seen.add(id(page))
            write(directory / file_name(path), page.body)
    for entry in catalogue(edited):
        stem = file_name(entry["paths"][0]).removesuffix(".html")
        write(directory / f"{stem}.json", _dump(expectation(entry)))
    return len(seen)


def save_picks(directory: Path, releases: list[str], listings: list[str], edited: bool = False,
               faults: bool = False) -> list[Path]:  # fmt: skip
    """Write the chosen releases (``site:slug``) and listing pages 0 flat into ``directory``."""
    table = routes(edited, faults)
    by_key = {f"{e['site']}:{e['slug']}": e for e in catalogue(edited)}
    written = []
    for key in releases:
        entry = by_key[key]
        html_file = directory / f"{entry['slug']}.html"
        write(html_file, table[entry["paths"][0]].body)
        write(html_file.with_suffix(".json"), _dump(expectation(entry)))
        written.append(html_file)
    for site_id in listings:
        path = start_path(site_id)
        listing = directory / f"{site_id}-listing-page-0{Path(file_name(path)).suffix}"
        write(listing, table[path].body)
        written.append(listing)
    return written


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scraper.replica.save", description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--release", action="append", default=[], metavar="SITE:SLUG")
    parser.add_argument("--listing", action="append", default=[], metavar="SITE")
    parser.add_argument("--edited", action="store_true")
    parser.add_argument("--faults", action="store_true")
    args = parser.parse_args(argv)
    if args.release or args.listing:
        written = save_picks(args.directory, args.release, args.listing, args.edited, args.faults)
        print(f"{len(written)} pages written to {args.directory}")
    else:
        count = save_tree(args.directory, args.edited, args.faults)
        print(f"{count} pages written to {args.directory}")


if __name__ == "__main__":
    main()

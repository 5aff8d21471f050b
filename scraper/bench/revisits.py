"""``pressarchiv bench revisits``: WARC bytes of a second full crawl, without and with
``revisit`` records.

The replica is served without validators (no ``ETag``/``Last-Modified``, never ``304``),
as many real servers are, so a second crawl fetches every unchanged page in full. Each
archive is crawled twice with ``--full`` in fresh processes: once with revisit records off
(``PRESSARCHIV_WARC_REVISITS=0``, what pressarchiv wrote before), once with them on; the
figure is what the second crawl added to the WARC folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scraper.replica import ReplicaServer, site_ids

CLI = [sys.executable, "-m", "scraper.cli"]


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.glob("*.warc.gz"))


def _crawl(db: str, base_url: str, revisits: bool) -> None:
    env = {**os.environ, "PRESSARCHIV_WARC_REVISITS": "1" if revisits else "0"}
    args = [*CLI, "crawl", *site_ids(), "--full", "--db", db, "--base-url", base_url]
    result = subprocess.run(args, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"crawl failed ({result.returncode}): {result.stderr[-500:]}")


def second_crawl_bytes(work: Path, base_url: str, revisits: bool) -> tuple[int, int]:
    """WARC bytes of the first and of the second full crawl into a fresh archive."""
    db = f"sqlite:///{work / 'archive.sqlite'}"
    warc = work / "archive.warc"
    _crawl(db, base_url, revisits)
    first = folder_bytes(warc)
    _crawl(db, base_url, revisits)
    return first, folder_bytes(warc) - first


def run() -> dict[str, tuple[int, int]]:
    with tempfile.TemporaryDirectory() as tmp, ReplicaServer() as server:
        server.validators = False
        figures = {}
        for name, revisits in (("before (no revisits)", False), ("after (revisits)", True)):
            work = Path(tmp) / name.split()[0]
            work.mkdir()
            figures[name] = second_crawl_bytes(work, server.base_url, revisits)
        return figures


def report(figures: dict[str, tuple[int, int]]) -> str:
    lines = ["demo sites, server without 304 | first full crawl | second full crawl"]
    for name, (first, second) in figures.items():
        lines.append(f"{name} | {first:,} bytes | {second:,} bytes")
    (_, before), (_, after) = figures.values()
    lines.append(f"second crawl after/before: {after / before:.2f} ({before - after:,} bytes less)")
    return "\n".join(lines)

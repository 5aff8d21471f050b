"""Helpers for tests that crawl the replica through the CLI in a fresh process.

Imported by the crawl tests (``from crawl_helpers import ...``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import sqlalchemy as sa

from scraper.replica import catalogue
from storage import Archive
from storage.models import Release, ReleaseUrl, Revision

CLI = [sys.executable, "-m", "scraper.cli"]


def pressarchiv(*args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    """Run the CLI in a fresh process (Twisted's reactor runs once per process)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, env=env)


def start(*args: str) -> subprocess.Popen:
    """Start the CLI in the background."""
    return subprocess.Popen(
        [*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def summary_of(result) -> dict[str, int]:
    """The ``new=N changed=N ...`` line of a crawl (its result or its stdout), as a dict."""
    stdout = result if isinstance(result, str) else result.stdout
    line = stdout.strip().splitlines()[-1]
    return {key: int(value) for key, value in (part.split("=") for part in line.split())}


def crawl(db: str, replica, *sites: str, extra: tuple[str, ...] = ()):
    return pressarchiv("crawl", *sites, "--db", db, "--base-url", replica.base_url, *extra)


def entries(site: str, edited: bool = False) -> list[dict]:
    """The replica's truth for one site."""
    return [e for e in catalogue(edited=edited) if e["site"] == site]


def runs_json(db: str, *args: str):
    result = pressarchiv("runs", *args, "--db", db, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def archived(db: str) -> dict[str, dict]:
    """Every release of the archive by each of its URLs: pk, withdrawn, revisions."""
    with Archive(db) as archive, archive.engine.connect() as conn:
        revisions = dict(
            conn.execute(
                sa.select(Revision.release_pk, sa.func.count()).group_by(Revision.release_pk)
            ).all()
        )
        stmt = sa.select(ReleaseUrl.url, Release.pk, Release.withdrawn, Release.last_seen).join(
            Release, Release.pk == ReleaseUrl.release_pk
        )
        return {
            url: {"pk": pk, "withdrawn": gone, "last_seen": seen, "revisions": revisions[pk]}
            for url, pk, gone, seen in conn.execute(stmt)
        }


def release_count(db: str) -> int:
    with Archive(db) as archive:
        return archive.count()

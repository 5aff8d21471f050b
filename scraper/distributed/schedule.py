"""``pressarchiv beat``'s schedule file: crawls to queue at fixed times, as Celery beat entries.

A TOML file with one ``[[crawl]]`` table per entry::

    [[crawl]]
    name = "nightly"            # optional
    cron = "15 3 * * *"         # minute hour day-of-month month day-of-week, or:
    # every = 3600              # seconds
    sites = ["hessen-soziales", "bund-bmas"]
    full = false                # optional: known_limit, delay, base_url, sites_dir, contact
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from celery.schedules import crontab, schedule

from scraper.profiles import ProfileError, get_profile

KEYS = {"name", "cron", "every", "sites", "full", "known_limit", "delay", "base_url",
        "sites_dir", "contact"}  # fmt: skip


class ScheduleError(ValueError):
    """A schedule file that cannot be used (the message names the entry)."""


def load_schedule(path: str | Path, task: str) -> dict[str, dict]:
    """Celery's ``beat_schedule`` for the entries of ``path``."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScheduleError(f"{path}: cannot read schedule: {exc}") from None
    entries = data.get("crawl", [])
    if not entries:
        raise ScheduleError(f"{path}: no [[crawl]] entry")
    beat = {}
    for number, entry in enumerate(entries, start=1):
        name = entry.get("name") or f"crawl {number}"
        unknown = set(entry) - KEYS
        if unknown:
            raise ScheduleError(f"{path}: {name}: unknown keys {', '.join(sorted(unknown))}")
        if not entry.get("sites") or not isinstance(entry["sites"], list):
            raise ScheduleError(f'{path}: {name}: needs sites = ["SITE", ...]')
        _check_sites(path, name, entry)
        beat[name] = {"task": task, "schedule": _when(path, name, entry), "args": [entry]}
    return beat


def _check_sites(path, name: str, entry: dict) -> None:
    """An unknown site is refused now, not when a worker takes the crawl at night."""
    for site in entry["sites"]:
        try:
            get_profile(str(site), entry.get("sites_dir"))
        except ProfileError as exc:
            raise ScheduleError(f"{path}: {name}: {exc}") from None


def _when(path, name: str, entry: dict):
    if ("cron" in entry) == ("every" in entry):
        raise ScheduleError(f"{path}: {name}: give either cron or every")
    if "every" in entry:
        if not isinstance(entry["every"], int | float) or entry["every"] <= 0:
            raise ScheduleError(f"{path}: {name}: every must be a number of seconds")
        return schedule(entry["every"])
    fields = str(entry["cron"]).split()
    if len(fields) != 5:
        raise ScheduleError(f"{path}: {name}: cron needs 5 fields, got {entry['cron']!r}")
    try:
        return crontab(*fields)
    except ValueError as exc:
        raise ScheduleError(f"{path}: {name}: bad cron {entry['cron']!r}: {exc}") from None

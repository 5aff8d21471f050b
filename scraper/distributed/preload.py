"""Imported once by the job server (``jobs.run_job``), so a job process starts warm.

A job is forked from a server process that has already imported everything a crawl
imports: pressarchiv's crawl code, every Scrapy component the crawl settings name
(middlewares, extensions, pipelines, download handlers ...) and the near-duplicate check's
MinHash. Without it every job paid about two CPU seconds of imports, which on a busy
machine, not the hosts' delays, bounded how many jobs ran at once. Twisted's reactor is
not installed here: each job installs its own.
"""

from __future__ import annotations

import importlib
import sys

from scrapy.settings import BaseSettings

import scraper.crawl
import scraper.spiders  # noqa: F401 (imported for the job processes)


def _component_modules(settings: BaseSettings) -> set[str]:
    """The modules of every class path in ``settings`` (a setting, or a key or value of one)."""
    paths = set()
    for value in dict(settings).values():
        if isinstance(value, BaseSettings | dict):
            paths.update(k for k in value if isinstance(k, str))
            paths.update(v for v in dict(value).values() if isinstance(v, str))
        elif isinstance(value, str):
            paths.add(value)
    return {p.rsplit(".", 1)[0] for p in paths if p.count(".") >= 1 and " " not in p}


def warm() -> None:
    """Import what a crawl would import lazily."""
    for name in sorted(_component_modules(scraper.crawl.crawl_settings("sqlite://"))):
        try:
            importlib.import_module(name)
        except (ImportError, ValueError):
            continue  # a setting's text, not a module
    importlib.import_module("storage.minhash")  # the near-duplicate check's, on first store
    assert "twisted.internet.reactor" not in sys.modules, "a job installs its own reactor"


warm()

"""The ``pressarchiv`` command line: a thin click layer over the library.

One module per command group, listed in ``COMMAND_MODULES``, each with a ``COMMANDS``
list. A command module imports only click, the standard library and the light helpers of
``scraper.cli.options`` / ``scraper.cli.output`` at the top; the library a command drives
(Scrapy, SQLAlchemy, the normaliser, Datasette) is imported inside the command. So
``pressarchiv --help`` loads no library at all, and the read commands (``search``,
``export``, ``stats``, ...) never load Scrapy (``tests/test_cli_startup.py``).
"""

from __future__ import annotations

import importlib

import click

from scraper import __version__
from scraper.cli.contract import CommandGroup

COMMAND_MODULES = [
    "scraper.cli.normalise",
    "scraper.cli.sites",
    "scraper.cli.crawl",
    "scraper.cli.workers",
    "scraper.cli.runs",
    "scraper.cli.replica",
    "scraper.cli.export",
    "scraper.cli.search",
    "scraper.cli.bench",
    "scraper.cli.bench_search",
    "scraper.cli.serve",
    "scraper.cli.mirror",
    "scraper.cli.reparse",
    "scraper.cli.ministries",
    "scraper.cli.dupes",
    "scraper.cli.verify",
    "scraper.cli.wacz",
    "scraper.cli.health",
]


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pressarchiv")
def main() -> None:
    """Crawl, normalise, archive, search and export ministry press releases."""


for _module in COMMAND_MODULES:
    for _command in importlib.import_module(_module).COMMANDS:
        main.add_command(_command)

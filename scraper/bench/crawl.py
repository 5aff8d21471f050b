"""``pressarchiv bench crawl``: pressarchiv's crawl of the large replica beside a bare Scrapy
spider fetching the same pages, in the same run.

The large replica (``scraper.replica.scale``) runs in this process; each crawler runs in a
fresh process of its own, one Scrapy crawler per site with the same loopback settings (no
delay, 8 requests at once per crawler, robots.txt obeyed). Pages per second are read from
the replica's log (first request to last answer of that crawler), CPU time is the crawler
process's with every process it started (``RUSAGE_CHILDREN``), per page fetched. The
benchmark adopts the processes a crawler leaves behind (on Linux, as a child subreaper):
multiprocessing's fork server and the normaliser workers it forked outlive the crawl's own
process by a moment, and their CPU would otherwise be counted by nobody.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import scrapy
from scrapy.crawler import CrawlerProcess

from scraper.replica.scale import ScaleReplica, site_id

LOOPBACK = {
    "CONCURRENT_REQUESTS": 8,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "ROBOTSTXT_OBEY": True,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
}


class BareSpider(scrapy.Spider):
    """The reference: follows listing cards and the next link, reads each release's title."""

    name = "bare"

    def __init__(self, start_url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start_url]

    def parse(self, response):
        for href in response.css(".result-list li.result-item h3 a::attr(href)").getall():
            yield response.follow(href, self.parse_release)
        forward = response.css(".c-pagination a.forward::attr(href)").get()
        if forward:
            yield response.follow(forward, self.parse)

    def parse_release(self, response):
        yield {"url": response.url, "title": response.css("h1::text").get()}


def run_bare(start_urls: list[str]) -> None:
    """Crawl with the bare spider, one crawler per start URL (a site)."""
    process = CrawlerProcess(LOOPBACK)
    for url in start_urls:
        process.crawl(BareSpider, start_url=url)
    process.start()


@dataclass
class Measured:
    name: str
    pages: int
    seconds: float  # first request to last answer, as the replica saw them
    cpu: float  # seconds of CPU of the crawler and its worker processes
    output: str

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.pages if self.pages else 0.0


PR_SET_CHILD_SUBREAPER = 36
ORPHAN_WAIT = 30.0  # seconds the processes a crawler left behind may take to end


def _adopt_orphans(adopt: bool) -> None:
    """Make this process the reaper of its descendants' orphans, or no longer (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, int(adopt), 0, 0, 0)


def _reap_orphans(ours: set[int]) -> None:
    """Wait for the processes adopted since ``ours`` (this process's children before the
    crawl) were listed, so that their CPU is in ``RUSAGE_CHILDREN``."""
    deadline = time.monotonic() + ORPHAN_WAIT
    while time.monotonic() < deadline:
        adopted = [c.pid for c in psutil.Process().children() if c.pid not in ours]
        if not adopted:
            return
        for pid in adopted:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)


def _measure(name: str, args: list[str], replica: ScaleReplica) -> Measured:
    seen = len(replica.visits)
    ours = {child.pid for child in psutil.Process().children()}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(args, capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})  # fmt: skip
    _reap_orphans(ours)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{name} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    visits = replica.visits[seen:]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    seconds = max(v.end for v in visits) - min(v.start for v in visits) if visits else 0.0
    return Measured(name, len(visits), seconds, cpu, done.stdout.strip())


def run(releases: int, hosts: int, repeat: int = 1) -> tuple[list[Measured], int]:
    """Crawl the large replica ``repeat`` times with each tool (alternating, best kept);
    returns the best measurement of each and the releases stored by the last crawl."""
    _adopt_orphans(True)
    try:
        return _run(releases, hosts, repeat)
    finally:
        _adopt_orphans(False)


def _run(releases: int, hosts: int, repeat: int) -> tuple[list[Measured], int]:
    from storage import Archive

    best: dict[str, Measured] = {}
    stored = 0
    with tempfile.TemporaryDirectory(prefix="pressarchiv-bench-crawl-") as tmp, \
            ScaleReplica(releases, hosts) as replica:  # fmt: skip
        folder = Path(tmp)
        sites = replica.data.write_sites(folder / "sites")
        ids = [site_id(h) for h in range(replica.data.hosts)]
        starts = [
            f"{replica.base_url}/{replica.data.site(h).host}/SiteGlobals/Forms/Suche/"
            "Pressemitteilungensuche_Formular.html"
            for h in range(replica.data.hosts)
        ]
        for attempt in range(repeat):
            db = f"sqlite:///{folder / f'archive-{attempt}.sqlite'}"
            runs = [
                ("bare Scrapy spider",
                 [sys.executable, "-m", "scraper.bench.crawl", *starts]),
                ("pressarchiv crawl",
                 [sys.executable, "-m", "scraper.cli", "crawl", *ids, "--full", "--db", db,
                  "--base-url", replica.base_url, "--sites-dir", str(sites)]),
            ]  # fmt: skip
            for name, args in runs:
                measured = _measure(name, args, replica)
                if name not in best or measured.rate > best[name].rate:
                    best[name] = measured
            with Archive(db) as archive:
                stored = archive.count()
    return list(best.values()), stored


def report(measured: list[Measured], releases: int, hosts: int, stored: int) -> str:
    bare, ours = measured
    lines = [f"large replica: {releases} releases on {hosts} hosts, loopback, no delay; "
             f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
             f"{'crawler':<20} {'pages':>7} {'seconds':>8} {'pages/s':>8} {'CPU s':>7} "
             f"{'CPU ms/page':>11}"]  # fmt: skip
    for m in measured:
        lines.append(f"{m.name:<20} {m.pages:>7} {m.seconds:>8.2f} {m.rate:>8.1f} "
                     f"{m.cpu:>7.2f} {m.cpu_ms:>11.2f}")  # fmt: skip
    rate = ours.rate / bare.rate if bare.rate else 0.0
    cpu = ours.cpu_ms / bare.cpu_ms if bare.cpu_ms else 0.0
    lines.append(
        f"pressarchiv / bare Scrapy: {rate:.2f}x pages/s (target 0.8x), "
        f"{cpu:.2f}x CPU per page; archive holds {stored} of {releases} releases"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    run_bare(sys.argv[1:])

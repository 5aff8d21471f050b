"""``pressarchiv bench workers``: releases per second of a crawl on 1, 2, 4 ... Celery workers.

The large replica (in this process) serves H hosts with a latency per answer; every job
keeps a per-host delay, so the crawl is bound by host delays, not by CPU. For each worker
count the bench starts that many ``pressarchiv worker`` processes (each running the same
number of jobs at once) on a fresh PostgreSQL schema, queues one crawl of every host
(``crawl --broker``'s library call), follows it to its end and stops the workers. Time is
from queueing to the last job's end; the politeness log is checked as well.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from scraper.crawl import WalkOptions
from scraper.distributed import app as distributed
from scraper.replica.scale import ScaleReplica, politeness_problems, site_id

PR_SET_CHILD_SUBREAPER = 36


@dataclass
class Measured:
    workers: int
    releases: int
    seconds: float
    problems: list[str]
    cpu: float  # CPU seconds of the workers, their job processes and this process
    load: float  # the 1-minute load average at the end

    @property
    def cores(self) -> float:
        """CPU cores busy on average (2 on this machine is CPU-bound, not delay-bound)."""
        return self.cpu / self.seconds if self.seconds else 0.0

    @property
    def rate(self) -> float:
        return self.releases / self.seconds if self.seconds else 0.0


def _schema(db_url: str) -> tuple[str, str]:
    schema = f"pa_bench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    joiner = "&" if "?" in db_url else "?"
    return schema, f"{db_url}{joiner}options=-csearch_path%3D{schema}"


def _drop(db_url: str, schema: str) -> None:
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


def _start_workers(count: int, jobs: int, broker: str, db: str, folder: Path) -> list:
    procs = []
    for n in range(count):
        args = [sys.executable, "-m", "scraper.cli", "worker", "--broker", broker, "--db", db,
                "--concurrency", str(jobs), "--warc-dir", str(folder / "warc"),
                "--name", f"bench{n}-{uuid.uuid4().hex[:6]}@%h"]  # fmt: skip
        log = (folder / f"worker{n}.log").open("w")
        procs.append(subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True))  # fmt: skip
    return procs


def _stop(procs: list) -> None:
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _adopt_orphans() -> None:
    """Make this process the reaper of its descendants' orphans (Linux), so that the CPU
    time of every job process, however deep, ends up in ``RUSAGE_CHILDREN``."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(count: int, jobs: int, broker: str, db_url: str, replica: ScaleReplica,
            sites: Path, delay: float) -> Measured:  # fmt: skip
    """One crawl of every host of ``replica`` on ``count`` workers."""
    schema, db = _schema(db_url)
    app = distributed.make_app(broker)
    seen = len(replica.visits)
    with tempfile.TemporaryDirectory(prefix="pressarchiv-bench-workers-") as tmp:
        procs = _start_workers(count, jobs, broker, db, Path(tmp))
        try:
            deadline = time.monotonic() + 120
            while len(app.control.ping(timeout=2.0) or []) < count:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"only some of {count} workers answered")
            ids = [site_id(h) for h in range(replica.data.hosts)]
            started, cpu = time.monotonic(), _cpu()
            _, specs, results = distributed.queue_crawl(
                app, db, ids, WalkOptions(full=True, delay=delay), base_url=replica.base_url,
                sites_dir=str(sites),
            )  # fmt: skip
            summary = distributed.follow(app, results, specs, echo=lambda line: None)
            seconds = time.monotonic() - started
        finally:
            _stop(procs)
            _drop(db_url, schema)
        time.sleep(1)  # job processes orphaned by the stop end, and are reaped here
        _reap()
    problems = summary.problems + politeness_problems(replica.visits[seen:], delay, 0.05)
    return Measured(count, summary.new, seconds, problems, _cpu() - cpu, os.getloadavg()[0])


def run(counts: list[int], jobs: int, releases: int, hosts: int, latency: float, delay: float,
        broker: str, db_url: str) -> list[Measured]:  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="pressarchiv-bench-sites-") as tmp, \
            ScaleReplica(releases, hosts, latency) as replica:  # fmt: skip
        sites = replica.data.write_sites(tmp)
        _adopt_orphans()
        return [measure(n, jobs, broker, db_url, replica, sites, delay) for n in counts]


def report(rows: list[Measured], jobs: int, releases: int, hosts: int, latency: float,
           delay: float) -> str:  # fmt: skip
    lines = [f"large replica: {releases} releases on {hosts} hosts, {latency * 1000:.0f} ms per "
             f"answer, {delay} s between requests to one host; {jobs} jobs at once per worker; "
             f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
             f"{'workers':>7} {'releases':>8} {'seconds':>8} {'releases/s':>10} {'scaling':>8} "
             f"{'CPU s':>7} {'cores':>5} {'load':>5}  problems"]  # fmt: skip
    base = rows[0].rate or 1.0
    for row in rows:
        problems = "; ".join(row.problems[:3]) or "none"
        lines.append(f"{row.workers:>7} {row.releases:>8} {row.seconds:>8.1f} {row.rate:>10.2f} "
                     f"{row.rate / base:>7.2f}x {row.cpu:>7.1f} {row.cores:>5.2f} {row.load:>5.1f}"
                     f"  {problems}")  # fmt: skip
    return "\n".join(lines)

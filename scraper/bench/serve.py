"""``serve`` while the archive is written: failed requests and latency under writes.

``run(path, releases)`` starts ``pressarchiv serve`` on the SQLite archive at ``path`` (its
own process, a free loopback port), stores ``releases`` synthetic releases through
``Archive.store`` in batches of 100 (as a crawl's pipeline does, each batch one write
transaction) and, meanwhile and for as long as the writes last, requests a round of pages
(the journalist's home, a search, a release page, Datasette's table count and search) again
and again. A request fails on any status but 200 or a connection error. The writes are
made through the storage API, not by a crawl of the replica: what ``serve`` sees is the
same (batches committed into the WAL while it reads).
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from storage import Archive
from storage.synthetic import COMMONEST, RARE_WORDS, items

BATCH = 100


@dataclass
class ServeRun:
    """What the client saw while ``written`` releases were stored."""

    written: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)
    count_before: int = 0
    count_after: int = 0
    write_seconds: float = 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve ended: {process.stderr.read().decode(errors='replace')}")
        try:
            _get(base + "/-/versions.json", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("serve did not start within a minute")


def table_count(base: str) -> int:
    status, body = _get(base + "/archive/releases.json?_size=0")
    if status != 200:
        raise RuntimeError(f"table count: HTTP {status}")
    return json.loads(body)["filtered_table_rows_count"]


def run(path: Path, releases: int, seed: int = 1, rounds_per_batch: int = 0) -> ServeRun:
    """Serve ``path`` and request pages while ``releases`` new releases are stored.

    With ``rounds_per_batch``, the writer waits after each batch until the pages have been
    requested that many more times, so every batch is read however fast the store is."""
    db = f"sqlite:///{path}"
    with Archive(db) as archive:
        first = archive.count()
        some = next(iter(archive.releases()))["id"]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    args = [sys.executable, "-m", "scraper.cli", "serve", "--db", db, "--port", str(port)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    result = ServeRun()
    try:
        _wait_until_up(base, process)
        result.count_before = table_count(base)
        paths = [
            "/",
            f"/?q={quote(COMMONEST[6])}",
            f"/?q={quote(RARE_WORDS[3])}",
            f"/release/{some}",
            "/archive/releases.json?_size=0",
            f"/archive/releases.json?_search={quote(COMMONEST[7])}&_size=5",
        ]
        writing = threading.Event()
        writing.set()
        rounds = threading.Condition()
        done = [0]

        def write() -> None:
            started = time.perf_counter()
            stream = items(releases, seed=seed, first=first)
            with Archive(db) as archive:
                while batch := [item for _, item in zip(range(BATCH), stream, strict=False)]:
                    archive.store(batch)
                    result.written += len(batch)
                    with rounds:
                        target = done[0] + rounds_per_batch
                        rounds.wait_for(lambda t=target: done[0] >= t, timeout=120)
            result.write_seconds = time.perf_counter() - started
            writing.clear()

        writer = threading.Thread(target=write)
        writer.start()
        while writing.is_set():
            for page in paths:
                started = time.perf_counter()
                try:
                    status, body = _get(base + page)
                except OSError as exc:
                    status, body = f"{type(exc).__name__}: {exc}", b""
                result.millis.append((time.perf_counter() - started) * 1000)
                result.requests += 1
                if status != 200:
                    why = body.decode(errors="replace")[:300].replace("\n", " ")
                    result.failures.append(f"{page}: {status} {why}")
            with rounds:
                done[0] += 1
                rounds.notify_all()
        writer.join()
        result.count_after = table_count(base)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return result


def report(result: ServeRun) -> str:
    """Requests, failures, latency, and whether the new releases became visible."""
    cuts = statistics.quantiles(result.millis, n=100) if len(result.millis) > 1 else [0] * 99
    lines = [
        f"{result.written} releases stored in batches of {BATCH} "
        f"in {result.write_seconds:.0f} s while serving",
        f"{result.requests} requests, {len(result.failures)} failed; "
        f"p50 {cuts[49]:.0f} ms, p95 {cuts[94]:.0f} ms",
        f"releases shown by the running serve: {result.count_before} before, "
        f"{result.count_after} after (no restart)",
    ]
    lines += [f"  failed: {failure}" for failure in result.failures[:10]]
    return "\n".join(lines)

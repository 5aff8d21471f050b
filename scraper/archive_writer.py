"""A crawl's archive writes, in a process of their own.

Storing a batch (the rows, the search index, the near-duplicate signatures, the crawl log)
costs about a millisecond of CPU per release, a quarter of what the crawl process did per
page; done there, it held up Scrapy's one thread. The store pipeline hands its batches to
one writer process instead, which stores them in the order they came (one transaction each,
as before) and answers with the counts. One process for all sites of a crawl: SQLite takes
one writer at a time anyway, and the batches of a site keep their order.

The writer is a child of the crawl process (started with ``spawn``: a fresh interpreter,
under a second of imports, on the other core). It ignores SIGINT and SIGTERM (the crawl
stores what it has, then stops it) and the kernel kills it when the crawl process ends, so
after a ``kill -9`` nothing goes on writing to the archive.
An in-memory archive, which no other process can see, is written in the crawl process.
"""

from __future__ import annotations

import asyncio
import atexit
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from storage import Archive, ArchiveError, crawlstate, runs

PR_SET_PDEATHSIG = 1


def store_batch(db_url: str, run_id: int, site: str, pages: int, items: list[dict],
                checks: list[dict], failures: list[dict]) -> tuple[dict, list]:  # fmt: skip
    """Store one batch with its crawl-log counters in one transaction.

    Returns the counts (new, changed, unchanged, withdrawn) and ``(fetched_url, reason)``
    of the items not stored: when the batch fails as a whole, every item is stored on its
    own, so that one bad item costs only itself.
    """
    archive = _archive(db_url)
    log = (run_id, site, pages)
    try:
        return _store(archive, log, items, checks, failures), []
    except ArchiveError:
        pass
    counts: dict[str, int] = {}
    problems = []
    for item in items:
        try:
            _add(counts, _store(archive, log, [item], [], []))
        except ArchiveError as exc:
            problems.append((item["fetched_url"], f"not stored: {exc}"))
    _add(counts, _store(archive, log, [], checks, failures))
    return counts, problems


def write(db_url: str, function, *args):
    """``function(session, *args)`` in a transaction of its own (the crawl log)."""
    with Session(_archive(db_url).engine) as session, session.begin():
        return function(session, *args)


def _add(counts: dict[str, int], more: dict[str, int]) -> None:
    for name, value in more.items():
        counts[name] = counts.get(name, 0) + value


def _store(archive: Archive, log: tuple, items: list[dict], checks: list[dict],
           failures: list[dict]) -> dict[str, int]:  # fmt: skip
    """One transaction: the items, the checks (304 touches, 404/410 withdrawals), the log."""
    run_id, site, pages = log
    done: dict[str, int] = {}

    def then(session, counts):
        crawlstate.save_validators(session, items)
        done.update(counts._asdict(), withdrawn=0)
        for check in checks:
            url, seen = check["url"], check["fetched_at"]
            if check["status"] == 304:
                crawlstate.touch(session, url, seen)
            newly = check["status"] != 304 and crawlstate.withdraw(session, url, seen)
            done["withdrawn" if newly else "unchanged"] += 1
        runs.count(session, run_id, site, pages, failures, **done)

    archive.store(items, then=then)
    return done


_archives: dict[str, Archive] = {}


def _archive(db_url: str) -> Archive:
    """The archive at ``db_url``, opened once per process."""
    if db_url not in _archives:
        _archives[db_url] = Archive(db_url)
    return _archives[db_url]


def _in_memory(db_url: str) -> bool:
    url = make_url(db_url)
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def _start_writer(crawl: int) -> None:
    """In the writer process: outlive no signal but the end of the crawl process ``crawl``,
    its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if sys.platform.startswith("linux"):  # the kernel kills it as its parent ends
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:
        threading.Thread(target=_die_with_parent, daemon=True).start()
    if os.getppid() != crawl:  # ended before the line above
        os.kill(os.getpid(), signal.SIGKILL)


def _die_with_parent() -> None:
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.1)
    os.kill(os.getpid(), signal.SIGKILL)


_executor: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def _writer() -> ProcessPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_writer, initargs=(os.getpid(),),
            )  # fmt: skip
        return _executor


def submit(db_url: str, function, *args) -> Future:
    """``function(db_url, *args)`` in the writer process (in this one for an in-memory
    archive); its future."""
    if not _in_memory(db_url):
        return _writer().submit(function, db_url, *args)
    future: Future = Future()
    try:
        future.set_result(function(db_url, *args))
    except Exception as exc:  # noqa: BLE001 (handed to the caller, as the writer would)
        future.set_exception(exc)
    return future


async def run(db_url: str, function, *args):
    """``submit`` awaited from the crawler's asyncio loop."""
    try:
        return await asyncio.wrap_future(submit(db_url, function, *args))
    except BrokenProcessPool:
        raise ArchiveError("the archive writer process died") from None


def shutdown() -> None:
    """Wait for the writes handed over, then stop the writer (idempotent)."""
    global _executor
    with _lock:
        if _executor is not None:
            _executor.shutdown(wait=True)
            _executor = None
    for archive in _archives.values():
        archive.close()
    _archives.clear()


atexit.register(shutdown)

"""Work a hostile page can make slow or huge, done off the crawler's thread.

Normalising a page and extracting a PDF's text run in a small pool of worker processes
(pebble's ``ProcessPool``), each task with a time budget: a task over its budget, or a
worker that dies (a memory limit, a crash in a C library), is killed and replaced, and the
caller gets ``OverBudget`` with the reason, while the crawl goes on with other pages and
other sites. Workers are started by a fork server (they do not inherit the crawler's
memory), have a cap on their address space, and are renewed after ``MAX_TASKS`` tasks.

Settings (Scrapy, or the environment for a plain process): ``PRESSARCHIV_WORKERS``
(default 2), ``PRESSARCHIV_PARSE_TIMEOUT`` (seconds per page, default 10),
``PRESSARCHIV_PDF_TIMEOUT`` (seconds per attachment, default 30),
``PRESSARCHIV_WORKER_MEMORY`` (MB of address space per worker, default 1024).
"""

from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import os
import resource
import threading
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool

MAX_TASKS = 1000  # a worker is renewed after this many tasks (its memory is given back)
DEFAULTS = {
    "PRESSARCHIV_WORKERS": 2,
    "PRESSARCHIV_PARSE_TIMEOUT": 10.0,
    "PRESSARCHIV_PDF_TIMEOUT": 30.0,
    "PRESSARCHIV_WORKER_MEMORY": 1024,
}


class OverBudget(Exception):
    """A task that took too long, needed too much memory or killed its worker."""


def setting(name: str, settings=None) -> float:
    """A worker setting: Scrapy settings first, then the environment, then the default."""
    value = settings.get(name) if settings is not None else None
    if value is None:
        value = os.environ.get(name)
    return float(value) if value not in (None, "") else float(DEFAULTS[name])


def _limit_memory(megabytes: int) -> None:
    """In a worker: a cap on its address space, so a bomb ends in MemoryError."""
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# Loaded once in the fork server, so that every worker (renewed every ``MAX_TASKS``) starts
# with them and shares their memory: the normaliser imports its extractors (trafilatura,
# htmldate, justext, babel) on first use, about 0.1 s of CPU in each new worker otherwise.
PRELOAD = ["scraper.jobs", "scraper.normalise.html", "scraper.normalise.dates"]


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


_pool: ProcessPool | None = None
_lock = threading.Lock()


def pool(settings=None) -> ProcessPool:
    """The process-wide worker pool (started on first use, stopped at exit)."""
    global _pool
    with _lock:
        if _pool is None or not _pool.active:
            _pool = ProcessPool(
                max_workers=int(setting("PRESSARCHIV_WORKERS", settings)),
                max_tasks=MAX_TASKS,
                initializer=_limit_memory,
                initargs=(int(setting("PRESSARCHIV_WORKER_MEMORY", settings)),),
                context=_context(),
            )
        return _pool


def shutdown() -> None:
    """Stop the workers (idempotent)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.stop()
            _pool.join()
            _pool = None


atexit.register(shutdown)


def _outcome(future, timeout: float):
    """The result of a finished task, or ``OverBudget`` saying why there is none."""
    try:
        return future.result()
    except FutureTimeout:
        raise OverBudget(f"took longer than {timeout:g} s") from None
    except MemoryError:
        raise OverBudget("needed more memory than a worker may use") from None
    except ProcessExpired as exc:
        raise OverBudget(f"its worker died (exit code {exc.exitcode})") from None


async def run(function, *args, timeout: float, settings=None):
    """``function(*args)`` in a worker, awaited from the crawler's asyncio loop."""
    future = pool(settings).schedule(function, args=args, timeout=timeout)
    waited = asyncio.wrap_future(future)
    try:
        await asyncio.wait([waited])
    except asyncio.CancelledError:
        future.cancel()
        raise
    if not waited.cancelled():
        waited.exception()  # read here; the outcome comes from the task's own future
    return _outcome(future, timeout)


def run_sync(function, *args, timeout: float, settings=None):
    """``function(*args)`` in a worker, waited for (for code outside the reactor)."""
    future = pool(settings).schedule(function, args=args, timeout=timeout)
    future.exception()  # waits; pebble enforces the timeout
    return _outcome(future, timeout)

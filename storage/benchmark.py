"""Search latency at archive scale: query sets drawn from the synthetic archive, percentiles."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.archive import Archive
from storage.models import Release
from storage.synthetic import COMMONEST, FUNCTION_WORDS, RARE_WORDS

TARGETS_MS = {"rare": 50.0, "phrase": 50.0, "common": 200.0, "show": 20.0}
"""p95 targets per query class."""


def query_sets(bodies: list[str], seed: int = 0) -> dict[str, list[str]]:
    """As many rare, common and phrase queries as there are ``bodies``.

    Rare: planted rare compounds. Common: the commonest content words, and the commonest
    function words in quotes (unquoted they are stop words and ignored).
    Phrases: two or three words cut from the bodies, starting at a content word (as in
    "Integration muss"), so each has at least one match.
    """
    rng = random.Random(seed)
    phrases = []
    for body in bodies:
        words = [w.strip(".,„“") for w in body.split()]
        starts = [i for i, w in enumerate(words[:-3]) if w not in FUNCTION_WORDS]
        start = rng.choice(starts)
        phrases.append('"' + " ".join(words[start : start + rng.choice((2, 3))]) + '"')
    count = len(bodies)
    common = [f'"{w}"' if w in FUNCTION_WORDS else w for w in COMMONEST]
    return {
        "rare": [rng.choice(RARE_WORDS) for _ in range(count)],
        "common": [common[i % len(common)] for i in range(count)],
        "phrase": phrases,
    }


def timed(action: Callable[[str], object], inputs: list[str]) -> tuple[list, list]:
    """Wall-clock and CPU milliseconds per call of ``action`` on each input.

    CPU time covers the whole search with SQLite (in-process); on a machine shared with
    other work it shows what the search itself costs when wall-clock figures are inflated.
    """
    wall, cpu = [], []
    for value in inputs:
        start, start_cpu = time.perf_counter(), time.process_time()
        action(value)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def percentiles(times: list[float]) -> dict[str, float]:
    """p50, p95 and p99 in milliseconds."""
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def _figures(wall: list[float], cpu: list[float]) -> dict[str, float]:
    return percentiles(wall) | {"cpu_p95": percentiles(cpu)["p95"]}


def run(archive: Archive, count: int = 50, seed: int = 0) -> dict[str, dict[str, float]]:
    """Wall-clock p50/p95/p99 and CPU p95 per query class and for ``show``."""
    with Session(archive.engine) as session:
        sample = select(Release.id, Release.body).order_by(func.random()).limit(count)
        ids, bodies = zip(*session.execute(sample).all(), strict=True)
    results = {}
    for name, queries in query_sets(list(bodies), seed).items():
        timed(archive.search, queries[:3])  # warm caches
        results[name] = _figures(*timed(archive.search, queries))
    results["show"] = _figures(*timed(archive.show, list(ids)))
    return results

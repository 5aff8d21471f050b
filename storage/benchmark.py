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
from storage.synthetic import FUNCTION_WORDS, NOUNS, RARE_WORDS, releases

TARGETS_MS = {"rare": 50.0, "phrase": 50.0, "common": 200.0, "show": 20.0}
"""p95 targets per query class."""


def query_sets(count: int, seed: int = 0) -> dict[str, list[str]]:
    """``count`` rare, common and phrase queries (phrases cut from synthetic bodies)."""
    rng = random.Random(seed)
    common = list(FUNCTION_WORDS[:6] + NOUNS[:6])
    phrases = []
    for _, fields in releases(count, seed):
        words = fields["body"].split()
        start = rng.randrange(len(words) - 3)
        phrases.append('"' + " ".join(w.strip(".,„“") for w in words[start : start + 3]) + '"')
    return {
        "rare": [rng.choice(RARE_WORDS) for _ in range(count)],
        "common": [common[i % len(common)] for i in range(count)],
        "phrase": phrases,
    }


def timed(action: Callable[[str], object], inputs: list[str]) -> list[float]:
    """Milliseconds per call of ``action`` on each input."""
    times = []
    for value in inputs:
        start = time.perf_counter()
        action(value)
        times.append((time.perf_counter() - start) * 1000)
    return times


def percentiles(times: list[float]) -> dict[str, float]:
    """p50, p95 and p99 in milliseconds."""
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def run(archive: Archive, count: int = 50, seed: int = 0) -> dict[str, dict[str, float]]:
    """Percentiles per query class and for ``show`` on random releases."""
    with Session(archive.engine) as session:
        ids = list(session.scalars(select(Release.id).order_by(func.random()).limit(count)))
    results = {}
    for name, queries in query_sets(count, seed).items():
        timed(archive.search, queries[:3])  # warm caches
        results[name] = percentiles(timed(archive.search, queries))
    results["show"] = percentiles(timed(archive.show, ids))
    return results

"""``pressarchiv bench hostile``: peak memory and time of a crawl of the hostile replica.

The crawl runs in a fresh process (as ``pressarchiv crawl``) and its memory is sampled with
every process it starts (``scraper.bench.memory``); a first run and a rerun of the hostile
``hessen-soziales``, beside the same crawl of the ordinary replica as the reference.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from scraper.bench.memory import Measured, run_measured
from scraper.replica import ReplicaServer
from scraper.replica.hostile import SITE

LIMIT = 600 * 1000 * 1000  # bytes: the target for any crawl, whatever a site sends


def _crawl(folder: Path, name: str, replica) -> Measured:
    db = f"sqlite:///{folder / name}.sqlite"
    args = [sys.executable, "-m", "scraper.cli", "crawl", SITE, "--db", db,
            "--base-url", replica.base_url]  # fmt: skip
    return run_measured(args, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def run() -> list[tuple[str, Measured]]:
    """Crawl the ordinary replica once and the hostile one twice; each measured."""
    with tempfile.TemporaryDirectory(prefix="pressarchiv-bench-") as tmp:
        folder = Path(tmp)
        with ReplicaServer() as replica:
            rows = [("ordinary replica (reference)", _crawl(folder, "ordinary", replica))]
        with ReplicaServer(hostile=True, canary=str(folder / "canary")) as replica:
            rows.append(("hostile replica, first run", _crawl(folder, "hostile", replica)))
            rows.append(("hostile replica, rerun", _crawl(folder, "hostile", replica)))
    return rows


def report(rows: list[tuple[str, Measured]]) -> str:
    reference = rows[0][1].peak or 1
    lines = [f"{'crawl of ' + SITE:<32} {'peak PSS':>9} {'ratio':>6} {'peak RSS':>9} "
             f"{'time':>8} {'exit':>4}  summary"]  # fmt: skip
    for label, measured in rows:
        summary = (measured.stdout.strip().splitlines() or ["-"])[-1]
        peak, ratio, rss = measured.peak / 1e6, measured.peak / reference, measured.peak_rss / 1e6
        lines.append(f"{label:<32} {peak:>6.0f} MB {ratio:>5.1f}x {rss:>6.0f} MB "
                     f"{measured.seconds:>7.1f}s {measured.returncode:>4}  {summary}")  # fmt: skip
    worst = max(m.peak for _, m in rows)
    verdict = "within" if worst < LIMIT else "OVER"
    lines.append(f"memory summed over the crawl and its worker processes (PSS; RSS counts "
                 f"shared pages twice); {verdict} the {LIMIT / 1e6:.0f} MB target")  # fmt: skip
    return "\n".join(lines)

"""Exit statuses: a contract a scheduler relies on (the table in the README)."""

from __future__ import annotations

import signal

OK = 0  # done, nothing failed
FAILED = 1  # the command could not do its work (or the crawl itself failed)
USAGE = 2  # the command line was not understood
PARTIAL = 3  # finished, but some pages (or releases) failed: see `pressarchiv runs ID`
DAMAGED = 4  # `verify`: archived evidence is missing or damaged
WARNINGS = 5  # `health`: the archive works, but something needs a look
BUSY = 75  # EX_TEMPFAIL: another crawl holds the archive; try again later
INTERRUPTED = 128 + signal.SIGINT  # 130: Ctrl-C
TERMINATED = 128 + signal.SIGTERM  # 143: SIGTERM (kill, systemd stop)
BROKEN_PIPE = 128 + signal.SIGPIPE  # 141: the reader of stdout went away


def for_signal(signum: int) -> int:
    """The status of a command ended by a signal, as a shell reports it."""
    return 128 + signum

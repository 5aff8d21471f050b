"""Which tests open a SQLite archive, and whether each also runs on PostgreSQL.

A pytest plugin (loaded by ``conftest.py``). In the SQLite pass it notes every SQLite file
a test opens in this process (Python's ``sqlite3.connect`` audit event), directly or in a
fixture it uses, and ends with one line: how many tests opened an archive, how many of
them follow the backend switch, and how many stay on SQLite, by the reason they are
marked with (``@pytest.mark.sqlite_only("why")``). A test that opens an archive, does not
follow the switch and states no reason is named, so that it is either made to follow or
given its reason. Archives opened only by a child process (a ``crawl`` run) are not seen.
"""

from __future__ import annotations

import sys
from collections import Counter

import pytest
from test_storage_helpers import follows_switch

_opened: list[str] = []
_fixtures_opening: set[tuple[str, str]] = set()
_tests: dict[str, tuple[bool, str | None]] = {}  # nodeid: (follows the switch, sqlite_only)


def _audit(event: str, args: tuple) -> None:
    if event == "sqlite3.connect" and str(args[0]) not in ("", ":memory:"):
        _opened.append(str(args[0]))


def install() -> None:
    """Start noting the SQLite files opened (for the rest of the process)."""
    sys.addaudithook(_audit)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    before = len(_opened)
    try:
        return (yield)
    finally:
        if len(_opened) > before:
            _fixtures_opening.add((fixturedef.baseid, fixturedef.argname))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    before = len(_opened)
    try:
        return (yield)
    finally:
        if len(_opened) > before or _uses_opening_fixture(item):
            marker = item.get_closest_marker("sqlite_only")
            reason = (marker.args[0] if marker and marker.args else "") if marker else None
            _tests[item.nodeid] = (follows_switch(item), reason)


def _uses_opening_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    for name in getattr(item, "fixturenames", ()):
        defs = info.name2fixturedefs.get(name) if info else None
        if defs and (defs[-1].baseid, name) in _fixtures_opening:
            return True
    return False


def pytest_terminal_summary(terminalreporter):
    if not _tests:
        return
    both = sum(follows for follows, _ in _tests.values())
    reasons = Counter(r for follows, r in _tests.values() if not follows and r is not None)
    unmarked = [n for n, (follows, r) in _tests.items() if not follows and r is None]
    write = terminalreporter.write_line
    write(
        f"backends: {len(_tests)} tests opened a SQLite archive here, {both} of them follow "
        f"the switch (PRESSARCHIV_TEST_DB), {sum(reasons.values())} stay on SQLite "
        f"(marked sqlite_only), {len(unmarked)} unmarked"
    )
    for reason, count in reasons.most_common():
        write(f"  sqlite_only x{count}: {reason}")
    for nodeid in unmarked:
        write(f"  unmarked: {nodeid}")

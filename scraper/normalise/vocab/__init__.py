"""The word lists of the layout rules: one TOML file per subject, each entry written once.

Entries are regular-expression fragments (most are plain words); ``alternation`` compiles a
list into one group, longest entry first, so that every pattern needing a list shares it.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

_DIR = Path(__file__).parent


@cache
def load(name: str) -> dict:
    """The lists of ``vocab/<name>.toml``."""
    with (_DIR / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def words(name: str, key: str) -> list[str]:
    """One list of a vocabulary file."""
    return list(load(name)[key])


def alternation(*entries: list[str]) -> str:
    """A non-capturing group matching any of the entries, longest first."""
    unique = sorted({entry for group in entries for entry in group}, key=len, reverse=True)
    return "(?:" + "|".join(unique) + ")"


_OPTIONAL = re.compile(r"\((?:\?:)?[^()]*\)\?|\[[^\]]*\]\??|[^\W\d_]\?")
_LETTERS = re.compile(r"[^\W\d_]+")


def stems(patterns: list[str]) -> tuple[str, ...]:
    """For each pattern, a piece of text every match of it contains: its longest run of
    letters outside optional parts, without the first letter (which may change case).
    Looking for these first spares a regular-expression search where none can match."""
    found = set()
    for pattern in patterns:
        runs = _LETTERS.findall(_OPTIONAL.sub(" ", pattern))
        found.add(max(runs, key=len)[1:])
    return tuple(sorted(found))

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


_CLASS_ESCAPES = {"d": "0123456789"}
_ZERO_WIDTH = {"^", "$"}


def _close(pattern: str, at: int) -> int:
    """The index of the ``)`` that closes the group opened at ``at``."""
    depth, i = 0, at
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif char == "[":
            i = _class_end(pattern, i)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def _class_end(pattern: str, at: int) -> int:
    i = at + 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":
        i += 1
    while pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i


def _branches(body: str) -> list[str]:
    """The top-level alternatives of a pattern."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 1
        elif char == "[":
            i = _class_end(body, i)
        elif char in "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    return [*parts, body[start:]]


def _class_chars(body: str) -> set[str] | None:
    if body.startswith("^"):
        return None
    chars: set[str] = set()
    i = 0
    while i < len(body):
        if body[i] == "\\":
            escaped = body[i + 1]
            if escaped.isalpha() and escaped not in _CLASS_ESCAPES:
                return None  # \w, \s ...: too many to list
            chars.update(_CLASS_ESCAPES.get(escaped, escaped))
            i += 2
        elif i + 2 < len(body) and body[i + 1] == "-":
            chars.update(chr(c) for c in range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            chars.add(body[i])
            i += 1
    return chars


def _first(pattern: str) -> tuple[set[str] | None, bool]:
    """(characters a match can start with or None for any, whether it can be empty)."""
    i, found = 0, set()
    while i < len(pattern):
        char = pattern[i]
        if char in _ZERO_WIDTH:
            i += 1
            continue
        if char == "(":
            end = _close(pattern, i)
            head = pattern[i + 1 : i + 3]
            if head in ("?=", "?!", "?<") and pattern[i + 3 : i + 4] != "P":
                return None, False  # lookarounds: too intricate
            body = pattern[i + 1 : end]
            body = re.sub(r"^\?(?::|P<\w+>)", "", body)
            chars, empty = set(), False
            for branch in _branches(body):
                first, can_be_empty = _first(branch)
                if first is None:
                    return None, False
                chars |= first
                empty = empty or can_be_empty
            i = end + 1
        elif char == "[":
            end = _class_end(pattern, i)
            chars, empty = _class_chars(pattern[i + 1 : end]), False
            if chars is None:
                return None, False
            i = end + 1
        elif char == "\\":
            escaped = pattern[i + 1]
            if escaped.isalpha() and escaped not in _CLASS_ESCAPES:
                return None, False
            chars, empty = set(_CLASS_ESCAPES.get(escaped, escaped)), False
            i += 2
        elif char in ".|)":
            return None, False
        else:
            chars, empty = {char}, False
            i += 1
        quantifier = pattern[i : i + 1]
        if quantifier in ("?", "*") or pattern.startswith("{0", i):
            empty = True
        if quantifier in ("?", "*", "+"):
            i += 1
            if pattern[i : i + 1] == "?":
                i += 1
        elif quantifier == "{":
            i = pattern.index("}", i) + 1
        found |= chars
        if not empty:
            return found, False
    return found, True


def first_chars(pattern: str) -> frozenset[str] | None:
    """The lower-cased characters a match of ``pattern`` can start with; None when any
    character could (or the pattern is too intricate to tell)."""
    chars, empty = _first(pattern)
    if chars is None or empty:
        return None
    return frozenset(c.lower() for c in chars) | frozenset(c.upper() for c in chars)


class Dispatch:
    """Named lists of whole-line patterns, tried in order, matched without regard to case.

    A line is tried only against the patterns that can start with its first character:
    a regular expression tries the alternatives of a long list one by one, and most of
    them fail at the first character anyway."""

    def __init__(self, named: list[tuple[str, list[str]]]) -> None:
        self.entries = [
            (name, pattern, first_chars(pattern))
            for name, patterns in named
            for pattern in patterns
        ]
        self.by_char: dict[str, re.Pattern | None] = {}

    def _compile(self, char: str) -> re.Pattern | None:
        groups: dict[str, list[str]] = {}
        for name, pattern, first in self.entries:
            if first is None or char in first:
                groups.setdefault(name, []).append(pattern)
        if not groups:
            return None
        parts = "|".join(f"(?P<{name}>{alternation(p)})" for name, p in groups.items())
        return re.compile(f"^(?:{parts})$", re.I)

    def match(self, line: str) -> re.Match | None:
        """The match of the first list (by order) that matches the whole line, or None."""
        char = line[:1]
        try:
            compiled = self.by_char[char]
        except KeyError:
            compiled = self.by_char[char] = self._compile(char)
        return compiled.match(line) if compiled else None


_METACHARACTERS = set(".^$*+?{}[]()|\\")


class Inside:
    """Named lists of patterns for something a line contains anywhere, matched without
    regard to case. Plain words are looked for as text; a pattern is searched for only in
    lines that contain a character it can start with."""

    def __init__(self, named: list[tuple[str, list[str]]]) -> None:
        self.words: list[tuple[str, str]] = []
        self.patterns: list[tuple[str, re.Pattern, str]] = []
        for name, patterns in named:
            for pattern in patterns:
                if _METACHARACTERS.isdisjoint(pattern):
                    self.words.append((name, pattern.lower()))
                else:
                    first = "".join(sorted(first_chars(pattern) or ""))
                    self.patterns.append((name, re.compile(pattern, re.I), first))

    def search(self, line: str) -> str | None:
        """The name of the first list with a pattern found in ``line``, or None."""
        if self.words:
            lowered = line.lower()
            for name, word in self.words:
                if word in lowered:
                    return name
        for name, pattern, first in self.patterns:
            for char in first:
                if char in line:
                    break
            else:
                if first:
                    continue  # no character that a match could start with
            if pattern.search(line):
                return name
        return None


_OPTIONAL = re.compile(r"\((?:\?:)?[^()]*\)\?|\[[^\]]*\]\??|[^\W\d_]\?")
_GROUP = re.compile(r"\([^()]*\)")
_LETTERS = re.compile(r"[^\W\d_]+")


def stems(patterns: list[str]) -> tuple[str, ...]:
    """For each pattern, a piece of text every match of it contains: its longest run of
    letters outside optional parts, without the first letter (which may change case).
    Looking for these first spares a regular-expression search where none can match."""
    found = set()
    for pattern in patterns:
        mandatory = _OPTIONAL.sub(" ", pattern)
        while "(" in mandatory:  # the letters of alternatives are not mandatory either
            mandatory = _GROUP.sub(" ", mandatory)
        runs = _LETTERS.findall(mandatory)
        found.add(max(runs, key=len)[1:])
    return tuple(sorted(found))

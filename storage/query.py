"""The search query language, parsed into a small tree that each backend compiles.

Syntax: words, ``"quoted phrases"``, ``AND`` / ``OR`` / ``NOT`` (also ``UND`` / ``ODER`` /
``NICHT``; juxtaposed terms are ANDed), parentheses and a trailing ``*`` for a prefix.
Words are folded like the index (``Mädchen`` = ``Maedchen``, ``Straße`` = ``Strasse``).

Match modes of a term:

* ``contains``: a bare word of 4+ letters finds every indexed word that contains it, so a
  word finds its compounds (``Integration`` -> ``Integrationskonferenz``,
  ``Schule`` -> ``Grundschule``) and its inflections (``Kind`` -> ``Kindern``);
* ``prefix``: ``Integr*`` finds the words starting with ``integr``;
* ``exact``: a bare word of fewer than 4 letters (``EU``, ``WIR``) and every word inside
  quotes match whole words only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.errors import SearchError
from storage.records import words

MIN_CONTAINS = 4
MIN_PREFIX = 2
OPERATORS = {"AND": "AND", "UND": "AND", "OR": "OR", "ODER": "OR", "NOT": "NOT", "NICHT": "NOT"}
_TOKEN = re.compile(r'\s*(?:(")|(\()|(\))|([^\s()"]+))')


@dataclass(frozen=True)
class Term:
    """One folded word and how it matches (``contains``, ``prefix`` or ``exact``)."""

    word: str
    mode: str


@dataclass(frozen=True)
class Phrase:
    """Consecutive words; the last one matches as a prefix when ``prefix`` is set."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class And:
    """All of ``include`` and none of ``exclude`` (``include`` is never empty)."""

    include: tuple
    exclude: tuple = ()


@dataclass(frozen=True)
class Or:
    """Any of ``options``."""

    options: tuple


def _word(raw: str) -> Term | Phrase | None:
    prefix = raw.endswith("*")
    folded = words(raw.rstrip("*"))
    if not folded:
        return None
    if len(folded) > 1:  # WIR-Programm: a phrase whose last word may go on (-Programms)
        return Phrase(tuple(folded), prefix=True)
    word = folded[0]
    if prefix:
        if len(word) < MIN_PREFIX:
            raise SearchError(f"prefix {raw!r} is too short (at least {MIN_PREFIX} letters)")
        return Term(word, "prefix")
    return Term(word, "contains" if len(word) >= MIN_CONTAINS else "exact")


def tokenize(query: str) -> list[tuple[str, object]]:
    """``(kind, value)`` pairs: ``op``, ``(``, ``)`` and ``node`` (a Term or Phrase)."""
    tokens: list[tuple[str, object]] = []
    pos = 0
    query = query.replace("„", '"').replace("“", '"').replace("”", '"')
    while pos < len(query.rstrip()):
        match = _TOKEN.match(query, pos)
        quote, opening, closing, bare = match.groups()
        pos = match.end()
        if quote:
            end = query.find('"', pos)
            if end < 0:
                raise SearchError("a quote is not closed")
            prefix = query[end + 1 : end + 2] == "*"
            phrase = words(query[pos:end])
            pos = end + 1 + prefix
            if phrase:
                tokens.append(("node", Phrase(tuple(phrase), prefix)))
        elif opening or closing:
            tokens.append((opening or closing, None))
        elif bare in OPERATORS:
            tokens.append(("op", OPERATORS[bare]))
        elif (node := _word(bare)) is not None:
            tokens.append(("node", node))
    return tokens


MAX_NESTING = 50  # parentheses inside parentheses; deeper is refused, not recursed into


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.pos += 1
        return token

    def parse(self):
        node = self.or_expr()
        kind, _ = self.peek()
        if kind == ")":
            raise SearchError("a closing parenthesis has no opening one")
        return node

    def or_expr(self):
        options = [self.and_expr()]
        while self.peek() == ("op", "OR"):
            self.take()
            options.append(self.and_expr())
        return options[0] if len(options) == 1 else Or(tuple(options))

    def and_expr(self):
        include, exclude = [], []
        while True:
            kind, value = self.peek()
            if kind in (None, ")") or (kind, value) == ("op", "OR"):
                break
            if (kind, value) == ("op", "AND"):
                self.take()
                continue
            negate = (kind, value) == ("op", "NOT")
            if negate:
                self.take()
            (exclude if negate else include).append(self.atom())
        if not include:
            if exclude:
                raise SearchError("NOT needs a term to exclude from, as in: Schule NOT Corona")
            raise SearchError("an operator or parenthesis has nothing to work on")
        if not exclude and len(include) == 1:
            return include[0]
        return And(tuple(include), tuple(exclude))

    def atom(self):
        kind, value = self.take()
        if kind == "node":
            return value
        if kind == "(":
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise SearchError(f"parentheses are nested deeper than {MAX_NESTING}")
            node = self.or_expr()
            if self.take()[0] != ")":
                raise SearchError("a parenthesis is not closed")
            self.depth -= 1
            return node
        raise SearchError("an operator or parenthesis has nothing to work on")


def parse(query: str) -> And | Or | Term | Phrase:
    """The query tree of ``query``; ``SearchError`` with a one-line message otherwise."""
    tokens = tokenize(query)
    if not any(kind == "node" for kind, _ in tokens):
        raise SearchError("the query has no words to search for")
    return _Parser(tokens).parse()


def positive_terms(node) -> list[Term | Phrase]:
    """The terms a match must or may contain (not the excluded ones), for highlighting."""
    if isinstance(node, Term | Phrase):
        return [node]
    children = node.include if isinstance(node, And) else node.options
    return [term for child in children for term in positive_terms(child)]

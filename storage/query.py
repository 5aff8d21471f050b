"""The search query language, parsed into a small tree that each backend compiles.

Syntax: words, ``"quoted phrases"``, ``AND`` / ``OR`` / ``NOT`` (also ``UND`` / ``ODER`` /
``NICHT``, and ``-word``; juxtaposed terms are ANDed), parentheses, a trailing ``*`` for a
prefix, and fields: ``title:``, ``person:``, ``ministry:`` (also ``titel:``,
``ministerium:``) before a word, phrase or parenthesis. Words are folded like the index
(``Mädchen`` = ``Maedchen``, ``Straße`` = ``Strasse``); stop words (``der``, ``und``, see
``german.STOP_WORDS``) are dropped unless quoted.

Match modes of a term (the index expands them, see ``search_index``):

* ``contains``: a bare word of 4+ letters finds its inflections (``Kind`` <-> ``Kindern``,
  Snowball stems) and the words that contain it or an inflection of it, so a word finds
  its compounds (``Integration`` -> ``Integrationskonferenz``, ``Schule`` -> ``Grundschule``);
* ``prefix``: ``Integr*`` finds the words starting with ``integr``;
* ``exact``: a bare word of fewer than 4 letters (``EU``, ``WIR``) finds itself and its
  inflections as whole words; words inside quotes match exactly as written (folded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.errors import SearchError
from storage.german import STOP_WORDS
from storage.records import words

MIN_CONTAINS = 4
MIN_PREFIX = 3
"""Shortest prefix (``abc*``): the SQLite index keeps prefix lists of 3 and 4 letters only."""
OPERATORS = {"AND": "AND", "UND": "AND", "OR": "OR", "ODER": "OR", "NOT": "NOT", "NICHT": "NOT"}
FIELDS = {"title": "title", "titel": "title", "person": "person"}
FIELDS |= {"ministry": "ministry", "ministerium": "ministry"}
_TOKEN = re.compile(r'\s*(?:(")|(\()|(\))|([^\s()"]+))')
_FIELD = re.compile(r"(\w+):(.*)", re.DOTALL)


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
class Field:
    """``node`` matched in one field only: ``title``, ``person`` or ``ministry``."""

    name: str
    node: object


@dataclass(frozen=True)
class Stop:
    """An unquoted stop word: dropped from the tree after parsing."""

    word: str


@dataclass(frozen=True)
class And:
    """All of ``include`` and none of ``exclude`` (``include`` is never empty)."""

    include: tuple
    exclude: tuple = ()


@dataclass(frozen=True)
class Or:
    """Any of ``options``."""

    options: tuple


def _word(raw: str) -> Term | Phrase | Stop | None:
    prefix = raw.endswith("*")
    folded = words(raw.rstrip("*"))
    if not folded:
        return None
    if len(folded) > 1:  # WIR-Programm: a phrase whose last word may go on (-Programms)
        return Phrase(tuple(folded), prefix=True)
    word = folded[0]
    if word in STOP_WORDS and not prefix:
        return Stop(word)
    if word.isdigit():
        return Term(word, "exact")
    if prefix:
        if len(word) < MIN_PREFIX:
            raise SearchError(f"prefix {raw!r} is too short (at least {MIN_PREFIX} letters)")
        return Term(word, "prefix")
    return Term(word, "contains" if len(word) >= MIN_CONTAINS else "exact")


def _bare(bare: str) -> list[tuple[str, object]]:
    """Tokens of one unquoted piece: ``-`` (NOT), ``field:`` and the word itself."""
    tokens: list[tuple[str, object]] = []
    while bare.startswith("-"):
        tokens.append(("op", "NOT"))
        bare = bare[1:]
    field = _FIELD.fullmatch(bare)
    if field and field.group(1).lower() in FIELDS:
        tokens.append(("field", FIELDS[field.group(1).lower()]))
        bare = field.group(2)
    if bare in OPERATORS:
        tokens.append(("op", OPERATORS[bare]))
    elif bare and (node := _word(bare)) is not None:
        tokens.append(("node", node))
    return tokens


def tokenize(query: str) -> list[tuple[str, object]]:
    """``(kind, value)`` pairs: ``op``, ``field``, ``(``, ``)`` and ``node`` (a Term,
    Phrase or Stop)."""
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
        else:
            tokens += _bare(bare)
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
                raise SearchError(
                    "NOT needs a term to exclude from, as in: Schule NOT Corona (or Schule -Corona)"
                )
            raise SearchError("an operator or parenthesis has nothing to work on")
        if not exclude and len(include) == 1:
            return include[0]
        return And(tuple(include), tuple(exclude))

    def atom(self):
        kind, value = self.take()
        if kind == "node":
            return value
        if kind == "field":
            if self.peek()[0] not in ("node", "("):
                raise SearchError(f"{value}: needs a word, phrase or parenthesis after it")
            return Field(value, self.atom())
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


def parse(query: str) -> And | Or | Field | Term | Phrase:
    """The query tree of ``query``, stop words dropped; ``SearchError`` with a one-line
    message otherwise."""
    tokens = tokenize(query)
    nodes = [value for kind, value in tokens if kind == "node"]
    if not nodes:
        raise SearchError("the query has no words to search for")
    tree = _prune(_Parser(tokens).parse())
    if tree is None:
        stops = ", ".join(dict.fromkeys(n.word for n in nodes if isinstance(n, Stop)))
        raise SearchError(
            f'the query has only stop words ({stops}): quote one to search for it, as in "die"'
        )
    return tree


def _prune(node):
    """``node`` without stop words (None when nothing is left)."""
    if isinstance(node, Stop):
        return None
    if isinstance(node, Field):
        inner = _prune(node.node)
        return None if inner is None else Field(node.name, inner)
    if isinstance(node, Or):
        options = tuple(o for o in map(_prune, node.options) if o is not None)
        return None if not options else options[0] if len(options) == 1 else Or(options)
    if isinstance(node, And):
        include = tuple(n for n in map(_prune, node.include) if n is not None)
        exclude = tuple(n for n in map(_prune, node.exclude) if n is not None)
        if not include:
            if exclude:
                raise SearchError("the query excludes words but has none to search for")
            return None
        return include[0] if len(include) == 1 and not exclude else And(include, exclude)
    return node


def positive_terms(node, field: str | None = None) -> list[Term | Phrase]:
    """The terms a match must or may contain (not the excluded ones), for highlighting.

    Terms inside a ``person:`` or ``ministry:`` field are left out (snippets show the
    text, not those fields)."""
    if isinstance(node, Term | Phrase):
        return [node] if field in (None, "title") else []
    if isinstance(node, Field):
        return positive_terms(node.node, node.name)
    children = node.include if isinstance(node, And) else node.options
    return [term for child in children for term in positive_terms(child, field)]

"""SQLite: phrases found through an index of neighbouring word pairs and common-word triples.

``release_search_pairs`` is a contentless FTS5 table with ``detail = none`` (release pks
only, no positions): each release is one row holding each distinct pair of neighbouring
words of its title, short fields, body and persons as one token (``digitalpakt_schule``;
``_`` is never in a word), and each distinct triple of words around a stop word
(``ausbau_der_radwege``; ``german.STOP_WORDS``, as Lucene's common grams). FTS5 finds a
phrase by comparing word positions in every release that has all its words (hundreds of
thousands at a million releases for a phrase of common words); a token is one list to
read instead. A two-word phrase is one pair, and a three-word phrase around a stop word
one triple, so its matches are that token's releases. Any other phrase's candidates are
the releases with all its tokens, and each is checked in its stored text (``in_text``,
``in_parts``): no candidate counts as a match unchecked. With pairs alone, every release
with ``ausbau der`` and ``der radwege`` apart was a candidate (a stop word's pairs are in
most releases). Only phrases of plain ASCII letters and digits use the table (FTS5's
tokenizer could split other words differently from ``records.words``). A change of
``STOP_WORDS`` needs a migration that builds the table again (``TRIPLES_STOP_WORDS``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from storage.german import STOP_WORDS
from storage.query import Phrase
from storage.records import words

TABLE = "release_search_pairs"
CREATE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(pairs, content = '', detail = none, "
    "columnsize = 0, tokenize = \"ascii tokenchars '_'\")"
)
TRIPLES_STOP_WORDS = "18b64c5cf39e256f92cff643171bb8859a5784d17dcd0631e9521e21037e99c7"
"""SHA-256 of the sorted stop words (joined by spaces) the stored triples are made around
(migration 0018); ``tests/test_phrase_pairs.py`` fails when ``STOP_WORDS`` differ."""
PAIRED_PARTS = ("title", "extra", "body", "persons")
"""The parts a plain phrase is searched in (not the ministry, as in ``SqliteIndex``)."""


def pairs(doc: dict[str, str], triples: bool = True) -> str:
    """The row of a document: its distinct pairs of neighbouring words and (unless not
    ``triples``: the table before migration 0018) its triples around a stop word, in no
    particular order (without positions, FTS5 needs only the same tokens to take the row
    out again)."""
    found = set()
    for part in PAIRED_PARTS:
        words = doc[part].split()
        found.update(map("_".join, zip(words, words[1:], strict=False)))
        if triples:
            found.update(map("_".join, _triples(words)))
    return " ".join(found)


def _triples(words: list[str]) -> Iterator[tuple[str, str, str]]:
    """The triples of neighbouring ``words`` with a stop word in the middle."""
    for i in range(1, len(words) - 1):
        if words[i] in STOP_WORDS:
            yield words[i - 1], words[i], words[i + 1]


def usable(phrase: Phrase) -> bool:
    """Whether the pairs answer ``phrase``: two or more words of ASCII letters and digits."""
    words = phrase.words
    return len(words) > 1 and all(w.isascii() and w.isalnum() for w in words)


def match(phrase: Phrase) -> str:
    """The FTS5 query of the releases holding every token of ``phrase``: its triples
    around stop words, and its pairs outside them (the token that ends with the phrase's
    last word as a prefix when that word is one)."""
    words, found = phrase.words, []
    covered = set()
    for i in range(1, len(words) - 1):
        if words[i] in STOP_WORDS:
            found.append((i - 1, i + 1))
            covered.update((i - 1, i))
    found += [(i, i + 1) for i in range(len(words) - 1) if i not in covered]
    tokens = []
    for first, last in sorted(found):
        token = '"' + "_".join(words[first : last + 1]) + '"'
        token += "*" if phrase.prefix and last == len(words) - 1 else ""
        if token not in tokens:
            tokens.append(token)
    return " AND ".join(tokens)


def exact(phrase: Phrase) -> bool:
    """Whether every release ``match`` finds has the phrase (a single pair or triple)."""
    words = phrase.words
    return len(words) == 2 or (len(words) == 3 and words[1] in STOP_WORDS)


def in_parts(short: dict[str, str], phrase: Phrase) -> bool:
    """Whether one of the ``PAIRED_PARTS`` of the document ``short`` has ``phrase`` (for
    the short fields: the document made without the body, which ``in_text`` searches)."""
    needle = " " + " ".join(phrase.words) + ("" if phrase.prefix else " ")
    return any(needle in f" {short[part]} " for part in PAIRED_PARTS)


PLAIN = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
PLAIN |= dict.fromkeys("„“‚‘’”»«‹›–—…€§°·", " ")
"""What ``records.fold`` makes of the non-ASCII characters of most German texts once
lower-cased (the punctuation only ever separates words)."""


def in_text(text: str, phrase: Phrase) -> bool:
    """Whether the words of ``text`` (``records.words``) have ``phrase``. A text that is
    ASCII once lower-cased and ``PLAIN`` applied is searched as it is (folding it and
    splitting it into words would cost several times more); any other text is split."""
    plain = text.lower()
    for char, spelled in PLAIN.items():
        plain = plain.replace(char, spelled)
    if not plain.isascii():
        needle = " " + " ".join(phrase.words) + ("" if phrase.prefix else " ")
        return needle in " " + " ".join(words(text)) + " "
    first, pattern = phrase.words[0], _pattern(phrase)
    at = plain.find(first)
    while at >= 0:
        if (at == 0 or not plain[at - 1].isalnum()) and pattern.match(plain, at):
            return True
        at = plain.find(first, at + 1)
    return False


def _pattern(phrase: Phrase) -> re.Pattern:
    """The phrase's words in ASCII text: separated by anything but letters and digits."""
    body = "[^a-z0-9]+".join(map(re.escape, phrase.words))
    return re.compile(body if phrase.prefix else body + "(?![a-z0-9])")

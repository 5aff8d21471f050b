"""SQLite: phrases found through an index of neighbouring word pairs.

``release_search_pairs`` is a contentless FTS5 table with ``detail = none`` (release pks
only, no positions): each release is one row holding each distinct pair of neighbouring
words of its title, short fields, body and persons as one token (``digitalpakt_schule``;
``_`` is never in a word). FTS5 finds a phrase by comparing word positions in every
release that has all its words (hundreds of thousands at a million releases for a
phrase of common words); a pair is one list to read instead. A two-word phrase is one
pair, so its matches are that pair's releases. A longer phrase's candidates are the
releases with all its pairs, and each is checked in its stored text (``holds``): no
candidate counts as a match unchecked. Only phrases of plain ASCII letters and digits use
the pairs (FTS5's tokenizer could split other words differently from ``records.words``).
"""

from __future__ import annotations

import re

from storage.query import Phrase
from storage.records import words

TABLE = "release_search_pairs"
CREATE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(pairs, content = '', detail = none, "
    "columnsize = 0, tokenize = \"ascii tokenchars '_'\")"
)
PAIRED_PARTS = ("title", "extra", "body", "persons")
"""The parts a plain phrase is searched in (not the ministry, as in ``SqliteIndex``)."""


def pairs(doc: dict[str, str]) -> str:
    """The row of a document: its distinct pairs of neighbouring words (in no particular
    order: without positions, FTS5 needs only the same pairs to take the row out again)."""
    found = set()
    for part in PAIRED_PARTS:
        words = doc[part].split()
        found.update(map("_".join, zip(words, words[1:], strict=False)))
    return " ".join(found)


def usable(phrase: Phrase) -> bool:
    """Whether the pairs answer ``phrase``: two or more words of ASCII letters and digits."""
    words = phrase.words
    return len(words) > 1 and all(w.isascii() and w.isalnum() for w in words)


def match(phrase: Phrase) -> str:
    """The FTS5 query of the releases holding every pair of ``phrase`` (the last one as a
    prefix when the phrase's last word is one)."""
    words, last = phrase.words, len(phrase.words) - 2
    found = []
    for i, (a, b) in enumerate(zip(words, words[1:], strict=False)):
        token = f'"{a}_{b}"' + ("*" if phrase.prefix and i == last else "")
        if token not in found:
            found.append(token)
    return " AND ".join(found)


def exact(phrase: Phrase) -> bool:
    """Whether every release ``match`` finds has the phrase (a single pair)."""
    return len(phrase.words) == 2


def holds(body: str, short: dict[str, str], phrase: Phrase) -> bool:
    """Whether a release's document has ``phrase``: in its ``body`` (with the texts of its
    attachments, as stored) or in one of the other ``PAIRED_PARTS`` of ``short`` (its
    document made without the body)."""
    if in_text(body, phrase):
        return True
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

"""German words for search: Snowball stems, stop words, and which forms a word reaches.

Words here are folded (``records.fold``: lower case, ``ä`` -> ``ae``, ``ß`` -> ``ss``). The
Snowball ``german`` stemmer (PyStemmer) reads ``ae``/``oe``/``ue`` as umlauts, so
``Mütter``, ``Muetter`` and ``Mutter`` share the stem ``mutt``.

A search word reaches (``seeds``) the forms it is contained in: its own form and the
inflections of it that the archive's vocabulary holds (words with the same stem that
differ from it only in an ending of up to three letters, umlauts aside). A seed found
inside a longer word is a compound (``gesundheit`` in ``bundesgesundheitsministerium``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import Stemmer

_STEMMER = Stemmer.Stemmer("german")
MAX_ENDING = 3
"""Longest inflection ending (``-ern``, ``-ens``); longer differences are derivations
(``Gesund|heit``) and reach the other form as a whole word only, not inside compounds."""

STOP_WORDS = frozenset(
    (Path(__file__).parent / "stopwords.txt").read_text(encoding="utf-8").split()
)
"""Function words ignored in a query unless quoted (folded; ``stopwords.txt``, after the
Snowball project's German list)."""


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of a folded word."""
    return _STEMMER.stemWord(word)


def stems(words: list[str]) -> list[str]:
    """The stems of many folded words (one call into the stemmer)."""
    return _STEMMER.stemWords(words)


def _base(word: str) -> str:
    return word.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def is_inflection(form: str, word: str) -> bool:
    """Is ``form`` (same stem as ``word``) ``word`` with another ending or umlaut?"""
    a, b = sorted((_base(form), _base(word)), key=len)
    return b.startswith(a) and len(b) - len(a) <= MAX_ENDING


def seeds(word: str, family: list[str], min_length: int = 4) -> list[str]:
    """The forms whose occurrence inside a longer word counts as a hit for ``word``:
    ``word`` and its inflections among ``family`` (the vocabulary words of its stem) of
    at least ``min_length`` letters, dropping those that contain another seed (``kind``
    covers ``kindern``)."""
    forms = {word} | {f for f in family if is_inflection(f, word)}
    forms = {f for f in forms if len(f) >= min_length}
    return sorted(f for f in forms if not any(s != f and s in f for s in forms))

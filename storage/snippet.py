"""Snippets with the hits marked, cut from the original text (not the folded index)."""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import islice

from storage.german import stem
from storage.query import Phrase, Term
from storage.records import fold

MARK = ("**", "**")
"""Markers around a hit in a snippet: ``**Integrationskonferenz**``."""
_WORD = re.compile(r"[^\W_]+")


def hit_test(terms: list[Term | Phrase]):
    """A predicate on words as written: does the word match one of ``terms``? (cached)

    A word also matches a bare term (not a prefix, not in a phrase) of its Snowball stem."""
    exact, prefixes, inside, stems = set(), [], [], set()
    for term in terms:
        if isinstance(term, Phrase):
            exact.update(term.words[:-1])
            if term.prefix:
                prefixes.append(term.words[-1])
            else:
                exact.add(term.words[-1])
        elif term.mode == "prefix":
            prefixes.append(term.word)
        else:
            if term.mode == "exact":
                exact.add(term.word)
            else:
                inside.append(term.word)
            stems.add(stem(term.word))
    starts = tuple(prefixes)
    within = re.compile("|".join(map(re.escape, inside))).search if inside else lambda _: None
    seen: dict[str, bool] = {}

    def is_hit(word: str) -> bool:
        hit = seen.get(word)
        if hit is None:
            w = fold(word)
            hit = w in exact or w.startswith(starts) or within(w) is not None
            hit = seen[word] = hit or stem(w) in stems
        return hit

    return is_hit


def snippet(text: str, is_hit, size: int = 30) -> str | None:
    """About ``size`` words of ``text`` around the most hits, hits marked; None if no hit."""
    words = _WORD.findall(text)
    hitting = {word for word in set(words) if is_hit(word)}
    hits = [i for i, word in enumerate(words) if word in hitting]
    if not hits:
        return None
    starts = [max(0, h - 3) for h in hits]
    start = max(starts, key=lambda s: bisect_left(hits, s + size) - bisect_left(hits, s))
    end = min(len(words), start + size)
    shown = list(islice(_WORD.finditer(text), start, end))
    pieces, pos = [], shown[0].start()
    for match in shown:
        first, last = match.span()
        pieces.append(text[pos:first])
        word = match.group()
        pieces.append(MARK[0] + word + MARK[1] if word in hitting else word)
        pos = last
    if end == len(words):
        pieces.append(text[pos:])
    body = " ".join("".join(pieces).split())
    return ("… " if start else "") + body + (" …" if end < len(words) else "")

"""Snippets with the hits marked, cut from the original text (not the folded index)."""

from __future__ import annotations

import re
from bisect import bisect_left

from storage.query import Phrase, Term
from storage.records import fold

MARK = ("**", "**")
"""Markers around a hit in a snippet: ``**Integrationskonferenz**``."""
_WORD = re.compile(r"[^\W_]+")


def hit_test(terms: list[Term | Phrase]):
    """A predicate on folded words: does the word match one of ``terms``?"""
    exact, prefixes, inside = set(), [], []
    for term in terms:
        if isinstance(term, Phrase):
            exact.update(term.words[:-1])
            if term.prefix:
                prefixes.append(term.words[-1])
            else:
                exact.add(term.words[-1])
        elif term.mode == "exact":
            exact.add(term.word)
        else:
            (prefixes if term.mode == "prefix" else inside).append(term.word)
    return lambda w: w in exact or w.startswith(tuple(prefixes)) or any(t in w for t in inside)


def snippet(text: str, is_hit, size: int = 30) -> str | None:
    """About ``size`` words of ``text`` around the most hits, hits marked; None if no hit."""
    seen: dict[str, bool] = {}
    spans = []
    for match in _WORD.finditer(text):
        word = match.group()
        if word not in seen:
            seen[word] = is_hit(fold(word))
        spans.append((match.start(), match.end(), seen[word]))
    hits = [i for i, (_, _, hit) in enumerate(spans) if hit]
    if not hits:
        return None
    starts = [max(0, h - 3) for h in hits]
    start = max(starts, key=lambda s: bisect_left(hits, s + size) - bisect_left(hits, s))
    end = min(len(spans), start + size)
    pieces, pos = [], spans[start][0]
    for first, last, hit in spans[start:end]:
        pieces.append(text[pos:first])
        pieces.append(MARK[0] + text[first:last] + MARK[1] if hit else text[first:last])
        pos = last
    if end == len(spans):
        pieces.append(text[pos:])
    body = " ".join("".join(pieces).split())
    return ("… " if start else "") + body + (" …" if end < len(spans) else "")

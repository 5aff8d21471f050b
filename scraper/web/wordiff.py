"""Word-level differences between two texts, as segments a template marks up.

``segments(old, new)`` gives ``("same" | "del" | "ins" | "gap", text)`` pieces: the words
as written with their spacing (paragraph breaks kept), removed words as ``del``, added ones
as ``ins``. With ``context``, long unchanged stretches are cut to that many words either
side of a change, the cut reported as ``gap`` with the number of words left out.

The texts are first compared sentence by sentence and only the sentences that differ word
by word (as ``git diff --word-diff`` does with lines), which keeps a long release with a
few edits fast.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\w+(?:[-.,'’/]\w+)*\s*|[^\w\s]\s*|\s+")
"""A word (``1.200``, ``Herbst-Steuerschätzung`` whole) or one punctuation mark, each with
the whitespace after it."""
_SENTENCE_END = re.compile(r"[.!?][\"“”»«')]*\s+|\n\s*")


def tokens(text: str | None) -> list[str]:
    """The words and punctuation marks of ``text``, each with the whitespace after it."""
    return _TOKEN.findall(text or "")


def sentences(text: str | None) -> list[str]:
    """``text`` cut after each sentence end or line break (nothing is lost)."""
    text = text or ""
    out, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        out.append(text[start : end.end()])
        start = end.end()
    return out + ([text[start:]] if start < len(text) else [])


def words(text: str) -> int:
    """How many words (not punctuation marks) ``text`` holds."""
    return sum(1 for token in tokens(text) if token[0].isalnum() or token[0] == "_")


def _same(text: str, context: int | None, first: bool, last: bool) -> list:
    """An unchanged stretch, cut to ``context`` tokens either side of the changes."""
    run = tokens(text)
    if context is None or len(run) <= 2 * context + 1:
        return [("same", text)]
    head = [] if first else run[:context]
    tail = [] if last else run[-context:]
    out = [("same", "".join(head))] if head else []
    out.append(("gap", str(len(run) - len(head) - len(tail))))
    return out + ([("same", "".join(tail))] if tail else [])


def _marked(kind: str, run: list[str]) -> list:
    """A removed or added run, its trailing whitespace kept outside the mark."""
    text = "".join(run)
    core = text.rstrip()
    return [(kind, core)] + ([("same", text[len(core) :])] if len(core) < len(text) else [])


def _words(old: str, new: str) -> list:
    """Word-level pieces of two differing stretches (no cutting)."""
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b], False)
    out: list = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            out += _marked("del", a[i1:i2])
        if j2 > j1:
            out += _marked("ins", b[j1:j2])
    return out


def segments(old: str | None, new: str | None, context: int | None = None) -> list:
    """The pieces of ``old`` -> ``new`` (see the module doc)."""
    a, b = sentences(old), sentences(new)
    matcher = SequenceMatcher(None, [s.strip() for s in a], [s.strip() for s in b], False)
    codes = matcher.get_opcodes()
    out: list = []
    for n, (op, i1, i2, j1, j2) in enumerate(codes):
        if op == "equal":
            out += _same("".join(b[j1:j2]), context, n == 0, n == len(codes) - 1)
        else:
            out += _words("".join(a[i1:i2]), "".join(b[j1:j2]))
    return out


def counts(pieces: list) -> tuple[int, int]:
    """``(words removed, words added)`` in ``pieces``."""
    removed = sum(words(text) for kind, text in pieces if kind == "del")
    added = sum(words(text) for kind, text in pieces if kind == "ins")
    return removed, added

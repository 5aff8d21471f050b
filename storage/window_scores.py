"""SQLite: scores of a lone word's full ranking window, without FTS5's costliest work.

To weigh each form a word matches, FTS5's bm25 first counts the form's documents over the
whole index (``"der"``: every document), comparing positions with the column filter of a
plain word (title, short fields, body, persons): at archive scale that costs more than the
rest of the search. The window (the newest matches) is found without bm25, then scored:

* a word of one form (``"der"``, ``Digitalzentrum``): by FTS5's bm25 on the form without
  the column filter and with the ministry weighed 0, down to the window's oldest match. A
  form's weight (IDF) is the same in every release, so the order is FTS5's own; what is
  saved is reading positions to filter columns while counting (about half the count);
* a word of several forms (``Bericht``: 49, each weighed by its own document frequency):
  by bm25's formula and ``WEIGHTS`` from which of the window's releases hold each form in
  each column (one rowid range per form and column) and their lengths. A form's document
  frequency is estimated from that range (its share of the range's documents, times the
  index's documents), and its occurrences in a column count once (a repeated word in the
  body is what is given up).
"""

from __future__ import annotations

import math
from collections import defaultdict

from storage.search_index import BM25_B, BM25_K1, PARTS, WEIGHTS, averages, document_lengths
from storage.sqlread import Reads

COLUMNS = ("title", "extra", "body", "persons")
"""The columns a plain word searches (not ``ministry``)."""
UNFILTERED = ", ".join(str(w) for w in (*WEIGHTS[:-1], 0.0))
"""bm25's weights for a match without the column filter: the ministry's words weigh 0."""
IN_RANGE = "SELECT rowid FROM release_search WHERE release_search MATCH ? AND rowid >= ?"


def scores(reads: Reads, options: list[str], pks: list[int]) -> list[float]:
    """Scores (the higher, the better) of the releases ``pks``: the whole window of a word
    whose forms are ``options`` (FTS5 match strings)."""
    cursor = reads.cursor()
    if len(options) == 1:
        cursor.execute(
            f"SELECT rowid, -bm25(release_search, {UNFILTERED}) FROM release_search "
            "WHERE release_search MATCH ? AND rowid >= ?",
            (options[0], min(pks)),
        )
        found = dict(cursor.fetchall())
        return [found[pk] for pk in pks]
    return estimated(reads, cursor, options, pks)


def estimated(reads: Reads, cursor, options: list[str], pks: list[int]) -> list[float]:
    """bm25 of several forms from their holders in the window's range (see above)."""
    lowest, window = min(pks), set(pks)
    cursor.execute("SELECT count(*) FROM release_search_docsize WHERE id >= ?", (lowest,))
    (span,) = cursor.fetchone()
    documents, average = averages(reads)
    freqs: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    weights = {}
    for option in options:
        held: set[int] = set()
        for column in COLUMNS:
            cursor.execute(IN_RANGE, (f"{column} : {option}", lowest))
            holders = {pk for (pk,) in cursor}
            held |= holders
            for pk in holders & window:
                freqs[pk][option] += WEIGHTS[PARTS.index(column)]
        found = len(held) * documents / max(span, 1)
        weights[option] = max(math.log((documents - found + 0.5) / (found + 0.5)), 1e-6)
    lengths = document_lengths(reads, pks)
    found_scores = []
    for pk in pks:
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[pk] / average)
        found_scores.append(
            sum(
                weights[option] * freq * (BM25_K1 + 1) / (freq + norm)
                for option, freq in freqs[pk].items()
            )
        )
    return found_scores

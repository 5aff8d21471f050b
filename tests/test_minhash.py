"""The near-duplicate check loads datasketch's MinHash without SciPy, same hash values."""

from __future__ import annotations

import subprocess
import sys

SHINGLES = "{b'pressemitteilung des ministeriums', b'des ministeriums heute', b'heute in berlin'}"


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_storing_a_text_does_not_load_scipy():
    out = _run(
        "import sys\nfrom storage.clusters import signature\n"
        f"signature({SHINGLES})\nprint('scipy' in sys.modules)"
    )
    assert out == "False"


def test_signatures_are_datasketchs_own():
    light = _run(f"from storage.clusters import signature\nprint(list(signature({SHINGLES})))")
    full = _run(
        "import datasketch\nfrom storage.clusters import signature\n"
        f"print(list(signature({SHINGLES})))"
    )
    assert light == full
    assert len(light.split(",")) == 96


def test_band_hashes_are_blake2b_of_each_band_of_the_signature():
    """Stored bands must not change with the code that makes them (old releases' bands
    are compared with new ones): each is BLAKE2b of its ``ROWS`` values' bytes."""
    import hashlib

    from storage.clusters import BANDS, ROWS, bands, shingles, signature

    values = signature(shingles("Land fördert Regionalbahn", "Die Bahn fährt " * 30 + "oft."))
    expected = [
        int.from_bytes(
            hashlib.blake2b(
                values[i * ROWS : (i + 1) * ROWS].tobytes(), digest_size=8, person=b"band%04d" % i
            ).digest(),
            "big",
            signed=True,
        )
        for i in range(BANDS)
    ]
    assert bands(values) == expected and len(set(expected)) > 1


TEXTS = [
    ("Land fördert Regionalbahn", "Die Bahn fährt " * 30 + "oft."),
    ("Straße", "Ærø Ångström naïve façade " + "Donaudampfschifffahrtsgesellschaftskapitän" * 9),
    ("", "zwei Wörter"),
    ("Kurz", ""),
    ("日本語 テキスト", "Ελληνικά κείμενο ще бъде 3 4 5 " * 4),
]


def test_batch_signatures_equal_the_signatures_of_the_shingle_sets():
    """``storage.sketches`` makes the shingles' CRC-32 from the words' and the MinHash
    values for a whole batch: the same values as ``signature`` of each shingle set."""
    import numpy as np

    from storage.clusters import _template, shingle_set, signature
    from storage.records import words
    from storage.sketches import shingle_crcs, signatures

    texts = [words(f"{title} {body}") for title, body in TEXTS]
    crcs = shingle_crcs(texts)  # one word is longer than the stacked shift tables
    alone = [c for t in texts for c in shingle_crcs([t])]
    assert all(np.array_equal(a, b) for a, b in zip(crcs, alone, strict=True))
    assert [len(c) for c in crcs] == [max(len(t) - 2, 0) for t in texts]
    full = [(t, c) for t, c in zip(texts, crcs, strict=True) if len(c)]
    found = signatures([c for _, c in full], _template().permutations)
    for (tokens, _), values in zip(full, found, strict=True):
        expected = signature(shingle_set(tokens))
        assert values.dtype == expected.dtype and np.array_equal(values, expected)
    assert shingle_crcs([[], []])[1].size == 0


def test_repeated_shingles_count_once_towards_the_minimum():
    from storage.clusters import MIN_SHINGLES, _ShingleSets
    from storage.sketches import shingle_crcs

    tokens = {1: "ab cd ef " * 20, 2: " ".join(f"w{n}" for n in range(MIN_SHINGLES + 2))}
    tokens = {pk: text.split() for pk, text in tokens.items()}
    sets = _ShingleSets(tokens)
    crcs = dict(zip(tokens, shingle_crcs(list(tokens.values())), strict=True))
    assert len(crcs[1]) >= MIN_SHINGLES and not sets.enough(1, crcs[1])
    assert sets.enough(2, crcs[2]) and not sets.enough(2, crcs[2][: MIN_SHINGLES - 1])


def test_stacked_shift_tables_equal_the_ones_zlib_makes():
    import numpy as np

    from storage.sketches import STACKED, _shift_table, _stacked

    stacked = _stacked()
    assert all(np.array_equal(stacked[n], _shift_table(n)) for n in range(STACKED))

"""MinHash signatures of many texts at once, equal to ``clusters.signature`` of their shingles.

``clusters.signature`` hashes every shingle (three folded words joined by spaces, UTF-8)
with CRC-32, then applies datasketch's ``affine32`` permutations. CRC-32 of a joined
string follows from the CRC-32 of its parts: ``crc(a + b) = shift(crc(a), len(b)) ^
crc(b)``, where ``shift(c, n)`` (appending ``n`` zero bytes to the message) is linear in
``c``. So each distinct word is hashed once, and the shingles' CRC-32 values are made for a
whole batch with a few NumPy table lookups instead of one call per shingle. The minimum
over a text's shingles does not depend on how often a shingle repeats, so no sets are made.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from itertools import chain

import numpy as np

U32 = np.uint32
SPACE = zlib.crc32(b" ")
STACKED = 64


@lru_cache(maxsize=512)
def _shift_table(n: int) -> np.ndarray:
    """``shift(c, n)`` of each byte of ``c`` in each of its four places (XOR them)."""
    zeros = b"\0" * n
    base = zlib.crc32(zeros, 0)  # crc32(zeros, c) ^ base is linear in c
    return np.array(
        [[zlib.crc32(zeros, b << (8 * k)) ^ base for b in range(256)] for k in range(4)], U32
    )


@lru_cache(maxsize=1)
def _stacked() -> np.ndarray:
    """``_shift_table(n)`` for every ``n`` below ``STACKED`` (each from the one before,
    shifted by one more byte)."""
    one = _shift_table(1)
    tables = [np.arange(256, dtype=U32) << (U32(8) * np.arange(4, dtype=U32))[:, None]]
    for _ in range(STACKED - 1):
        last = tables[-1]
        tables.append(
            one[0, last & 255]
            ^ one[1, (last >> 8) & 255]
            ^ one[2, (last >> 16) & 255]
            ^ one[3, last >> 24]
        )
    return np.stack(tables)


def _shift(crcs: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``shift(c, n)`` of each CRC-32 value ``c`` in ``crcs`` and ``n`` in ``lengths``:
    ``crc(a + b) == shift(crc(a), len(b)) ^ crc(b)``."""
    if not len(crcs):
        return crcs
    if int(lengths.max()) < STACKED:  # nearly always: words are short
        tables, which = _stacked(), lengths
    else:
        sizes, which = np.unique(lengths, return_inverse=True)
        tables = np.stack([_shift_table(int(n)) for n in sizes])
    return (
        tables[which, 0, crcs & 255]
        ^ tables[which, 1, (crcs >> 8) & 255]
        ^ tables[which, 2, (crcs >> 16) & 255]
        ^ tables[which, 3, crcs >> 24]
    )


def _fmix32(values: np.ndarray) -> np.ndarray:
    """datasketch's MurmurHash3 finalizer (the ``affine32`` pre-mix)."""
    values = values ^ (values >> U32(16))
    values = values * U32(0x85EBCA6B)
    values = values ^ (values >> U32(13))
    values = values * U32(0xC2B2AE35)
    return values ^ (values >> U32(16))


def shingle_crcs(texts: list[list[str]]) -> list[np.ndarray]:
    """The CRC-32 of every 3-word shingle of each folded word list, in order (repeats
    included; none for fewer than three words)."""
    distinct = dict.fromkeys(chain.from_iterable(texts))
    if not distinct:
        return [np.zeros(0, U32) for _ in texts]
    ids = dict(zip(distinct, range(len(distinct)), strict=True))
    count = sum(map(len, texts))
    at = np.fromiter(map(ids.__getitem__, chain.from_iterable(texts)), np.int64, count)
    encoded = [word.encode() for word in distinct]
    crc = np.fromiter(map(zlib.crc32, encoded), U32, len(encoded))
    size = np.fromiter(map(len, encoded), np.int64, len(encoded))
    spaced = _shift(crc, np.ones(len(crc), np.int64)) ^ U32(SPACE)  # crc(word + " ")
    first, second, third = at[:-2], at[1:-1], at[2:]
    two = _shift(spaced[first], size[second] + 1) ^ spaced[second]
    three = _shift(two, size[third]) ^ crc[third]
    out, start = [], 0
    for words in texts:
        out.append(three[start : start + max(len(words) - 2, 0)])
        start += len(words)
    return out


def signatures(crcs: list[np.ndarray], permutations: tuple[np.ndarray, np.ndarray]):
    """``affine32`` MinHash values of each text's shingle CRC-32 values (none empty)."""
    a, b = permutations
    return [(_fmix32(own)[:, None] * a + b).min(axis=0) for own in crcs]

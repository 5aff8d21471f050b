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

"""datasketch's ``MinHash`` without datasketch's package ``__init__``.

``import datasketch`` imports every sketch it has, and its LSH classes import SciPy (about
60 MB more in the crawl process, and a second of start-up CPU) to fit parameters the archive
never asks for. ``MinHash`` itself needs only NumPy: its module is loaded from datasketch's
package folder while the package ``__init__`` is skipped, so the code is datasketch's own,
with the same hash values. A process that imports ``datasketch`` later gets the whole
package as usual, sharing this ``datasketch.minhash`` module.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types


def _minhash_module():
    if "datasketch" in sys.modules or "datasketch.minhash" in sys.modules:
        return importlib.import_module("datasketch.minhash")
    spec = importlib.util.find_spec("datasketch")
    package = types.ModuleType("datasketch")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["datasketch"] = package  # a bare package: its __init__ does not run
    try:
        return importlib.import_module("datasketch.minhash")
    finally:
        del sys.modules["datasketch"]


MinHash = _minhash_module().MinHash

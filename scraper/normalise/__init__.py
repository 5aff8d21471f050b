"""Press release normaliser: a page or a plain text -> Record (12 fields, provenance, flags).

Pages are cut into ordered text blocks of the release region (``html``), plain text into
blank-line separated blocks; both then go through the same layout rules (``layout``).
"""

from __future__ import annotations

from .api import normalise_html, normalise_text
from .record import FIELDS, Record

__all__ = ["FIELDS", "Record", "normalise_html", "normalise_text"]

"""htmldate: the publication date of a page where no other reader found one (the weakest)."""

from __future__ import annotations

import logging
from datetime import date

from htmldate import find_date

from . import Candidate

logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def read(root, reference: date) -> list[Candidate]:
    """htmldate's original date (extensive search) when it is not after ``reference``.

    The page URL is not given to it: a date only in the URL never becomes ``published``."""
    try:
        found = find_date(
            root, original_date=True, extensive_search=True, outputformat="%Y-%m-%d",
            max_date=reference.isoformat(),
        )  # fmt: skip
    except (RecursionError, ValueError, TypeError):
        return []
    return [Candidate("published", date.fromisoformat(found), "htmldate")] if found else []

"""htmldate: the publication date of a page where no other reader found one (the weakest)."""

from __future__ import annotations

import logging
from datetime import date
from functools import lru_cache

from htmldate import extractors, find_date

from . import Candidate

logging.getLogger("htmldate").setLevel(logging.CRITICAL)

# The languages the archived pages are written in. htmldate's extensive search hands a
# date-shaped string it cannot parse to dateparser, which by default first compiles the
# word lists of its 200 locales (about 8 CPU seconds in every new process, more than a
# whole batch of pages takes); limited to these it starts in a tenth of a second.
LANGUAGES = ("de", "en", "fr")
_SETTINGS = {  # htmldate's own settings for dateparser (htmldate.extractors)
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}


@lru_cache(maxsize=1)
def _external_parser():
    from dateparser import DateDataParser

    return DateDataParser(languages=list(LANGUAGES), settings=_SETTINGS)


HTMLDATE_PARSER = getattr(extractors, "get_external_parser", None)  # htmldate's own setup


def _limit_languages() -> None:
    if HTMLDATE_PARSER is not None:  # htmldate's hook (>= 1.9)
        extractors.get_external_parser = _external_parser


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


_limit_languages()

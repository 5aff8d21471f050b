"""Evidence: every fetched response written byte for byte to WARC files (warcio).

``WarcMiddleware`` (a downloader middleware) writes the records; ``WarcWriter`` owns the
files; ``read_response`` reads one archived response back for ``pressarchiv reparse``.
"""

from scraper.evidence.paths import default_warc_dir, warc_dir_for, warc_pointer
from scraper.evidence.reader import ArchivedResponse, WarcReadError, read_response
from scraper.evidence.writer import WarcPointer, WarcRecorder

__all__ = [
    "ArchivedResponse",
    "WarcPointer",
    "WarcReadError",
    "WarcRecorder",
    "default_warc_dir",
    "read_response",
    "warc_dir_for",
    "warc_pointer",
]

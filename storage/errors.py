"""Errors of the archive; their messages are one line, fit for a command line."""


class ArchiveError(Exception):
    """The archive cannot be opened or a batch cannot be stored."""


class SearchError(ArchiveError):
    """A search query the engine cannot parse."""

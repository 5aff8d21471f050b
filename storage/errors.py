"""Errors of the archive; their messages are one line, fit for a command line."""


class ArchiveError(Exception):
    """The archive cannot be opened or a batch cannot be stored."""


class SearchError(ArchiveError):
    """A search query the engine cannot parse."""


def one_line(exc: BaseException) -> str:
    """The first line of a (database) exception's message: the driver's own, if any."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

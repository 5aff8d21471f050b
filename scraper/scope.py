"""What a crawl may request: ``http``/``https`` URLs on the site profile's hosts only.

On the real site that is the profile's host (``base_url``, with or without ``www.``) and
any extra ``hosts`` the profile lists. On a mirror (``--base-url``, laid out one folder
per host) it is the mirror's scheme, host and port, and a path inside one of those hosts'
folders: ``../other.hessen.de/...`` or an encoded ``%2e%2e`` segment cannot climb out.
``refusal(url)`` says why a URL is out of scope (``None`` when it is in), in words fit
for the crawl log.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

MAX_URL_LENGTH = 2048  # the archive's URL columns; longer links are refused with a reason
SCHEMES = ("http", "https")


def one_line(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def link_problem(url: str) -> str | None:
    """Why a link cannot be requested at all (scheme, length, syntax), or None."""
    if len(url) > MAX_URL_LENGTH:
        return f"link longer than {MAX_URL_LENGTH:,} characters ({len(url):,})"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as exc:
        return f"invalid link: {exc}"
    if parts.scheme.lower() not in SCHEMES:
        scheme = parts.scheme or "no scheme"
        return f"not an http(s) link ({scheme}:)"
    if not parts.hostname:
        return "invalid link: no host"
    return None


def _bare(host: str) -> str:
    return host.lower().removeprefix("www.")


def _origin(parts) -> tuple[str, str, int]:
    default = 443 if parts.scheme.lower() == "https" else 80
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default


@dataclass(frozen=True)
class Scope:
    """The hosts of one site, fetched directly or through a mirror."""

    hosts: frozenset[str]  # bare host names (no ``www.``), with port if not the default
    mirror: str | None = None

    @classmethod
    def of(cls, profile, mirror: str | None = None) -> Scope:
        names = [urlsplit(profile.base_url).netloc, *profile.hosts]
        return cls(frozenset(_bare(name) for name in names if name), mirror or None)

    def refusal(self, url: str) -> str | None:
        """Why ``url`` is out of this site's scope, or None when it may be requested."""
        problem = link_problem(url)
        if problem:
            return problem
        parts = urlsplit(url)
        if self.mirror:
            return self._mirror_refusal(parts)
        if _bare(parts.netloc) not in self.hosts:
            return f"off-site: {parts.netloc} is not a host of this site"
        return None

    def _mirror_refusal(self, parts) -> str | None:
        mirror = urlsplit(self.mirror)
        if _origin(parts) != _origin(mirror):
            return f"off-site: {parts.netloc} is not the mirror {mirror.netloc}"
        root = mirror.path.rstrip("/")
        path = parts.path
        if path == root + "/robots.txt":  # the mirror's own rules
            return None
        if not path.startswith(root + "/"):
            return "off-site: outside the mirror's folder"
        segments = path[len(root) + 1 :].split("/")
        if any(unquote(s) in (".", "..") for s in segments):
            return "off-site: a dot segment climbs out of the host's folder"
        host = unquote(segments[0])
        if _bare(host) not in self.hosts:
            return f"off-site: {host or 'the mirror root'} is not a host of this site"
        return None

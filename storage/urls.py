"""Canonical URLs: one spelling per page, so that URL variants dedupe.

Rules, in order:

* scheme and host are lower-cased, a leading ``www.`` and a default port are dropped;
* ``http`` becomes ``https`` except on loopback hosts (``localhost``, ``127.x``, ``::1``):
  ministry sites redirect ``http`` to ``https``, so the scheme is no part of a release's
  identity there, while a local mirror really is served over plain ``http``;
* the fragment is dropped, and so are tracking parameters (``utm_*``, ``fbclid``,
  ``gclid`` and the others in ``TRACKING_PARAMS``); the remaining query parameters are
  sorted (blank values kept);
* a trailing slash is stripped from the path, except for the root ``/``.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "_ga", "_gl", "mkt_tok",
        "wt_mc", "wt.mc_id", "ref_src", "s_cid", "oly_enc_id", "oly_anon_id", "vero_id",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
LOOPBACK_HOSTS = frozenset({"localhost", "::1", "[::1]"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def canonical_url(url: str) -> str:
    """The canonical spelling of ``url`` (see the module docstring for the rules)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").removeprefix("www.")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if scheme == "http" and not _is_loopback(host):
        scheme = "https"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    params = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    query = urlencode(sorted(params))
    return urlunsplit((scheme, netloc, path, query, ""))

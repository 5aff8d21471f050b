"""Site profiles: every crawlable site is declared as data in a TOML file.

A file describes one CMS family (shared ``[listing]`` and ``[release]`` rules) and
lists its sites under ``[[sites]]``; a site may override any family key. Files ship
in ``scraper/sites/`` and may also come from a user directory (``--sites-dir`` or
``PRESSARCHIV_SITES``); a user file with the same site id wins.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BUILTIN_DIR = Path(__file__).parent / "sites"
SITES_ENV = "PRESSARCHIV_SITES"


class ProfileError(ValueError):
    """A site file or site id that cannot be used."""


@dataclass(frozen=True)
class Profile:
    """One crawlable site and the rules for reading it."""

    id: str
    name: str
    ministry: str
    state: str
    family: str
    base_url: str
    start_urls: tuple[str, ...]
    listing: dict = field(default_factory=dict)
    release: dict = field(default_factory=dict)
    boilerplate: tuple[str, ...] = ()
    locale: str = "de"
    abbreviation: str | None = None
    source: str = ""
    hosts: tuple[str, ...] = ()  # more hosts of the site besides base_url's (e.g. for PDFs)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc.lower().removeprefix("www.")

    def absolute_start_urls(self, base_url: str | None = None) -> list[str]:
        """Start URLs on the real site, or on a mirror given by ``base_url``."""
        urls = [self.base_url.rstrip("/") + path for path in self.start_urls]
        return [to_mirror(url, base_url) for url in urls] if base_url else urls


def to_mirror(url: str, mirror: str) -> str:
    """Map a real-site URL onto a mirror laid out one folder per host (like ``wget -m``)."""
    parts = urlsplit(url)
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    return f"{mirror.rstrip('/')}/{parts.netloc.lower()}{rest}"


def from_mirror(url: str, mirror: str) -> str:
    """Map a mirror URL back to the real-site URL it stands for (inverse of ``to_mirror``)."""
    prefix = mirror.rstrip("/") + "/"
    if not url.startswith(prefix):
        return url
    host, _, rest = url[len(prefix) :].partition("/")
    return f"https://{host}/{rest}"


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_site_file(path: Path) -> tuple[dict, list[dict]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read site file: {exc}") from exc
    family = {k: v for k, v in data.items() if k != "sites"}
    family.setdefault("family", path.stem)
    return family, data.get("sites", [])


def _profile(path: Path, merged: dict) -> Profile:
    missing = [k for k in ("id", "name", "base_url", "start_urls") if k not in merged]
    if missing:
        raise ProfileError(f"{path}: site {merged.get('id', '?')} lacks {', '.join(missing)}")
    return Profile(
        id=merged["id"],
        name=merged["name"],
        ministry=merged.get("ministry", merged["name"]),
        state=merged.get("state", ""),
        family=merged["family"],
        base_url=merged["base_url"].rstrip("/"),
        start_urls=tuple(merged["start_urls"]),
        listing=merged.get("listing", {}),
        release=merged.get("release", {}),
        boilerplate=tuple(merged.get("boilerplate", ())),
        locale=merged.get("locale", "de"),
        abbreviation=merged.get("abbreviation"),
        source=str(path),
        hosts=tuple(merged.get("hosts", ())),
    )


def load_profiles(sites_dir: str | os.PathLike | None = None) -> dict[str, Profile]:
    """All site profiles by id: the shipped ones, then those of ``sites_dir`` (or the env).

    A file naming a family that another file already declared inherits that family's rules,
    so a new ministry of a known family needs only its ``[[sites]]`` entry.
    """
    dirs = [BUILTIN_DIR]
    extra = sites_dir or os.environ.get(SITES_ENV)
    if extra:
        extra_path = Path(extra)
        if not extra_path.is_dir():
            raise ProfileError(f"sites directory not found: {extra_path}")
        dirs.append(extra_path)
    families: dict[str, dict] = {}
    profiles: dict[str, Profile] = {}
    for directory in dirs:
        for path in sorted(directory.glob("*.toml")):
            family, sites = _read_site_file(path)
            family = _merge(families.get(family["family"], {}), family)
            families.setdefault(family["family"], family)
            for site in sites:
                profile = _profile(path, _merge(family, site))
                profiles[profile.id] = profile
    return profiles


def get_profile(site_id: str, sites_dir: str | os.PathLike | None = None) -> Profile:
    """The profile with this id, or a ProfileError naming the known ids."""
    profiles = load_profiles(sites_dir)
    try:
        return profiles[site_id]
    except KeyError:
        known = ", ".join(sorted(profiles)) or "none"
        raise ProfileError(f"unknown site id {site_id!r} (known: {known})") from None


def url_host(url: str) -> str | None:
    """The lower-case host of ``url`` without ``www.``; None for a URL that cannot be read."""
    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 address)
        return None
    return host.removeprefix("www.") if host else None


def profile_for_url(url: str, profiles: dict[str, Profile] | None = None) -> Profile | None:
    """The profile whose host serves this URL, also on a mirror laid out one folder per host
    (``http://127.0.0.1:8000/soziales.hessen.de/...``); None for an unknown or unreadable URL.
    The first profile of a host wins."""
    profiles = load_profiles() if profiles is None else profiles
    host = url_host(url)
    if host is None:
        return None
    try:
        first_folder = urlsplit(url).path.lstrip("/").split("/", 1)[0].lower()
    except ValueError:
        first_folder = ""
    by_host = _by_host(profiles)
    return by_host.get(host) or by_host.get(first_folder.removeprefix("www."))


_HOST_INDEX: list = [None, {}]  # the profiles dict last indexed, and its index


def _by_host(profiles: dict[str, Profile]) -> dict[str, Profile]:
    if _HOST_INDEX[0] is not profiles:
        index: dict[str, Profile] = {}
        for profile in profiles.values():
            index.setdefault(profile.host, profile)
        _HOST_INDEX[:] = [profiles, index]
    return _HOST_INDEX[1]

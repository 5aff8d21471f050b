"""A local replica of the real ministry press sites, served on 127.0.0.1.

The replica is laid out one folder per host (``/<host>/<path>``, see
``scraper.profiles.to_mirror``). Release texts live in ``data/*.toml``; one module per
CMS family renders them: ``hessen`` (hessen.de Drupal), ``bund`` (bundesregierung.de,
JSON listing), ``gsb`` (Government Site Builder, bmas.de), ``nds`` (Niedersachsen),
``lsa`` (Sachsen-Anhalt), ``nrw`` (land.nrw). ``site`` joins them and adds the root
``robots.txt``; ``server`` serves them; ``save`` writes pages and fixtures to files.

- ``ReplicaServer(port=0, edited=False, faults=False)`` serves it (see its docstring).
- ``catalogue(edited=False, family=None)`` is the truth of every release: ``site``,
  ``family``, ``slug``, ``layout``, ``url`` (real site), ``paths`` (every served mirror path,
  its own first), ``edited`` (has an edited variant), ``flags`` (expected flags) and the 12
  expected fields ``kind`` … ``ministry``.
- ``site_ids(family=None)``, ``families()``, ``start_path(site_id)``, ``routes(edited, faults)``,
  ``text_version(site_id, slug)`` (a release as plain text).
"""

from .server import ReplicaServer
from .site import catalogue, families, routes, site_ids, start_path, text_version

__all__ = [
    "ReplicaServer", "catalogue", "families", "routes", "site_ids", "start_path", "text_version",
]  # fmt: skip

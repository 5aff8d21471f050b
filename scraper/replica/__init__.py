"""A local replica of the real ministry press sites, served on 127.0.0.1.

``ReplicaServer`` serves it; ``catalogue()`` is the truth of every release it serves
(what a normaliser must read from each page); ``site_ids()`` the sites it covers.
"""

from .server import ReplicaServer
from .site import catalogue, families, routes, site_ids, start_path

__all__ = ["ReplicaServer", "catalogue", "families", "routes", "site_ids", "start_path"]

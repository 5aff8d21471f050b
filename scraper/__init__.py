"""pressarchiv: crawl, normalise, archive and export government press releases."""

__version__ = "0.1.0"

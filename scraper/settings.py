"""Scrapy settings for pressarchiv. Polite by default: robots.txt, AutoThrottle, 1 req/s/host."""

import os

from scraper import __version__

BOT_NAME = "pressarchiv"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"
COMMANDS_MODULE = "scraper.commands"  # ``scrapy crawl`` with pressarchiv's exit statuses


def user_agent(contact: str | None) -> str:
    """An honest user agent naming the software and the operator's contact."""
    who = contact or "operator contact not set"
    return f"pressarchiv/{__version__} (press release archiver; {who})"


# Operators set a contact (``pressarchiv crawl --contact``, env PRESSARCHIV_CONTACT) so that
# site owners can reach them; ``scrapy crawl`` users set USER_AGENT with ``-s`` as well.
PRESSARCHIV_CONTACT = None
USER_AGENT = user_agent(PRESSARCHIV_CONTACT)

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0  # the delay is a floor, not an average
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# The delay counts from each answer, not from when Scrapy chose the request (scraper/spacing.py)
EXTENSIONS = {"scraper.spacing.DelayAfterAnswer": 0}
# A callback returns one item (a release page) or a listing page's few requests, so Scrapy's
# 100 asyncio tasks per response (its default) only cost CPU; one is enough.
CONCURRENT_ITEMS = 1
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False  # no remote console in any crawler process
LOG_LEVEL = "INFO"

# Bounded work (issue 10): a page may be 10 MB, also once decompressed (Scrapy checks the
# limit while inflating, so a bomb stops there); PDFs get their own limit
# (PRESSARCHIV_ATTACHMENT_MAXSIZE). Parsing and PDF text run in worker processes with a
# time budget each (scraper/workers.py: PRESSARCHIV_PARSE_TIMEOUT, PRESSARCHIV_PDF_TIMEOUT).
DOWNLOAD_MAXSIZE = 10 * 1000 * 1000
DOWNLOAD_WARNSIZE = 5 * 1000 * 1000
PRESSARCHIV_ATTACHMENT_MAXSIZE = 25 * 1000 * 1000
REDIRECT_MAX_TIMES = 10
# Only http(s) is ever fetched: no handler for file:, data:, ftp: or s3: URLs at all.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
# Links longer than the archive's URL columns are refused by scraper.scope with a reason,
# not dropped silently by Scrapy's UrlLengthMiddleware.
URLLENGTH_LIMIT = 0

ITEM_PIPELINES = {
    "scraper.pipelines.normalise.NormalisePipeline": 100,
    "scraper.pipelines.validate.ValidatePipeline": 200,
    "scraper.pipelines.dedupe.DedupePipeline": 300,
    "scraper.pipelines.store.StorePipeline": 400,
}

PRESSARCHIV_DB = "sqlite:///pressarchiv.sqlite"
PRESSARCHIV_BATCH_SIZE = 50
PRESSARCHIV_BASE_URL = None
PRESSARCHIV_SITES_DIR = None

# Evidence: every response written to WARC files (scraper/evidence). The middleware sits on
# the downloader side of HttpCompressionMiddleware, so bodies are archived undecoded.
DOWNLOADER_MIDDLEWARES = {"scraper.evidence.middleware.WarcMiddleware": 950}
# Scope: only the site's own hosts (scraper/scope.py), checked before robots.txt and again
# for every redirect and meta refresh; robots.txt read as RFC 9309 says (5xx: disallow).
DOWNLOADER_MIDDLEWARES["scraper.middlewares.scope.ScopeMiddleware"] = 40
DOWNLOADER_MIDDLEWARES["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] = None
DOWNLOADER_MIDDLEWARES["scraper.middlewares.robots.RobotsMiddleware"] = 100
DUPEFILTER_CLASS = "scraper.middlewares.scope.RedirectsPassFilter"
PRESSARCHIV_WARC_DIR = None  # None: <archive>.warc/ beside a SQLite file, else ./warc
PRESSARCHIV_WARC_MAX_SIZE = 100 * 1000 * 1000  # bytes; a new file starts past this size
# An already archived payload becomes a `revisit` record (env PRESSARCHIV_WARC_REVISITS=0: off)
PRESSARCHIV_WARC_REVISITS = os.environ.get("PRESSARCHIV_WARC_REVISITS", "1") != "0"

# Incremental crawls and the crawl log (scraper/spiders/walk.py, storage/runs.py).
PRESSARCHIV_KNOWN_LIMIT = 10  # stop a listing walk after this many known releases in a row
# An incremental run reads at most this many listing pages per site (0: no cap); --full and
# --since/--until runs walk the whole listing unless --max-listing-pages is given.
PRESSARCHIV_MAX_LISTING_PAGES = 50
PRESSARCHIV_RUN_ID = None  # set by scraper.crawl; a plain ``scrapy crawl`` is a run of its own
# A 429/503's Retry-After is waited out (at most this many seconds) before RetryMiddleware
# (order 550) retries the request.
DOWNLOADER_MIDDLEWARES["scraper.middlewares.retry_after.RetryAfterMiddleware"] = 560
PRESSARCHIV_RETRY_AFTER_MAX = 300

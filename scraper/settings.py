"""Scrapy settings for pressarchiv. Polite by default: robots.txt, AutoThrottle, 1 req/s/host."""

from scraper import __version__

BOT_NAME = "pressarchiv"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"


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
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

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
PRESSARCHIV_WARC_DIR = None  # None: <archive>.warc/ beside a SQLite file, else ./warc
PRESSARCHIV_WARC_MAX_SIZE = 100 * 1000 * 1000  # bytes; a new file starts past this size

# Incremental crawls and the crawl log (scraper/spiders/walk.py, storage/runs.py).
PRESSARCHIV_KNOWN_LIMIT = 10  # stop a listing walk after this many known releases in a row
PRESSARCHIV_RUN_ID = None  # set by scraper.crawl; a plain ``scrapy crawl`` is a run of its own
# A 429/503's Retry-After is waited out (at most this many seconds) before RetryMiddleware
# (order 550) retries the request.
DOWNLOADER_MIDDLEWARES["scraper.middlewares.retry_after.RetryAfterMiddleware"] = 560
PRESSARCHIV_RETRY_AFTER_MAX = 300

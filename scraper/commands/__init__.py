"""Scrapy commands of pressarchiv (``COMMANDS_MODULE``): ``scrapy crawl`` with exit codes."""

"""Crawls beyond one machine: jobs of one host group each, carried by Celery.

``jobs``: host groups, job specs and the per-job crawl process; ``app``: the Celery app
(``make_app``), the ``crawl_job`` task, ``enqueue`` and ``follow``. The CLI's ``worker``,
``crawl --broker`` and ``beat`` are thin layers over these. See docs/scheduling.md.
"""

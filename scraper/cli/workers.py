"""``pressarchiv worker`` and ``crawl --broker``: crawls carried by Celery
(``scraper.distributed``)."""

from __future__ import annotations

import sys

import click

from scraper import exits
from scraper.cli.options import archive_url, db_option, db_url_from

broker_option = click.option(
    "--broker", metavar="URL", envvar="PRESSARCHIV_BROKER", required=True,
    help="Celery broker: redis://HOST:6379/0 or amqp://USER:PASS@HOST:5672// "
         "(env PRESSARCHIV_BROKER).",
)  # fmt: skip


def crawl_on_workers(broker, site_ids, db_url, walk, *, base_url, sites_dir, contact,
                     max_releases, max_listing_pages, timeout, finish) -> None:  # fmt: skip
    """Record one run, queue one job per host group, and (``walk.wait``) follow them."""
    from scraper.distributed import app as distributed
    from scraper.profiles import ProfileError
    from storage import ArchiveError

    app = distributed.make_app(broker)
    try:
        run_id, specs, results = distributed.queue_crawl(
            app, db_url, site_ids, walk, base_url=base_url, sites_dir=sites_dir,
            contact=contact, max_releases=max_releases, max_listing_pages=max_listing_pages,
        )  # fmt: skip
    except (ProfileError, ArchiveError) as exc:
        raise click.ClickException(str(exc)) from None
    except distributed.BrokerDown as exc:
        raise click.ClickException(f"cannot queue jobs on {broker}: {exc}") from None
    click.echo(f"run {run_id}: {len(specs)} jobs queued for {len(site_ids)} sites "
               f"(pressarchiv runs {run_id})", err=True)  # fmt: skip
    if not walk.wait:
        return
    try:
        summary = distributed.follow(app, results, specs, timeout,
                                     echo=lambda line: click.echo(line, err=True))  # fmt: skip
    except (distributed.NoWorker, TimeoutError) as exc:
        click.echo(f"stopped waiting: {exc}; they run when a worker takes them "
                   f"(pressarchiv runs {run_id})", err=True)  # fmt: skip
        sys.exit(exits.BUSY)
    summary.run_id = run_id
    finish(summary)


@click.command()
@broker_option
@db_option
@click.option("--warc-dir", type=click.Path(file_okay=False), default=None,
              help="Shared folder of the WARC files (default: <archive>.warc beside a SQLite "
                   "file, else ./warc).")  # fmt: skip
@click.option("--concurrency", type=click.IntRange(min=1), default=2, show_default=True,
              help="Jobs (host groups) this worker crawls at once.")  # fmt: skip
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1),
    default=6 * 3600.0,
    show_default=True,
    metavar="SECONDS",
    help="Longest time one job may take.",
)
@click.option("--name", help="Worker name (default: pressarchiv@HOSTNAME).")
@click.option("-v", "--verbose", is_flag=True, help="Log every task event.")
def worker(broker, db, warc_dir, concurrency, time_limit, name, verbose) -> None:
    """Run a Celery worker that crawls the jobs of `crawl --broker` into the archive."""
    from scraper.distributed.app import QUEUE, make_app

    db_url = archive_url(db_url_from(db))
    app = make_app(broker, db_url, warc_dir, time_limit)
    # Threads, not processes: a task only waits for its job's own process (jobs.run_job).
    argv = ["worker", f"--concurrency={concurrency}", "--pool=threads", f"--queues={QUEUE}",
            f"--loglevel={'DEBUG' if verbose else 'INFO'}", "--without-mingle",
            f"--hostname={name or 'pressarchiv@%h'}"]  # fmt: skip
    app.worker_main(argv)


@click.command()
@broker_option
@click.option(
    "--schedule",
    "schedule_file",
    required=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, exists=True),
    help="TOML file of [[crawl]] entries (cron or every, sites, full ...).",
)
@click.option(
    "--state",
    type=click.Path(dir_okay=False),
    default="pressarchiv-beat.db",
    show_default=True,
    help="Where beat remembers when each entry last ran.",
)
def beat(broker, schedule_file, state) -> None:
    """Queue the crawls of a schedule file at their times (Celery beat; run exactly one)."""
    from scraper.distributed.app import SCHEDULED, make_app
    from scraper.distributed.schedule import ScheduleError, load_schedule

    try:
        entries = load_schedule(schedule_file, SCHEDULED)
    except ScheduleError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exits.USAGE)
    app = make_app(broker)
    app.conf.beat_schedule = entries
    app.conf.timezone = "Europe/Berlin"
    click.echo(f"beat: {len(entries)} scheduled crawls on the broker", err=True)
    app.Beat(schedule=state, loglevel="INFO", max_interval=5).run()


COMMANDS = [worker, beat]

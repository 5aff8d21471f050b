"""Every command with bad input, as a careless user types it: one line, a known status.

A traceback on stderr, or the last-resort ``internal error`` line of the CLI (an error
nobody foresaw), fails the test. Commands that run Scrapy's reactor (``crawl``, ``demo``)
run in a fresh process; the others through the CLI group in this one.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from crawl_helpers import pressarchiv
from test_storage_helpers import backend_fixture, new_archive_url

from scraper.cli import main
from storage import Archive

USAGE, FAILED, PARTIAL, BUSY = 2, 1, 3, 75


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A folder without an archive, as the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRESSARCHIV_DB", raising=False)
    return tmp_path


@pytest.fixture
@backend_fixture
def archive(request, tmp_path) -> str:
    """The URL of an (empty) archive on the backend under test."""
    url = new_archive_url(request, tmp_path)
    Archive(url).close()
    return url


@pytest.fixture
def archive_file(tmp_path):
    """An (empty) SQLite archive file and its URL, for what only a file can suffer."""
    path = tmp_path / "archive.sqlite"
    Archive(f"sqlite:///{path}").close()
    return path, f"sqlite:///{path}"


def invoke(*args: str, stdin: bytes | str | None = None):
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def assert_one_line(stderr: str, message: str) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("Error: ") and message in stderr, stderr


READ_COMMANDS = [
    ["search", "Schule"], ["stats"], ["persons"], ["changes"], ["show", "abc"], ["runs"],
    ["export", "--format", "csv"], ["reparse"],
]  # fmt: skip


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: a[0])
def test_read_commands_never_create_an_archive(here, args):
    code, _, err = invoke(*args)
    assert code == FAILED
    assert_one_line(err, "no archive at pressarchiv.sqlite")
    assert list(here.iterdir()) == []


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: a[0])
def test_read_commands_never_create_an_archive_at_a_url(db_url, args):
    """On PostgreSQL: an empty schema, where a careless URL would have put a whole archive."""
    code, _, err = invoke(*args, "--db", db_url)
    assert code == FAILED
    assert_one_line(err, "no archive at ")
    assert tables_at(db_url) == []


def tables_at(url: str) -> list[str]:
    """The tables at an archive URL (none for a SQLite file that does not exist)."""
    if url.startswith("sqlite:") and not os.path.exists(url.removeprefix("sqlite:///")):
        return []
    engine = sa.create_engine(url)
    try:
        return sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["search", "(" * 5000 + "Schule"], FAILED, ""),
        (["search", "Polizei AND"], None, ""),
        (["search", "Polizei OR"], None, ""),
        (["search", "-x"], FAILED, "NOT needs a term to exclude from"),
        (["search", "Schule", "-Corona", "--Corona"], USAGE, "No such option '--Corona'"),
        (["search", "--limt", "5", "Schule"], USAGE, "No such option '--limt'"),
        (["search", "Schule", "--site", "nope"], FAILED, "unknown site id 'nope'"),
        (["search", "Schule", "--since", "2024-13-45"], FAILED, "is not a date"),
        (["search", "Schule", "--since", "2024-02-01", "--until", "2024-01-01"], FAILED,
         "is after --until"),
        (["changes", "--since", "gestern"], FAILED, "is not a date"),
        (["export", "--since", "01.02.2024"], FAILED, "is not a date"),
        (["export", "--format", "xml"], USAGE, "'xml' is not one of"),
        (["export", "--site", "nope"], FAILED, "unknown site id"),
        (["show", "nope"], FAILED, "no release with id"),
        (["runs", "999"], FAILED, "no run 999"),
        (["runs", "abc"], USAGE, "not a valid integer"),
        (["reparse", "--site", "nope"], FAILED, "unknown site id"),
        (["stats", "--format", "yaml"], USAGE, "'yaml' is not one of"),
    ],
)  # fmt: skip
def test_bad_arguments_on_an_archive(archive, args, code, message):
    got, _, err = invoke(*args, "--db", archive)
    assert "Traceback" not in err and "internal error" not in err, err
    if code is not None:
        assert got == code
        assert_one_line(err, message)
    elif got:  # either answer is fine for the parser; an error must still be one line
        assert_one_line(err, message)


def test_a_word_with_a_leading_dash_is_left_out(archive):
    code, out, err = invoke("search", "--db", archive, "Schule", "-Corona", "--limit", "3")
    assert (code, out, err) == (0, "0 hits\n", "")
    code, _, err = invoke("search", "--db", archive, "--", "-Schule")
    assert code == FAILED and err == (
        "Error: NOT needs a term to exclude from, as in: Schule NOT Corona (or Schule -Corona)\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["reparse", "--db", "nonsense"], FAILED, "cannot parse 'nonsense'"),
        (["search", "x", "--db", "sqlite://"], FAILED, "in-memory"),
        (["stats", "--db", "nosuchdriver://x"], FAILED, ""),
        (["normalise", "does-not-exist.html"], FAILED, "cannot read does-not-exist.html"),
        (["normalise", "--url", "http://[::1", "-"], FAILED, "--url"),
        (["sites", "--check", "nope"], FAILED, "unknown site id"),
        (["sites", "--sites-dir", "/nonexistent/dir"], FAILED, "not found"),
        (["replica", "--port", "99999"], USAGE, "99999"),
        (["serve", "--db", "sqlite:///nowhere.sqlite"], FAILED, "no archive"),
        (["bench", "normalise", "--gold", "/nonexistent"], FAILED, "gold set not found"),
        (["nonsense-command"], USAGE, "No such command"),
        (["export", "--no-such-option"], USAGE, "No such option"),
    ],
)  # fmt: skip
def test_bad_input_anywhere_is_one_line(here, args, code, message):
    got, _, err = invoke(*args, stdin="")
    assert got == code
    assert_one_line(err, message)


def test_binary_on_stdin_is_a_flagged_record_not_a_crash(here):
    code, out, err = invoke("normalise", "-", stdin=bytes(range(256)) * 40)
    assert code == 0 and "Traceback" not in err
    assert '"not-a-release"' in out or "not-a-release" in out


def test_html_on_stdin_is_read_as_html(here):
    page = (
        "<!DOCTYPE html><html><head><title>Neue Kita</title></head><body><main>"
        "<h1>Neue Kita in Kassel</h1><p>Kassel, 2. Februar 2026</p>"
        "<p>Die Stadt eröffnet eine neue Kita mit vierzig Plätzen.</p></main></body></html>"
    )
    code, out, err = invoke("normalise", "-", stdin=page.encode())
    assert code == 0, err
    assert '"title": "Neue Kita in Kassel"' in out and '"published": "2026-02-02"' in out


def test_unknown_family_in_a_site_file(here):
    (here / "sites").mkdir()
    (here / "sites" / "x.toml").write_text(
        'family = "wordpress"\n[[sites]]\nid = "x-site"\nname = "X"\n'
        'base_url = "https://x.example"\nstart_urls = ["/presse"]\n'
    )
    result = pressarchiv("crawl", "x-site", "--sites-dir", str(here / "sites"),
                         "--db", f"sqlite:///{here}/a.sqlite")  # fmt: skip
    assert result.returncode == FAILED
    assert_one_line(result.stderr, "no spider for CMS family 'wordpress'")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base-url", "foo"], "--base-url: 'foo' is not an http(s) URL"),
        (["--base-url", "http://[::1"], "--base-url"),
        (["--db", "sqlite://"], "in-memory"),
        (["--db", "nonsense"], "cannot parse"),
        (["--since", "2024-02-31"], "--since: '2024-02-31' is not a date"),
        (["--since", "2024-02-01", "--until", "2024-01-01"], "is after --until"),
    ],
)
def test_crawl_refuses_bad_options_before_starting(here, args, message):
    base = ["--db", f"sqlite:///{here}/a.sqlite"] if "--db" not in args else []
    result = pressarchiv("crawl", "hessen-soziales", *base, *args)
    assert result.returncode == FAILED
    assert_one_line(result.stderr, message)
    assert not (here / "a.sqlite.lock").exists()


def test_demo_into_memory_is_refused(here):
    result = pressarchiv("demo", "--db", "sqlite://")
    assert result.returncode == FAILED
    assert_one_line(result.stderr, "in-memory")


def test_a_site_that_is_down_fails_the_crawl_without_a_traceback(here, db_url):
    result = pressarchiv("crawl", "hessen-soziales", "--db", db_url,
                         "--base-url", "http://127.0.0.1:1")  # fmt: skip
    assert result.returncode == FAILED
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "robots.txt unreachable" in result.stderr
    assert len(result.stderr.splitlines()) < 12


READ_ONLY_FILE = pytest.mark.sqlite_only(
    "an archive file its user may not write (file permissions); a PostgreSQL role that may "
    "only read: test_export_and_crawl_by_a_role_that_may_only_read"
)


@pytest.fixture
def read_only(archive_file):
    """The archive file made read-only, also for root (the immutable attribute)."""
    path, url = archive_file
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)
    yield path, url
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o644)


@READ_ONLY_FILE
def test_crawl_into_a_read_only_archive(read_only):
    result = pressarchiv("crawl", "hessen-soziales", "--db", read_only[1],
                         "--base-url", "http://127.0.0.1:1")  # fmt: skip
    assert result.returncode == FAILED
    assert_one_line(result.stderr, "readonly database")


@READ_ONLY_FILE
def test_export_since_last_on_a_read_only_archive_writes_nothing(read_only, tmp_path):
    out = tmp_path / "out.csv"
    code, _, err = invoke("export", "-o", str(out), "--since-last", "nightly",
                          "--db", read_only[1])  # fmt: skip
    assert code == FAILED
    assert_one_line(err, "is read-only")
    assert not out.exists() and not (tmp_path / "out.csv.manifest.json").exists()


@pytest.fixture
def read_only_role(request):
    """A PostgreSQL archive of one release, and its URL for a role that may only read it
    (the server's counterpart of a read-only file; in the SQLite pass, as it needs a role)."""
    import uuid

    from test_storage_helpers import drop_pg_schema, item, pg_url

    url = pg_url()
    request.addfinalizer(lambda: drop_pg_schema(url))
    with Archive(url) as archive:
        archive.store([item(1)])
    schema, role = sa.make_url(url).query["options"].rsplit("=", 1)[1], f"ro_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(sa.make_url(url).difference_update_query(["options"]))
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")

    def drop_role():
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()

    request.addfinalizer(drop_role)
    return sa.make_url(url).set(username=role).render_as_string(hide_password=False)


def test_export_and_crawl_by_a_role_that_may_only_read(read_only_role, tmp_path):
    out = tmp_path / "out.csv"
    code, _, err = invoke("export", "-o", str(out), "--since-last", "nightly",
                          "--db", read_only_role)  # fmt: skip
    assert code == FAILED
    assert_one_line(err, "export mark 'nightly' not moved (archive write failed: permission")
    assert not (tmp_path / "out.csv.manifest.json").exists()  # not taken for a complete export
    assert invoke("search", "Integration", "--db", read_only_role)[0] == 0  # reading works
    crawl = ["crawl", "hessen-soziales", "--base-url", "http://127.0.0.1:1"]
    result = pressarchiv(*crawl, "--db", read_only_role, "--warc-dir", str(tmp_path))
    assert result.returncode == FAILED
    assert_one_line(result.stderr, "cannot write to the archive")


def test_an_export_whose_mark_cannot_move_loses_its_manifest(archive, tmp_path, monkeypatch):
    import exports.marks

    def refuse(*args):
        raise OSError("disk full")

    monkeypatch.setattr(exports.marks, "move_mark", refuse)
    out = tmp_path / "out.csv"
    code, _, err = invoke("export", "-o", str(out), "--since-last", "nightly", "--db", archive)
    assert code == FAILED
    assert_one_line(err, "export mark 'nightly' not moved (disk full)")
    assert not (tmp_path / "out.csv.manifest.json").exists()


@pytest.mark.sqlite_only("the archive is a file an export must not overwrite")
def test_export_never_replaces_the_archive(archive_file):
    path, url = archive_file
    before = path.read_bytes()
    code, _, err = invoke("export", "-o", str(path), "--db", url)
    assert code == FAILED
    assert_one_line(err, "is the archive itself")
    assert path.read_bytes() == before
    copy = path.with_name("copy.sqlite")
    copy.write_bytes(before)
    code, _, err = invoke("export", "-o", str(copy), "--db", url)
    assert code == FAILED
    assert_one_line(err, "is a SQLite database")
    assert copy.read_bytes() == before


def test_export_refuses_devices_fifos_folders_and_links(archive, tmp_path):
    url = archive
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "precious.txt"
    victim.write_text("keep me")
    link = tmp_path / "link.csv"
    link.symlink_to(victim)
    cases = {"/dev/null": "not a regular file", str(fifo): "not a regular file",
             str(tmp_path): "is a folder", str(link): "symbolic link"}  # fmt: skip
    for target, message in cases.items():
        code, _, err = invoke("export", "-o", target, "--db", url)
        assert code == FAILED
        assert_one_line(err, message)
    assert stat.S_ISFIFO(fifo.stat().st_mode) and link.is_symlink()
    assert victim.read_text() == "keep me"


def test_export_to_a_plain_file_still_works(archive, tmp_path):
    code, _, err = invoke("export", "-o", str(tmp_path / "x.csv"), "--db", archive)
    assert code == 0, err
    assert (tmp_path / "x.csv").exists() and (tmp_path / "x.csv.manifest.json").exists()


def test_scrapy_crawl_blocked_by_the_lock_exits_75(archive):
    from storage.lock import ArchiveLock

    url = archive
    with ArchiveLock(url):
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "hessen-drupal", "-a", "site=hessen-soziales",
             "-s", f"PRESSARCHIV_DB={url}", "-s", "LOG_LEVEL=ERROR"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == BUSY, result.stderr
    assert "archive is locked" in result.stderr
    with Archive(url) as opened, opened.engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from runs").one() == (0,)


def test_serve_binds_loopback_unless_told():
    from scraper.cli.serve import serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_no_remote_console_in_any_crawler_process():
    from scrapy.utils.project import get_project_settings

    from scraper.crawl import crawl_settings

    assert crawl_settings("sqlite:///x.sqlite").getbool("TELNETCONSOLE_ENABLED") is False
    assert get_project_settings().getbool("TELNETCONSOLE_ENABLED") is False

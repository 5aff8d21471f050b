"""`pressarchiv sites`: listing profiles, user profile folders, and checking a profile."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from crawl_helpers import pressarchiv

from scraper.cli import main
from scraper.replica import ReplicaServer

DIGITALES = """
family = "hessen-drupal"

[[sites]]
id = "hessen-digitales"
name = "Hessen: Digitalisierung und Innovation"
ministry = "Hessisches Ministerium für Digitalisierung und Innovation"
base_url = "https://soziales.hessen.de"
start_urls = ["/presse?page=0"]
"""

RELAUNCHED = """
family = "hessen-drupal"
state = "Hessen"
[listing]
card = ".teaser-list .teaser"
link = "h3 a::attr(href)"
[release]
body = ".cp-richtext__field-richtext"
[[sites]]
id = "hessen-soziales-relaunched"
name = "Hessen: Soziales after a relaunch"
base_url = "https://soziales.hessen.de"
start_urls = ["/presse?page=0"]
"""


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer() as server:
        yield server


@pytest.fixture
def relaunched_dir(tmp_path):
    (tmp_path / "relaunched.toml").write_text(RELAUNCHED, encoding="utf-8")
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_sites_lists_the_hessian_ministries():
    result = run("sites")
    assert result.exit_code == 0
    for site_id in ("hessen-soziales", "hessen-innen", "hessen-kultus"):
        assert site_id in result.output


def test_sites_dir_adds_a_site_without_code(relaunched_dir):
    result = run("sites", "--sites-dir", str(relaunched_dir))
    assert "hessen-soziales-relaunched" in result.output


def test_a_new_ministry_of_a_known_family_is_data_only(replica, tmp_path):
    (tmp_path / "digitales.toml").write_text(DIGITALES, encoding="utf-8")
    result = run("sites", "--check", "hessen-digitales", "--base-url", replica.base_url,
                 "--sites-dir", str(tmp_path))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "profile ok" in result.output


def test_check_reports_every_field_of_a_working_profile(replica):
    result = run("sites", "--check", "hessen-soziales", "--base-url", replica.base_url)
    assert result.exit_code == 0, result.output
    assert "profile ok" in result.output
    lines = dict(line.split(None, 1) for line in result.output.splitlines()[4:] if "  " in line)
    assert lines["published"].strip()[:2] in {"19", "20"}
    assert lines["title"] != "-- (empty)"


def test_check_calls_a_relaunched_profile_broken(replica, relaunched_dir):
    result = run("sites", "--check", "hessen-soziales-relaunched", "--base-url", replica.base_url,
                 "--sites-dir", str(relaunched_dir))  # fmt: skip
    assert result.exit_code == 1
    assert "profile broken" in result.output
    assert "matched no release cards" in result.output


def test_check_of_unknown_site_is_one_line():
    result = run("sites", "--check", "hessen-atlantis")
    assert result.exit_code == 1
    assert "unknown site id" in result.output
    assert "Traceback" not in result.output


def test_crawl_with_a_relaunched_profile_fails_loudly(replica, relaunched_dir, db_url, tmp_path):
    result = pressarchiv(
        "crawl", "hessen-soziales-relaunched", "--sites-dir", str(relaunched_dir),
        "--base-url", replica.base_url, "--db", db_url,
        "--warc-dir", str(tmp_path / "archive.warc"),
    )  # fmt: skip
    assert result.returncode == 1
    assert "profile broken" in result.stderr
    assert result.stdout.strip().endswith("failed=1")

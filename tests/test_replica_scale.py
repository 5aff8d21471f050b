"""The large replica: N synthetic releases over many hosts, its request log, and a crawl of it."""

from __future__ import annotations

import urllib.error
import urllib.request

import parsel
import pytest
from click.testing import CliRunner
from crawl_helpers import pressarchiv, summary_of

from scraper.cli.bench import bench
from scraper.replica.scale import (
    ScaleData,
    ScaleReplica,
    Visit,
    politeness_problems,
    read_log,
    site_id,
)
from storage import Archive

SEARCH = "/SiteGlobals/Forms/Suche/Pressemitteilungensuche_Formular.html"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def walk(replica: ScaleReplica, host: str) -> list[str]:
    """Every release link of one host, following the listing's next links."""
    links, url = [], f"{replica.base_url}/{host}{SEARCH}"
    while url:
        status, body = fetch(url)
        assert status == 200
        page = parsel.Selector(body)
        links += page.css(".result-list h3 a::attr(href)").getall()
        forward = page.css(".c-pagination a.forward::attr(href)").get()
        url = replica.base_url + forward if forward else None
    return links


def test_releases_spread_over_hosts_and_reachable_by_the_listing(tmp_path):
    log = tmp_path / "visits.jsonl"
    with ScaleReplica(2_503, hosts=7, latency=0.001, log=log) as replica:
        data = replica.data
        assert sum(data.count(h) for h in range(7)) == 2_503
        truth = data.truth()
        assert len(truth) == 2_503
        host = data.site(3).host
        links = walk(replica, host)
        assert len(links) == len(set(links)) == data.count(3)
        status, body = fetch(replica.base_url + links[-1])
        assert status == 200 and "<h1" in body
        assert f"https://{host}{links[-1].removeprefix('/' + host)}" in truth
        assert fetch(f"{replica.base_url}/{host}{SEARCH}?gtp=36774_list%253D999")[0] == 404
        assert fetch(f"{replica.base_url}/nobody.example/x.html")[0] == 404
        assert fetch(f"{replica.base_url}/{host}/robots.txt")[0] == 200
    # counted once the server has stopped: a visit is recorded just after its response is sent
    visits = read_log(log)
    assert len(visits) == len(replica.visits)
    assert {v.host for v in visits} == {host, "nobody.example"}
    assert all(v.end >= v.start + 0.001 for v in visits)


def test_same_seed_same_release_and_titles_differ():
    data = ScaleData(1_000, 10)
    assert data.release(4, 17) == data.release(4, 17)
    titles = {data.release(h, n).title for h in range(10) for n in range(100)}
    assert len(titles) > 990


def test_politeness_problems_names_overlaps_and_short_gaps():
    polite = [Visit("a", f"/a/{i}", i * 1.0, i * 1.0 + 0.2, 200) for i in range(5)]
    assert politeness_problems(polite, delay=1.0) == []
    overlap = [*polite, Visit("a", "/a/x", 2.1, 2.3, 200)]
    assert any("in flight" in p for p in politeness_problems(overlap, delay=1.0))
    hasty = [Visit("b", "/b/1", 0.0, 0.1, 200), Visit("b", "/b/2", 0.5, 0.6, 200)]
    assert politeness_problems(hasty, delay=1.0) == ["b: /b/2 0.500s after /b/1"]
    assert politeness_problems(hasty, delay=0.5) == []
    assert politeness_problems([Visit("", "/robots.txt", 0, 1, 200)] * 2, delay=1) == []


def test_crawl_of_the_large_replica_archives_every_release_under_its_site(db_url, tmp_path):
    db = db_url
    with ScaleReplica(1_210, hosts=4) as replica:
        sites = replica.data.write_sites(tmp_path / "sites")
        ids = [site_id(h) for h in range(4)]
        warc = ("--warc-dir", str(tmp_path / "archive.warc"))
        result = pressarchiv("crawl", *ids, "--full", "--db", db, "--base-url", replica.base_url,
                             "--sites-dir", str(sites), *warc, timeout=300)  # fmt: skip
        truth = replica.data.truth()
    assert result.returncode == 0, result.stderr
    assert summary_of(result)["new"] == 1_210
    with Archive(db) as archive, archive.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT url, site FROM releases").all()
    assert dict(rows) == truth


@pytest.mark.sqlite_only(
    "bench crawl crawls into a SQLite file of its own; the crawl of the large replica into "
    "PostgreSQL: the test above"
)
@pytest.mark.parametrize("args", [["--releases", "120", "--hosts", "2"]])
def test_bench_crawl_prints_both_crawlers_and_the_ratio(args):
    result = CliRunner().invoke(bench, ["crawl", *args])
    assert result.exit_code == 0, result.output
    assert "bare Scrapy spider" in result.output and "pressarchiv crawl" in result.output
    assert "x pages/s (target 0.8x)" in result.output
    assert "archive holds 120 of 120 releases" in result.output

"""``pressarchiv wacz``: the evidence of selected releases as a WACZ package that
Webrecorder's validator accepts, with one page per release page and sha256 per file."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date

import pytest
from test_storage_helpers import new_archive_url
from test_warc import crawl, pressarchiv
from warcio.archiveiterator import ArchiveIterator

from scraper.evidence.package import validate
from scraper.replica import ReplicaServer
from storage import Archive

SITES = ("hessen-soziales", "hessen-innen")


pytestmark = pytest.mark.backends


@pytest.fixture(scope="module")
def crawled(request, tmp_path_factory):
    """Two replica sites crawled into an archive on the backend under test: the ``--warc-dir``
    option of its WARC folder, and its URL."""
    folder = tmp_path_factory.mktemp("wacz")
    db = new_archive_url(request, folder)
    warc = ("--warc-dir", str(folder / "archive.warc"))
    with ReplicaServer() as server:
        crawl(db, server.base_url, *warc, sites=SITES, max_releases=8)
    return warc, db


def counts(db: str, where: str = "1 = 1") -> tuple[int, int]:
    """Revisions and attachments of the releases matching ``where``."""
    with Archive(db) as archive, archive.engine.connect() as conn:
        revisions = conn.exec_driver_sql(
            f"SELECT count(*) FROM revisions v JOIN releases r ON r.pk = v.release_pk WHERE {where}"
        ).scalar()
        attachments = conn.exec_driver_sql(
            f"SELECT count(*) FROM attachments a JOIN releases r ON r.pk = a.release_pk "
            f"WHERE {where}"
        ).scalar()
    return revisions, attachments


def package(path) -> dict:
    with zipfile.ZipFile(path) as wacz:
        files = {name: wacz.read(name) for name in wacz.namelist()}
    pages = [json.loads(line) for line in files["pages/pages.jsonl"].splitlines()]
    return {"files": files, "header": pages[0], "pages": pages[1:]}


def warc_records(data: bytes) -> list:
    import io

    return [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"))
        for r in ArchiveIterator(io.BytesIO(data))
    ]


def test_the_package_validates_and_holds_every_release_page(crawled, tmp_path):
    warc, db = crawled
    out = tmp_path / "evidence.wacz"
    result = pressarchiv("wacz", "--db", db, "-o", str(out), *warc)
    assert result.returncode == 0, result.stderr
    valid, said = validate(out)
    assert valid, said
    content = package(out)
    revisions, attachments = counts(db)
    assert attachments >= 1  # the replica's PDFs travel with their releases
    assert len(content["pages"]) == revisions
    assert content["header"]["format"] == "json-pages-1.0"
    assert all(page["url"] and page["ts"] and page["title"] for page in content["pages"])

    datapackage = json.loads(content["files"]["datapackage.json"])
    for resource in datapackage["resources"]:
        data = content["files"][resource["path"]]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    digest = json.loads(content["files"]["datapackage-digest.json"])
    assert (
        digest["hash"]
        == "sha256:" + hashlib.sha256(content["files"]["datapackage.json"]).hexdigest()
    )

    [warc] = [name for name in content["files"] if name.startswith("archive/")]
    kinds = warc_records(content["files"][warc])
    responses = {uri for kind, uri in kinds if kind == "response"}
    assert {page["url"] for page in content["pages"]} <= responses
    assert sum(kind == "request" for kind, _ in kinds) == revisions + attachments
    assert sum(kind == "metadata" for kind, _ in kinds) == revisions  # the listing cards
    assert f"releases={len({p['release'] for p in content['pages']})}" in result.stdout


def test_site_and_since_select_releases(crawled, tmp_path):
    warc, db = crawled
    out = tmp_path / "innen.wacz"
    result = pressarchiv("wacz", "--db", db, "--site", "hessen-innen", "-o", str(out), *warc)
    assert result.returncode == 0, result.stderr
    assert len(package(out)["pages"]) == counts(db, "r.site = 'hessen-innen'")[0]

    with Archive(db) as archive, archive.engine.connect() as conn:
        dates = sorted(
            date.fromisoformat(str(d))
            for (d,) in conn.exec_driver_sql("SELECT published FROM releases")
        )
    middle = dates[len(dates) // 2].isoformat()
    out = tmp_path / "recent.wacz"
    result = pressarchiv("wacz", "--db", db, "--since", middle, "-o", str(out), *warc)
    assert result.returncode == 0, result.stderr
    expected = counts(db, f"r.published >= '{middle}'")[0]
    assert 0 < len(package(out)["pages"]) == expected < counts(db)[0]
    assert validate(out)[0]


def test_nothing_selected_or_a_bad_name_is_one_line(crawled, tmp_path):
    warc, db = crawled
    result = pressarchiv(
        "wacz", "--db", db, "--since", "2999-01-01", "-o", str(tmp_path / "x.wacz"), *warc
    )
    assert result.returncode == 1 and result.stderr.startswith("Error: no archived release")
    assert not (tmp_path / "x.wacz").exists()
    result = pressarchiv("wacz", "--db", db, "-o", str(tmp_path / "x.zip"), *warc)
    assert result.returncode == 1 and "must end in .wacz" in result.stderr

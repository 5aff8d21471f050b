"""Oracle tests (issue 14): every saved page, served in another encoding or shape, must give
the record of the original page, field by field.

The variants (``scraper.bench.encodings.TRANSFORMS``): re-encoded and correctly declared as
Windows-1252 or Latin-1 (in the ``Content-Type`` header, the ``<meta charset>``, or both;
characters outside the encoding as character references, Latin-1 also without them for the
pages it can represent), UTF-16 with a byte order mark, NULs in
``<head>``, the body wrapped in 300 or 3000 ``div``s. Each is read twice: by the normaliser with the
header, and through the crawl's own path (Scrapy's choice of response class from headers
and body, the spider's ``parse_release``, the worker job that normalises the item).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import FILES
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from scraper import jobs
from scraper.bench.encodings import (
    SERVING_FLAGS,
    TRANSFORMS,
    Served,
    differences,
    page_url,
    record,
    saved_pages,
)
from scraper.cli import main
from scraper.items import ReleaseItem
from scraper.normalise import normalise_html
from scraper.profiles import load_profiles, profile_for_url
from scraper.spiders import spider_for

PAGES = saved_pages(FILES)
CASES = [
    (path, name)
    for path in PAGES
    for name, transform in TRANSFORMS.items()
    if transform(path.read_bytes()) is not None  # Latin-1: only pages it can represent
]
PROFILES = load_profiles()


def _id(case) -> str:
    path, name = case
    return f"{path.relative_to(FILES)}-{name.replace(' ', '_')}"


def _original(path):
    return record(Served(path.read_bytes(), None), page_url(path))


def test_every_saved_page_and_transform_is_covered():
    assert len(PAGES) >= 60
    for name in TRANSFORMS:
        pages = sum(1 for _, case_name in CASES if case_name == name)
        assert pages == len(PAGES) or (name.endswith("no references") and pages >= 4), name


@pytest.mark.parametrize("case", CASES, ids=map(_id, CASES))
def test_served_page_gives_the_record_of_the_original(case):
    path, name = case
    original = _original(path)
    variant = record(TRANSFORMS[name](path.read_bytes()), page_url(path))
    assert {k: variant[k] for k in differences(original, variant)} == {}


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("windows-1252 header", "windows-1252 (content-type)"),
        ("windows-1252 meta", "windows-1252 (meta)"),
        ("windows-1252 header, meta utf-8", "windows-1252 (content-type)"),
        ("windows-1252 meta after 8 KB", "windows-1252 (meta)"),
        ("iso-8859-1 meta", "windows-1252 (meta)"),  # the WHATWG reading of the label
        ("utf-16le with bom", "utf-16le (bom)"),
        ("utf-16be with bom", "utf-16be (bom)"),
    ],
)
def test_the_record_says_which_encoding_was_read_and_why(name, encoding):
    path = FILES / "hessen" / "integrationskonferenz-in-wetzlar.html"
    served = TRANSFORMS[name](path.read_bytes())
    rec = normalise_html(served.body, url=page_url(path), content_type=served.content_type)
    assert rec.sources["encoding"] == encoding
    assert not SERVING_FLAGS & set(rec.flags) and "replacement-char" not in rec.flags


def test_a_correct_declaration_is_not_called_a_mismatch():
    path = FILES / "hessen" / "integrationskonferenz-in-wetzlar.html"
    served = TRANSFORMS["windows-1252 both"](path.read_bytes())
    assert "\u201e".encode("cp1252") in served.body  # the page's „quotes“ as single bytes
    rec = normalise_html(served.body, url=page_url(path), content_type=served.content_type)
    assert "charset-mismatch" not in rec.flags and "„" in rec.subtitle


@pytest.mark.parametrize(
    ("title", "text", "codec"),
    [
        ("Новые меры", "Министерство внутренних дел сообщило сегодня о новых мерах по борьбе "
         "с преступностью в регионе. Губернатор заявил, что ситуация под контролем.", "cp1251"),
        ("Νέα μέτρα", "Το υπουργείο εσωτερικών ανακοίνωσε σήμερα νέα μέτρα για την "
         "καταπολέμηση του εγκλήματος στην περιοχή.", "iso8859-7"),
        ("新たな措置", "内務省は本日、地域における犯罪対策の新たな措置を発表しました。"
         "知事は状況は制御下にあると述べました。", "shift_jis"),
    ],
)  # fmt: skip
def test_an_undeclared_page_in_another_script_is_not_read_as_windows_1252(title, text, codec):
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p>"
    rec = normalise_html(f"{page}</body></html>".encode(codec))
    assert rec.title == title and text in rec.body


def test_mostly_nul_content_is_still_binary():
    text = "Pressemitteilung " * 60 + "\x00" * 40  # 4 % NUL, too few other controls
    rec = normalise_html(text.encode("utf-8"))
    assert "binary" in rec.flags and rec.title is None


# Through the crawl: one transform per way a server declares (header, meta, BOM, none).
CRAWL_TRANSFORMS = ["windows-1252 header", "windows-1252 meta", "iso-8859-1 header",
                    "utf-16le with bom", "nul in head", "3 nuls in head", "300 divs",
                    "3000 divs, a comment in each"]  # fmt: skip
CRAWLED = [path for path in PAGES if profile_for_url(page_url(path) or "", PROFILES)]
CRAWL_CASES = [(p, n) for p in CRAWLED for n in CRAWL_TRANSFORMS
               if TRANSFORMS[n](p.read_bytes()) is not None]  # fmt: skip


def _crawled(served: Served, url: str) -> dict:
    """The record the crawl stores for a page served like this, as far as the fields go."""
    profile = profile_for_url(url, PROFILES)
    spider_class = spider_for(profile.family)
    spider = spider_class.from_crawler(get_crawler(spider_class), site=profile.id)
    headers = Headers({"Content-Type": served.content_type} if served.content_type else {})
    response_class = responsetypes.from_args(headers=headers, url=url, body=served.body)
    response = response_class(url=url, body=served.body, headers=headers, status=200)
    item = spider.parse_release(response, listing=None)
    if not isinstance(item, ReleaseItem):  # PDF links: the item waits for its attachments
        item = item.meta["attachment_of"]
    fields = jobs.normalise_page(item["html"], item["url"], profile, None, item["content_type"])
    fields.pop("sources").pop("encoding", None)
    fields["flags"] = sorted(set(fields["flags"]) - SERVING_FLAGS)
    return fields


def test_crawled_pages_cover_every_family():
    families = {profile_for_url(page_url(p), PROFILES).family for p in CRAWLED}
    assert len(CRAWLED) >= 50 and len(families) >= 5


@pytest.mark.parametrize("case", CRAWL_CASES, ids=map(_id, CRAWL_CASES))
def test_crawled_page_gives_the_record_of_the_original(case):
    path, name = case
    url = page_url(path)
    original = _crawled(Served(path.read_bytes(), "text/html; charset=utf-8"), url)
    variant = _crawled(TRANSFORMS[name](path.read_bytes()), url)
    assert {k: v for k, v in variant.items() if original[k] != v} == {}


def test_bench_command_counts_no_change_on_the_saved_pages():
    result = CliRunner().invoke(main, ["bench", "encodings", "--files", str(FILES / "hessen")])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()[1:]]
    assert len(rows) == len(TRANSFORMS)
    assert {tuple(row[-3:]) for row in rows} == {("10", "0", "0"), ("0", "0", "0")}


def test_bench_command_counts_garbled_pages_when_declarations_are_ignored(monkeypatch):
    def utf8_only(body, url=None, content_type=None):  # the decoding issue 14 found
        return normalise_html(body.decode("utf-8", errors="replace"), url=url)

    monkeypatch.setattr("scraper.bench.encodings.normalise_html", utf8_only)
    args = ["bench", "encodings", "--files", str(FILES / "hessen"), "--details"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    rows = {line[:32].strip(): line[32:].split() for line in result.output.splitlines()[1:]
            if not line.startswith(" ")}  # fmt: skip
    pages, changed, garbled = map(int, rows["windows-1252 both"])  # (the listing page has
    assert pages == 10 and changed == garbled >= 9  # no umlaut in what it gives)
    assert rows["300 divs"] == ["10", "0", "0"]
    named = [line for line in result.output.splitlines() if "wetzlar.html: " in line]
    assert named and all("title" in line for line in named)

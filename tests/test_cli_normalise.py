"""``pressarchiv normalise`` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import FILES

from scraper.cli.normalise import normalise
from scraper.normalise import FIELDS

PAGE = FILES / "hessen" / "integrationskonferenz-in-wetzlar.html"
TEXT = FILES / "text" / "seed-integrationskonferenz-in-wetzlar.txt"
KEYS = {*FIELDS, "profile", "sources", "flags", "uncertain", "source"}


def _run(*args, **kwargs):
    return CliRunner().invoke(normalise, [str(a) for a in args], **kwargs)


def test_one_page_prints_one_object():
    result = _run(PAGE)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert set(record) == KEYS
    assert record["title"] == "Integrationskonferenz in Wetzlar"
    assert record["published"] == "2018-09-25" and record["source"] == str(PAGE)
    assert "„Landesprogramm" in result.output  # not ASCII-escaped


def test_page_and_text_give_one_object_each():
    result = _run(PAGE, TEXT)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["source"] for r in records] == [str(PAGE), str(TEXT)]
    assert records[0]["body"] == records[1]["body"]


def test_stdin():
    result = _run("-", input=TEXT.read_text(encoding="utf-8"))
    record = json.loads(result.output)
    assert (record["dateline"], record["source"]) == ("Wetzlar", "-")


def test_url_chooses_the_profile():
    result = _run("--url", "https://innen.hessen.de/presse/x", PAGE)
    assert json.loads(result.output)["profile"] == "hessen-innen"


def test_unreadable_file_is_one_line_on_stderr(tmp_path):
    result = _run(tmp_path / "missing.html")
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        f"Error: cannot read {tmp_path / 'missing.html'}: No such file or directory"
    ]
    assert "Traceback" not in result.output


def test_bad_sites_dir(tmp_path):
    result = _run("--sites-dir", tmp_path / "nope", PAGE)
    assert result.exit_code != 0 and "sites directory not found" in result.output


# A page's own addresses, broken in every way a CMS or an attacker writes them.
BROKEN_URLS = [
    "http://[::1", "http://[garbage:x/", "http://x.de:99999/", "http://x.de:abc/",
    "https://soziales.hessen.de:99999/presse/x", "http://%zz/", "//[::1", "::",
    "http://ex ample.org/", "javascript:alert(1)", "https://" + "a" * 5000 + ".de/",
]  # fmt: skip
PLACES = [
    '<link rel="canonical" href="{url}">',
    '<meta property="og:url" content="{url}">',
    '<base href="{url}">',
    '<script type="application/ld+json">{{"@type": "NewsArticle", "url": "{url}", '
    '"mainEntityOfPage": "{url}"}}</script>',
]


def _main(*args, **kwargs):
    """Through the CLI group, which keeps the one-line error contract."""
    from scraper.cli import main

    return CliRunner().invoke(main, ["normalise", *map(str, args)], **kwargs)


@pytest.mark.parametrize("url", BROKEN_URLS, ids=lambda u: u[:30])
@pytest.mark.parametrize("given", [None, "https://soziales.hessen.de/presse/x"])
def test_a_page_with_broken_urls_of_its_own_gives_the_same_record(tmp_path, url, given):
    page = PAGE.read_text(encoding="utf-8")
    head = "".join(place.format(url=url) for place in PLACES)
    links = f'<a href="{url}"></a><a href="{url}/x.pdf"></a><img src="{url}">'
    broken = tmp_path / "broken.html"
    broken.write_text(
        page.replace("<head>", "<head>" + head, 1).replace("</h1>", "</h1>" + links, 1)
    )
    options = ["--url", given] if given else []
    clean, got = _main(*options, PAGE), _main(*options, broken)
    assert got.exit_code == 0 and "Traceback" not in got.stderr, got.stderr
    got, want = json.loads(got.stdout), json.loads(clean.stdout)
    assert {k: v for k, v in got.items() if v != want[k]} == {"source": str(broken)}


@pytest.mark.parametrize("url", ["http://[::1", "http://[garbage:x/", "http://x.de:99999/",
                                 "http://x.de:abc/", "https://[::1]:-5/"])  # fmt: skip
def test_a_broken_url_option_is_one_line(url):
    result = _main("--url", url, PAGE)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"Error: --url: {url!r} is not a URL (")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + PAGE.read_bytes(),  # UTF-8 with a byte order mark
        b"\xff\xfe" + PAGE.read_text(encoding="utf-8").encode("utf-16-le"),
        b"\xfe\xff" + PAGE.read_text(encoding="utf-8").encode("utf-16-be"),
        b"\x00\n  " + PAGE.read_bytes(),
    ],
    ids=["utf-8-bom", "utf-16le-bom", "utf-16be-bom", "nul-first"],
)
def test_a_page_on_stdin_after_a_byte_order_mark_is_read_as_a_page(data):
    got = _main("-", input=data)
    assert got.exit_code == 0, got.stderr
    want = json.loads(_main(PAGE).stdout)
    fields = {*FIELDS, "profile"}
    assert {k: v for k, v in json.loads(got.stdout).items() if k in fields} == {
        k: v for k, v in want.items() if k in fields
    }
